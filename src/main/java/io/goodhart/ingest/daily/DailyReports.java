package io.goodhart.ingest.daily;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.goodhart.ingest.DailyRow;
import io.goodhart.ingest.EventFormat;
import io.goodhart.ingest.EventFormats;
import io.goodhart.ingest.PromptText;
import io.goodhart.ingest.SourceRecord;
import io.goodhart.lake.InputException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the three daily per-user report formats share: counts read strictly (whole numbers from 0 to 2^53 - 1),
 * a row's own fields kept as text, the report's coverage set on every row once the whole file is read, and the
 * refusal of a file that is another format as a whole, naming what it looks like.
 */
final class DailyReports {
  /** 2^53 - 1, the largest count the contract accepts (as for the other formats). */
  static final long MAX_COUNT = (1L << 53) - 1;
  /** A report is held whole in one Spark task; a day of a large organisation is a few MiB. */
  static final int MAX_REPORT_BYTES = 256 << 20;

  static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .build();

  private DailyReports() {}

  /** A row of a report that breaks its format: the field at fault (null for the row as a whole) and why. */
  static final class Violation extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;

    Violation(String field, String reason) {
      super(reason, null, false, false);
      this.field = field;
    }
  }

  /** A row read, or the violation that rejects it, with its 1-based line and its text. */
  record Read(long line, String text, DailyRow row, Violation violation) {}

  /**
   * The records of a report: every row read, with the coverage of the report (from {@code start} to {@code end},
   * or when null the first and last day of its rows) and its generation time set on each row that does not
   * carry a coverage of its own.
   */
  static List<SourceRecord> records(String source, List<Read> read, LocalDate start, LocalDate end,
      Instant generatedAt) {
    LocalDate first = start;
    LocalDate last = end;
    for (Read r : read) {
      if (r.row() != null) {
        first = start != null ? first : first == null || r.row().day().isBefore(first) ? r.row().day() : first;
        last = end != null ? last : last == null || r.row().day().isAfter(last) ? r.row().day() : last;
      }
    }
    List<SourceRecord> out = new ArrayList<>(read.size());
    for (int i = 0; i < read.size(); i++) {
      Read r = read.get(i);
      out.add(r.row() != null
          ? SourceRecord.daily(i, r.line(), source, r.row().reportEndDay() != null ? r.row()
              : r.row().coveredBy(first, last, generatedAt))
          : SourceRecord.rejected(i, r.line(), r.violation().field, r.violation().getMessage(), null,
              PromptText.redactLine(r.text())));
    }
    return out;
  }

  /**
   * Refuses a file that is not of {@code format} as a whole ({@link InputException}, which refuses the input),
   * saying which known format it looks like, or how it starts.
   */
  static InputException refusal(EventFormat format, String what, String text) {
    String head = text.length() > 65_536 ? text.substring(0, 65_536) : text;
    EventFormats.Detection other = EventFormats.standard().detect(head.stripLeading(), "");
    String looks = other != null && !other.format().name().equals(format.name())
        ? "it looks like " + other.format().name() + " (" + other.format().sniffRule() + ")"
        : "it starts with " + quoted(head.strip());
    return new InputException("not " + what + ": " + looks + "; name its format with --format, or use --format auto");
  }

  private static String quoted(String text) {
    String first = text.lines().findFirst().orElse("");
    return "\"" + (first.length() > 60 ? first.substring(0, 60) + "..." : first) + "\"";
  }

  /** A count: a whole number from 0 to 2^53 - 1; null when absent, empty or JSON null. */
  static Long count(String field, String text) throws Violation {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    if (!t.matches("-?[0-9]{1,19}")) {
      throw new Violation(field, "must be a whole number >= 0, found " + quoted(t));
    }
    long value;
    try {
      value = Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new Violation(field, "out of range: " + t + " is above " + MAX_COUNT);
    }
    if (value < 0) {
      throw new Violation(field, "must be >= 0, found " + t);
    }
    if (value > MAX_COUNT) {
      throw new Violation(field, "out of range: " + t + " is above " + MAX_COUNT);
    }
    return value;
  }

  /** A count of a JSON field; null when absent or null. */
  static Long count(JsonNode object, String name, String at) throws Violation {
    JsonNode node = object.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber()) {
      throw new Violation(at + name, "must be a whole JSON number >= 0, found " + describe(node));
    }
    return count(at + name, node.asText());
  }

  /** The sum of the counts present; null when none is. */
  static Long sum(Long... counts) {
    Long total = null;
    for (Long c : counts) {
      if (c != null) {
        total = total == null ? c : total + c;
      }
    }
    return total;
  }

  static boolean positive(Long count) {
    return count != null && count > 0;
  }

  /** Every field of a JSON object, name -> text: strings as they are, other values as JSON text. */
  static Map<String, String> fields(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      out.put(f.getKey(), f.getValue().isTextual() ? f.getValue().asText() : compact(f.getValue()));
    }
    return out;
  }

  static String compact(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON value always serialises", e);
    }
  }

  static String describe(JsonNode node) {
    String text = compact(node);
    return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + (text.length() > 60 ? text.substring(0, 60)
        + "..." : text);
  }

  /** A JSON string field; null when absent or null. */
  static String string(JsonNode object, String name, String at) throws Violation {
    JsonNode node = object.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new Violation(at + name, "must be a JSON string, found " + describe(node));
    }
    return node.asText();
  }
}
