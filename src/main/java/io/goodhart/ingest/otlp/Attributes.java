package io.goodhart.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goodhart.ingest.PromptText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An OTLP attribute list ({@code [{"key": ..., "value": {"stringValue" | "intValue" | "doubleValue" |
 * "boolValue" | "arrayValue" | "kvlistValue" | "bytesValue": ...}}]}) as plain JSON values by name, with the
 * typed reads the adapters need. Values arrive loosely typed: int64 as a JSON string ({@code "intValue": "123"}),
 * and Claude Code sends most of its numbers as strings ({@code "input_tokens": "4"}); a count is accepted in
 * any of these forms, as long as it is a whole number {@code >= 0}.
 */
final class Attributes {
  /**
   * The largest count accepted: 2^53 - 1, the largest whole number JSON carries exactly between
   * implementations, as for the native contract (docs/contract.md, section 1).
   */
  static final long MAX_COUNT = (1L << 53) - 1;

  /** Times outside these are a broken clock or a unit mistake (micro- or milliseconds), not an event. */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  static final Attributes NONE = new Attributes("attributes", Map.of());

  private final String prefix;
  private final Map<String, JsonNode> values;
  /** The texts attributes are stored as, by name, each worked out once ({@link #storedText}). */
  private Map<String, String> storedTexts;

  private Attributes(String prefix, Map<String, JsonNode> values) {
    this.prefix = prefix;
    this.values = values;
  }

  /** The attribute list {@code list} (absent or null: none), its fields named {@code prefix.key}. */
  static Attributes of(JsonNode list, String prefix) throws RecordViolation {
    if (list == null || list.isNull()) {
      return new Attributes(prefix, Map.of());
    }
    if (!list.isArray()) {
      throw new RecordViolation(prefix, "must be a list of {key, value}, found " + describe(list));
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    for (JsonNode entry : list) {
      JsonNode key = entry.get("key");
      if (!entry.isObject() || key == null || !key.isTextual()) {
        throw new RecordViolation(prefix, "an attribute must be {\"key\": name, \"value\": ...}, found " + describe(entry));
      }
      String name = key.asText();
      if (values.containsKey(name)) {
        throw new RecordViolation(prefix + "." + name, "the attribute appears twice");
      }
      values.put(name, anyValue(entry.get("value"), prefix + "." + name));
    }
    return new Attributes(prefix, Collections.unmodifiableMap(values));
  }

  /**
   * An OTLP AnyValue as plain JSON: strings, numbers (an int64 string becomes a number), booleans, arrays and
   * objects ({@code kvlistValue}); an empty AnyValue is null.
   */
  static JsonNode anyValue(JsonNode value, String field) throws RecordViolation {
    if (value == null || value.isNull() || value.isObject() && value.isEmpty()) {
      return NullNode.getInstance();
    }
    if (!value.isObject() || value.size() != 1) {
      throw new RecordViolation(field, "must be an AnyValue (one of stringValue, intValue, doubleValue, boolValue, "
          + "arrayValue, kvlistValue, bytesValue), found " + describe(value));
    }
    String kind = value.fieldNames().next();
    JsonNode v = value.get(kind);
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (kind) {
      case "stringValue", "bytesValue" -> {
        if (v.isTextual()) {
          return v;
        }
      }
      case "intValue" -> {
        if (v.isIntegralNumber()) {
          return v;
        }
        if (v.isTextual() && isWholeNumber(v.asText())) {
          return nodes.numberNode(new BigInteger(v.asText()));
        }
      }
      case "doubleValue" -> {
        if (v.isNumber()) {
          return v;
        }
        if (v.isTextual()) {
          // proto3 JSON writes NaN and the infinities as strings; kept as text, as JSON has no such numbers
          return DECIMAL.matcher(v.asText()).matches() ? nodes.numberNode(new BigDecimal(v.asText())) : v;
        }
      }
      case "boolValue" -> {
        if (v.isBoolean()) {
          return v;
        }
      }
      case "arrayValue" -> {
        JsonNode items = v.path("values");
        if (v.isObject() && (items.isArray() || items.isMissingNode())) {
          ArrayNode out = nodes.arrayNode();
          for (int i = 0; i < items.size(); i++) {
            out.add(anyValue(items.get(i), field + "[" + i + "]"));
          }
          return out;
        }
      }
      case "kvlistValue" -> {
        JsonNode items = v.path("values");
        if (v.isObject() && (items.isArray() || items.isMissingNode())) {
          ObjectNode out = nodes.objectNode();
          for (Map.Entry<String, JsonNode> e : of(items, field).values.entrySet()) {
            out.set(e.getKey(), e.getValue());
          }
          return out;
        }
      }
      default -> throw new RecordViolation(field, "unknown AnyValue kind \"" + kind + "\"");
    }
    throw new RecordViolation(field, kind + " holds " + describe(v));
  }

  boolean has(String name) {
    JsonNode v = values.get(name);
    return v != null && !v.isNull();
  }

  JsonNode get(String name) {
    return values.get(name);
  }

  Map<String, JsonNode> all() {
    return values;
  }

  /**
   * The JSON text the attribute is stored as ({@link Kept#stored}), worked out once per name: a resource's
   * attributes are kept with every record under it.
   */
  String storedText(String name) {
    if (storedTexts == null) {
      storedTexts = new HashMap<>();
    }
    return storedTexts.computeIfAbsent(name, n -> Kept.stored(n, values.get(n)));
  }

  String field(String name) {
    return prefix + "." + name;
  }

  /** A string attribute (a number or boolean is taken as its text); null when absent. */
  String string(String name) throws RecordViolation {
    JsonNode v = values.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new RecordViolation(field(name), "must be a string, found " + describe(v));
    }
    return v.asText();
  }

