package io.goodhart.publish;

import static io.goodhart.testing.EventLines.event;
import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.audit.CheckResult;
import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.SourceHealth;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.lake.Settings;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source health: per input source and delivery day, the records received, rejected, replaced and unresolved, as BI
 * readers see them in curated.source_health_by_day, a day's unresolved records withheld when they come from fewer
 * keys than the minimum group size; and the ingest run's audit warning when a day's share of rejected (or
 * unresolved) records jumps above the median of the days before it, while a steady day passes.
 */
class SourceHealthTest {
  private static final Path DAILY = Path.of("src/test/resources/formats/daily/copilot");
  private final SparkSession spark = TestLake.spark();
  @TempDir Path dir;

  private Path deliver(String source, String day, String file, List<String> lines) throws IOException {
    Path folder = dir.resolve(source).resolve("date=" + day);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve(file), String.join("\n", lines) + "\n");
    return dir.resolve(source);
  }

  private Path deliverFixture(String day, String fixture) throws IOException {
    Path folder = dir.resolve("copilot").resolve("date=" + day);
    Files.createDirectories(folder);
    Files.copy(DAILY.resolve(fixture), folder.resolve(fixture));
    return dir.resolve("copilot");
  }

  @Test
  void theViewShowsEachSourcesDeliveryDaysWithTheirRejectedReplacedAndUnresolvedRecords() throws IOException {
    LakeConfig config = TestLake.freshConfig("source_health").with(Map.of(Settings.MIN_GROUP_SIZE.key(), "2"));
    LakeTables tables = new LakeTables(spark, config);
    List<String> progress = new ArrayList<>();
    IngestJob ingest = new IngestJob(spark, tables, progress::add);
    Path events = deliver("events", "2026-11-16", "part-0.jsonl", List.of(
        event("a1", "2026-11-16T09:00:00Z", "u1", 100, 10),
        "{\"event_id\": broken",
        event("a2", "2026-11-16T10:00:00Z", "u2", 100, 10)));
    deliver("events", "2026-11-17", "part-0.jsonl", List.of(
        event("b1", "2026-11-17T09:00:00Z", "u1", 100, 10),
        event("b2", "2026-11-17T10:00:00Z", "u2", 100, 10)));
    ingest.run(new IngestJob.Config(events.toString(), LocalDate.of(2026, 11, 16)));
    ingest.run(new IngestJob.Config(events.toString(), LocalDate.of(2026, 11, 17)));
    // Two overlapping 28-day Copilot reports of people no identity resolves: three rows of two keys, then two rows
    // of one key, one of which replaces the stored day of the report ending earlier.
    Path copilot = deliverFixture("2026-11-16", "users-28-day-2026-11-16.ndjson");
    deliverFixture("2026-11-23", "users-28-day-2026-11-23.ndjson");
    ingest.run(new IngestJob.Config(copilot.toString(), LocalDate.of(2026, 11, 16), false, false,
        "copilot-user-ndjson"));
    ingest.run(new IngestJob.Config(copilot.toString(), LocalDate.of(2026, 11, 23), false, false,
        "copilot-user-ndjson"));

    new BiPublishJob(spark, tables, config, progress::add).run(LocalDate.of(2026, 11, 23));
    new BiViews(spark, tables, progress::add).install();

    assertRows(spark.sql("SELECT source, CAST(day AS STRING), files, received, rejected, replaced, suppressed, "
            + "suppression, unresolved, reject_share, unresolved_share FROM " + tables.curatedNamespace()
            + ".source_health_by_day"),
        new Object[] {"goodhart", "2026-11-16", 1L, 3L, 1L, 0L, false, null, 0L, 1.0 / 3, 0.0},
        new Object[] {"goodhart", "2026-11-17", 1L, 2L, 0L, 0L, false, null, 0L, 0.0, 0.0},
        new Object[] {"copilot-user-ndjson", "2026-11-16", 1L, 3L, 0L, 0L, false, null, 3L, 0.0, 1.0},
        new Object[] {"copilot-user-ndjson", "2026-11-23", 1L, 2L, 0L, 1L, true,
            "fewer distinct keys than the minimum group size", null, 0.0, null});
    assertEquals(List.of(), spark.table(tables.auditResults()).where("NOT passed").collectAsList(),
        "no day jumps: " + progress);
  }

  @Test
  void aDayWhoseRejectsJumpAboveTheMedianOfTheDaysBeforeIsAWarningAndASteadyDayIsNot() throws IOException {
    LakeTables tables = new LakeTables(spark, TestLake.freshConfig("source_jump"));
    List<String> progress = new ArrayList<>();
    IngestJob ingest = new IngestJob(spark, tables, progress::add);
    // Ten lines a day: one broken on the first three days, five on the fourth.
    String[] days = {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"};
    int[] broken = {1, 1, 1, 5};
    Path root = null;
    for (int d = 0; d < days.length; d++) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        lines.add(i < broken[d] ? "not json " + i
            : event("e" + d + "-" + i, days[d] + "T09:00:00Z", "u" + i, 100, 10));
      }
      root = deliver("events", days[d], "part-0.jsonl", lines);
    }
    for (String day : days) {
      ingest.run(new IngestJob.Config(root.toString(), LocalDate.parse(day)));
    }

    assertRows(spark.sql("SELECT check_name, scope, staged_value, expected_value, passed, finding FROM "
            + tables.auditResults() + " WHERE check_name = '" + JUMP + "'"),
        new Object[] {JUMP, "2026-11-17", 1L, 1L, true, null},
        new Object[] {JUMP, "2026-11-18", 1L, 1L, true, null},
        new Object[] {JUMP, "2026-11-19", 5L, 1L, false, "goodhart delivered on 2026-11-19: 50.0% of 10 records "
            + "rejected, the median of the 3 day(s) with records before it is 10.0%"});
    assertEquals(List.of("[raw.ingested_files,warning]"), spark.sql("SELECT audited_table, severity FROM "
            + tables.auditResults() + " WHERE NOT passed").collectAsList().stream().map(Row::toString).toList(),
        "the jump is the one failed check, a warning: the steady days and the unresolved records (none) pass");
    assertTrue(progress.contains("ingest: audit warning on raw.ingested_files: goodhart delivered on 2026-11-19: "
        + "50.0% of 10 records rejected, the median of the 3 day(s) with records before it is 10.0%"), progress.toString());
    assertEquals(5L, spark.table(tables.usageEvents()).where("event_time >= TIMESTAMP '2026-11-19 00:00:00'").count(),
        "the valid records of the day that jumped are stored all the same");
  }

  private static final String JUMP = "goodhart: share of rejected records at most 5.0 percentage points above the "
      + "median of the 7 days before";

  private static final StructType DAYS = new StructType()
      .add("source", DataTypes.StringType).add("day", DataTypes.DateType).add("received", DataTypes.LongType)
      .add("rejected", DataTypes.LongType).add("unresolved", DataTypes.LongType);

  private static Row day(String day, long received, long rejected, Long unresolved) {
    return new GenericRowWithSchema(new Object[] {"cursor-daily", Date.valueOf(day), received, rejected, unresolved},
        DAYS);
  }

  @Test
  void unresolvedRecordsAreJudgedAgainstTheMedianOfTheBaselineDaysThatCountedThem() {
    // Baseline shares 10%, 20%, 40% (median 20%) and a day read before unresolved records were counted (null).
    List<Row> rows = List.of(day("2026-11-10", 10, 0, 1L), day("2026-11-11", 10, 0, 2L), day("2026-11-12", 10, 0, null),
        day("2026-11-13", 10, 0, 4L), day("2026-11-14", 10, 0, 2L), day("2026-11-15", 10, 0, 3L),
        day("2026-11-01", 10, 0, 9L));
    List<CheckResult> results = SourceHealth.jumps(rows, List.of(
            new SourceHealth.SourceDay("cursor-daily", LocalDate.of(2026, 11, 14)),
            new SourceHealth.SourceDay("cursor-daily", LocalDate.of(2026, 11, 15)),
            new SourceHealth.SourceDay("cursor-daily", LocalDate.of(2026, 11, 10))),
        new SourceHealth.Thresholds(4, 0.05, 0.05));

    assertEquals(List.of(
            // 2026-11-10: no day with records in the four before it (2026-11-01 is further back): not judged.
            "2026-11-14 rejected 0/0 passed",
            "2026-11-14 unresolved 2/2 passed",
            "2026-11-15 rejected 0/0 passed",
            "2026-11-15 unresolved 3/2 failed: cursor-daily delivered on 2026-11-15: 30.0% of 10 records unresolved, "
                + "the median of the 3 day(s) with records before it is 20.0%"),
        results.stream().map(r -> r.scope() + " " + (r.check().contains("rejected") ? "rejected" : "unresolved") + " "
            + r.stagedValue() + "/" + r.expectedValue() + " " + (r.passed() ? "passed" : "failed: " + r.finding()))
            .toList());
  }
}
