package io.goodhart.ingest;

import static io.goodhart.testing.EventLines.event;
import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of the telemetry formats into a real Iceberg catalog: requests, interactions and metric points each in
 * their table, exactly once per id, a bad record rejected with its file, line and record index, and the ledger
 * balanced record by record.
 */
class TelemetryIngestTest {
  @TempDir Path dir;
  private SparkSession spark;
  private LakeTables tables;
  private final List<String> progress = new ArrayList<>();
  private LakeConfig config;

  @BeforeEach
  void setUp(TestInfo info) {
    spark = TestLake.spark();
    config = TestLake.freshConfig(info.getTestMethod().orElseThrow().getName());
    tables = new LakeTables(spark, config);
  }

  private Path fixture(String format, String name, String folder) throws IOException {
    Path target = dir.resolve(folder).resolve(name);
    Files.createDirectories(target.getParent());
    Files.copy(Path.of("src/test/resources/formats", format, name), target);
    return target;
  }

  private IngestLedger ingest(Path input, String format, boolean reload) {
    return new IngestJob(spark, tables, progress::add).run(new IngestJob.Config(input.toString(), null, reload, false,
        format));
  }

  private long count(String table) {
    return spark.table(table).count();
  }

  @Test
  void aClaudeCodeExportIsStoredAsRequestsInteractionsAndMetricPointsOnceEach() throws IOException {
    fixture("otlp", "claude-code-logs.json", "otel/date=2026-01-16");
    fixture("otlp", "claude-code-metrics-delta.json", "otel/date=2026-01-16");
    IngestLedger first = ingest(dir.resolve("otel"), "otlp", false);

    assertEquals(new IngestLedger(2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 16, 5, 10, 0, Map.of("claude-code", 16L),
        Map.of("claude-code", 1L)), first, "no directory names ana's email: her 16 records are counted unresolved");
    assertTrue(first.describe().endsWith("; unresolved people: claude-code 16 record(s) of 1 key(s)"),
        first.describe());
    assertTrue(first.balances());
    assertRows(spark.sql("SELECT user_id, tool, operation, input_tokens, output_tokens, cache_read_tokens, "
            + "event_offset_minutes IS NULL, source, prompt_id IS NOT NULL, person_keys['email'] FROM "
            + tables.usageEvents()),
        new Object[] {"ana.souza@example.com", "claude-code", "chat", 4L + 18342L + 1204L, 273L, 18342L, true, "otlp", true,
            "ana.souza@example.com"});
    assertRows(spark.sql("SELECT kind, count(*) FROM " + tables.interactionEvents() + " GROUP BY kind ORDER BY kind"),
        new Object[] {"api_error", 1L}, new Object[] {"hook_execution_start", 1L}, new Object[] {"tool_decision", 1L},
        new Object[] {"tool_result", 1L}, new Object[] {"user_prompt", 1L});
    assertEquals(0L, spark.table(tables.interactionEvents()).where("extra_fields['prompt'] IS NOT NULL "
        + "AND extra_fields['prompt'] NOT LIKE '%removed%'").count(), "prompt text is never kept");
    assertEquals(10L, count(tables.metricPoints()));
    assertRows(spark.sql("SELECT path LIKE '%logs.json' AS logs, format, lines, records, accepted, interactions, metric_points "
            + "FROM " + tables.ingestedFiles() + " ORDER BY path"),
        new Object[] {true, "otlp", 1L, 6L, 1L, 5L, 0L}, new Object[] {false, "otlp", 1L, 10L, 0L, 0L, 10L});

    IngestLedger again = ingest(dir.resolve("otel"), "otlp", true);
    assertEquals(new IngestLedger(2, 2, 0, 0, 16, 0, 0, 0, 0, 0, 16, 0, 0, 0), again,
        "a re-delivered export is 16 duplicates: every id is deterministic");
    assertEquals(1L, count(tables.usageEvents()));
    assertEquals(5L, count(tables.interactionEvents()));
    assertEquals(10L, count(tables.metricPoints()));
  }

  @Test
  void aBadRecordOfABatchIsRejectedWithItsFileLineAndIndexAndTheRestIsStored() throws IOException {
    Path broken = fixture("otlp", "broken.json", "otel/date=2026-01-16");
    IngestLedger ledger = ingest(dir.resolve("otel"), "otlp", false);

    assertTrue(ledger.balances());
    assertEquals(3, ledger.linesRead());
    assertRows(spark.sql("SELECT source_line, record_index, source, field FROM " + tables.usageEventsRejected()
            + " WHERE source_line = 1 ORDER BY record_index"),
        new Object[] {1L, 0, "otlp", "attributes.input_tokens"}, new Object[] {1L, 1, "otlp", "attributes.output_tokens"},
        new Object[] {1L, 2, "otlp", "attributes.user.id"});
    Row third = spark.sql("SELECT source_file, raw_line FROM " + tables.usageEventsRejected()
        + " WHERE source_line = 1 AND record_index = 2").first();
    assertTrue(third.getString(0).endsWith(broken.getFileName().toString()));
    assertTrue(third.getString(1).startsWith("{\"timeUnixNano\":\"1768557423018000000\""),
        "the record's own JSON, not the whole batch: " + third.getString(1));
    assertEquals(1L, spark.table(tables.usageEvents()).where("source_line = 1").count(),
        "the batch's good record is stored");
  }

