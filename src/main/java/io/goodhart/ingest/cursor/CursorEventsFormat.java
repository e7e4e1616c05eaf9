package io.goodhart.ingest.cursor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.goodhart.ingest.EventFormat;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.PromptText;
import io.goodhart.ingest.SourceRecord;
import io.goodhart.ingest.UsageEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cursor's Admin API usage events: a file is one response of {@code POST
 * https://api.cursor.com/teams/filtered-usage-events} (one page), a JSON document with {@code usageEvents[]},
 * {@code totalUsageEventsCount}, {@code pagination} and {@code period}, usually pretty-printed over many
 * lines. Each usage event is one request ({@code docs/contract.md}, section 5.2): tool {@code cursor},
 * operation {@code chat}, the person its {@code userEmail}, the time its {@code timestamp} in epoch
 * milliseconds (UTC, no offset). Cursor counts cached input apart, as Anthropic does, so the contract's
 * {@code input_tokens} is {@code inputTokens + cacheReadTokens + cacheWriteTokens}. A call that is not token
 * based ({@code isTokenBasedCall} false) has no {@code tokenUsage}: it is a request with no tokens.
 *
 * <p>A Cursor event has no id, so the event id is made of its fields ({@link #eventId}); identical events of
 * one page (same person, millisecond, model, kind, tokens and cost) are told apart by their order in it.
 */
public final class CursorEventsFormat implements EventFormat {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "cursor-events";
  public static final String TOOL = "cursor";
  public static final String OPERATION = "chat";

  /**
   * A page is held whole in one Spark task. A page of the API's usual sizes (hundreds of events, about
   * 400 bytes each pretty-printed) is well under 1 MiB; 256 MiB admits a whole month of a large team saved
   * as one response, while keeping one file within what a task's memory holds comfortably.
   */
  static final int MAX_PAGE_BYTES = 256 << 20;

  /** 2^53 - 1, the largest count the contract accepts (see EventLineParser.MAX_COUNT). */
  static final long MAX_COUNT = (1L << 53) - 1;

  /** Fields of a usage event that the mapping reads; every other one is kept in extra_fields. */
  private static final Set<String> MAPPED = Set.of("timestamp", "model", "userEmail", "tokenUsage");
  private static final Set<String> TOKEN_FIELDS =
      Set.of("inputTokens", "outputTokens", "cacheWriteTokens", "cacheReadTokens", "totalCents");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,16}");

  // Decimals kept as written (totalCents is part of the event id); duplicate names refused, as the
  // native format does, since either value could be the one the vendor meant.
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isEventFile(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return name.endsWith(".json") || name.endsWith(".json.gz");
  }

  @Override
  public String fileNames() {
    return "*.json or *.json.gz";
  }

  @Override
  public boolean wholeFile() {
    return true;
  }

  @Override
  public int maxUnitBytes() {
    return MAX_PAGE_BYTES;
  }

  /** A JSON object with a {@code "usageEvents"} member among its first bytes. */
  @Override
  public boolean sniff(String firstUnitPrefix) {
    String text = firstUnitPrefix.strip();
    return text.startsWith("{") && text.contains("\"usageEvents\"");
  }

  @Override
  public String sniffRule() {
    return "a JSON object with \"usageEvents\" (a Cursor filtered-usage-events page)";
  }

  /** Thrown inside the mapping of one event to carry the field at fault out to {@link #read}. */
  private static final class Violation extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;

    Violation(String field, String reason) {
      super(reason, null, false, false);
      this.field = field;
    }
  }

  /** One usage event of the page: its JSON and the line its object starts on in the document. */
  private record PageEvent(JsonNode json, int lineInDocument) {}

  @Override
  public List<SourceRecord> read(String unit, long line) {
    List<PageEvent> events;
    try {
      events = pageEvents(unit);
    } catch (Violation v) {
      return List.of(SourceRecord.rejected(0, line, v.field, v.getMessage(), null));
    }
    if (events.isEmpty()) {
      return List.of(SourceRecord.empty(line, "the page's usageEvents is empty"));
    }
    List<SourceRecord> out = new ArrayList<>(events.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      PageEvent event = events.get(i);
      long recordLine = line + event.lineInDocument() - 1;
      try {
        out.add(SourceRecord.request(i, recordLine, toEvent(event.json(), i, seen)));
      } catch (Violation v) {
        out.add(SourceRecord.rejected(i, recordLine, v.field, v.getMessage(), null,
            PromptText.redactLine(compact(event.json()))));
      }
    }
    return out;
  }

  /**
   * The usage events of a page, read with a streaming parser so each one's starting line is known. A
   * document that is not JSON, or not a filtered-usage-events response, is a violation of the page as a
   * whole.
   */
  private static List<PageEvent> pageEvents(String unit) throws Violation {
    List<PageEvent> events = null;
    try (JsonParser parser = JSON.createParser(unit)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new Violation(null, "empty file: expected a Cursor filtered-usage-events response");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new Violation(null, "expected a JSON object (a Cursor filtered-usage-events response), found "
            + describe(parser.readValueAsTree()));
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!field.equals("usageEvents")) {
          parser.skipChildren();
          continue;
        }
        if (value != JsonToken.START_ARRAY) {
          throw new Violation("usageEvents", "must be a JSON array, found " + describe(parser.readValueAsTree()));
        }
        events = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          int startLine = parser.currentTokenLocation().getLineNr();
          events.add(new PageEvent(parser.readValueAsTree(), startLine));
        }
      }
      if (parser.nextToken() != null) {
        throw new Violation(null, "not valid JSON: more content after the response object (line "
            + parser.currentTokenLocation().getLineNr() + ")");
      }
    } catch (StreamConstraintsException e) {
      throw new Violation(null, "beyond the JSON parser's limits: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")";
      throw new Violation(null, "not valid JSON: " + e.getOriginalMessage() + where);
    } catch (IOException e) {
      throw new Violation(null, "unreadable: " + e.getMessage());
    }
    if (events == null) {
      throw new Violation("usageEvents",
          "missing: the file is a JSON object but not a Cursor filtered-usage-events response");
    }
    return events;
  }

  private static UsageEvent toEvent(JsonNode json, int index, Map<String, Integer> seen) throws Violation {
    String at = "usageEvents[" + index + "]";
    if (!json.isObject()) {
      throw new Violation(at, "must be a JSON object, found " + describe(json));
    }
    long millis = timestamp(json.get("timestamp"), at + ".timestamp");
    String email = string(json.get("userEmail"), at + ".userEmail");
    if (email == null || email.isBlank()) {
      throw new Violation(at + ".userEmail", "required field is missing: the person of the request");
    }
    String model = string(json.get("model"), at + ".model");
    JsonNode usage = json.get("tokenUsage");
    boolean hasUsage = usage != null && !usage.isNull();
    JsonNode tokenBased = json.get("isTokenBasedCall");
    if (!hasUsage && tokenBased != null && tokenBased.isBoolean() && tokenBased.booleanValue()) {
      throw new Violation(at + ".tokenUsage", "required field is missing (isTokenBasedCall is true)");
    }
    if (hasUsage && !usage.isObject()) {
      throw new Violation(at + ".tokenUsage", "must be a JSON object, found " + describe(usage));
    }
    long input = hasUsage ? count(usage, "inputTokens", at, true) : 0;
    long output = hasUsage ? count(usage, "outputTokens", at, true) : 0;
    long cacheWrite = hasUsage ? count(usage, "cacheWriteTokens", at, false) : 0;
    long cacheRead = hasUsage ? count(usage, "cacheReadTokens", at, false) : 0;
    long allInput = input + cacheRead + cacheWrite;
    if (allInput > MAX_COUNT) {
      throw new Violation(at + ".tokenUsage", "out of range: inputTokens + cacheReadTokens + cacheWriteTokens = "
          + allInput + " is above " + MAX_COUNT);
    }
    JsonNode cents = hasUsage ? usage.get("totalCents") : null;
    if (cents != null && !cents.isNull() && !cents.isNumber()) {
      throw new Violation(at + ".tokenUsage.totalCents", "must be a JSON number, found " + describe(cents));
    }

    Map<String, String> extra = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!MAPPED.contains(field.getKey())) {
        extra.put(field.getKey(), PromptText.storedValue(field.getKey(), field.getValue()));
      }
    }
    if (hasUsage) {
      extra.put("cursor_input_tokens", Long.toString(input));
      extra.put("cacheWriteTokens", Long.toString(cacheWrite));
      if (cents != null) {
        extra.put("totalCents", compact(cents));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = usage.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!TOKEN_FIELDS.contains(field.getKey())) {
          extra.put("tokenUsage." + field.getKey(), PromptText.storedValue(field.getKey(), field.getValue()));
        }
      }
    }

    String base = eventId(email, millis, model, json.get("kind"), json.get("maxMode"),
        hasUsage ? new long[] {input, output, cacheWrite, cacheRead} : null, cents);
    int before = seen.merge(base, 1, Integer::sum) - 1;
    String id = before == 0 ? base : base + "#" + before;
    PersonKeys keys = new PersonKeys(Map.of(PersonKeys.Type.EMAIL, email));
    return new UsageEvent(id, Instant.ofEpochMilli(millis), null, keys.preferred(), TOOL, OPERATION,
        allInput, output, model, hasUsage ? cacheRead : null, null, null, "interactive", null, null, null,
        null, null, extra, NAME, id, null, keys);
  }

  /**
   * {@code cursor:} and the first 32 hex digits of the SHA-256 of the fields that describe the event:
   * userEmail, timestamp (epoch ms), model, kind, maxMode, the four token counts and totalCents, each
   * followed by a unit separator (U+001F); an absent field is empty. A re-delivered page gives the same
   * ids. {@code #n} is added by the caller for the n-th repeat of identical fields in one page.
   */
  static String eventId(String email, long millis, String model, JsonNode kind, JsonNode maxMode, long[] tokens,
      JsonNode totalCents) {
    StringBuilder key = new StringBuilder(160);
    key.append(email).append('\u001f').append(millis).append('\u001f');
    key.append(model == null ? "" : model).append('\u001f');
    key.append(kind == null ? "" : compact(kind)).append('\u001f');
    key.append(maxMode == null ? "" : compact(maxMode)).append('\u001f');
    for (int i = 0; i < 4; i++) {
      key.append(tokens == null ? "" : Long.toString(tokens[i])).append('\u001f');
    }
    key.append(totalCents == null ? "" : compact(totalCents)).append('\u001f');
    return "cursor:" + HexFormat.of().formatHex(sha256(key.toString())).substring(0, 32);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Epoch milliseconds, as Cursor writes them (a string of digits) or as a whole JSON number. */
  private static long timestamp(JsonNode node, String field) throws Violation {
    if (node == null || node.isNull()) {
      throw new Violation(field, "required field is missing");
    }
    if (node.isTextual() && DIGITS.matcher(node.asText()).matches()) {
      return Long.parseLong(node.asText());
    }
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0
        && node.longValue() <= MAX_COUNT) {
      return node.longValue();
    }
    throw new Violation(field, "must be epoch milliseconds (digits, as a string or a number), found "
        + describe(node));
  }

  private static String string(JsonNode node, String field) throws Violation {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new Violation(field, "must be a JSON string, found " + describe(node));
    }
    return node.asText();
  }

  private static long count(JsonNode usage, String name, String at, boolean required) throws Violation {
    String field = at + ".tokenUsage." + name;
    JsonNode node = usage.get(name);
    if (node == null || node.isNull()) {
      if (required) {
        throw new Violation(field, "required field is missing");
      }
      return 0;
    }
    if (!node.isIntegralNumber()) {
      throw new Violation(field, "must be a whole JSON number >= 0, found " + describe(node));
    }
    if (node.bigIntegerValue().signum() < 0) {
      throw new Violation(field, "must be >= 0, found " + node.asText());
    }
    if (!node.canConvertToLong() || node.longValue() > MAX_COUNT) {
      throw new Violation(field, "out of range: " + node.asText() + " is above " + MAX_COUNT);
    }
    return node.longValue();
  }

  private static String compact(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON value always serialises", e);
    }
  }

  private static String describe(JsonNode node) {
    String kind = node.getNodeType().name().toLowerCase(Locale.ROOT);
    String text = PromptText.redactLine(compact(node));
    return kind + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}
