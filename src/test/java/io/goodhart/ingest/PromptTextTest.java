package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No prompt or output text survives ingest, whether the line is accepted, rejected, or not JSON at all. */
class PromptTextTest {
  private static final String R = PromptText.REMOVED;
  private static final String CUT = R + "; rest of the line dropped";

  @Test
  void aLineWithoutTextFieldsIsKeptByteForByte() {
    String line = "{\"event_id\": \"e1\",  \"prompt_fingerprint\":\"ab12\", \"x\": 1}";
    assertEquals(line, PromptText.redactLine(line));
  }

  @Test
  void aLineThatOnlyMentionsANameInAValueIsKeptByteForByte() {
    String line = "{\"event_id\": \"e1\", \"note\": \"the prompt was short\"}";
    assertEquals(line, PromptText.redactLine(line));
  }

  @Test
  void textFieldsAtAnyDepthOfAJsonLineLoseTheirValueButKeepTheirName() {
    String line = "{\"event_id\":\"e1\",\"Prompt\":\"fix my SECRET bug\",\"meta\":{\"gen_ai.output.messages\":[{\"role\":\"assistant\",\"content\":\"SECRET\"}],\"n\":2}}";
    assertEquals("{\"event_id\":\"e1\",\"Prompt\":\"" + R + "\",\"meta\":{\"gen_ai.output.messages\":\"" + R + "\",\"n\":2}}",
        PromptText.redactLine(line));
  }

  @Test
  void textInsideArraysOfObjectsIsRemoved() {
    assertEquals("{\"ctx\":{\"history\":[{\"content\":\"" + R + "\",\"role\":\"user\"},{\"message\":\"" + R + "\"}]}}",
        PromptText.redactLine("{\"ctx\":{\"history\":[{\"content\":\"SECRET\",\"role\":\"user\"},{\"message\":\"SECRET\"}]}}"));
    assertEquals("[[{\"prompt\":\"" + R + "\"}]]", PromptText.redactLine("[[{\"prompt\":\"SECRET\"}]]"));
  }

  @Test
  void anEscapedNameIsTheNameItSpells() {
    assertEquals("{\"prompt\":\"" + R + "\",\"x\":1}", PromptText.redactLine("{\"\\u0070rompt\":\"SECRET\",\"x\":1}"));
    assertEquals("{\"Content\":\"" + R + "\"}", PromptText.redactLine("{\"\\u0043ontent\":\"SECRET\"}"));
  }

  @Test
  void everyTextNameLosesItsValueWhateverItsType() {
    for (String name : List.of("gen_ai.prompt", "gen_ai.completion", "gen_ai.input.messages", "gen_ai.output.messages",
        "gen_ai.system_instructions", "content", "message", "messages", "prompt", "completion", "response")) {
      for (String value : List.of("\"SECRET\"", "[\"SECRET\"]", "{\"role\":\"user\",\"parts\":[{\"SECRET\":1}]}", "42")) {
        String redacted = PromptText.redactLine("{\"a\":{\"" + name + "\":" + value + "}}");
        assertEquals("{\"a\":{\"" + name + "\":\"" + R + "\"}}", redacted, name + " = " + value);
      }
    }
  }

  @Test
  void genericNamesLoseFreeTextButKeepIdentifiers() {
    // An OpenTelemetry log record's body is the event name: kept.
    String record = "{\"body\":{\"stringValue\":\"claude_code.api_request\"},\"attributes\":[]}";
    assertEquals(record, PromptText.redactLine(record));
    assertEquals("{\"body\":\"" + R + "\"}", PromptText.redactLine("{\"body\":{\"stringValue\":\"please fix my SECRET\"}}"));
    assertEquals("{\"input\":\"" + R + "\",\"output\":\"" + R + "\",\"text\":\"" + R + "\"}",
        PromptText.redactLine("{\"input\":\"what is SECRET\",\"output\":[\"SECRET answer\"],\"text\":\"SECRET text\"}"));
    String counts = "{\"input\":{\"tokens\":12,\"kind\":\"chat\"},\"output\":7}";
    assertEquals(counts, PromptText.redactLine(counts));
    assertEquals("{\"input\":\"" + R + "\"}", PromptText.redactLine("{\"input\":{\"messages\":[]}}"),
        "a text name inside a generic value makes it text");
  }

