package io.goodhart.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.ingest.Interaction;
import io.goodhart.ingest.MetricPoint;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.PromptText;
import io.goodhart.ingest.SourceRecord;
import io.goodhart.ingest.SourceRecord.Kind;
import io.goodhart.ingest.UsageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OTLP JSON adapter, record by record: the fixtures under {@code formats/otlp/} are shaped like the files the
 * OpenTelemetry Collector's file exporter writes from Claude Code and from GenAI-instrumented applications (see
 * datasets/README.md for where each shape is documented), and small hand-made lines pin each rule.
 */
class OtlpFormatTest {
  private final OtlpFormat format = new OtlpFormat();

  private static final String ANA_INSTALLATION = "5f0c6e3a9b1d47e28c4a6f1e0b3d2c7a9e8f1a2b3c4d5e6f7a8b9c0d1e2f3a4b";
  private static final String SESSION = "3b9f6c1e-2d4a-4e8b-9c7f-1a2b3c4d5e6f";
  private static final String PROMPT = "c2a1f3e4-5b6d-4c7e-8f9a-0b1c2d3e4f5a";
  private static final String SONNET = "claude-sonnet-4-5-20250929";
  private static final String REMOVED = "\"" + PromptText.REMOVED + "\"";
  private static final PersonKeys ANA = new PersonKeys(Map.of(PersonKeys.Type.EMAIL, "ana.souza@example.com",
      PersonKeys.Type.ACCOUNT, "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a", PersonKeys.Type.INSTALLATION, ANA_INSTALLATION));

