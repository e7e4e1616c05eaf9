package io.goodhart.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Prompt and output text never enters the lake, only fingerprints. The contract keeps unknown fields,
 * so an emitter that also sends {@code prompt} or {@code gen_ai.output.messages} would otherwise land
 * what people typed in a table the whole company can query. Such fields keep their name (so the data
 * team sees the emitter sends them) with the value replaced by {@link #REMOVED}, at any depth of objects
 * and arrays, whatever the escaping of the name ({@code "\u0070rompt"} is {@code prompt}: names are
 * compared decoded and lower-case).
 *
 * <p>A name is judged by its segments: it is split at {@code .}, {@code _}, {@code -} and camel-case
 * boundaries, and numeric indexes are dropped ({@code gen_ai.prompt.0.content} is gen, ai, prompt, content;
 * {@code userPrompt} is user, prompt). Three kinds of name:
 * <ul>
 *   <li>text names: one of {@link #TEXT_FIELDS}, or any name with a segment in {@link #TEXT_WORDS}
 *       ({@code prompt}, {@code content}, {@code thinking}, ...): the value is always replaced, whatever its
 *       type;</li>
 *   <li>generic names: a segment in {@link #GENERIC_WORDS} ({@code body}, {@code input}, {@code output},
 *       {@code text}, {@code system}): they hold text in some formats and identifiers in others (an
 *       OpenTelemetry log record's {@code body} is the event name, {@code claude_code.api_request};
 *       {@code gen_ai.system} is the vendor). Their value is kept only when every string in it is
 *       identifier-like ({@link #isIdentifierLike}: at most 128 characters, no whitespace, only letters,
 *       digits and {@code _ . : / @ + -}); anything else is free text and is replaced;</li>
 *   <li>every other name, including those that measure or identify text rather than hold it (a segment in
 *       {@link #MEASURE_WORDS}, {@code prompt_tokens}, {@code llm.token_count.prompt},
 *       {@code prompt_fingerprint}, or a last segment in {@link #DESCRIPTOR_WORDS},
 *       {@code gen_ai.response.model}, {@code message.role}): kept, and its value searched for the two
 *       kinds above.</li>
 * </ul>
 * A string value that is itself JSON (an emitter that serialises its attributes) is parsed and redacted
 * the same way, up to {@value #NESTED_JSON_LEVELS} levels of JSON inside strings; deeper, a string that could
 * mention a text name is replaced whole.
 *
 * <p>The attribute-list forms, where the name is a value ({@code {"key": "prompt", "value":
 * {"stringValue": "..."}}} as OpenTelemetry writes it, {@code {"Key": ..., "Value": ...}}, {@code {"name":
 * ..., "value": ...}}; member names in any case), are judged by that value the same way; a replaced
 * OpenTelemetry value keeps the attribute's shape ({@code {"stringValue": "[removed: ...]"}}).
 *
 * <p>A line that is not JSON cannot be rebuilt, so it is cut before the first text or generic name, or
 * before whatever follows the point where it stops being JSON when the rest mentions such a name.
 *
 * <p>Trees are walked with explicit stacks and lines are scanned token by token, so a deeply nested or very
 * long line costs memory in proportion to its size, never stack depth; only JSON inside strings recurses,
 * at most {@value #NESTED_JSON_LEVELS} levels.
 */
public final class PromptText {
  /** Whole names (compared decoded and lower-case) of fields that carry prompt, message or output text. */
  static final Set<String> TEXT_FIELDS = Set.of(
      "prompt", "prompts", "prompt_text", "system_prompt", "system_instructions", "instructions",
      "completion", "completions", "completion_text", "response", "response_text", "output_text", "input_text",
      "message", "messages", "input_messages", "output_messages", "content", "query", "question", "answer",
      "gen_ai.prompt", "gen_ai.completion", "gen_ai.input.messages", "gen_ai.output.messages",
      "gen_ai.system_instructions", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result");

  /** Segments that make a name a text name wherever they stand in it. */
  static final Set<String> TEXT_WORDS = Set.of("prompt", "prompts", "completion", "completions", "response",
      "responses", "message", "messages", "content", "contents", "instructions", "query", "question", "answer",
      "thinking", "reasoning", "transcript");

  /** Segments of names that hold free text in some formats and identifiers in others. */
  static final Set<String> GENERIC_WORDS = Set.of("body", "input", "output", "text", "system");

  /** Segments of names that count, measure or identify text without holding it: such a name is never text. */
  static final Set<String> MEASURE_WORDS = Set.of("token", "tokens", "count", "counts", "fingerprint",
      "fingerprints", "hash", "length", "len", "size", "bytes", "chars", "id", "ids");

  /** Last segments that describe text without holding it (its model, role, type, timing, ...). */
  static final Set<String> DESCRIPTOR_WORDS = Set.of("model", "models", "type", "kind", "role", "name", "status",
      "code", "version", "format", "encoding", "language", "ms", "duration", "time", "timestamp", "index",
      "truncated", "cached");

  static final int NESTED_JSON_LEVELS = 8;

  public static final String REMOVED = "[removed: prompt or output text is never stored]";
  static final String CUT = REMOVED + "; rest of the line dropped";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:/@+\\-]{0,128}");
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
      .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .build();
  private static final ObjectMapper JSON = JsonMapper.builder(FACTORY).build();
  private static final List<String> ALL_NAMES;
  private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
  private static final Pattern SEPARATORS = Pattern.compile("[^A-Za-z]+");

  static {
    List<String> names = new ArrayList<>(TEXT_FIELDS);
    names.addAll(TEXT_WORDS);
    names.addAll(GENERIC_WORDS);
    ALL_NAMES = List.copyOf(names);
  }

  private PromptText() {}

  private enum Kind { TEXT, GENERIC, OTHER }

  public static boolean isTextField(String name) {
    return kindOf(name) == Kind.TEXT;
  }

  static boolean isGenericField(String name) {
    return kindOf(name) == Kind.GENERIC;
  }

  /** The name's segments, lower-case: split at separators and camel-case boundaries, numbers dropped. */
  static List<String> segments(String name) {
    List<String> out = new ArrayList<>();
    for (String part : SEPARATORS.split(CAMEL.matcher(name).replaceAll(" "))) {
      if (!part.isEmpty()) {
        out.add(part.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /**
   * The kinds of names already judged. Judging a name splits it with regular expressions, and a format
   * repeats the same few attribute names on every record; the bounds keep a stream of made-up or very long
   * names from growing the memo, those are judged every time.
   */
  private static final ConcurrentHashMap<String, Kind> KIND_OF_NAME = new ConcurrentHashMap<>();
  private static final int REMEMBERED_NAMES = 4096;
  private static final int REMEMBERED_NAME_CHARS = 256;

  private static Kind kindOf(String name) {
    Kind known = KIND_OF_NAME.get(name);
    if (known != null) {
      return known;
    }
    Kind kind = judgeName(name);
    if (name.length() <= REMEMBERED_NAME_CHARS && KIND_OF_NAME.size() < REMEMBERED_NAMES) {
      KIND_OF_NAME.putIfAbsent(name, kind);
    }
    return kind;
  }

  private static Kind judgeName(String name) {
    if (TEXT_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
      return Kind.TEXT;
    }
    List<String> segments = segments(name);
    if (segments.isEmpty() || DESCRIPTOR_WORDS.contains(segments.get(segments.size() - 1))
        || segments.stream().anyMatch(MEASURE_WORDS::contains)) {
      return Kind.OTHER;
    }
    if (segments.stream().anyMatch(TEXT_WORDS::contains)) {
      return Kind.TEXT;
    }
    return segments.stream().anyMatch(GENERIC_WORDS::contains) ? Kind.GENERIC : Kind.OTHER;
  }

  /** A string that names something rather than says something: short, no whitespace, identifier characters. */
  static boolean isIdentifierLike(String s) {
    return IDENTIFIER.matcher(s).matches();
  }

  /**
   * The JSON text of a field's value as it may be stored: {@link #REMOVED} (as a JSON string) for a text
   * field, or for a generic field holding free text; otherwise the value with every text field inside it
   * redacted. The value is changed in place.
   */
  public static String storedValue(String name, JsonNode value) {
    JsonNode kept = judgeField(name, value);
    if (kept != value) {
      return writeJson(kept);
    }
    redact(value);
    return writeJson(value);
  }

  /** The line as delivered, except that no text field's value survives. */
  public static String redactLine(String line) {
    if (!mayMentionTextField(line)) {
      return line;
    }
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JsonProcessingException | RuntimeException notJson) {
      return cutBrokenLine(line);
    }
    if (root == null || !root.isContainerNode()) {
      return line;
    }
    return redact(root) ? writeJson(root) : line;
  }

  /**
   * Quick test before parsing: could the line hold any of the names? A {@code \}u escape can spell a name
   * in any form, so a line with one is always parsed.
   */
  private static boolean mayMentionTextField(String line) {
    if (line.contains("\\u") || line.contains("\\U")) {
      return true;
    }
    String lower = line.toLowerCase(Locale.ROOT);
    for (String name : ALL_NAMES) {
      if (lower.contains(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Redacts a parsed value in place, walking it with an explicit stack; returns whether anything was
   * replaced.
   */
  static boolean redact(JsonNode root) {
    return redact(root, 0);
  }

  private static boolean redact(JsonNode root, int level) {
    boolean changed = false;
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node instanceof ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
          JsonNode element = array.get(i);
          if (element.isContainerNode()) {
            pending.push(element);
          } else if (element.isTextual()) {
            String inner = redactedJsonString(element.asText(), level);
            if (inner != null) {
              array.set(i, TextNode.valueOf(inner));
              changed = true;
            }
          }
        }
      } else if (node instanceof ObjectNode object) {
        changed |= redactAttributeForm(object);
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        object.fields().forEachRemaining(fields::add);
        for (Map.Entry<String, JsonNode> field : fields) {
          JsonNode kept = judgeField(field.getKey(), field.getValue());
          if (kept != field.getValue()) {
            object.set(field.getKey(), kept);
            changed = true;
          } else if (kept.isContainerNode() && !isGenericField(field.getKey())) {
            pending.push(kept);
          } else if (kept.isTextual()) {
            String inner = redactedJsonString(kept.asText(), level);
            if (inner != null) {
              object.set(field.getKey(), TextNode.valueOf(inner));
              changed = true;
            }
          }
        }
      }
    }
    return changed;
  }

  /**
   * A string that is JSON, redacted: the JSON text with no text name's value left, or null when the string
   * is not JSON or holds nothing to redact. A string that starts like JSON but does not parse is cut as a
   * broken line is.
   */
  private static String redactedJsonString(String value, int level) {
    String trimmed = value.strip();
    if (!(trimmed.startsWith("{") || trimmed.startsWith("[")) || trimmed.startsWith(REMOVED)
        || !mayMentionTextField(value)) {
      return null;
    }
    if (level >= NESTED_JSON_LEVELS) {
      return REMOVED;
    }
    JsonNode inner;
    try {
      inner = JSON.readTree(value);
    } catch (JsonProcessingException | RuntimeException notJson) {
      String cut = cutBrokenLine(value);
      return cut.equals(value) ? null : cut;
    }
    if (inner == null || !inner.isContainerNode()) {
      return null;
    }
    return redact(inner, level + 1) ? writeJson(inner) : null;
  }

  /** The value a field keeps: the value itself, or a replacement. */
  private static JsonNode judgeField(String name, JsonNode value) {
    if (isTextField(name)) {
      return value.isTextual() && REMOVED.equals(value.asText()) ? value : TextNode.valueOf(REMOVED);
    }
    if (isGenericField(name) && !allIdentifierLike(value)) {
      return TextNode.valueOf(REMOVED);
    }
    return value;
  }

  /**
   * {@code {"key": NAME, "value": ANY}} as OpenTelemetry writes attributes, or {@code {"name": NAME, "value":
   * ANY}}, member names in any case: the value of a text name (or the free text of a generic one) becomes
   * {@link #REMOVED}, as an AnyValue ({@code {"stringValue": ...}}) where the value was an object.
   */
  private static boolean redactAttributeForm(ObjectNode object) {
    String valueField = null;
    JsonNode key = null;
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String member = names.next();
      if (member.equalsIgnoreCase("value") && valueField == null) {
        valueField = member;
      } else if ((member.equalsIgnoreCase("key") || member.equalsIgnoreCase("name")) && key == null
          && object.get(member).isTextual()) {
        key = object.get(member);
      }
    }
    if (key == null || valueField == null) {
      return false;
    }
    JsonNode value = object.get(valueField);
    Kind kind = kindOf(key.asText());
    boolean text = kind == Kind.TEXT || kind == Kind.GENERIC && !allIdentifierLike(value);
    if (!text) {
      return false;
    }
    JsonNode removed = value.isObject() ? JsonNodeFactory.instance.objectNode().put("stringValue", REMOVED)
        : TextNode.valueOf(REMOVED);
    if (removed.equals(value)) {
      return false;
    }
    object.set(valueField, removed);
    return true;
  }

  /** Whether every string at any depth of the value is identifier-like (numbers, booleans and null are). */
  private static boolean allIdentifierLike(JsonNode value) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(value);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isTextual()) {
        if (!isIdentifierLike(node.asText())) {
          return false;
        }
      } else if (node.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          if (isTextField(field.getKey())) {
            return false;
          }
          pending.push(field.getValue());
        }
      } else if (node.isArray()) {
        node.forEach(pending::push);
      } else if (node.isBinary() || node.isPojo()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A line that is not JSON: kept up to the first text or generic name its tokens reach (the name kept,
   * its value dropped), or up to where it stops being JSON when what follows could spell such a name.
   */
  private static String cutBrokenLine(String line) {
    int lastGood = 0;
    try (JsonParser parser = FACTORY.createParser(line)) {
      String field = null;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        int start = startOf(parser, line);
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
          if (isTextField(field) || isGenericField(field)) {
            return line.substring(0, start) + quoted(field) + ":\"" + CUT + "\"";
          }
        } else if (token == JsonToken.VALUE_STRING && ("key".equalsIgnoreCase(field) || "name".equalsIgnoreCase(field))
            && (isTextField(parser.getText()) || isGenericField(parser.getText()))) {
          return line.substring(0, start) + quoted(parser.getText()) + ",\"value\":\"" + CUT + "\"";
        }
        // Strings are read lazily, so only a token's start is known for sure: the line up to the start of
        // the last token read is what parsed.
        lastGood = start;
      }
      return line;
    } catch (IOException | RuntimeException broken) {
      String rest = line.substring(lastGood);
      return mayMentionTextField(rest) ? line.substring(0, lastGood) + " \"" + CUT + "\"" : line;
    }
  }

  private static int startOf(JsonParser parser, String line) {
    long offset = parser.currentTokenLocation().getCharOffset();
    return (int) Math.max(0, Math.min(offset, line.length()));
  }

  private static String quoted(String name) {
    return writeJson(TextNode.valueOf(name));
  }

  /** Compact JSON text of a value, written without recursion. */
  static String writeJson(JsonNode root) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      Deque<Object> pending = new ArrayDeque<>();
      pending.push(root);
      while (!pending.isEmpty()) {
        Object next = pending.pop();
        if (next instanceof JsonToken end) {
          if (end == JsonToken.END_OBJECT) {
            gen.writeEndObject();
          } else {
            gen.writeEndArray();
          }
        } else if (next instanceof Map.Entry<?, ?> field) {
          gen.writeFieldName((String) field.getKey());
          pending.push(field.getValue());
        } else if (next instanceof ObjectNode object) {
          gen.writeStartObject();
          pending.push(JsonToken.END_OBJECT);
          List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
          object.fields().forEachRemaining(fields::add);
          for (int i = fields.size() - 1; i >= 0; i--) {
            pending.push(fields.get(i));
          }
        } else if (next instanceof ArrayNode array) {
          gen.writeStartArray();
          pending.push(JsonToken.END_ARRAY);
          for (int i = array.size() - 1; i >= 0; i--) {
            pending.push(array.get(i));
          }
        } else if (next instanceof TextNode text) {
          // what Jackson's writer does for a string, without looking up a serializer for every value
          gen.writeString(text.textValue());
        } else {
          // a scalar: Jackson's own writer for it, which does not recurse
          JSON.writeTree(gen, (JsonNode) next);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
