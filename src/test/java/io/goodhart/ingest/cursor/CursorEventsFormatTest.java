package io.goodhart.ingest.cursor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.PromptText;
import io.goodhart.ingest.SourceRecord;
import io.goodhart.ingest.UsageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's section 5.2: a Cursor filtered-usage-events page, record by record. */
class CursorEventsFormatTest {
  private final CursorEventsFormat format = new CursorEventsFormat();

  static String fixture(String name) throws IOException {
    try (InputStream in = CursorEventsFormatTest.class.getResourceAsStream("/formats/cursor/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The id rule written out: cursor: + 32 hex digits of SHA-256 over the fields, each ended by U+001F. */
  static String id(String... fields) throws NoSuchAlgorithmException {
    String key = String.join("\u001f", fields) + "\u001f";
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    return "cursor:" + HexFormat.of().formatHex(hash).substring(0, 32);
  }

  static UsageEvent request(String id, String time, String email, String model, long input, long output,
      Long cacheRead, Map<String, String> extra) {
    return new UsageEvent(id, Instant.parse(time), null, email, "cursor", "chat", input, output, model,
        cacheRead, null, null, "interactive", null, null, null, null, null, extra, "cursor-events", id, null,
        new PersonKeys(Map.of(PersonKeys.Type.EMAIL, email)));
  }

  @Test
  void aDocumentedPageYieldsOneRequestPerUsageEventOnTheLineItsObjectStarts() throws Exception {
    List<SourceRecord> records = format.read(fixture("page-1.json"), 1);

    String anaId = id("ana@example.com", "1764496800000", "claude-4.5-sonnet", "\"Usage-based\"", "false",
        "310", "920", "4100", "15200", "7.61");
    String brunoId = id("bruno@example.com", "1764496861250", "gpt-5", "\"Included in Business\"", "false",
        "", "", "", "", "");
    String carlaId = id("Carla.Diaz@example.com", "1764497012345", "claude-4-opus", "\"Usage-based\"", "true",
        "126", "450", "6112", "0", "20.18232");
    assertEquals(List.of(
        SourceRecord.request(0, 11, request(anaId, "2025-11-30T10:00:00Z", "ana@example.com",
            "claude-4.5-sonnet", 310 + 15200 + 4100, 920, 15200L, Map.of(
                "kind", "\"Usage-based\"", "maxMode", "false", "requestsCosts", "2", "isTokenBasedCall", "true",
                "isFreeBugbot", "false", "cursor_input_tokens", "310", "cacheWriteTokens", "4100",
                "totalCents", "7.61"))),
        SourceRecord.request(1, 28, request(brunoId, "2025-11-30T10:01:01.250Z", "bruno@example.com", "gpt-5",
            0, 0, null, Map.of(
                "kind", "\"Included in Business\"", "maxMode", "false", "requestsCosts", "1",
                "isTokenBasedCall", "false", "isFreeBugbot", "false"))),
        SourceRecord.request(2, 38, request(carlaId, "2025-11-30T10:03:32.345Z", "Carla.Diaz@example.com",
            "claude-4-opus", 126 + 6112, 450, 0L, Map.of(
                "kind", "\"Usage-based\"", "maxMode", "true", "requestsCosts", "5", "isTokenBasedCall", "true",
                "isFreeBugbot", "false", "cursor_input_tokens", "126", "cacheWriteTokens", "6112",
                "totalCents", "20.18232")))),
        records);
  }

  @Test
  void aNumericTimestampCountsAsTheStringOneAndIdenticalEventsOfAPageAreNumberedInOrder() throws Exception {
    List<SourceRecord> records = format.read(fixture("page-2.json"), 1);

    String anaId = id("ana@example.com", "1764500400000", "gpt-5", "\"Usage-based\"", "false",
        "2000", "150", "0", "8000", "1.5");
    String brunoId = id("bruno@example.com", "1764500400999", "default", "\"Included in Business\"", "false",
        "", "", "", "", "");
    Map<String, String> bugbot = Map.of("kind", "\"Included in Business\"", "maxMode", "false",
        "requestsCosts", "0", "isTokenBasedCall", "false", "isFreeBugbot", "true");
    assertEquals(List.of(
        SourceRecord.request(0, 11, request(anaId, "2025-11-30T11:00:00Z", "ana@example.com", "gpt-5",
            10_000, 150, 8000L, Map.of(
                "kind", "\"Usage-based\"", "maxMode", "false", "requestsCosts", "1", "isTokenBasedCall", "true",
                "isFreeBugbot", "false", "cursor_input_tokens", "2000", "cacheWriteTokens", "0",
                "totalCents", "1.5"))),
        SourceRecord.request(1, 28, request(brunoId, "2025-11-30T11:00:00.999Z", "bruno@example.com", "default",
            0, 0, null, bugbot)),
        SourceRecord.request(2, 38, request(brunoId + "#1", "2025-11-30T11:00:00.999Z", "bruno@example.com",
            "default", 0, 0, null, bugbot))),
        records);
  }

  @Test
  void badEventsAreRejectedWithTheirFieldAndOwnJsonWhileTheRestOfThePageIsRead() throws Exception {
    List<SourceRecord> records = format.read(fixture("broken-page.json"), 1);

    assertEquals(4, records.size());
    assertEquals(SourceRecord.rejected(0, 11, "usageEvents[0].tokenUsage.inputTokens", "must be >= 0, found -5",
        null, "{\"timestamp\":\"1764496800000\",\"model\":\"gpt-5\",\"kind\":\"Usage-based\","
            + "\"isTokenBasedCall\":true,\"tokenUsage\":{\"inputTokens\":-5,\"outputTokens\":40,"
            + "\"cacheWriteTokens\":0,\"cacheReadTokens\":0,\"totalCents\":0.1},\"userEmail\":\"ana@example.com\"}"),
        records.get(0));
    assertEquals(SourceRecord.rejected(1, 25, "usageEvents[1].userEmail",
        "required field is missing: the person of the request", null,
        "{\"timestamp\":\"1764496801000\",\"model\":\"gpt-5\",\"kind\":\"Included in Business\","
            + "\"isTokenBasedCall\":false}"),
        records.get(1));
    assertEquals(SourceRecord.rejected(2, 31, "usageEvents[2].timestamp",
        "must be epoch milliseconds (digits, as a string or a number), found string \"yesterday\"", null,
        "{\"timestamp\":\"yesterday\",\"model\":\"gpt-5\",\"kind\":\"Included in Business\","
            + "\"isTokenBasedCall\":false,\"userEmail\":\"bruno@example.com\"}"),
        records.get(2));
    assertEquals(SourceRecord.Kind.REQUEST, records.get(3).kind());
    assertEquals(38, records.get(3).line());
    assertEquals(Instant.parse("2025-11-30T10:00:03Z"), records.get(3).event().eventTime());
  }

  @Test
  void aTokenBasedCallWithoutTokenUsageAndMistypedValuesAreRejected() {
    assertEquals(SourceRecord.rejected(0, 1, "usageEvents[0].tokenUsage",
        "required field is missing (isTokenBasedCall is true)", null,
        "{\"timestamp\":\"1\",\"isTokenBasedCall\":true,\"userEmail\":\"a@x\"}"),
        format.read("{\"usageEvents\":[{\"timestamp\":\"1\",\"isTokenBasedCall\":true,\"userEmail\":\"a@x\"}]}", 1)
            .get(0));
    assertEquals("usageEvents[0].tokenUsage.outputTokens", format.read("{\"usageEvents\":[{\"timestamp\":\"1\","
        + "\"tokenUsage\":{\"inputTokens\":1,\"outputTokens\":\"2\"},\"userEmail\":\"a@x\"}]}", 1).get(0).field());
    assertEquals("usageEvents[0].tokenUsage.inputTokens", format.read("{\"usageEvents\":[{\"timestamp\":\"1\","
        + "\"tokenUsage\":{\"inputTokens\":1.5,\"outputTokens\":2},\"userEmail\":\"a@x\"}]}", 1).get(0).field());
    assertEquals("usageEvents[0].model", format.read("{\"usageEvents\":[{\"timestamp\":\"1\",\"model\":7,"
        + "\"userEmail\":\"a@x\"}]}", 1).get(0).field());
    assertEquals("usageEvents[0].timestamp", format.read("{\"usageEvents\":[{\"timestamp\":-1,"
        + "\"userEmail\":\"a@x\"}]}", 1).get(0).field());
    assertEquals(SourceRecord.rejected(1, 1, "usageEvents[1]", "must be a JSON object, found string \"x\"", null,
        "\"x\""), format.read("{\"usageEvents\":[{\"timestamp\":\"1\",\"userEmail\":\"a@x\"},\"x\"]}", 1).get(1));
  }

  @Test
  void aFileThatIsNotSuchAPageIsOneRejectedRecordSayingWhy() throws Exception {
    assertEquals(List.of(SourceRecord.rejected(0, 1, null,
        "expected a JSON object (a Cursor filtered-usage-events response), found array [1,2]", null)),
        format.read("[1,2]", 1));
    assertEquals(List.of(SourceRecord.rejected(0, 1, "usageEvents",
        "missing: the file is a JSON object but not a Cursor filtered-usage-events response", null)),
        format.read("{\"teamMembers\":[]}", 1));
    assertEquals(List.of(SourceRecord.rejected(0, 1, "usageEvents", "must be a JSON array, found object {}",
        null)), format.read("{\"usageEvents\":{}}", 1));
    assertEquals(List.of(SourceRecord.rejected(0, 1, null, "empty file: expected a Cursor filtered-usage-events "
        + "response", null)), format.read("  \n", 1));

    String page = fixture("page-1.json");
    List<SourceRecord> truncated = format.read(page.substring(0, page.indexOf("\"timestamp\": \"1764497012345\"")), 1);
    assertEquals(1, truncated.size(), "a cut page yields no request at all, not the events before the cut");
    assertEquals(SourceRecord.Kind.REJECTED, truncated.get(0).kind());
    assertTrue(truncated.get(0).reason().startsWith("not valid JSON: Unexpected end-of-input"),
        truncated.get(0).reason());
    assertTrue(format.read("{\"usageEvents\":[]} {}", 1).get(0).reason()
        .startsWith("not valid JSON: more content after the response object"));
  }

  @Test
  void aPageWithoutEventsIsEmpty() {
    assertEquals(List.of(SourceRecord.empty(1, "the page's usageEvents is empty")),
        format.read("{\"totalUsageEventsCount\":0,\"usageEvents\":[],\"pagination\":{\"numPages\":0}}", 1));
  }

  @Test
  void unknownFieldsAreKeptWithoutPromptText() {
    UsageEvent e = format.read("{\"usageEvents\":[{\"timestamp\":\"1\",\"userEmail\":\"a@x\","
        + "\"conversationId\":\"c-9\",\"prompt\":\"fix my bug\",\"tokenUsage\":{\"inputTokens\":1,"
        + "\"outputTokens\":2,\"discountPercentOff\":0}}]}", 1).get(0).event();
    assertEquals("\"c-9\"", e.extraFields().get("conversationId"));
    assertEquals("\"" + PromptText.REMOVED + "\"", e.extraFields().get("prompt"));
    assertEquals("0", e.extraFields().get("tokenUsage.discountPercentOff"));
    assertEquals(1L, e.inputTokens(), "absent cache counts are zero");
    assertEquals(0L, e.cacheReadTokens());
  }

  @Test
  void linesCountFromTheLineTheUnitStartsOn() {
    assertEquals(7, format.read("{\n\"usageEvents\": [\n  {\"timestamp\": \"1\", \"userEmail\": \"a@x\"}]}", 5)
        .get(0).line());
  }

  @Test
  void filesArePagesOfJsonAndTheSniffLooksForUsageEvents() throws Exception {
    assertTrue(format.wholeFile());
    assertEquals(256 << 20, format.maxUnitBytes());
    assertTrue(format.isEventFile("page-00001.json"));
    assertTrue(format.isEventFile("PAGE.JSON.GZ"));
    assertFalse(format.isEventFile("part-00000.jsonl"));
    assertTrue(format.sniff(fixture("page-1.json")));
    assertTrue(format.sniff("\n  {\"usageEvents\": ["));
    assertFalse(format.sniff("{\"event_id\":\"e1\",\"event_time\":\"2026-11-23T10:14:03Z\"}"));
    assertFalse(format.sniff("{\"resourceLogs\":[]}"));
    assertFalse(format.sniff("[{\"usageEvents\":[]}]"));
  }
}
