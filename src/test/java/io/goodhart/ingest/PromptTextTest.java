package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** No prompt or output text survives ingest, whether the line is accepted, rejected, or not JSON at all. */
class PromptTextTest {
  private static final String R = PromptText.REMOVED;

  @Test
  void aLineWithoutTextFieldsIsKeptByteForByte() {
    String line = "{\"event_id\": \"e1\",  \"prompt_fingerprint\":\"ab12\", \"x\": 1}";
    assertEquals(line, PromptText.redactLine(line));
  }

  @Test
  void textFieldsAtAnyDepthOfAJsonLineLoseTheirValueButKeepTheirName() {
    String line = "{\"event_id\":\"e1\",\"Prompt\":\"fix my SECRET bug\",\"meta\":{\"gen_ai.output.messages\":[{\"role\":\"assistant\",\"content\":\"SECRET\"}],\"n\":2}}";
    assertEquals("{\"event_id\":\"e1\",\"Prompt\":\"" + R + "\",\"meta\":{\"gen_ai.output.messages\":\"" + R + "\",\"n\":2}}",
        PromptText.redactLine(line));
  }

  @Test
  void aLineThatIsNotJsonIsCutAtTheFirstTextField() {
    String line = "{\"event_id\":\"e1\",\"completion\":\"SECRET answer, \"broken";
    assertEquals("{\"event_id\":\"e1\",\"completion\": \"" + R + "; rest of the line dropped\"", PromptText.redactLine(line));
  }

  @Test
  void anAcceptedEventKeepsUnknownFieldsButNotTheirText() {
    LineVerdict v = new EventLineParser().parse("{\"event_id\":\"e1\",\"event_time\":\"2026-11-23T09:00:00Z\","
        + "\"user_id\":\"u1\",\"tool\":\"cursor\",\"operation\":\"chat\",\"input_tokens\":5,\"output_tokens\":7,"
        + "\"prompt\":\"SECRET\",\"team_hint\":\"payments\",\"ctx\":{\"messages\":[\"SECRET\"],\"k\":1}}");
    assertTrue(v.event() != null, "the line is valid");
    Map<String, String> extra = v.event().extraFields();
    assertEquals(Map.of("prompt", "\"" + R + "\"", "team_hint", "\"payments\"",
        "ctx", "{\"messages\":\"" + R + "\",\"k\":1}"), extra);
    assertFalse(extra.toString().contains("SECRET"));
  }
}