  @Test
  void autoReadsEachFileAsItsFirstBytesSayAndRecordsTheFormatOfEach() throws IOException {
    Path events = dir.resolve("feed/date=2026-01-16/part-0.jsonl");
    Files.createDirectories(events.getParent());
    Files.writeString(events, event("e1", "2026-01-16T09:00:00Z", "u1", 100, 20) + "\n");
    fixture("otlp", "genai-spans.json", "feed/date=2026-01-16");
    fixture("cursor", "page-1.json", "feed/date=2025-11-30");

    IngestLedger ledger = ingest(dir.resolve("feed"), "auto", false);

    assertTrue(ledger.balances());
    assertTrue(progress.stream().anyMatch(p -> p.contains("--format auto read 1 file(s) as cursor-events, 1 file(s) "
        + "as goodhart, 1 file(s) as otlp")), String.join("\n", progress));
    assertRows(spark.sql("SELECT format, count(*) FROM " + tables.ingestedFiles() + " GROUP BY format ORDER BY format"),
        new Object[] {"cursor-events", 1L}, new Object[] {"goodhart", 1L}, new Object[] {"otlp", 1L});
    Map<String, Long> bySource = new java.util.TreeMap<>();
    spark.sql("SELECT source, count(*) FROM " + tables.usageEvents() + " GROUP BY source").collectAsList()
        .forEach(r -> bySource.put(r.getString(0), r.getLong(1)));
    assertEquals(1L, bySource.get("goodhart"));
    assertTrue(bySource.get("otlp") > 0 && bySource.get("cursor-events") > 0, bySource.toString());
    assertRows(spark.sql("SELECT DISTINCT tool FROM " + tables.usageEvents() + " WHERE source = 'cursor-events'"),
        new Object[] {"cursor"});
  }

  @Test
  void aFileAutoCannotTellRefusesTheInputNamingItAndAnUnknownFormatIsOneLine() throws IOException {
    Path odd = dir.resolve("feed/date=2026-01-16/part-0.jsonl");
    Files.createDirectories(odd.getParent());
    Files.writeString(odd, "{\"hello\": \"world\"}\n");
    InputException e = assertThrows(InputException.class, () -> ingest(dir.resolve("feed"), "auto", false));
    assertTrue(e.getMessage().startsWith(odd.toUri().toString().replace("file:/", "file:/").substring(0, 5))
        || e.getMessage().contains("part-0.jsonl: --format auto cannot tell its format"), e.getMessage());
    assertEquals(null, tables.currentSnapshotId(tables.usageEvents()), "nothing written");

    InputException unknown = assertThrows(InputException.class, () -> ingest(dir.resolve("feed"), "otel", false));
    assertEquals("unknown input format \"otel\": known formats are goodhart, otlp, cursor-events, q-developer-csv, "
        + "copilot-user-ndjson, cursor-daily (or auto to detect each file's)", unknown.getMessage());
  }

  @Test
  void aPersonForgottenByTheirIdIsDroppedWhenTheirTelemetryComesAgainUnderTheirEmail() throws IOException {
    Path directory = dir.resolve("directory.csv");
    Files.writeString(directory, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to,email\n"
        + "u-ana,t1,Payments,A,,true,2026-01-01,,Ana.Souza@example.com\n");
    new io.goodhart.directory.DirectoryLoadJob(spark, tables, progress::add).run(directory.toString());
    fixture("otlp", "claude-code-logs.json", "otel/date=2026-01-16");
    IngestLedger first = ingest(dir.resolve("otel"), "otlp", false);
    assertEquals(Map.of(), first.unresolvedRecords(), "her email resolves through the directory, case aside");
    assertEquals(1L, count(tables.usageEvents()));

    new io.goodhart.erasure.ForgetJob(spark, tables, config, progress::add).run("u-ana", "request 7");
    assertEquals(0L, count(tables.usageEvents()) + count(tables.interactionEvents()), "stored under her email");

    IngestLedger again = ingest(dir.resolve("otel"), "otlp", true);
    assertEquals(6L, again.erased(), "the re-delivered export names her by email only: " + again.describe());
    assertEquals(0L, count(tables.usageEvents()) + count(tables.interactionEvents()));
  }
}
