package io.goodhart.ingest;

/**
 * What the contract says of one input line: either a valid {@link UsageEvent}, or a rejection naming
 * the field at fault (null when the line as a whole is bad) and a reason a person can act on.
 */
public record LineVerdict(UsageEvent event, String field, String reason, String eventId) {

  public static LineVerdict accepted(UsageEvent event) {
    return new LineVerdict(event, null, null, event.eventId());
  }

  public static LineVerdict rejected(String field, String reason, String eventId) {
    return new LineVerdict(null, field, reason, eventId);
  }

  public boolean isAccepted() {
    return event != null;
  }
}
