package io.goodhart.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judges one line of a usage-event file against the data contract
 * ({@code docs/contract.md}, section 1). Pure and thread-safe: no IO, no Spark, so the
 * contract's rules are tested line by line and the same code runs inside Spark tasks.
 */
public final class EventLineParser {
  // NaN and Infinity are not JSON, but emitters written in JavaScript or Python do write them; parsing
  // them (and then refusing them) lets the reject name the field that holds one.
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /**
   * The largest count accepted: 2^53 - 1, the largest whole number JSON carries exactly between
   * implementations (RFC 8259, section 6). A larger count may already have been rounded by the emitter's
   * JSON library, and a few of them would overflow the 64-bit sums of the curated tables.
   */
  static final long MAX_COUNT = (1L << 53) - 1;

  static final Set<String> CONTRACT_FIELDS = Set.of(
      "event_id", "event_time", "user_id", "tool", "operation", "input_tokens", "output_tokens",
      "model", "cache_read_tokens", "session_id", "task_type", "trigger", "prompt_fingerprint",
      "duration_ms", "accepted", "lines_accepted", "artifact_id");

  static final Set<String> TRIGGERS = Set.of("interactive", "scheduled", "automation");

  /** Thrown inside parsing to carry the field at fault out to {@link #parse}. */
  private static final class Violation extends Exception {
    final String field;

    Violation(String field, String reason) {
      super(reason, null, false, false);
      this.field = field;
    }
  }

  public LineVerdict parse(String line) {
    if (line.isBlank()) {
      return LineVerdict.rejected(null, "empty line", null);
    }
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      return LineVerdict.rejected(null, "nested deeper than the JSON parser's limit of "
          + com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_DEPTH + " levels", null);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (near column " + e.getLocation().getColumnNr() + ")";
      return LineVerdict.rejected(null, "not valid JSON: " + JsonErrorReason.of(e.getOriginalMessage()) + where, null);
    }
    if (root == null || !root.isObject()) {
      return LineVerdict.rejected(null,
          "expected one JSON object per line, found " + (root == null ? "nothing" : describe(root)), null);
    }
    String eventId = root.path("event_id").isTextual() ? root.get("event_id").asText() : null;
    try {
      return LineVerdict.accepted(toEvent(root));
    } catch (Violation v) {
      return LineVerdict.rejected(v.field, v.getMessage(), eventId);
    }
  }

  private static UsageEvent toEvent(JsonNode root) throws Violation {
    String eventId = requiredString(root, "event_id");
    OffsetDateTime time = requiredTime(root, "event_time");
    String userId = requiredString(root, "user_id");
    String tool = requiredString(root, "tool").toLowerCase(Locale.ROOT);
    String operation = requiredString(root, "operation").toLowerCase(Locale.ROOT);
    long input = requiredCount(root, "input_tokens");
    long output = requiredCount(root, "output_tokens");
    String trigger = optionalString(root, "trigger");
    trigger = trigger == null ? "interactive" : trigger.toLowerCase(Locale.ROOT);
    if (!TRIGGERS.contains(trigger)) {
      throw new Violation("trigger", "must be one of interactive, scheduled, automation; found \"" + trigger + "\"");
    }
    String taskType = optionalString(root, "task_type");
    Map<String, String> extra = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!CONTRACT_FIELDS.contains(field.getKey())) {
        refuseNonNumbers(field.getValue(), field.getKey());
        extra.put(field.getKey(), PromptText.storedValue(field.getKey(), field.getValue()));
      }
    }
    return new UsageEvent(
        eventId,
        time.toInstant(),
        time.getOffset().getTotalSeconds() / 60,
        userId,
        tool,
        operation,
        input,
        output,
        optionalString(root, "model"),
        optionalCount(root, "cache_read_tokens"),
        optionalString(root, "session_id"),
        taskType == null ? null : taskType.toLowerCase(Locale.ROOT),
        trigger,
        optionalString(root, "prompt_fingerprint"),
        optionalCount(root, "duration_ms"),
        optionalBoolean(root, "accepted"),
        optionalCount(root, "lines_accepted"),
        optionalString(root, "artifact_id"),
        extra);
  }

  private static JsonNode required(JsonNode root, String field) throws Violation {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new Violation(field, "required field is missing" + (node == null ? "" : " (null)"));
    }
    return node;
  }

  private static String requiredString(JsonNode root, String field) throws Violation {
    String value = asString(required(root, field), field);
    if (value.isBlank()) {
      throw new Violation(field, "required field is empty");
    }
    return value;
  }

  private static String optionalString(JsonNode root, String field) throws Violation {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : asString(node, field);
  }

  private static String asString(JsonNode node, String field) throws Violation {
    if (!node.isTextual()) {
      throw new Violation(field, "must be a JSON string, found " + describe(node));
    }
    return node.asText();
  }

  private static long requiredCount(JsonNode root, String field) throws Violation {
    return asCount(required(root, field), field);
  }

  private static Long optionalCount(JsonNode root, String field) throws Violation {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : asCount(node, field);
  }

  private static long asCount(JsonNode node, String field) throws Violation {
    if (!node.isIntegralNumber()) {
      throw new Violation(field, "must be a whole JSON number >= 0, found " + describe(node));
    }
    if (node.bigIntegerValue().signum() < 0) {
      throw new Violation(field, "must be >= 0, found " + node.asText());
    }
    if (!node.canConvertToLong() || node.longValue() > MAX_COUNT) {
      throw new Violation(field, "out of range: " + node.asText() + " is above " + MAX_COUNT
          + " (2^53 - 1, the largest whole number JSON carries exactly)");
    }
    return node.longValue();
  }

  /**
   * NaN or Infinity anywhere in a kept field would store text that is not JSON in extra_fields; found with
   * an explicit stack, as a line may nest deeply.
   */
  private static void refuseNonNumbers(JsonNode value, String field) throws Violation {
    java.util.Deque<JsonNode> pending = new java.util.ArrayDeque<>();
    pending.push(value);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
        throw new Violation(field, "must be valid JSON, found " + describe(node));
      }
      node.forEach(pending::push);
    }
  }

  private static Boolean optionalBoolean(JsonNode root, String field) throws Violation {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw new Violation(field, "must be true or false, found " + describe(node));
    }
    return node.booleanValue();
  }

  private static OffsetDateTime requiredTime(JsonNode root, String field) throws Violation {
    String text = asString(required(root, field), field);
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new Violation(field, "not an ISO-8601 time with offset (like 2026-11-23T09:14:03.120Z): \"" + text + "\"");
    }
  }

  private static String describe(JsonNode node) {
    String kind = switch (node.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case ARRAY -> "array";
      case OBJECT -> "object";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
    if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
      return node.asText() + " (not a JSON number)";
    }
    String text = PromptText.redactLine(PromptText.writeJson(node));
    return kind + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}
