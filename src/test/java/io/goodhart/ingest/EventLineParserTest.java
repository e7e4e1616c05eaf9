package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract's section 1, line by line. */
class EventLineParserTest {
  private final EventLineParser parser = new EventLineParser();

  private static final String VALID = "{\"event_id\":\"e1\",\"event_time\":\"2026-11-23T10:14:03.120+01:00\","
      + "\"user_id\":\"u1\",\"tool\":\"claude-code\",\"operation\":\"chat\",\"input_tokens\":1200,\"output_tokens\":300}";

  private static String without(String field) {
    return VALID.replaceAll("\"" + field + "\":(\"[^\"]*\"|\\d+),?", "").replace(",}", "}");
  }

  private static String with(String field, String json) {
    return VALID.replaceAll("\"" + field + "\":(\"[^\"]*\"|\\d+)", "\"" + field + "\":" + json);
  }

  @Test
  void aMinimalValidLineBecomesAnEventWithDefaults() {
    LineVerdict v = parser.parse(VALID);
    assertTrue(v.isAccepted());
    UsageEvent e = v.event();
    assertEquals("e1", e.eventId());
    assertEquals(Instant.parse("2026-11-23T09:14:03.120Z"), e.eventTime());
    assertEquals(60, e.eventOffsetMinutes());
    assertEquals("u1", e.userId());
    assertEquals(1200L, e.inputTokens());
    assertEquals(300L, e.outputTokens());
    assertEquals("interactive", e.trigger(), "trigger defaults to interactive");
    assertNull(e.model());
    assertNull(e.accepted());
    assertEquals(Map.of(), e.extraFields());
  }

  @Test
  void optionalFieldsAreTypedAndUnknownFieldsKeptAsJson() {
    String line = VALID.replace("}", ",\"model\":\"m-1\",\"cache_read_tokens\":50,\"session_id\":\"s\","
        + "\"task_type\":\"Debugging\",\"trigger\":\"scheduled\",\"prompt_fingerprint\":\"fp\",\"duration_ms\":900,"
        + "\"accepted\":true,\"lines_accepted\":12,\"artifact_id\":\"pr:7\","
        + "\"client_version\":\"1.4.2\",\"labels\":{\"a\":[1,2]}}");
    UsageEvent e = parser.parse(line).event();
    assertEquals("m-1", e.model());
    assertEquals(50L, e.cacheReadTokens());
    assertEquals("debugging", e.taskType());
    assertEquals("scheduled", e.trigger());
    assertEquals(900L, e.durationMs());
    assertEquals(true, e.accepted());
    assertEquals(12L, e.linesAccepted());
    assertEquals("pr:7", e.artifactId());
    assertEquals(Map.of("client_version", "\"1.4.2\"", "labels", "{\"a\":[1,2]}"), e.extraFields());
  }

  @Test
  void timesInZuluAndOtherOffsetsAreTheSameInstant() {
    UsageEvent z = parser.parse(with("event_time", "\"2026-11-23T09:14:03Z\"")).event();
    UsageEvent plusOne = parser.parse(with("event_time", "\"2026-11-23T10:14:03+01:00\"")).event();
    assertEquals(z.eventTime(), plusOne.eventTime());
    assertEquals(0, z.eventOffsetMinutes());
  }

