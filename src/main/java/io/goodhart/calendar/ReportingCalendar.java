package io.goodhart.calendar;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;

/**
 * The reporting calendar of contract section 3: ISO weeks, Monday 00:00 to Sunday 24:00 in the
 * reporting time zone. Weeks are identified by their Monday ({@code week_start}); the instants that
 * bound a week are what the jobs filter {@code event_time} with, so Iceberg prunes to the week's days.
 */
public record ReportingCalendar(ZoneId zone) implements Serializable {

  public static LocalDate weekStart(LocalDate day) {
    return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  public static LocalDate weekEnd(LocalDate weekStart) {
    return weekStart.plusDays(6);
  }

  /** ISO label of the week, e.g. {@code 2026-W48}. */
  public static String weekLabel(LocalDate weekStart) {
    return String.format("%d-W%02d", weekStart.get(IsoFields.WEEK_BASED_YEAR), weekStart.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /** First instant of the day in the reporting zone. */
  public Instant startOf(LocalDate day) {
    return day.atStartOfDay(zone).toInstant();
  }

  /** First instant after the week (next Monday 00:00 in the reporting zone). */
  public Instant endOfWeek(LocalDate weekStart) {
    return startOf(weekStart.plusDays(7));
  }

  /** The reporting-zone day an instant falls on. */
  public LocalDate dayOf(Instant instant) {
    return instant.atZone(zone).toLocalDate();
  }
}
