package io.goodhart.ingest;

import io.goodhart.lake.InputException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
      field("raw_line", DataTypes.StringType),
      field("reject_field", DataTypes.StringType),
      field("reject_reason", DataTypes.StringType),
      field("refusal", DataTypes.StringType)});

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  private final HadoopSettings hadoop;
  private final LocalDate runDate;
  private final int maxEventAgeDays;
  private transient EventLineParser parser;

  /** Files outside a delivery folder have their event times judged against {@code runDate}. */
  ParsedLines(HadoopSettings hadoop, LocalDate runDate, int maxEventAgeDays) {
    this.hadoop = hadoop;
    this.runDate = runDate;
    this.maxEventAgeDays = maxEventAgeDays;
  }

  @Override
  public Iterator<Row> call(String file) {
    if (parser == null) {
      parser = new EventLineParser();
    }
    Date deliveryDate = deliveryDate(file);
    EventTimeWindow window = deliveryDate == null
        ? new EventTimeWindow(runDate, false, maxEventAgeDays)
        : new EventTimeWindow(deliveryDate.toLocalDate(), true, maxEventAgeDays);
    EventFileLines opened;
    try {
      opened = new EventFileLines(file, hadoop.toConfiguration());
    } catch (RuntimeException e) {
      return java.util.List.of(refusalOrThrow(file, e)).iterator();
    }
    EventFileLines lines = opened;
    // A file that is not JSON lines as a whole comes back as one refusal row rather than as a failed task:
    // the driver refuses the delivery with that row's one line, and Spark logs no task failure for it.
    return new Iterator<>() {
      private boolean sawText;
      private Row refusal;
      private boolean finished;

      @Override
      public boolean hasNext() {
        if (finished) {
          return false;
        }
        if (refusal != null) {
          return true;
        }
        try {
          return lines.hasNext();
        } catch (RuntimeException e) {
          refusal = refusalOrThrow(file, e);
          return true;
        }
      }

      @Override
      public Row next() {
        if (refusal != null) {
          finished = true;
          return refusal;
        }
        EventFileLines.Line line = lines.next();
        if (!sawText && !line.text().isBlank()) {
          sawText = true;
          try {
            refuseOneJsonDocument(file, line);
          } catch (InputException e) {
            lines.close();
            finished = true;
            return refusal(file, e.getMessage());
          }
        }
        try {
          return judge(file, line, deliveryDate, window);
        } catch (OutOfMemoryError e) {
          throw e;
        } catch (Throwable e) {
          // Nothing a line holds may stop the ingest (a StackOverflowError escaping a task kills a local
          // Spark's JVM before goodhart could say which line): whatever goes wrong judging it rejects it.
          return rejected(file, line, deliveryDate, LineVerdict.rejected(null, "goodhart could not judge this line ("
              + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
              + "); it is kept here for a bug report", null));
        }
      }
    };
  }

  private Row judge(String file, EventFileLines.Line line, Date deliveryDate, EventTimeWindow window) {
    if (line.onlyNul()) {
      return rejected(file, line, deliveryDate, LineVerdict.rejected(null, String.format(Locale.ROOT,
          "the file ends with %,d NUL byte(s) after its last line: a zero-filled tail, as a writer that stopped "
              + "mid-write leaves (the lines before it are read)", line.bytes()), null));
    }
    if (line.hasNul()) {
      return rejected(file, line, deliveryDate, LineVerdict.rejected(null, String.format(Locale.ROOT,
          "a NUL byte at byte %,d of the line: NUL never occurs in UTF-8 JSON text (shown as \u2400 in raw_line)",
          line.nulAt() + 1), null));
    }
    if (line.tooLong()) {
      return rejected(file, line, deliveryDate, LineVerdict.rejected(null, String.format(Locale.ROOT,
          "line is %,d bytes, over the %,d-byte limit for one event (raw_line keeps its first %,d bytes)",
          line.bytes(), EventFileLines.MAX_LINE_BYTES, EventFileLines.KEPT_PREFIX_BYTES), null));
    }
    if (!line.validUtf8()) {
      return rejected(file, line, deliveryDate, LineVerdict.rejected(null, String.format(Locale.ROOT,
          "not valid UTF-8: byte %d of the line is 0x%02X (invalid bytes shown as U+FFFD in raw_line)",
          line.invalidUtf8At() + 1, line.invalidByte()), null));
    }
    LineVerdict verdict = parser.parse(line.text());
    if (verdict.isAccepted()) {
      String outside = window.problemWith(verdict.event().eventTime());
      if (outside != null) {
        verdict = LineVerdict.rejected("event_time", outside, verdict.eventId());
      }
    }
    return verdict.isAccepted()
        ? accepted(file, line.number(), deliveryDate, verdict.event())
        : rejected(file, line, deliveryDate, verdict);
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

  private static Row accepted(String file, long lineNumber, Date deliveryDate, UsageEvent e) {
    return RowFactory.create(
        e.eventId(), Timestamp.from(e.eventTime()), e.eventOffsetMinutes(), e.userId(), e.tool(),
        e.operation(), e.inputTokens(), e.outputTokens(), e.model(), e.cacheReadTokens(), e.sessionId(),
        e.taskType(), e.trigger(), e.promptFingerprint(), e.durationMs(), e.accepted(), e.linesAccepted(),
        e.artifactId(), scalaMap(e.extraFields()), e.source(), e.sourceRecordId(), e.promptId(),
        scalaMap(e.personKeys().asColumn()), deliveryDate, file, lineNumber, null, null, null, null);
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

  private static Row rejected(String file, EventFileLines.Line line, Date deliveryDate, LineVerdict v) {
    List<Object> values = new ArrayList<>(SCHEMA.size());
    values.add(v.eventId());
    for (int i = 1; i < SCHEMA.size(); i++) {
      values.add(null);
    }
    values.set(SCHEMA.fieldIndex("delivery_date"), deliveryDate);
    values.set(SCHEMA.fieldIndex("source_file"), file);
    values.set(SCHEMA.fieldIndex("source_line"), line.number());
    values.set(SCHEMA.fieldIndex("raw_line"), rawLine(line.text()));
    values.set(SCHEMA.fieldIndex("reject_field"), v.field());
    values.set(SCHEMA.fieldIndex("reject_reason"), v.reason());
    return RowFactory.create(values.toArray());
  }
}