  @ParameterizedTest(name = "missing {0}")
  @CsvSource({"event_id", "event_time", "user_id", "tool", "operation", "input_tokens", "output_tokens"})
  void everyRequiredFieldMissingIsRejectedNamingIt(String field) {
    LineVerdict v = parser.parse(without(field));
    assertFalse(v.isAccepted());
    assertEquals(field, v.field());
    assertEquals("required field is missing", v.reason());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "event_id      | 17                          | must be a JSON string, found number 17",
      "event_id      | \"\"                        | required field is empty",
      "event_id      | null                        | required field is missing (null)",
      "user_id       | [\"u1\"]                    | must be a JSON string, found array [\"u1\"]",
      "tool          | true                        | must be a JSON string, found boolean true",
      "operation     | {}                          | must be a JSON string, found object {}",
      "input_tokens  | \"12\"                      | must be a whole JSON number >= 0, found string \"12\"",
      "input_tokens  | 12.5                        | must be a whole JSON number >= 0, found number 12.5",
      "output_tokens | -3                          | must be >= 0, found -3",
      "output_tokens | 99999999999999999999999     | out of range: 99999999999999999999999 is above 9007199254740991 (2^53 - 1, the largest whole number JSON carries exactly)",
      "output_tokens | 9007199254740992            | out of range: 9007199254740992 is above 9007199254740991 (2^53 - 1, the largest whole number JSON carries exactly)",
      "output_tokens | -99999999999999999999999    | must be >= 0, found -99999999999999999999999",
      "input_tokens  | NaN                         | must be a whole JSON number >= 0, found NaN (not a JSON number)",
      "user_id       | Infinity                    | must be a JSON string, found Infinity (not a JSON number)",
      "event_time    | \"yesterday\"               | not an ISO-8601 time with offset (like 2026-11-23T09:14:03.120Z): \"yesterday\"",
      "event_time    | \"2026-11-23T09:14:03\"     | not an ISO-8601 time with offset (like 2026-11-23T09:14:03.120Z): \"2026-11-23T09:14:03\"",
      "event_time    | \"2026-13-23T09:14:03Z\"    | not an ISO-8601 time with offset (like 2026-11-23T09:14:03.120Z): \"2026-13-23T09:14:03Z\"",
      "event_time    | 1763889243                  | must be a JSON string, found number 1763889243",
  })
  void wrongTypesAndValuesAreRejectedWithAReason(String field, String json, String reason) {
    LineVerdict v = parser.parse(with(field, json));
    assertFalse(v.isAccepted(), () -> "accepted " + with(field, json));
    assertEquals(field, v.field());
    assertEquals(reason, v.reason());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "cache_read_tokens | -1      | must be >= 0, found -1",
      "duration_ms       | \"fast\"  | must be a whole JSON number >= 0, found string \"fast\"",
      "lines_accepted    | 2.0     | must be a whole JSON number >= 0, found number 2.0",
      "accepted          | \"yes\"   | must be true or false, found string \"yes\"",
      "model             | 4       | must be a JSON string, found number 4",
      "trigger           | \"cron\"  | must be one of interactive, scheduled, automation; found \"cron\"",
  })
  void wrongOptionalFieldsAreRejectedToo(String field, String json, String reason) {
    LineVerdict v = parser.parse(VALID.replace("}", ",\"" + field + "\":" + json + "}"));
    assertFalse(v.isAccepted());
    assertEquals(field, v.field());
    assertEquals(reason, v.reason());
    assertEquals("e1", v.eventId(), "the event_id is kept for tracing the reject");
  }

  @Test
  void optionalFieldsGivenAsNullAreAbsent() {
    UsageEvent e = parser.parse(VALID.replace("}", ",\"model\":null,\"accepted\":null,\"trigger\":null}")).event();
    assertNull(e.model());
    assertNull(e.accepted());
    assertEquals("interactive", e.trigger());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                       | empty line",
      "'   '                                    | empty line",
      "[1,2]                                    | expected one JSON object per line, found array [1,2]",
      "\"text\"                                 | expected one JSON object per line, found string \"text\"",
  })
  void linesThatAreNotOneObjectAreRejectedWhole(String line, String reason) {
    LineVerdict v = parser.parse(line);
    assertFalse(v.isAccepted());
    assertNull(v.field());
    assertEquals(reason, v.reason());
  }

  @Test
  void brokenJsonDuplicateKeysAndTrailingGarbageAreRejected() {
    assertTrue(parser.parse("{\"event_id\":\"e1\",").reason().startsWith("not valid JSON: "));
    assertTrue(parser.parse(VALID + " {}").reason().startsWith("not valid JSON: "));
    LineVerdict dup = parser.parse(VALID.replace("}", ",\"user_id\":\"u2\"}"));
    assertFalse(dup.isAccepted());
    // The duplicated name is the line's own text, which a reason never repeats.
    assertEquals("not valid JSON: Duplicate field (near column 167)", dup.reason());
  }

  @Test
  void toolOperationAndTriggerAreLowerCased() {
    UsageEvent e = parser.parse(with("tool", "\"Claude-Code\"").replace("}", ",\"trigger\":\"Scheduled\"}")).event();
    assertEquals("claude-code", e.tool());
    assertEquals("scheduled", e.trigger());
  }
}