  private static List<String> fixture(String name) {
    try (InputStream in = OtlpFormatTest.class.getResourceAsStream("/formats/otlp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<SourceRecord> read(String line) {
    return format.read(line, 7);
  }

  /** Claude Code's standard attributes, then the resource's kept ones, as extra_fields keeps them. */
  private static Map<String, String> claudeCodeExtra(long sequence, Object... more) {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("app.version", "\"2.1.7\"");
    extra.put("organization.id", "\"11111111-2222-4333-8444-555555555555\"");
    extra.put("terminal.type", "\"vscode\"");
    extra.put("event.sequence", Long.toString(sequence));
    for (int i = 0; i < more.length; i += 2) {
      extra.put((String) more[i], (String) more[i + 1]);
    }
    extra.put("department", "\"engineering\"");
    extra.put("team.id", "\"platform\"");
    extra.put("service.version", "\"2.1.7\"");
    return extra;
  }

  private static Interaction interaction(String id, String time, String kind, String toolName, String decision,
      String source, Boolean success, Long promptLength, String model, Long durationMs, Map<String, String> extra) {
    return new Interaction(id, Instant.parse(time), kind, ANA, "claude-code", SESSION, PROMPT, toolName, decision,
        source, success, promptLength, model, durationMs, extra);
  }

  private static String sha32(String... parts) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String part : parts) {
      sha.update(part.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
  }

  @Test
  void aClaudeCodeLogBatchIsOneRequestAndFiveInteractionsInDocumentOrder() {
    List<String> lines = fixture("claude-code-logs.json");
    assertEquals(1, lines.size(), "the collector writes one export request per line");
    List<SourceRecord> records = format.read(lines.get(0), 1);

    Interaction userPrompt = interaction("otlp-log:ba5512363b05bbcc8edf40b36b76db11", "2026-01-16T09:56:57.572Z",
        "user_prompt", null, null, null, null, 4L, null, null, claudeCodeExtra(0, "prompt", REMOVED));
    UsageEvent apiRequest = new UsageEvent("otlp-log:a22d8cc01ce94a7308bd40f756c35aea",
        Instant.parse("2026-01-16T09:57:03.018Z"), null, "ana.souza@example.com", "claude-code", "chat",
        4 + 18342 + 1204, 273, SONNET, 18342L, SESSION, null, "interactive", null, 5341L, null, null, null,
        claudeCodeExtra(1, "anthropic_input_tokens", "4", "cache_creation_tokens", "1204", "cost_usd", "0.0162546"),
        "otlp", "otlp-log:a22d8cc01ce94a7308bd40f756c35aea", PROMPT, ANA);
    Interaction toolDecision = interaction("otlp-log:a656485a85bfa1d48e774d99b7b76ea8", "2026-01-16T09:57:03.410Z",
        "tool_decision", "Edit", "accept", "config", null, null, null, null, claudeCodeExtra(2));
    Interaction toolResult = interaction("otlp-log:0310913dd25e2e11aee6cea5acfe821f", "2026-01-16T09:57:04.101Z",
        "tool_result", "Bash", "accept", "user_temporary", true, null, null, 42L,
        claudeCodeExtra(3, "tool_parameters", REMOVED));
    Interaction apiError = interaction("otlp-log:c09fe4b8e05d71b12adc9b21da804929", "2026-01-16T09:57:10.977Z",
        "api_error", null, null, null, null, null, SONNET, 1200L,
        claudeCodeExtra(4, "error", "\"Overloaded\"", "status_code", "\"529\"", "attempt", "\"1\""));
    Interaction hook = interaction("otlp-log:d6eb9c8221d87c4ccdd3a0ab7b9ab06a", "2026-01-16T09:57:11.002Z",
        "hook_execution_start", null, null, null, null, null, null, null, claudeCodeExtra(5, "hook_event", "\"Stop\""));

    assertEquals(List.of(SourceRecord.interaction(0, 1, userPrompt), SourceRecord.request(1, 1, apiRequest),
        SourceRecord.interaction(2, 1, toolDecision), SourceRecord.interaction(3, 1, toolResult),
        SourceRecord.interaction(4, 1, apiError), SourceRecord.interaction(5, 1, hook)), records);
  }

  @Test
  void theIdOfAClaudeCodeEventIsTheDigestOfWhatTheEventSays() throws Exception {
    UsageEvent request = format.read(fixture("claude-code-logs.json").get(0), 1).get(1).event();
    assertEquals("otlp-log:" + sha32("claude_code.api_request", "2026-01-16T09:57:03.018Z", SESSION, PROMPT, "1",
        "ana.souza@example.com", SONNET, "4", "273", "18342", "1204", "0.0162546", "5341"), request.eventId());
    Interaction decision = format.read(fixture("claude-code-logs.json").get(0), 1).get(2).interaction();
    assertEquals("otlp-log:" + sha32("claude_code.tool_decision", "2026-01-16T09:57:03.410Z", SESSION, PROMPT, "2",
        "ana.souza@example.com", "Edit", "accept", "config"), decision.eventId());
  }

  private static String claudeCodeLine(String attributes) {
    return "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":"
        + "\"claude-code\"}}]},\"scopeLogs\":[{\"scope\":{\"name\":\"com.anthropic.claude_code.events\"},\"logRecords\":["
        + "{\"timeUnixNano\":\"1768557423018000000\",\"body\":{\"stringValue\":\"claude_code.api_request\"},"
        + "\"attributes\":[{\"key\":\"user.id\",\"value\":{\"stringValue\":\"inst-1\"}}" + attributes + "]}]}]}]}";
  }

  private static String attr(String key, String value) {
    return ",{\"key\":\"" + key + "\",\"value\":" + value + "}";
  }

  @Test
  void aReDeliveredEventKeepsItsIdWhateverTypesItsValuesArriveIn() {
    String strings = claudeCodeLine(attr("input_tokens", "{\"stringValue\":\"4\"}")
        + attr("output_tokens", "{\"stringValue\":\"273\"}") + attr("cost_usd", "{\"stringValue\":\"0.0160\"}"));
    String numbers = claudeCodeLine(attr("input_tokens", "{\"intValue\":4}")
        + attr("output_tokens", "{\"intValue\":\"273\"}") + attr("cost_usd", "{\"doubleValue\":0.016}"));
    UsageEvent fromStrings = read(strings).get(0).event();
    UsageEvent fromNumbers = read(numbers).get(0).event();
    assertEquals(fromStrings.eventId(), fromNumbers.eventId());
    assertEquals(4, fromNumbers.inputTokens());
    assertEquals(273, fromNumbers.outputTokens());
    assertEquals("inst-1", fromNumbers.userId(), "an installation id alone still names the person");

    String otherTokens = claudeCodeLine(attr("input_tokens", "{\"intValue\":5}") + attr("output_tokens", "{\"intValue\":273}")
        + attr("cost_usd", "{\"doubleValue\":0.016}"));
    assertNotEquals(fromNumbers.eventId(), read(otherTokens).get(0).event().eventId());

    // the same user_prompt named only by its event.name attribute, its time from timeUnixNano (collector-mixed.json)
    Interaction sameTurn = format.read(fixture("collector-mixed.json").get(0), 1).get(1).interaction();
    assertEquals("otlp-log:ba5512363b05bbcc8edf40b36b76db11", sameTurn.eventId());
  }

  @Test
  void theTimeIsTheEventTimestampElseTheRecordTimeElseTheObservedTime() {
    String both = claudeCodeLine(attr("event.timestamp", "{\"stringValue\":\"2026-01-16T10:57:03.018+01:00\"}")
        + attr("input_tokens", "{\"intValue\":1}") + attr("output_tokens", "{\"intValue\":1}"));
    assertEquals(Instant.parse("2026-01-16T09:57:03.018Z"), read(both).get(0).event().eventTime());
    assertEquals(null, read(both).get(0).event().eventOffsetMinutes(), "OTLP times carry no offset of the person");
    String observedOnly = claudeCodeLine(attr("input_tokens", "{\"intValue\":1}") + attr("output_tokens",
        "{\"intValue\":1}")).replace("\"timeUnixNano\":\"1768557423018000000\"",
        "\"timeUnixNano\":\"0\",\"observedTimeUnixNano\":\"1768557424000000000\"");
    assertEquals(Instant.parse("2026-01-16T09:57:04Z"), read(observedOnly).get(0).event().eventTime());

    SourceRecord milliseconds = read(claudeCodeLine(attr("input_tokens", "{\"intValue\":1}")
        + attr("output_tokens", "{\"intValue\":1}")).replace("1768557423018000000", "1768557423018")).get(0);
    assertEquals("timeUnixNano", milliseconds.field());
    assertEquals("not a plausible time: 1970-01-01T00:29:28.557423018Z (accepted: from 2000-01-01T00:00:00Z to "
        + "before 2100-01-01T00:00:00Z)", milliseconds.reason());
    SourceRecord noOffset = read(claudeCodeLine(attr("event.timestamp", "{\"stringValue\":\"2026-01-16T09:57:03\"}")
        + attr("input_tokens", "{\"intValue\":1}") + attr("output_tokens", "{\"intValue\":1}"))).get(0);
    assertEquals("attributes.event.timestamp", noOffset.field());
    assertEquals("not an ISO-8601 time with offset (like 2026-01-16T09:56:57.572Z): string \"2026-01-16T09:57:03\"",
        noOffset.reason());
  }

  @Test
  void countsAreWholeNumbersAtLeastZeroInWhateverJsonTypeTheyCome() {
    assertEquals(4, read(claudeCodeLine(attr("input_tokens", "{\"doubleValue\":4.0}")
        + attr("output_tokens", "{\"stringValue\":\"0\"}"))).get(0).event().inputTokens());
    Map<String, String> bad = Map.of(
        "{\"doubleValue\":4.5}", "must be a whole number >= 0 (a number or a decimal string), found number 4.5",
        "{\"stringValue\":\"4 tokens\"}", "must be a whole number >= 0 (a number or a decimal string), found string \"4 tokens\"",
        "{\"intValue\":\"-1\"}", "must be >= 0, found -1",
        "{\"stringValue\":\"9007199254740992\"}",
        "out of range: 9007199254740992 is above 9007199254740991 (2^53 - 1, the largest whole number JSON carries exactly)",
        "{\"boolValue\":true}", "must be a whole number >= 0 (a number or a decimal string), found boolean true");
    bad.forEach((value, reason) -> {
      SourceRecord r = read(claudeCodeLine(attr("input_tokens", value) + attr("output_tokens", "{\"intValue\":1}"))).get(0);
      assertEquals(Kind.REJECTED, r.kind(), value);
      assertEquals("attributes.input_tokens", r.field(), value);
      assertEquals(reason, r.reason(), value);
    });
    SourceRecord missing = read(claudeCodeLine(attr("output_tokens", "{\"intValue\":1}"))).get(0);
    assertEquals("attributes.input_tokens", missing.field());
    assertEquals("required field is missing", missing.reason());
    SourceRecord cost = read(claudeCodeLine(attr("input_tokens", "{\"intValue\":1}") + attr("output_tokens",
        "{\"intValue\":1}") + attr("cost_usd", "{\"stringValue\":\"-0.5\"}"))).get(0);
    assertEquals("attributes.cost_usd", cost.field());
    assertEquals("must be >= 0, found -0.5", cost.reason());
  }

  @Test
  void brokenRecordsAreRejectedOneByOneWithTheirFieldAndOwnJsonAndTheBatchReadsOn() {
    List<String> lines = fixture("broken.json");
    List<SourceRecord> logs = format.read(lines.get(0), 1);
    assertEquals(List.of(Kind.REJECTED, Kind.REJECTED, Kind.REJECTED, Kind.REQUEST),
        logs.stream().map(SourceRecord::kind).toList());
    assertEquals(List.of(0, 1, 2, 3), logs.stream().map(SourceRecord::index).toList());
    assertEquals(List.of("attributes.input_tokens", "attributes.output_tokens", "attributes.user.id"),
        logs.subList(0, 3).stream().map(SourceRecord::field).toList());
    assertEquals(List.of("must be >= 0, found -4",
        "must be a whole number >= 0 (a number or a decimal string), found string \"many\"",
        "no person: none of user.email, user.account_uuid, user.id in the record's attributes or its resource's"),
        logs.subList(0, 3).stream().map(SourceRecord::reason).toList());
    assertEquals("{\"timeUnixNano\":\"1768557423018000000\",\"observedTimeUnixNano\":\"1768557423018000000\",\"body\":"
        + "{\"stringValue\":\"claude_code.api_request\"},\"attributes\":[{\"key\":\"session.id\",\"value\":{\"stringValue\":"
        + "\"" + SESSION + "\"}},{\"key\":\"terminal.type\",\"value\":{\"stringValue\":\"vscode\"}},{\"key\":\"event.name\","
        + "\"value\":{\"stringValue\":\"api_request\"}},{\"key\":\"event.timestamp\",\"value\":{\"stringValue\":"
        + "\"2026-01-16T09:57:03.018Z\"}},{\"key\":\"model\",\"value\":{\"stringValue\":\"" + SONNET + "\"}},{\"key\":"
        + "\"input_tokens\",\"value\":{\"stringValue\":\"4\"}},{\"key\":\"output_tokens\",\"value\":{\"stringValue\":"
        + "\"273\"}}]}", logs.get(2).recordText(), "the rejected record's own JSON, not the whole batch");

    assertEquals(List.of(SourceRecord.rejected(0, 2, null, "not valid JSON: Unexpected end-of-input: was expecting "
        + "closing quote for a string value (near column 72)", null)), format.read(lines.get(1), 2));

    SourceRecord span = format.read(lines.get(2), 3).get(0);
    assertEquals(Kind.REJECTED, span.kind());
    assertEquals("attributes.gen_ai.usage.input_tokens", span.field());
    assertEquals("attributes.gen_ai.usage.input_tokens and its deprecated name attributes.gen_ai.usage.prompt_tokens "
        + "differ: 600 and 512", span.reason());
    assertEquals("otlp-span:0af7651916cd43dd8448eb211c80319c:c7ad6b7169203332", span.recordId());
  }

  @Test
  void promptTextAndToolInputsAreNeverKeptNotEvenInARejectedRecord() {
    String line = claudeCodeLine(attr("input_tokens", "{\"stringValue\":\"x\"}") + attr("output_tokens", "{\"intValue\":1}")
        + attr("prompt", "{\"stringValue\":\"fix the billing bug for Acme\"}")
        + attr("tool_parameters", "{\"stringValue\":\"{\\\"full_command\\\":\\\"cat ~/.ssh/id_rsa\\\"}\"}"));
    SourceRecord rejected = read(line).get(0);
    assertEquals(Kind.REJECTED, rejected.kind());
    assertFalse(rejected.recordText().contains("Acme"), rejected.recordText());
    assertFalse(rejected.recordText().contains("id_rsa"), rejected.recordText());
    assertTrue(rejected.recordText().contains("{\"key\":\"prompt\",\"value\":{\"stringValue\":\"" + PromptText.REMOVED),
        rejected.recordText());

    UsageEvent kept = read(line.replace("{\"stringValue\":\"x\"}", "{\"stringValue\":\"3\"}")).get(0).event();
    assertEquals(REMOVED, kept.extraFields().get("prompt"));
    assertEquals(REMOVED, kept.extraFields().get("tool_parameters"));
  }

  @Test
  void deltaSumsOfClaudeCodeMetricsAreMetricPointsAsDelivered() {
    List<SourceRecord> records = format.read(fixture("claude-code-metrics-delta.json").get(0), 1);
    assertEquals(10, records.size());
    assertTrue(records.stream().allMatch(r -> r.kind() == Kind.METRIC_POINT));
    assertEquals(List.of("claude_code.session.count", "claude_code.token.usage", "claude_code.token.usage",
        "claude_code.token.usage", "claude_code.token.usage", "claude_code.cost.usage", "claude_code.lines_of_code.count",
        "claude_code.lines_of_code.count", "claude_code.commit.count", "claude_code.pull_request.count"),
        records.stream().map(r -> r.point().metricName()).toList());
    assertEquals(List.of("input", "output", "cacheRead", "cacheCreation"),
        records.subList(1, 5).stream().map(r -> r.point().type()).toList());
    assertEquals(List.of(4.0, 273.0, 18342.0, 1204.0), records.subList(1, 5).stream().map(r -> r.point().doubleValue()).toList());

    Map<String, String> kept = new LinkedHashMap<>();
    kept.put("organization.id", "\"11111111-2222-4333-8444-555555555555\"");
    kept.put("terminal.type", "\"vscode\"");
    kept.put("service.version", "\"2.1.7\"");
    String streamKey = "claude_code.commit.count|host.arch=\"arm64\",os.type=\"darwin\",os.version=\"24.6.0\","
        + "service.name=\"claude-code\",service.version=\"2.1.7\"|com.anthropic.claude_code|organization.id="
        + "\"11111111-2222-4333-8444-555555555555\",session.id=\"" + SESSION + "\",terminal.type=\"vscode\","
        + "user.account_uuid=\"9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a\",user.email=\"ana.souza@example.com\",user.id=\""
        + ANA_INSTALLATION + "\"";
    assertEquals(SourceRecord.point(8, 1, new MetricPoint("otlp-point:0197e51f68b9cb3ef9b97ad0472deb43",
        "claude_code.commit.count", "count", streamKey, "delta", true, Instant.parse("2026-01-16T09:56:00Z"),
        Instant.parse("2026-01-16T09:57:00Z"), ANA, "claude-code", SESSION, null, null, 1L, null, kept)), records.get(8));
    MetricPoint lines = records.get(6).point();
    assertEquals(List.of("added", "delta", "42.0"), List.of(lines.type(), lines.temporality(), lines.doubleValue().toString()));
  }

  @Test
  void theIdOfAMetricPointIsItsStreamStartAndTime() throws Exception {
    MetricPoint commit = format.read(fixture("claude-code-metrics-delta.json").get(0), 1).get(8).point();
    assertEquals("otlp-point:" + sha32(commit.streamKey(), "1768557360000000000", "1768557420000000000"),
        commit.pointId());
    MetricPoint sameInMixedFile = format.read(fixture("collector-mixed.json").get(2), 3).get(2).point();
    assertEquals(commit.pointId(), sameInMixedFile.pointId(), "a re-delivered point is the same point");
    assertEquals(2L, sameInMixedFile.longValue());
  }

  @Test
  void cumulativeSumsKeepTheirRunningTotalAndShowARestartAsANewStart() {
    List<String> lines = fixture("claude-code-metrics-cumulative.json");
    List<MetricPoint> tokens = lines.stream().map(l -> format.read(l, 1).get(0).point()).toList();
    assertEquals(List.of("cumulative", "cumulative", "cumulative"), tokens.stream().map(MetricPoint::temporality).toList());
    assertEquals(List.of(4.0, 1210.0, 6.0), tokens.stream().map(MetricPoint::doubleValue).toList());
    assertEquals(List.of(Instant.parse("2026-01-16T09:50:00Z"), Instant.parse("2026-01-16T09:50:00Z"),
        Instant.parse("2026-01-16T10:05:00Z")), tokens.stream().map(MetricPoint::startTime).toList());
    assertEquals(tokens.get(0).streamKey(), tokens.get(2).streamKey(), "a restart is the same stream");
    assertEquals(3, tokens.stream().map(MetricPoint::pointId).distinct().count());
  }

  private static String sumLine(String temporality, String value) {
    return "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"claude_code.commit.count\",\"sum\":"
        + "{\"aggregationTemporality\":" + temporality + ",\"isMonotonic\":true,\"dataPoints\":[{\"attributes\":"
        + "[{\"key\":\"user.email\",\"value\":{\"stringValue\":\"a@example.com\"}}],\"startTimeUnixNano\":"
        + "\"1768557360000000000\",\"timeUnixNano\":\"1768557420000000000\"," + value + "}]}}]}]}]}";
  }

  @Test
  void aSumsTemporalityIsItsNumberOrItsEnumNameAndItsValueACount() {
    assertEquals("delta", read(sumLine("\"AGGREGATION_TEMPORALITY_DELTA\"", "\"asInt\":\"3\"")).get(0).point().temporality());
    assertEquals("cumulative", read(sumLine("2", "\"asInt\":3")).get(0).point().temporality());
    SourceRecord unspecified = read(sumLine("0", "\"asInt\":3")).get(0);
    assertEquals(List.of("sum.aggregationTemporality", "must be 1 (delta) or 2 (cumulative), found number 0"),
        List.of(unspecified.field(), unspecified.reason()));
    SourceRecord negative = read(sumLine("1", "\"asDouble\":-1.5")).get(0);
    assertEquals(List.of("asDouble", "must be a finite number >= 0 (the metrics are counters), found -1.5"),
        List.of(negative.field(), negative.reason()));
    SourceRecord noValue = read(sumLine("1", "\"flags\":0")).get(0);
    assertEquals(List.of("asInt", "the data point has no value (asInt or asDouble)"),
        List.of(noValue.field(), noValue.reason()));
  }

  @Test
  void gaugesHistogramsAndOtherMetricsAreSkippedWithTheMetricNamed() {
    List<SourceRecord> records = format.read(fixture("collector-mixed.json").get(2), 3);
    assertEquals(List.of(
        SourceRecord.skipped(0, 3, "metric gen_ai.client.token.usage is a histogram: goodhart reads only sums of "
            + "Claude Code (claude_code.*) metrics"),
        SourceRecord.skipped(1, 3, "metric process.memory.usage is a gauge: goodhart reads only sums of Claude Code "
            + "(claude_code.*) metrics")), records.subList(0, 2));
    assertEquals(Kind.METRIC_POINT, records.get(2).kind());
    assertEquals(SourceRecord.skipped(0, 7, "metric http.server.requests is not a Claude Code (claude_code.*) metric"),
        read(sumLine("1", "\"asInt\":3").replace("claude_code.commit.count", "http.server.requests")).get(0));
  }

  @Test
  void genAiSpansAreRequestsUnderTheCurrentAndTheDeprecatedNames() {
    List<String> lines = fixture("genai-spans.json");
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("gen_ai.provider.name", "\"openai\"");
    extra.put("gen_ai.response.model", "\"gpt-4o-2024-08-06\"");
    extra.put("server.address", "\"api.openai.com\"");
    extra.put("gen_ai.response.finish_reasons", REMOVED);
    extra.put("gen_ai.input.messages", REMOVED);
    extra.put("service.version", "\"3.4.1\"");
    extra.put("deployment.environment.name", "\"production\"");
    String id = "otlp-span:4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7";
    UsageEvent chat = new UsageEvent(id, Instant.parse("2026-01-16T10:40:00.123456789Z"), null, "li.wei@example.com",
        "support-bot", "chat", 1200, 85, "gpt-4o", 1024L, "conv_5j66UpCpwteGg4YSxUnt7lPY", null, "interactive", null,
        2345L, null, null, null, extra, "otlp", id, null,
        new PersonKeys(Map.of(PersonKeys.Type.EMAIL, "li.wei@example.com")));
    assertEquals(List.of(SourceRecord.request(0, 1, chat),
        SourceRecord.skipped(1, 1, "span \"execute_tool lookup_order\" is a GenAI execute_tool span, not a model call "
            + "(its model calls are spans of their own)"),
        SourceRecord.skipped(2, 1, "span \"POST /support/answer\" has no gen_ai.operation.name or gen_ai.usage.* "
            + "attribute: not a model call")), format.read(lines.get(0), 1));

    String oldId = "otlp-span:0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331";
    UsageEvent deprecated = new UsageEvent(oldId, Instant.parse("2026-01-16T11:40:00Z"), null, "u-20931",
        "claims-triage", "chat", 512, 64, "claude-3-5-haiku-20241022", null, "claim-77120", null, "interactive", null,
        1250L, null, null, null, Map.of("gen_ai.system", "\"anthropic\""), "otlp", oldId, null,
        new PersonKeys(Map.of(PersonKeys.Type.ENDUSER, "u-20931")));
    assertEquals(List.of(SourceRecord.request(0, 2, deprecated)), format.read(lines.get(1), 2));
  }

  private static String spanLine(String resourceAttributes, String spanAttributes) {
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" + resourceAttributes + "]},\"scopeSpans\":[{\"spans\":"
        + "[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\",\"name\":\"chat\","
        + "\"startTimeUnixNano\":\"1768563600000000000\",\"endTimeUnixNano\":\"1768563600500000000\",\"attributes\":"
        + "[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}}" + spanAttributes + "]}]}]}]}";
  }

