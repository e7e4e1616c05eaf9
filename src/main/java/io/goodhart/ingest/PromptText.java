package io.goodhart.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt and output text never enters the lake, only fingerprints. The contract keeps unknown fields,
 * so an emitter that also sends {@code prompt} or {@code gen_ai.output.messages} would otherwise land
 * what people typed in a table the whole company can query. Such fields keep their name (so the data
 * team sees the emitter sends them) with the value replaced by {@link #REMOVED}; in a rejected line's
 * raw text the value is replaced the same way, or, when the line is not JSON, the line is cut at the
 * field.
 */
public final class PromptText {
  /** Names (compared lower-case) of fields that carry prompt, message or output text. */
  static final Set<String> TEXT_FIELDS = Set.of(
      "prompt", "prompts", "prompt_text", "system_prompt", "system_instructions", "instructions",
      "completion", "completions", "completion_text", "response", "response_text", "output_text", "input_text",
      "messages", "input_messages", "output_messages", "content", "text", "query", "question", "answer",
      "gen_ai.prompt", "gen_ai.completion", "gen_ai.input.messages", "gen_ai.output.messages",
      "gen_ai.system_instructions");

  public static final String REMOVED = "[removed: prompt or output text is never stored]";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*:");

  private PromptText() {}

  public static boolean isTextField(String name) {
    return TEXT_FIELDS.contains(name.toLowerCase(Locale.ROOT));
  }

  /** The line as delivered, except that no text field's value survives. */
  public static String redactLine(String line) {
    if (!mentionsTextField(line)) {
      return line;
    }
    try {
      JsonNode root = JSON.readTree(line);
      if (root instanceof ObjectNode object) {
        redact(object);
        return JSON.writeValueAsString(object);
      }
    } catch (Exception notJson) {
      // fall through: cut the line at the first text field
    }
    Matcher m = KEY.matcher(line);
    while (m.find()) {
      if (isTextField(m.group(1))) {
        return line.substring(0, m.end()) + " \"" + REMOVED + "; rest of the line dropped\"";
      }
    }
    return line;
  }

  private static boolean mentionsTextField(String line) {
    Matcher m = KEY.matcher(line);
    while (m.find()) {
      if (isTextField(m.group(1))) {
        return true;
      }
    }
    return false;
  }

  private static void redact(ObjectNode object) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      JsonNode value = object.get(name);
      if (isTextField(name)) {
        object.set(name, TextNode.valueOf(REMOVED));
      } else if (value instanceof ObjectNode nested) {
        redact(nested);
      }
    }
  }
}
