package io.goodhart.ingest;

import io.goodhart.lake.InputException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Turns event files into one row per input line: the event's columns when the line is valid, or the
 * raw text with the field and reason when it is not. Every line read yields exactly one row, which is
 * what makes the ingest ledger (read = accepted + duplicates + rejected) exact. A file that is not JSON
 * lines as a whole (binary, compressed under a plain name, one JSON array or document) yields no rows:
 * its task fails with an {@link InputException} naming the file and line, and the whole input is refused.
 */
final class ParsedLines implements FlatMapFunction<String, Row> {
  private static final long serialVersionUID = 1L;
  private static final Pattern DELIVERY_DATE = Pattern.compile("(?:^|/)date=(\\d{4}-\\d{2}-\\d{2})(?:/|$)");
  /** The day folders of the Amazon Q Developer (and Kiro) layout: {@code .../by_user_analytic/{region}/{yyyy}/{mm}/{dd}/}. */
  private static final Pattern Q_DELIVERY_DATE =
      Pattern.compile("/by_user_analytic/[^/]+/(\\d{4})/(\\d{2})/(\\d{2})/");

  static final StructType SCHEMA = new StructType(new StructField[] {
      field("event_id", DataTypes.StringType),
      field("event_time", DataTypes.TimestampType),
      field("event_offset_minutes", DataTypes.IntegerType),
      field("user_id", DataTypes.StringType),
      field("tool", DataTypes.StringType),
      field("operation", DataTypes.StringType),
      field("input_tokens", DataTypes.LongType),
      field("output_tokens", DataTypes.LongType),
      field("model", DataTypes.StringType),
      field("cache_read_tokens", DataTypes.LongType),
      field("session_id", DataTypes.StringType),
      field("task_type", DataTypes.StringType),
      field("trigger", DataTypes.StringType),
      field("prompt_fingerprint", DataTypes.StringType),
      field("duration_ms", DataTypes.LongType),
      field("accepted", DataTypes.BooleanType),
      field("lines_accepted", DataTypes.LongType),
      field("artifact_id", DataTypes.StringType),
      field("extra_fields", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)),
      field("source", DataTypes.StringType),
      field("source_record_id", DataTypes.StringType),
      field("prompt_id", DataTypes.StringType),
      field("person_keys", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)),
      field("delivery_date", DataTypes.DateType),
      field("source_file", DataTypes.StringType),
      field("source_line", DataTypes.LongType),
      field("source_unit", DataTypes.LongType),
      field("record_index", DataTypes.IntegerType),
      field("record_kind", DataTypes.StringType),
      field("interaction_kind", DataTypes.StringType),
      field("tool_name", DataTypes.StringType),
      field("decision", DataTypes.StringType),
      field("decision_source", DataTypes.StringType),
      field("success", DataTypes.BooleanType),
      field("prompt_length", DataTypes.LongType),
      field("metric_name", DataTypes.StringType),
      field("metric_unit", DataTypes.StringType),
      field("stream_key", DataTypes.StringType),
      field("temporality", DataTypes.StringType),
      field("is_monotonic", DataTypes.BooleanType),
      field("start_time", DataTypes.TimestampType),
      field("metric_type", DataTypes.StringType),
      field("long_value", DataTypes.LongType),
      field("double_value", DataTypes.DoubleType),
      field("day", DataTypes.DateType),
      field("active", DataTypes.BooleanType),
      field("interactions", DataTypes.LongType),
      field("suggestions", DataTypes.LongType),
      field("acceptances", DataTypes.LongType),
      field("lines_suggested", DataTypes.LongType),
      field("lines_kept", DataTypes.LongType),
      field("report_start_day", DataTypes.DateType),
      field("report_end_day", DataTypes.DateType),
      field("report_generated_at", DataTypes.TimestampType),
      field("raw_line", DataTypes.StringType),
      field("reject_field", DataTypes.StringType),
      field("reject_reason", DataTypes.StringType),
      field("refusal", DataTypes.StringType)});

  /**
   * The position of each column by name, for the values set on every row (one per record: an OTLP line makes
   * many): StructType's own lookup walks a Scala map each time.
   */
  private static final Map<String, Integer> POSITIONS = new HashMap<>();
  /** record_kind's text of each kind. */
  private static final Map<SourceRecord.Kind, String> KIND_NAMES = new java.util.EnumMap<>(SourceRecord.Kind.class);

  static {
    for (int i = 0; i < SCHEMA.size(); i++) {
      POSITIONS.put(SCHEMA.fields()[i].name(), i);
    }
    for (SourceRecord.Kind kind : SourceRecord.Kind.values()) {
      KIND_NAMES.put(kind, kind.name().toLowerCase(Locale.ROOT));
    }
  }

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  private final HadoopSettings hadoop;
  private final LocalDate runDate;
  private final int maxEventAgeDays;
  private final Map<String, EventFormat> formatOfFile;

  /**
   * Files outside a delivery folder have their event times judged against {@code runDate}; each file is
   * read as the format given for it (one run may read files of several formats with {@code --format auto}).
   */
  ParsedLines(HadoopSettings hadoop, LocalDate runDate, int maxEventAgeDays, Map<String, EventFormat> formatOfFile) {
    this.hadoop = hadoop;
    this.runDate = runDate;
    this.maxEventAgeDays = maxEventAgeDays;
    this.formatOfFile = new HashMap<>(formatOfFile);
  }

  @Override
  public Iterator<Row> call(String file) {
    EventFormat format = formatOfFile.get(file);
    Date deliveryDate = deliveryDate(file);
    EventTimeWindow window = deliveryDate == null
        ? new EventTimeWindow(runDate, false, maxEventAgeDays)
        : new EventTimeWindow(deliveryDate.toLocalDate(), true, maxEventAgeDays);
    Iterator<EventFileLines.Line> units;
    try {
      units = format.wholeFile()
          ? List.of(WholeFileText.read(file, hadoop.toConfiguration(), format.maxUnitBytes())).iterator()
          : new EventFileLines(file, hadoop.toConfiguration(), format.maxUnitBytes());
    } catch (RuntimeException e) {
      return List.of(refusalOrThrow(file, e)).iterator();
    }
    Iterator<EventFileLines.Line> lines = units;
    // A file that is not of its format as a whole comes back as one refusal row rather than as a failed task:
    // the driver refuses the delivery with that row's one line, and Spark logs no task failure for it.
    return new Iterator<>() {
      private boolean sawText;
      private final java.util.ArrayDeque<Row> pending = new java.util.ArrayDeque<>();
      private boolean finished;

      @Override
      public boolean hasNext() {
        while (pending.isEmpty() && !finished) {
          try {
            if (!lines.hasNext()) {
              finished = true;
              break;
            }
            fill(lines.next());
          } catch (RuntimeException e) {
            pending.add(refusalOrThrow(file, e));
            finished = true;
          }
        }
        return !pending.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return pending.poll();
      }

      private void fill(EventFileLines.Line line) {
        if (!sawText && !line.text().isBlank() && !format.wholeFile()) {
          sawText = true;
          try {
            refuseOneJsonDocument(file, line);
          } catch (InputException e) {
            if (lines instanceof EventFileLines opened) {
              opened.close();
            }
            finished = true;
            pending.add(refusal(file, e.getMessage()));
            return;
          }
        }
        try {
          pending.addAll(judge(format, file, line, deliveryDate, window));
        } catch (InputException e) {
          // A file a format finds to be another format as a whole: refused, naming what it looks like.
          pending.add(refusal(file, file + ": " + e.getMessage()));
          finished = true;
        } catch (OutOfMemoryError e) {
          throw e;
        } catch (Throwable e) {
          // Nothing a line holds may stop the ingest (a StackOverflowError escaping a task kills a local
          // Spark's JVM before goodhart could say which line): whatever goes wrong judging it rejects it.
          pending.add(rejected(format, file, line, deliveryDate, SourceRecord.rejected(0, line.number(), null,
              "goodhart could not judge this " + unitName(format) + " (" + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
                  + "); it is kept here for a bug report", null)));
        }
      }
    };
  }

  private static String unitName(EventFormat format) {
    return format.wholeFile() ? "file" : "line";
  }

  private List<Row> judge(EventFormat format, String file, EventFileLines.Line line, Date deliveryDate,
      EventTimeWindow window) {
    String unit = unitName(format);
    if (line.onlyNul()) {
      return List.of(rejected(format, file, line, deliveryDate, SourceRecord.rejected(0, line.number(), null,
          String.format(Locale.ROOT, "the file ends with %,d NUL byte(s) after its last line: a zero-filled tail, as a "
              + "writer that stopped mid-write leaves (the lines before it are read)", line.bytes()), null)));
    }
    if (line.hasNul()) {
      return List.of(rejected(format, file, line, deliveryDate, SourceRecord.rejected(0, line.number(), null,
          String.format(Locale.ROOT, "a NUL byte at byte %,d of the %s: NUL never occurs in UTF-8 JSON text (shown as "
              + "\u2400 in raw_line)", line.nulAt() + 1, unit), null)));
    }
    if (line.bytes() > format.maxUnitBytes()) {
      return List.of(rejected(format, file, line, deliveryDate, SourceRecord.rejected(0, line.number(), null,
          String.format(Locale.ROOT, "%s is %,d bytes, over the %,d-byte limit for one %s (raw_line keeps its "
              + "first %,d bytes)", unit, line.bytes(), format.maxUnitBytes(),
              format instanceof NativeFormat ? "event" : format.name() + " " + unit, EventFileLines.KEPT_PREFIX_BYTES),
          null)));
    }
    if (!line.validUtf8()) {
      return List.of(rejected(format, file, line, deliveryDate, SourceRecord.rejected(0, line.number(), null,
          String.format(Locale.ROOT, "not valid UTF-8: byte %d of the %s is 0x%02X (invalid bytes shown as U+FFFD in "
              + "raw_line)", line.invalidUtf8At() + 1, unit, line.invalidByte()), null)));
    }
    List<SourceRecord> records = format.read(line.text(), line.number(), file);
    List<Row> rows = new ArrayList<>(records.size());
    for (SourceRecord record : records) {
      java.time.Instant time = record.event() != null ? record.event().eventTime()
          : record.interaction() != null ? record.interaction().eventTime()
          : record.point() != null ? record.point().time() : null;
      String outside = time == null ? null : window.problemWith(time);
      if (outside != null) {
        record = SourceRecord.rejected(record.index(), record.line(),
            record.kind() == SourceRecord.Kind.METRIC_POINT ? "timeUnixNano" : "event_time", outside, record.recordId(),
            records.size() > 1 ? recordJson(record) : null);
      }
      rows.add(switch (record.kind()) {
        case REQUEST -> accepted(format, file, line, deliveryDate, record);
        case INTERACTION -> interaction(format, file, line, deliveryDate, record);
        case METRIC_POINT -> point(format, file, line, deliveryDate, record);
        case DAILY -> daily(format, file, line, deliveryDate, record);
        case SKIPPED, EMPTY -> notUsage(format, file, line, deliveryDate, record);
        case REJECTED -> rejected(format, file, line, deliveryDate, record);
      });
    }
    return rows;
  }

  /** What a rejected record of a batch is stored as when the format gave no text of its own: its id and kind. */
  private static String recordJson(SourceRecord record) {
    return "{\"record\": " + record.index() + ", \"kind\": \"" + record.kind().name().toLowerCase(Locale.ROOT)
        + "\", \"id\": " + (record.recordId() == null ? "null" : "\"" + record.recordId().replace("\"", "'") + "\"")
        + "}";
  }

  /**
   * The refusal row of a file that is bad input as a whole (not text, a JSON document, gzip cut short or
   * not gzip at all); any other failure to read it (the storage) is thrown on, for the run to fail on.
   */
  static Row refusalOrThrow(String file, RuntimeException e) {
    if (e instanceof InputException) {
      return refusal(file, e.getMessage());
    }
    if (e instanceof java.io.UncheckedIOException io && (io.getCause() instanceof java.io.EOFException
        || io.getCause() instanceof java.util.zip.ZipException)) {
      return refusal(file, io.getMessage());
    }
    throw e;
  }

  private static Row refusal(String file, String reason) {
    Object[] values = new Object[SCHEMA.size()];
    values[SCHEMA.fieldIndex("source_file")] = file;
    values[SCHEMA.fieldIndex("refusal")] = reason;
    return RowFactory.create(values);
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /**
   * A file whose first line opens a JSON array, or a lone '{' (a pretty-printed object), is one JSON
   * document, not JSON lines: judging its lines one by one would reject every fragment of every event
   * with a meaningless reason and leave the file's events silently missing from the night's figures.
   * It is refused whole instead, so the delivery is fixed and sent again.
   */
  private static void refuseOneJsonDocument(String file, EventFileLines.Line line) {
    String text = line.text().strip();
    if (text.startsWith("[")) {
      throw new InputException(file + ":" + line.number() + ": the file is a JSON array, not JSON lines (one event "
          + "object per line); convert it, e.g. with jq -c '.[]'");
    }
    if (text.equals("{")) {
      throw new InputException(file + ":" + line.number() + ": the file is one pretty-printed JSON document, not JSON "
          + "lines (one event object per line); convert it, e.g. with jq -c '.'");
    }
  }

  /** The delivery folder's date ({@code .../date=2026-11-23/part-0.jsonl.gz}), or null without one. */
  static Date deliveryDate(String file) {
    Matcher q = Q_DELIVERY_DATE.matcher(file);
    if (q.find() && !DELIVERY_DATE.matcher(file).find()) {
      try {
        return Date.valueOf(LocalDate.of(Integer.parseInt(q.group(1)), Integer.parseInt(q.group(2)),
            Integer.parseInt(q.group(3))));
      } catch (java.time.DateTimeException e) {
        return null;
      }
    }
    Matcher m = DELIVERY_DATE.matcher(file);
    Date found = null;
    while (m.find()) {
      try {
        found = Date.valueOf(LocalDate.parse(m.group(1)));
      } catch (DateTimeParseException e) {
        found = null;
      }
    }
    return found;
  }

  /** A row with only the provenance columns set; the kind's own columns are filled by the caller. */
  private static Object[] base(EventFormat format, String file, EventFileLines.Line line, Date deliveryDate,
      SourceRecord record) {
    Object[] values = new Object[SCHEMA.size()];
    set(values, "source", format.name());
    set(values, "delivery_date", deliveryDate);
    set(values, "source_file", file);
    set(values, "source_line", record.line());
    set(values, "source_unit", line.number());
    set(values, "record_index", record.index());
    set(values, "record_kind", KIND_NAMES.get(record.kind()));
    return values;
  }

  private static void set(Object[] values, String column, Object value) {
    values[POSITIONS.get(column)] = value;
  }

  private static Row accepted(EventFormat format, String file, EventFileLines.Line line, Date deliveryDate,
      SourceRecord record) {
    UsageEvent e = record.event();
    Object[] v = base(format, file, line, deliveryDate, record);
    set(v, "event_id", e.eventId());
    set(v, "event_time", Timestamp.from(e.eventTime()));
    set(v, "event_offset_minutes", e.eventOffsetMinutes());
    set(v, "user_id", e.userId());
    set(v, "tool", e.tool());
    set(v, "operation", e.operation());
    set(v, "input_tokens", e.inputTokens());
    set(v, "output_tokens", e.outputTokens());
    set(v, "model", e.model());
    set(v, "cache_read_tokens", e.cacheReadTokens());
    set(v, "session_id", e.sessionId());
    set(v, "task_type", e.taskType());
    set(v, "trigger", e.trigger());
    set(v, "prompt_fingerprint", e.promptFingerprint());
    set(v, "duration_ms", e.durationMs());
    set(v, "accepted", e.accepted());
    set(v, "lines_accepted", e.linesAccepted());
    set(v, "artifact_id", e.artifactId());
    set(v, "extra_fields", scalaMap(e.extraFields()));
    set(v, "source", e.source());
    set(v, "source_record_id", e.sourceRecordId());
    set(v, "prompt_id", e.promptId());
    set(v, "person_keys", scalaMap(e.personKeys().asColumn()));
    return RowFactory.create(v);
  }

  private static Row interaction(EventFormat format, String file, EventFileLines.Line line, Date deliveryDate,
      SourceRecord record) {
    Interaction i = record.interaction();
    Object[] v = base(format, file, line, deliveryDate, record);
    set(v, "event_id", i.eventId());
    set(v, "event_time", Timestamp.from(i.eventTime()));
    set(v, "interaction_kind", i.kind());
    set(v, "user_id", i.personKeys().preferred());
    set(v, "person_keys", scalaMap(i.personKeys().asColumn()));
    set(v, "tool", i.tool());
    set(v, "session_id", i.sessionId());
    set(v, "prompt_id", i.promptId());
    set(v, "tool_name", i.toolName());
    set(v, "decision", i.decision());
    set(v, "decision_source", i.decisionSource());
    set(v, "success", i.success());
    set(v, "prompt_length", i.promptLength());
    set(v, "model", i.model());
    set(v, "duration_ms", i.durationMs());
    set(v, "extra_fields", scalaMap(i.extraFields()));
    set(v, "source_record_id", record.recordId());
    return RowFactory.create(v);
  }

  private static Row point(EventFormat format, String file, EventFileLines.Line line, Date deliveryDate,
      SourceRecord record) {
    MetricPoint p = record.point();
    Object[] v = base(format, file, line, deliveryDate, record);
    set(v, "event_id", p.pointId());
    set(v, "event_time", Timestamp.from(p.time()));
    set(v, "metric_name", p.metricName());
    set(v, "metric_unit", p.unit());
    set(v, "stream_key", p.streamKey());
    set(v, "temporality", p.temporality());
    set(v, "is_monotonic", p.monotonic());
    set(v, "start_time", p.startTime() == null ? null : Timestamp.from(p.startTime()));
    set(v, "user_id", p.personKeys().preferred());
    set(v, "person_keys", scalaMap(p.personKeys().asColumn()));
    set(v, "tool", p.tool());
    set(v, "session_id", p.sessionId());
    set(v, "model", p.model());
    set(v, "metric_type", p.type());
    set(v, "long_value", p.longValue());
    set(v, "double_value", p.doubleValue());
    set(v, "extra_fields", scalaMap(p.attributes()));
    set(v, "source_record_id", record.recordId());
    return RowFactory.create(v);
  }

  private static Row daily(EventFormat format, String file, EventFileLines.Line line, Date deliveryDate,
      SourceRecord record) {
    DailyRow d = record.daily();
    Object[] v = base(format, file, line, deliveryDate, record);
    set(v, "event_id", record.recordId());
    // The day's start stands for the row's time where a record's time is read (resolving its person that day).
    set(v, "event_time", Timestamp.from(d.day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
    set(v, "user_id", d.personKeys().preferred());
    set(v, "person_keys", scalaMap(d.personKeys().asColumn()));
    set(v, "tool", d.tool());
    set(v, "day", Date.valueOf(d.day()));
    set(v, "active", d.active());
    set(v, "interactions", d.interactions());
    set(v, "suggestions", d.suggestions());
    set(v, "acceptances", d.acceptances());
    set(v, "lines_suggested", d.linesSuggested());
    set(v, "lines_kept", d.linesKept());
    set(v, "input_tokens", d.inputTokens());
    set(v, "output_tokens", d.outputTokens());
    set(v, "extra_fields", scalaMap(d.sourceColumns()));
    set(v, "report_start_day", Date.valueOf(d.reportStartDay()));
    set(v, "report_end_day", Date.valueOf(d.reportEndDay()));
    set(v, "report_generated_at", d.reportGeneratedAt() == null ? null : Timestamp.from(d.reportGeneratedAt()));
    set(v, "source_record_id", record.recordId());
    return RowFactory.create(v);
  }

  /** A record that is not AI usage, or a unit without records: counted in the ledger, not stored. */
  private static Row notUsage(EventFormat format, String file, EventFileLines.Line line, Date deliveryDate,
      SourceRecord record) {
    Object[] v = base(format, file, line, deliveryDate, record);
    set(v, "reject_reason", record.reason());
    return RowFactory.create(v);
  }

  private static scala.collection.immutable.Map<String, String> scalaMap(java.util.Map<String, String> map) {
    return JavaConverters.mapAsScalaMap(map).toMap(scala.Predef.$conforms());
  }

  /** The line as it may be stored: text redacted, NUL bytes shown as U+2400, never failing. */
  private static String rawLine(String text) {
    String shown = text.replace('\u0000', '\u2400');
    try {
      return PromptText.redactLine(shown);
    } catch (RuntimeException | StackOverflowError e) {
      return "[not kept: the line could not be checked for prompt text]";
    }
  }

  private static Row rejected(EventFormat format, String file, EventFileLines.Line line, Date deliveryDate,
      SourceRecord record) {
    Object[] v = base(format, file, line, deliveryDate, record);
    set(v, "event_id", record.recordId());
    String text = record.recordText() != null ? record.recordText() : line.text();
    // A whole batch that is bad as a unit is kept as its beginning only: the rejects table holds evidence
    // to act on, not a copy of every byte delivered.
    set(v, "raw_line", rawLine(text.length() > EventFileLines.MAX_LINE_BYTES
        ? text.substring(0, EventFileLines.KEPT_PREFIX_BYTES) : text));
    set(v, "reject_field", record.field());
    set(v, "reject_reason", record.reason());
    return RowFactory.create(v);
  }
}
