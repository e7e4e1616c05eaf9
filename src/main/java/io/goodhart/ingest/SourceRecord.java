package io.goodhart.ingest;

/**
 * One record a format read from a unit of a file (a line, or the whole file for a format delivered as one
 * document), with its 0-based index in the unit and the 1-based line it starts on: a request, an interaction
 * (a human turn, a tool decision, ...), a metric data point, a row of a daily per-user report, a record that is
 * not AI usage and is only
 * counted ({@link Kind#SKIPPED}), or a rejection naming the field and reason. A unit that holds no record at
 * all yields one {@link Kind#EMPTY} record, so every unit read is accounted for. A rejected record of a
 * unit holding many (an OTLP batch) carries its own JSON as {@code recordText}, stored in the rejects table
 * instead of the whole unit; null means the unit's text.
 */
public record SourceRecord(
    int index,
    long line,
    Kind kind,
    UsageEvent event,
    Interaction interaction,
    MetricPoint point,
    String field,
    String reason,
    String recordId,
    String recordText,
    DailyRow daily) {

  public enum Kind { REQUEST, INTERACTION, METRIC_POINT, DAILY, SKIPPED, EMPTY, REJECTED }

  public SourceRecord(int index, long line, Kind kind, UsageEvent event, Interaction interaction, MetricPoint point,
      String field, String reason, String recordId, String recordText) {
    this(index, line, kind, event, interaction, point, field, reason, recordId, recordText, null);
  }

  /** A row of a daily per-user report of the format named {@code source}. */
  public static SourceRecord daily(int index, long line, String source, DailyRow row) {
    return new SourceRecord(index, line, Kind.DAILY, null, null, null, null, null,
        DailyRow.key(source, row.personKeys().preferred(), row.day()), null, row);
  }

  public static SourceRecord request(int index, long line, UsageEvent event) {
    return new SourceRecord(index, line, Kind.REQUEST, event, null, null, null, null, event.eventId(), null);
  }

  public static SourceRecord interaction(int index, long line, Interaction interaction) {
    return new SourceRecord(index, line, Kind.INTERACTION, null, interaction, null, null, null, interaction.eventId(), null);
  }

  public static SourceRecord point(int index, long line, MetricPoint point) {
    return new SourceRecord(index, line, Kind.METRIC_POINT, null, null, point, null, null, point.pointId(), null);
  }

  /** A record that is not AI usage (a span without gen_ai attributes, a metric goodhart does not read): counted only. */
  public static SourceRecord skipped(int index, long line, String why) {
    return new SourceRecord(index, line, Kind.SKIPPED, null, null, null, null, why, null, null);
  }

  /** A unit without any record (an export request whose lists are all empty). */
  public static SourceRecord empty(long line, String why) {
    return new SourceRecord(0, line, Kind.EMPTY, null, null, null, null, why, null, null);
  }

  /** A record that breaks the format or the contract: {@code field} at fault (null for the record as a whole). */
  public static SourceRecord rejected(int index, long line, String field, String reason, String recordId) {
    return new SourceRecord(index, line, Kind.REJECTED, null, null, null, field, reason, recordId, null);
  }

  /** A rejected record of a batch, with its own JSON (prompt text is removed before it is stored). */
  public static SourceRecord rejected(int index, long line, String field, String reason, String recordId,
      String recordText) {
    return new SourceRecord(index, line, Kind.REJECTED, null, null, null, field, reason, recordId, recordText);
  }

  /** The native format's verdict on a line as the one record of that line. */
  public static SourceRecord of(LineVerdict verdict, long line) {
    return verdict.isAccepted() ? request(0, line, verdict.event())
        : rejected(0, line, verdict.field(), verdict.reason(), verdict.eventId());
  }
}
