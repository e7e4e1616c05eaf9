package io.goodhart.curated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * {@code goodhart outcomes} night after night on one cumulative stream whose points arrive in several
 * deliveries: each point's amount is counted from the stream's previous point in the table, whatever night
 * brought it, and a late point changes the week of the point after it too.
 */
class OutcomesJobTest {
  private final SparkSession spark = TestLake.spark();

  /** Appends one cumulative lines-added point of u1's stream s1 (started Monday 2026-11-16 08:00 UTC). */
  private void deliver(LakeTables tables, String time, long total, String run) {
    spark.sql("INSERT INTO " + tables.metricPoints() + " VALUES ('p-" + time + "', '" + DailyOutcomes.LINES
        + "', 'count', 's1', 'cumulative', true, TIMESTAMP '2026-11-16T08:00:00Z', TIMESTAMP '" + time + "', "
        + "'u1', map('email', 'u1'), 'claude-code', 'session-1', null, 'added', " + total + ", null, null, 'otlp', "
        + "null, 'metrics.jsonl', 1, 0, '" + run + "', TIMESTAMP '2026-11-30T00:00:00Z')");
  }

  private void prompt(LakeTables tables, String time) {
    spark.sql("INSERT INTO " + tables.interactionEvents() + " VALUES ('e-" + time + "', TIMESTAMP '" + time
        + "', 'user_prompt', 'u1', map('email', 'u1'), 'claude-code', 'session-1', 'prompt-1', null, null, null, "
        + "null, 12, null, null, null, 'otlp', null, null, 'logs.jsonl', 1, 0, 'ingest-1', "
        + "TIMESTAMP '2026-11-30T00:00:00Z')");
  }