  @Test
  void theOpenTelemetryAttributeFormIsJudgedByItsKey() {
    String line = "{\"attributes\":[{\"key\":\"prompt\",\"value\":{\"stringValue\":\"SECRET\"}},"
        + "{\"key\":\"model\",\"value\":{\"stringValue\":\"claude-sonnet-4-5\"}},"
        + "{\"key\":\"gen_ai.input.messages\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"SECRET\"}]}}},"
        + "{\"key\":\"body\",\"value\":{\"stringValue\":\"SECRET in words\"}},"
        + "{\"key\":\"input\",\"value\":{\"intValue\":\"4\"}}]}";
    assertEquals("{\"attributes\":[{\"key\":\"prompt\",\"value\":{\"stringValue\":\"" + R + "\"}},"
        + "{\"key\":\"model\",\"value\":{\"stringValue\":\"claude-sonnet-4-5\"}},"
        + "{\"key\":\"gen_ai.input.messages\",\"value\":{\"stringValue\":\"" + R + "\"}},"
        + "{\"key\":\"body\",\"value\":{\"stringValue\":\"" + R + "\"}},"
        + "{\"key\":\"input\",\"value\":{\"intValue\":\"4\"}}]}", PromptText.redactLine(line));
  }

  @Test
  void aNameIsSplitAtSeparatorsCamelCaseAndIndexes() {
    assertEquals(List.of("llm", "input", "messages", "message", "content"),
        PromptText.segments("llm.input_messages.0.message.content"));
    assertEquals(List.of("user", "prompt"), PromptText.segments("userPrompt"));
    assertEquals(List.of("http", "response", "body"), PromptText.segments("HTTPResponseBody"));
    assertEquals(List.of("gen", "ai", "prompt", "content"), PromptText.segments("gen_ai.prompt[0]-content"));
  }

  @Test
  void aNameWithATextSegmentLosesItsValue() {
    for (String name : List.of("gen_ai.prompt.0.content", "gen_ai.completion.0.content",
        "llm.input_messages.0.message.content", "userPrompt", "promptText", "thinking", "reasoning_content",
        "Reasoning-Content", "llm.output_messages.1.message.contents")) {
      assertEquals("{\"a\":{\"" + name + "\":\"" + R + "\"}}",
          PromptText.redactLine("{\"a\":{\"" + name + "\":\"SECRET words\"}}"), name);
      assertEquals("{\"" + name + "\":\"" + R + "\"}", PromptText.redactLine("{\"" + name + "\":\"SECRET\"}"), name);
    }
  }

  @Test
  void inputValueAndSystemLoseFreeTextButKeepIdentifiers() {
    assertEquals("{\"input.value\":\"" + R + "\",\"system\":\"" + R + "\",\"output.value\":\"" + R + "\"}",
        PromptText.redactLine("{\"input.value\":\"fix my SECRET bug\",\"system\":\"You are SECRET\","
            + "\"output.value\":\"SECRET answer\"}"));
    String vendor = "{\"gen_ai.system\":\"anthropic\",\"system\":\"openai\"}";
    assertEquals(vendor, PromptText.redactLine(vendor));
  }

  @Test
  void countsModelsRolesAndIdsOfTextAreKept() {
    String line = "{\"gen_ai.usage.input_tokens\":12,\"llm.token_count.prompt\":30,\"llm.token_count.completion\":4,"
        + "\"gen_ai.response.model\":\"claude-sonnet-4-5\",\"gen_ai.response.id\":\"msg_01\",\"gen_ai.prompt.0.role\":\"user\","
        + "\"prompt_fingerprint\":\"ab12\",\"reasoning_tokens\":7,\"promptId\":\"p-9\",\"message_count\":3,"
        + "\"attributes\":[{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\"5\"}},"
        + "{\"name\":\"model\",\"value\":\"m1\"}]}";
    assertEquals(line, PromptText.redactLine(line));
  }

  @Test
  void jsonInsideAJsonStringIsRedactedInside() {
    assertEquals("{\"attributes\":\"{\\\"gen_ai.prompt\\\":\\\"" + R + "\\\",\\\"model\\\":\\\"m1\\\"}\",\"n\":1}",
        PromptText.redactLine("{\"attributes\":\"{\\\"gen_ai.prompt\\\":\\\"SECRET\\\",\\\"model\\\":\\\"m1\\\"}\",\"n\":1}"));
    assertEquals("{\"a\":[\"[{\\\"content\\\":\\\"" + R + "\\\"}]\"]}",
        PromptText.redactLine("{\"a\":[\"[{\\\"content\\\":\\\"SECRET\\\"}]\"]}"));
    String twice = "{\"outer\":\"{\\\"inner\\\":\\\"{\\\\\\\"prompt\\\\\\\":\\\\\\\"SECRET\\\\\\\"}\\\"}\"}";
    String redacted = PromptText.redactLine(twice);
    assertFalse(redacted.contains("SECRET"), redacted);
    assertTrue(redacted.contains("prompt"), "the name is kept: " + redacted);
    String noText = "{\"a\":\"{\\\"x\\\":1}\",\"b\":\"[not json\"}";
    assertEquals(noText, PromptText.redactLine(noText));
  }

