package io.goodhart.ingest;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The event times one delivery can hold. A request cannot have been made after its delivery, so an
 * event dated later than the end of the day after the delivery date (a day of slack for time zones and
 * skewed clocks) comes from a broken clock; one dated more than {@code maxAgeDays} before it (default
 * about ten years, before any of these tools existed) is an epoch-zero or default date such as
 * 1970-01-01 or 0001-01-01. Both would open reporting weeks that never happened, so they are rejected
 * on {@code event_time} instead of stored. Late arrivals and backfills of real history stay inside.
 *
 * <p>The reference day is the delivery folder's date ({@code date=D}), so that ingesting a delivery
 * gives the same outcome whenever it runs; a file outside any delivery folder is judged against the
 * day of the run (UTC).
 */
record EventTimeWindow(LocalDate reference, boolean deliveryDate, int maxAgeDays) implements Serializable {
  /** Setting for the oldest event accepted, in days before the reference day. */
  static final String MAX_AGE_DAYS = io.goodhart.lake.Settings.MAX_EVENT_AGE_DAYS.key();

  EventTimeWindow {
    if (maxAgeDays < 1) {
      throw new IllegalArgumentException(MAX_AGE_DAYS + " must be a number of days >= 1, found " + maxAgeDays);
    }
  }

  /** The first instant accepted: the start (UTC) of the day {@code maxAgeDays} before the reference. */
  Instant earliest() {
    return reference.minusDays(maxAgeDays).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The first instant refused: the end (UTC) of the day after the reference. */
  Instant end() {
    return reference.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Why the time is outside the window, or null when it is inside. */
  String problemWith(Instant eventTime) {
    String day = (deliveryDate ? "the delivery date " : "the day of the run ") + reference;
    if (!eventTime.isBefore(end())) {
      return "in the future: " + eventTime + " is after the end of the day after " + day
          + " (accepted: before " + end() + ")";
    }
    if (eventTime.isBefore(earliest())) {
      return "too far in the past: " + eventTime + " is more than " + maxAgeDays + " days before " + day
          + " (accepted: from " + earliest() + "; setting " + MAX_AGE_DAYS + ")";
    }
    return null;
  }
}