  @Test
  void theSpansPersonIsItsOwnElseItsResourcesAndASpanWithoutOneIsRejected() {
    String service = "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"Bot\"}}";
    String resourceUser = ",{\"key\":\"enduser.id\",\"value\":{\"stringValue\":\"from-resource\"}}";
    assertEquals(new PersonKeys(Map.of(PersonKeys.Type.ENDUSER, "from-resource")),
        read(spanLine(service + resourceUser, "")).get(0).event().personKeys());
    assertEquals(new PersonKeys(Map.of(PersonKeys.Type.ENDUSER, "from-span")),
        read(spanLine(service + resourceUser, attr("enduser.id", "{\"stringValue\":\"from-span\"}"))).get(0).event()
            .personKeys());
    SourceRecord nobody = read(spanLine(service, "")).get(0);
    assertEquals(List.of("attributes.enduser.id", "no person: none of user.email, enduser.id, user.id in the span's "
        + "attributes or its resource's"), List.of(nobody.field(), nobody.reason()));
    assertEquals("otlp-span:0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331", nobody.recordId());

    UsageEvent noUsage = read(spanLine(service, resourceUser)).get(0).event();
    assertEquals(List.of(0L, 0L, 500L), List.of(noUsage.inputTokens(), noUsage.outputTokens(), noUsage.durationMs()),
        "a model call that reports no usage is still a request");
    String retrieval = spanLine(service + resourceUser, "").replace("{\"stringValue\":\"chat\"}",
        "{\"stringValue\":\"retrieval\"}");
    assertEquals(SourceRecord.skipped(0, 7, "span \"chat\" is a GenAI retrieval span without token usage: not a model "
        + "call"), read(retrieval).get(0));
    assertEquals(Kind.REQUEST, read(retrieval.replace("]}]}]}]}", attr("gen_ai.usage.input_tokens", "{\"intValue\":9}")
        + "]}]}]}]}")).get(0).kind(), "another operation that reports usage is a model call");
    SourceRecord badTrace = read(spanLine(service + resourceUser, "").replace("0af7651916cd43dd8448eb211c80319c", "")).get(0);
    assertEquals(List.of("traceId", "required field is missing"), List.of(badTrace.field(), badTrace.reason()));
  }