  @Test
  void attributeListsAreJudgedByTheirKeyOrNameInAnyCase() {
    assertEquals("{\"attrs\":[{\"Key\":\"prompt\",\"Value\":\"" + R + "\"},{\"name\":\"gen_ai.completion\",\"value\":\""
            + R + "\"},{\"KEY\":\"userPrompt\",\"VALUE\":{\"stringValue\":\"" + R + "\"}},{\"key\":\"gen_ai.prompt\","
            + "\"value\":{\"stringValue\":\"" + R + "\"}},{\"Name\":\"model\",\"Value\":\"m1\"}]}",
        PromptText.redactLine("{\"attrs\":[{\"Key\":\"prompt\",\"Value\":\"SECRET\"},{\"name\":\"gen_ai.completion\","
            + "\"value\":\"SECRET\"},{\"KEY\":\"userPrompt\",\"VALUE\":{\"stringValue\":\"SECRET\"}},"
            + "{\"key\":\"gen_ai.prompt\",\"value\":{\"stringValue\":\"SECRET\"}},{\"Name\":\"model\",\"Value\":\"m1\"}]}"));
  }

  @Test
  void aLineThatIsNotJsonIsCutAtTheFirstTextField() {
    assertEquals("{\"event_id\":\"e1\",\"completion\":\"" + CUT + "\"",
        PromptText.redactLine("{\"event_id\":\"e1\",\"completion\":\"SECRET answer, \"broken"));
    assertEquals("{\"event_id\":\"e1\",\"prompt\":\"" + CUT + "\"",
        PromptText.redactLine("{\"event_id\":\"e1\",\"\\u0070rompt\":\"SECRET"));
    assertEquals("{\"attributes\":[{\"key\":\"prompt\",\"value\":\"" + CUT + "\"",
        PromptText.redactLine("{\"attributes\":[{\"key\":\"prompt\",\"value\":{\"stringValue\":\"SECRET"));
  }

  @Test
  void aLineBrokenBeforeATextFieldIsCutWhereItBreaks() {
    String line = "{\"event_id\":\"e1\",\"n\":tru \"prompt\":\"SECRET\"}";
    String redacted = PromptText.redactLine(line);
    assertFalse(redacted.contains("SECRET"), redacted);
    assertTrue(redacted.startsWith("{\"event_id\":"), "the part that parsed is kept: " + redacted);
    String escaped = "{\"event_id\":\"e1\",\"n\":tru \"\\u0063ontent\":\"SECRET\"}";
    assertFalse(PromptText.redactLine(escaped).contains("SECRET"), PromptText.redactLine(escaped));
  }

  @Test
  void aCutLineWithALongStringOrDeepNestingEndsWithoutRecursionTrouble() {
    String longCut = "{\"event_id\":\"a1\",\"event_time\":\"2026-11-23T09:00:00Z\",\"model\":\"" + "x".repeat(5_000);
    assertEquals(longCut, PromptText.redactLine(longCut), "nothing to redact: kept as it is");
    String deep = "{\"a\":".repeat(5_000) + "{\"prompt\":\"SECRET\"}" + "}".repeat(5_000);
    assertFalse(PromptText.redactLine(deep).contains("SECRET"));
    String deepArrays = "[".repeat(900) + "{\"content\":\"SECRET\"}" + "]".repeat(900);
    assertFalse(PromptText.redactLine(deepArrays).contains("SECRET"));
  }

  @Test
  void anAcceptedEventKeepsUnknownFieldsButNotTheirText() {
    LineVerdict v = new EventLineParser().parse("{\"event_id\":\"e1\",\"event_time\":\"2026-11-23T09:00:00Z\","
        + "\"user_id\":\"u1\",\"tool\":\"cursor\",\"operation\":\"chat\",\"input_tokens\":5,\"output_tokens\":7,"
        + "\"prompt\":\"SECRET\",\"team_hint\":\"payments\",\"ctx\":{\"messages\":[\"SECRET\"],\"k\":1},"
        + "\"history\":[{\"role\":\"user\",\"content\":\"SECRET\"}],\"\\u0072esponse\":\"SECRET\","
        + "\"body\":\"SECRET words\",\"output\":\"done\"}");
    assertTrue(v.event() != null, "the line is valid");
    Map<String, String> extra = v.event().extraFields();
    assertEquals(Map.of("prompt", "\"" + R + "\"", "team_hint", "\"payments\"",
        "ctx", "{\"messages\":\"" + R + "\",\"k\":1}",
        "history", "[{\"role\":\"user\",\"content\":\"" + R + "\"}]",
        "response", "\"" + R + "\"", "body", "\"" + R + "\"", "output", "\"done\""), extra);
    assertFalse(extra.toString().contains("SECRET"));
  }
}