  /** A count: a whole number {@code >= 0}, as a number or a decimal string; null when absent. */
  Long count(String name) throws RecordViolation {
    JsonNode v = values.get(name);
    return v == null || v.isNull() ? null : count(v, field(name));
  }

  static long count(JsonNode v, String field) throws RecordViolation {
    BigInteger whole;
    if (v.isIntegralNumber()) {
      whole = v.bigIntegerValue();
    } else if (v.isNumber() && isWhole(v.decimalValue())) {
      whole = v.decimalValue().toBigIntegerExact();
    } else if (v.isTextual() && isWholeNumber(v.asText())) {
      whole = new BigInteger(v.asText());
    } else {
      throw new RecordViolation(field, "must be a whole number >= 0 (a number or a decimal string), found " + describe(v));
    }
    if (whole.signum() < 0) {
      throw new RecordViolation(field, "must be >= 0, found " + whole);
    }
    if (whole.compareTo(BigInteger.valueOf(MAX_COUNT)) > 0) {
      throw new RecordViolation(field, "out of range: " + whole + " is above " + MAX_COUNT
          + " (2^53 - 1, the largest whole number JSON carries exactly)");
    }
    return whole.longValueExact();
  }

  /** A non-negative decimal (a cost), as a number or a decimal string; null when absent. */
  BigDecimal amount(String name) throws RecordViolation {
    JsonNode v = values.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    BigDecimal amount;
    if (v.isNumber() && !(v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue()))) {
      amount = v.decimalValue();
    } else if (v.isTextual() && DECIMAL.matcher(v.asText()).matches()) {
      amount = new BigDecimal(v.asText());
    } else {
      throw new RecordViolation(field(name), "must be a number >= 0 (a number or a decimal string), found " + describe(v));
    }
    if (amount.signum() < 0) {
      throw new RecordViolation(field(name), "must be >= 0, found " + amount.toPlainString());
    }
    return amount;
  }

  /** A boolean, as a JSON boolean or the string {@code true}/{@code false}; null when absent. */
  Boolean bool(String name) throws RecordViolation {
    JsonNode v = values.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
      return Boolean.valueOf(v.asText());
    }
    throw new RecordViolation(field(name), "must be true or false, found " + describe(v));
  }

  /** An ISO 8601 time with an offset ({@code 2026-01-16T09:56:57.572Z}); null when absent. */
  Instant isoTime(String name) throws RecordViolation {
    String text = string(name);
    if (text == null) {
      return null;
    }
    Instant utc = utcTime(text);
    if (utc != null) {
      return sane(utc, field(name));
    }
    try {
      return sane(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(), field(name));
    } catch (DateTimeParseException e) {
      throw new RecordViolation(field(name), "not an ISO-8601 time with offset (like 2026-01-16T09:56:57.572Z): "
          + describe(values.get(name)));
    }
  }

  /**
   * The time of {@code yyyy-MM-ddTHH:mm:ss[.f]Z}, the form senders write (fraction of 1 to 9 digits, a valid
   * date and time), read directly: the general ISO parser gives the same instant, but resolves it field by
   * field for every record. Null for text of any other form, or not a valid time, which is left to that parser.
   */
  static Instant utcTime(String text) {
    int length = text.length();
    if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (length > 20) {
      int fractionDigits = length - 21;
      if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
        return null;
      }
      nanos = digits(text, 20, length - 1);
      if (nanos < 0) {
        return null;
      }
      for (int i = fractionDigits; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
  }

  /** The number the ASCII digits {@code text[from, to)} spell, or -1 when another character is among them. */
  private static int digits(String text, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** Whether the text is a whole number in decimal digits, as {@code -?[0-9]+} matches it. */
  static boolean isWholeNumber(String text) {
    int start = text.startsWith("-") ? 1 : 0;
    if (text.length() == start) {
      return false;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** A time in nanoseconds since the epoch (a number or a decimal string); null when absent or 0 (unset in OTLP). */
  static Instant nanos(JsonNode v, String field) throws RecordViolation {
    Long n = nanosValue(v, field);
    return n == null ? null : sane(Instant.ofEpochSecond(0, n), field);
  }

  /** The raw nanoseconds of a time field, null when absent or 0. */
  static Long nanosValue(JsonNode v, String field) throws RecordViolation {
    if (v == null || v.isNull()) {
      return null;
    }
    BigInteger n;
    if (v.isIntegralNumber()) {
      n = v.bigIntegerValue();
    } else if (v.isTextual() && isWholeNumber(v.asText())) {
      n = new BigInteger(v.asText());
    } else {
      throw new RecordViolation(field, "must be nanoseconds since 1970 (a whole number or a decimal string), found "
          + describe(v));
    }
    if (n.signum() < 0 || n.bitLength() > 63) {
      throw new RecordViolation(field, "not a time: " + n + " nanoseconds since 1970");
    }
    return n.signum() == 0 ? null : n.longValueExact();
  }

  static Instant sane(Instant time, String field) throws RecordViolation {
    if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
      throw new RecordViolation(field, "not a plausible time: " + time + " (accepted: from " + EARLIEST + " to before "
          + LATEST + ")");
    }
    return time;
  }

  private static boolean isWhole(BigDecimal d) {
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }

  /** A short description of a value for a reject reason: its type and at most 60 characters of it, prompt text removed. */
  static String describe(JsonNode node) {
    String kind = switch (node.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case ARRAY -> "array";
      case OBJECT -> "object";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
    String text = PromptText.storedValue("value", node.deepCopy());
    return kind + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}