  @Test
  void aCollectorFileMayMixSignalsAcrossLinesAndAnEmptyRequestIsEmpty() {
    List<String> lines = fixture("collector-mixed.json");
    assertEquals(List.of(List.of(Kind.SKIPPED, Kind.INTERACTION), List.of(Kind.REQUEST, Kind.SKIPPED, Kind.SKIPPED),
        List.of(Kind.SKIPPED, Kind.SKIPPED, Kind.METRIC_POINT), List.of(Kind.EMPTY)),
        java.util.stream.IntStream.range(0, lines.size())
            .mapToObj(i -> format.read(lines.get(i), i + 1).stream().map(SourceRecord::kind).toList()).toList());
    assertEquals(SourceRecord.skipped(0, 1, "a log record that is not a Claude Code event (claude_code.*)"),
        format.read(lines.get(0), 1).get(0));
    assertEquals(SourceRecord.empty(4, "the export request holds no log records, spans or data points"),
        format.read(lines.get(3), 4).get(0));
  }

  @Test
  void aLineThatIsNoExportRequestIsOneRejectedRecord() {
    assertEquals(List.of(SourceRecord.rejected(0, 7, null, "expected one OTLP export request (a JSON object) per line, "
        + "found array [1]", null)), read("[1]"));
    assertEquals(List.of(SourceRecord.rejected(0, 7, null, "not an OTLP export request: the object has none of "
        + "resourceLogs, resourceSpans, resourceMetrics", null)), read("{\"event_id\":\"e1\"}"));
    assertEquals(List.of(SourceRecord.rejected(0, 7, null, "empty line", null)), read("  "));
    assertEquals(List.of(SourceRecord.rejected(0, 7, "resourceLogs[0].scopeLogs", "must be a list, found object {}",
        null)), read("{\"resourceLogs\":[{\"scopeLogs\":{}}]}"));
    assertEquals(Kind.REJECTED, read("{\"resourceSpans\":[],\"resourceSpans\":[]}").get(0).kind(),
        "a duplicated member is refused, as by the native format");
  }

  @Test
  void filesAreJsonOrJsonLinesCompressedOrNotAndTheFirstLineSaysWhetherTheyAreOtlp() {
    for (String name : List.of("data.json", "data-2022-09-14T05-02-14.173.json", "logs.jsonl", "a.json.gz",
        "a.jsonl.gz", "a.json.zst", "A.JSONL.ZST")) {
      assertTrue(format.isEventFile(name), name);
    }
    for (String name : List.of("a.proto", "a.json.bz2", "a.csv", "a.json.zstd")) {
      assertFalse(format.isEventFile(name), name);
    }
    assertEquals(64 << 20, format.maxUnitBytes());
    assertTrue(format.sniff("  {\"resourceMetrics\":[{\"resource\""));
    assertTrue(format.sniff(fixture("claude-code-logs.json").get(0).substring(0, 100)));
    assertFalse(format.sniff("{\"event_id\":\"e1\",\"event_time\":\"2026-11-23T09:14:03Z\"}"));
    assertFalse(format.sniff("[{\"resourceLogs\":[]}]"));
    assertFalse(format.sniff("{\"x\":\"" + "a".repeat(300) + "\",\"resourceLogs\":[]}"), "the signal opens the request");
  }
}