  /** The table's (day, lines_added, human_turns), by day. */
  private List<String> linesByDay(LakeTables tables) {
    return spark.table(tables.dailyOutcomes()).orderBy("day")
        .selectExpr("concat(day, ' ', lines_added, ' ', human_turns)").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  @Test
  void aCumulativePointCountsFromItsStreamsPreviousPointOfAnyDeliveryAndALatePointRecomputesTheNextOnesWeek() {
    LakeConfig config = TestLake.freshConfig("outcomes");
    LakeTables tables = new LakeTables(spark, config);
    tables.ensureCreated();
    OutcomesJob job = new OutcomesJob(spark, tables, config, line -> { });

    deliver(tables, "2026-11-16T12:00:00Z", 10, "ingest-1");
    deliver(tables, "2026-11-17T12:00:00Z", 25, "ingest-1");
    prompt(tables, "2026-11-16T12:30:00Z");
    OutcomesJob.Result first = job.run(LocalDate.of(2026, 11, 17));
    assertEquals(List.of(LocalDate.of(2026, 11, 16)), first.weeks());
    assertEquals(List.of("2026-11-16 10 1", "2026-11-17 15 0"), linesByDay(tables));

    // The next night's delivery continues the stream: its point counts from 25, read from the table.
    deliver(tables, "2026-11-23T12:00:00Z", 40, "ingest-2");
    OutcomesJob.Result second = job.run(LocalDate.of(2026, 11, 23));
    assertEquals(List.of(LocalDate.of(2026, 11, 23)), second.weeks());
    assertEquals(List.of("2026-11-16 10 1", "2026-11-17 15 0", "2026-11-23 15 0"), linesByDay(tables));

    // A late point of Sunday falls between 25 and 40: its own week and the week of the point after it change.
    deliver(tables, "2026-11-22T12:00:00Z", 30, "ingest-3");
    OutcomesJob.Result third = job.run(LocalDate.of(2026, 11, 24));
    assertEquals(List.of(LocalDate.of(2026, 11, 16), LocalDate.of(2026, 11, 23)), third.weeks());
    assertEquals(List.of("2026-11-16 10 1", "2026-11-17 15 0", "2026-11-22 5 0", "2026-11-23 10 0"),
        linesByDay(tables));
    assertEquals(40L, spark.table(tables.dailyOutcomes()).selectExpr("sum(lines_added)").first().getLong(0),
        "the days add up to the stream's last running total");
  }

  /** A row of raw.usage_daily as ingest stores it (its account key the source's user_id). */
  private static String daily(String source, String tool, String key, String day, long suggestions,
      long acceptances, long linesKept, String reportEnd) {
    return String.format("('%1$s', '%2$s', '%3$s', map('account', '%3$s'), DATE '%4$s', true, 1, %5$d, %6$d, "
        + "CAST(NULL AS BIGINT), %7$d, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), map(), DATE '%4$s', "
        + "DATE '%8$s', CAST(NULL AS TIMESTAMP), CAST(NULL AS DATE), 'report', 1, 'ingest-1', "
        + "TIMESTAMP '2026-11-30 00:00:00')", source, tool, key, day, suggestions, acceptances, linesKept, reportEnd);
  }

  /** The table's report figures, by day, person and tool. */
  private List<String> reportsByDay(LakeTables tables) {
    return spark.table(tables.dailyOutcomes()).orderBy("day", "user_id", "tool")
        .selectExpr("concat_ws(' ', day, user_id, tool, report_suggestions, report_acceptances, report_lines_kept, "
            + "lines_added, metric_points)")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void dailyReportRowsOfTwoSourcesBecomeTheOutcomesOfTheirPeopleAndAReplacedRowRecomputesItsWeek(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    LakeConfig config = TestLake.freshConfig("outcomes-daily");
    LakeTables tables = new LakeTables(spark, config);
    tables.ensureCreated();
    java.nio.file.Path identities = dir.resolve("identities.csv");
    java.nio.file.Files.writeString(identities, "source,source_user_key,user_id,valid_from,valid_to\n"
        + "copilot,octo-u1,u1,2026-01-01,\n"
        + "amazon-q,idc-u2,u2,2026-01-01,\n");
    new io.goodhart.directory.IdentitiesLoadJob(spark, tables, line -> { }).run(identities.toString());
    spark.sql("INSERT INTO " + tables.usageDaily() + " VALUES "
        + daily("copilot-user-ndjson", "copilot", "octo-u1", "2026-11-16", 20, 8, 35, "2026-11-16") + ", "
        + daily("copilot-user-ndjson", "copilot", "octo-u1", "2026-11-10", 5, 2, 6, "2026-11-10") + ", "
        + daily("q-developer-csv", "amazon-q", "idc-u2", "2026-11-17", 9, 3, 12, "2026-11-17"));
    deliver(tables, "2026-11-17T12:00:00Z", 10, "ingest-1");
    OutcomesJob job = new OutcomesJob(spark, tables, config, line -> { });

    OutcomesJob.Result first = job.run(LocalDate.of(2026, 11, 17));
    assertEquals(List.of(LocalDate.of(2026, 11, 9), LocalDate.of(2026, 11, 16)), first.weeks());
    assertEquals(List.of(
        "2026-11-10 u1 copilot 5 2 6 0 0",
        "2026-11-16 u1 copilot 20 8 35 0 0",
        "2026-11-17 u1 claude-code 0 0 0 10 1",
        "2026-11-17 u2 amazon-q 9 3 12 0 0"), reportsByDay(tables));

    // A 28-day Copilot report replaces u1's row of the week before: only that week and the run's are recomputed.
    spark.sql("UPDATE " + tables.usageDaily() + " SET lines_kept = 9, report_end_day = DATE '2026-11-23' "
        + "WHERE user_id = 'octo-u1' AND day = DATE '2026-11-10'");
    OutcomesJob.Result second = job.run(LocalDate.of(2026, 11, 23));
    assertEquals(List.of(LocalDate.of(2026, 11, 9), LocalDate.of(2026, 11, 23)), second.weeks());
    assertEquals(List.of(
        "2026-11-10 u1 copilot 5 2 9 0 0",
        "2026-11-16 u1 copilot 20 8 35 0 0",
        "2026-11-17 u1 claude-code 0 0 0 10 1",
        "2026-11-17 u2 amazon-q 9 3 12 0 0"), reportsByDay(tables));
  }
}
