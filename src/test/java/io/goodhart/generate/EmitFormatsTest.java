package io.goodhart.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goodhart.ingest.EventLineParser;
import io.goodhart.ingest.LineVerdict;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.SourceRecord;
import io.goodhart.ingest.UsageEvent;
import io.goodhart.ingest.cursor.CursorEventsFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same population written in the vendor formats: every request of the native output is exactly one
 * request of each format, with the same time to the millisecond, person, model and tokens as the contract
 * counts them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmitFormatsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** What every format keeps of a request. */
  record Carried(Instant time, String userId, String model, long input, long output, long cacheRead) {}

  Path nativeOut;
  Path otlpOut;
  Path cursorOut;
  Map<Carried, Integer> nativeRequests;
  Map<Carried, Integer> interactiveRequests;
  int nativeCount;

  static GeneratorConfig.Builder small(Path out, EmitFormat emit) {
    return GeneratorConfig.builder().out(out).seed(11).users(4).weeks(1).filesPerDay(2).gzip(false)
        .emit(emit);
  }

  @BeforeAll
  void generate(@TempDir Path tmp) throws IOException {
    nativeOut = tmp.resolve("native");
    otlpOut = tmp.resolve("otlp");
    cursorOut = tmp.resolve("cursor");
    new UsageGenerator().generate(small(nativeOut, EmitFormat.GOODHART).build());
    new UsageGenerator().generate(small(otlpOut, EmitFormat.OTLP).build());
    new UsageGenerator().generate(small(cursorOut, EmitFormat.CURSOR_EVENTS).build());

    nativeRequests = new HashMap<>();
    interactiveRequests = new HashMap<>();
    Set<String> ids = new HashSet<>();
    EventLineParser parser = new EventLineParser();
    for (GeneratedData.RawLine line : GeneratedData.readEventLines(nativeOut)) {
      LineVerdict verdict = parser.parse(line.text());
      if (verdict.isAccepted() && ids.add(verdict.eventId())) {
        UsageEvent e = verdict.event();
        Carried c = new Carried(e.eventTime(), e.userId(), e.model(), e.inputTokens(), e.outputTokens(),
            e.cacheReadTokens() == null ? 0 : e.cacheReadTokens());
        nativeRequests.merge(c, 1, Integer::sum);
        if (e.trigger().equals("interactive")) {
          interactiveRequests.merge(c, 1, Integer::sum);
        }
        nativeCount++;
      }
    }
    assertTrue(nativeCount > 100, "a population worth comparing: " + nativeCount);
  }

  static List<Path> eventFiles(Path out) throws IOException {
    try (Stream<Path> s = Files.walk(out.resolve(UsageGenerator.EVENTS_DIR))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  static String userOf(String email) {
    assertTrue(email.endsWith("@example.com"), email);
    return email.substring(0, email.length() - "@example.com".length());
  }

  @Test
  void cursorPagesReadBackAsTheNativeRequests() throws IOException {
    CursorEventsFormat format = new CursorEventsFormat();
    Map<Carried, Integer> requests = new HashMap<>();
    Set<String> ids = new HashSet<>();
    int count = 0;
    for (Path file : eventFiles(cursorOut)) {
      assertTrue(format.isEventFile(file.getFileName().toString()), file.toString());
      String page = Files.readString(file, StandardCharsets.UTF_8);
      assertTrue(format.sniff(page), file.toString());
      JsonNode json = JSON.readTree(page);
      assertEquals(CursorPages.PAGE_SIZE, json.path("pagination").path("pageSize").asInt());
      assertTrue(json.path("usageEvents").size() <= CursorPages.PAGE_SIZE);
      for (SourceRecord r : format.read(page, 1)) {
        if (r.kind() == SourceRecord.Kind.EMPTY) {
          continue;
        }
        assertEquals(SourceRecord.Kind.REQUEST, r.kind(), file + ": " + r);
        UsageEvent e = r.event();
        assertTrue(ids.add(e.eventId()), "ids are unique: " + e.eventId());
        assertEquals(PersonKeys.Type.EMAIL, e.personKeys().preferredType());
        requests.merge(new Carried(e.eventTime(), userOf(e.userId()), e.model(), e.inputTokens(),
            e.outputTokens(), e.cacheReadTokens()), 1, Integer::sum);
        count++;
      }
    }
    assertEquals(nativeCount, count);
    assertEquals(nativeRequests, requests);
  }

  @Test
  void aBusyDayIsSeveralPagesOfOneResponseNewestFirst(@TempDir Path tmp) throws IOException {
    Path busy = tmp.resolve("busy");
    new UsageGenerator().generate(small(busy, EmitFormat.CURSOR_EVENTS).users(40).build());
    Path day = eventFiles(busy).stream().filter(f -> f.getFileName().toString().equals("page-00002.json"))
        .findFirst().orElseThrow().getParent();
    JsonNode first = JSON.readTree(day.resolve("page-00001.json").toFile());
    JsonNode second = JSON.readTree(day.resolve("page-00002.json").toFile());
    long total = first.path("totalUsageEventsCount").asLong();
    int pages = (int) ((total + 499) / 500);
    assertEquals(pages, first.path("pagination").path("numPages").asInt());
    assertEquals(1, first.path("pagination").path("currentPage").asInt());
    assertEquals(true, first.path("pagination").path("hasNextPage").asBoolean());
    assertEquals(false, first.path("pagination").path("hasPreviousPage").asBoolean());
    assertEquals(2, second.path("pagination").path("currentPage").asInt());
    assertEquals(true, second.path("pagination").path("hasPreviousPage").asBoolean());
    assertEquals(500, first.path("usageEvents").size());
    long previous = Long.MAX_VALUE;
    for (JsonNode page : List.of(first, second)) {
      for (JsonNode event : page.path("usageEvents")) {
        long t = Long.parseLong(event.path("timestamp").asText());
        assertTrue(t <= previous, "newest first");
        previous = t;
      }
    }
  }

  @Test
  void otlpLinesAreOneExportRequestPerSessionOfClaudeCodeLogRecordsWithStringValues() throws IOException {
    Map<Carried, Integer> requests = new HashMap<>();
    Map<Carried, Integer> turns = new HashMap<>();
    Set<String> promptIds = new HashSet<>();
    int count = 0;
    for (Path file : eventFiles(otlpOut)) {
      assertTrue(file.getFileName().toString().matches("part-\\d{5}\\.jsonl"), file.toString());
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode request = JSON.readTree(line);
        assertEquals(List.of("resourceLogs"), fieldNames(request));
        assertEquals(1, request.path("resourceLogs").size(), "one resource a line");
        JsonNode resource = request.path("resourceLogs").get(0);
        assertEquals("claude-code", attributes(resource.path("resource")).get("service.name"));
        JsonNode scope = resource.path("scopeLogs").get(0);
        assertEquals("com.anthropic.claude_code.events", scope.path("scope").path("name").asText());
        JsonNode records = scope.path("logRecords");
        assertTrue(records.size() <= OtlpLogs.MAX_RECORDS_PER_LINE + 1);
        Set<String> people = new HashSet<>();
        Set<String> sessions = new HashSet<>();
        String turn = null;
        Carried turnRequest = null;
        for (JsonNode record : records) {
          Map<String, String> a = attributes(record);
          Instant time = Instant.parse(a.get("event.timestamp"));
          assertEquals(time.toEpochMilli() * 1_000_000L, Long.parseLong(record.path("timeUnixNano").asText()));
          people.add(a.get("user.email"));
          sessions.add(String.valueOf(a.get("session.id")));
          assertEquals(64, a.get("user.id").length(), "an installation id");
          String name = record.path("body").path("stringValue").asText();
          if (name.equals("claude_code.user_prompt")) {
            assertEquals("user_prompt", a.get("event.name"));
            assertTrue(Long.parseLong(a.get("prompt_length")) > 0);
            turn = a.get("prompt.id");
            continue;
          }
          assertEquals("claude_code.api_request", name);
          assertEquals("api_request", a.get("event.name"));
          assertEquals("0", a.get("cache_creation_tokens"));
          long cacheRead = Long.parseLong(a.get("cache_read_tokens"));
          Carried c = new Carried(time, userOf(a.get("user.email")), a.get("model"),
              Long.parseLong(a.get("input_tokens")) + cacheRead, Long.parseLong(a.get("output_tokens")),
              cacheRead);
          requests.merge(c, 1, Integer::sum);
          assertTrue(promptIds.add(a.get("prompt.id")), "a prompt.id per request");
          if (turn != null) {
            assertEquals(turn, a.get("prompt.id"), "the human turn comes right before its request");
            turns.merge(c, 1, Integer::sum);
            turn = null;
          }
          count++;
        }
        assertEquals(1, people.size(), "one person a line");
        assertEquals(1, sessions.size(), "one session a line");
      }
    }
    assertEquals(nativeCount, count);
    assertEquals(nativeRequests, requests);
    assertEquals(interactiveRequests, turns, "a user_prompt for each interactive request, and only those");
  }

  @Test
  void theDirectoryNamesEachPersonByTheEmailTheFormatsCarry() throws IOException {
    List<List<String>> rows = GeneratedData.readCsv(otlpOut.resolve(UsageGenerator.DIRECTORY_FILE));
    assertEquals(List.of("user_id", "team_id", "team_name", "org", "manager_id", "is_developer", "valid_from",
        "valid_to", "email"), rows.get(0));
    for (List<String> row : rows.subList(1, rows.size())) {
      assertEquals(row.get(0) + "@example.com", row.get(8));
    }
    List<List<String>> nativeRows = GeneratedData.readCsv(nativeOut.resolve(UsageGenerator.DIRECTORY_FILE));
    assertEquals(8, nativeRows.get(0).size(), "the contract's directory is unchanged");
    assertEquals(nativeRows.size(), rows.size());
  }

  @Test
  void theSameSeedWritesTheSameFiles(@TempDir Path tmp) throws IOException {
    Path again = tmp.resolve("again");
    new UsageGenerator().generate(small(again, EmitFormat.CURSOR_EVENTS).build());
    List<Path> files = eventFiles(cursorOut);
    List<Path> repeated = eventFiles(again);
    assertEquals(files.size(), repeated.size());
    for (int i = 0; i < files.size(); i++) {
      assertArrayEquals(Files.readAllBytes(files.get(i)), Files.readAllBytes(repeated.get(i)), files.get(i) + "");
    }
    JsonNode summary = JSON.readTree(cursorOut.resolve(UsageGenerator.SUMMARY_FILE).toFile());
    assertEquals("cursor-events", summary.path("config").path("emit").asText());
    assertEquals(nativeCount, summary.path("events").asInt());
    assertEquals(0, summary.path("duplicate_lines").asInt());
    assertEquals(files.size(), summary.path("files").asInt());
  }

  /** One request, by hand: 1,000 input tokens of which 600 from the cache, 200 output, typed by a person. */
  static EventFactory.Fields oneRequest() {
    EventFactory.Fields f = new EventFactory.Fields();
    f.idHi = 1;
    f.idLo = 4; // kind "Usage-based" for cursor (idLo % 4 == 0)
    f.time = 1_764_496_800_123L; // 2025-11-30T10:00:00.123Z
    f.userId = "u00042";
    f.model = "claude-sonnet-4-5";
    f.input = 1_000;
    f.output = 200;
    f.cacheRead = 600;
    f.hasSession = true;
    f.session = 0xabcdef123456L;
    f.duration = 1_500;
    return f;
  }

  @Test
  void aCursorEventCountsCachedInputApartAndReadsBackAsTheRequest() {
    Bytes b = new Bytes();
    CursorPages.event(b, oneRequest(), "u00042@example.com");
    String event = new String(b.buf, 0, b.len, StandardCharsets.US_ASCII);
    assertEquals("""
            {
              "timestamp": "1764496800123",
              "model": "claude-sonnet-4-5",
              "kind": "Usage-based",
              "maxMode": false,
              "requestsCosts": 1,
              "isTokenBasedCall": true,
              "tokenUsage": {
                "inputTokens": 400,
                "outputTokens": 200,
                "cacheWriteTokens": 0,
                "cacheReadTokens": 600,
                "totalCents": 4.38
              },
              "isFreeBugbot": false,
              "userEmail": "u00042@example.com"
            }""", event.stripIndent(), "the event as written, without its indentation in the page");
    UsageEvent e = new CursorEventsFormat().read("{\"usageEvents\": [\n" + event + "\n]}", 1).get(0).event();
    assertEquals(Instant.parse("2025-11-30T10:00:00.123Z"), e.eventTime());
    assertEquals(1_000L, e.inputTokens());
    assertEquals(600L, e.cacheReadTokens());
    assertEquals(200L, e.outputTokens());
    assertEquals("u00042@example.com", e.userId());
  }

  @Test
  void anInteractiveRequestIsAHumanTurnAndAnApiRequestSharingTheirPromptId() throws IOException {
    OtlpLogs.Batch batch = new OtlpLogs.Batch();
    OtlpLogs.addRequest(batch, oneRequest(), "u00042@example.com", "i".repeat(64));
    Bytes b = new Bytes();
    OtlpLogs.line(b, batch);
    JsonNode records = JSON.readTree(new String(b.buf, 0, b.len, StandardCharsets.US_ASCII))
        .path("resourceLogs").get(0).path("scopeLogs").get(0).path("logRecords");
    assertEquals(2, records.size());
    assertEquals("claude_code.user_prompt", records.get(0).path("body").path("stringValue").asText());
    Map<String, String> turn = attributes(records.get(0));
    Map<String, String> request = attributes(records.get(1));
    assertEquals(turn.get("prompt.id"), request.get("prompt.id"));
    request.remove("prompt.id");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("user.id", "i".repeat(64));
    expected.put("session.id", "sess-abcdef123456");
    expected.put("user.email", "u00042@example.com");
    expected.put("event.name", "api_request");
    expected.put("event.timestamp", "2025-11-30T10:00:00.123Z");
    expected.put("model", "claude-sonnet-4-5");
    expected.put("input_tokens", "400");
    expected.put("output_tokens", "200");
    expected.put("cache_read_tokens", "600");
    expected.put("cache_creation_tokens", "0");
    expected.put("duration_ms", "1500");
    assertEquals(expected, request);
    assertEquals("1764496800123000000", records.get(1).path("timeUnixNano").asText());
  }

  @Test
  void aScheduledRequestHasAPromptIdButNoHumanTurn() throws IOException {
    EventFactory.Fields f = oneRequest();
    f.trigger = "scheduled";
    OtlpLogs.Batch batch = new OtlpLogs.Batch();
    OtlpLogs.addRequest(batch, f, "u00042@example.com", "i".repeat(64));
    assertEquals(1, batch.count);
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** An OTLP attribute list as name -> string value; every value must be a stringValue. */
  static Map<String, String> attributes(JsonNode owner) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode attribute : owner.path("attributes")) {
      JsonNode value = attribute.path("value");
      assertEquals(List.of("stringValue"), fieldNames(value), attribute.toString());
      String earlier = out.put(attribute.path("key").asText(), value.path("stringValue").asText());
      assertNull(earlier, "attribute named twice: " + attribute);
    }
    return out;
  }
}
