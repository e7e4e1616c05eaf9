package io.goodhart.curated;

import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens counted once in the weekly tables (contract section 4): a person, day and tool with requests takes
 * the requests' tokens, one with metric tokens in {@code daily_outcomes} and no request takes the metrics'
 * (normalised: input = input + cacheRead + cacheCreation), and a developer whose week has only such days is
 * engaged and ranked.
 */
class MetricOnlyDaysJobsTest {
  private static final LocalDate TUE = LocalDate.of(2026, 11, 17);
  private static final LocalDate WED = LocalDate.of(2026, 11, 18);
  private static final Date W47 = Date.valueOf("2026-11-16");
  private static final Date W46 = Date.valueOf("2026-11-09");

  @TempDir Path dir;
  private final SparkSession spark = TestLake.spark();

  private static String request(String id, String time, String user, String tool, long in, long out) {
    return String.format("{\"event_id\":\"%s\",\"event_time\":\"%s\",\"user_id\":\"%s\",\"tool\":\"%s\","
        + "\"operation\":\"chat\",\"input_tokens\":%d,\"output_tokens\":%d}", id, time, user, tool, in, out);
  }

  /** A daily_outcomes row with token metrics only (every other outcome 0). */
  private static String outcomes(String day, String week, String user, String tool, long input, long output,
      long cacheRead, long cacheCreation) {
    return String.format("(DATE '%s', DATE '%s', '%s', '%s', 0, 0, 0, 0, 0, 0.0, 0.0, 0, 0, %d, %d, %d, %d, 4, "
        + "0, 0, 0, 0, 0, 0, 0, 0, 0, 0)", day, week, user, tool, input, output, cacheRead, cacheCreation);
  }

  private LakeTables lake() throws IOException {
    LakeTables tables = new LakeTables(spark, TestLake.freshConfig("metric-only"));
    Path folder = dir.resolve("events").resolve("date=" + WED);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-0.jsonl"), String.join("\n",
        request("mon", "2026-11-16T09:00:00Z", "u1", "claude-code", 1_000, 100),
        request("wed", "2026-11-18T09:00:00Z", "u1", "cursor", 400, 40),
        request("u4", "2026-11-16T10:00:00Z", "u4", "cursor", 300, 30)) + "\n");
    Path directory = dir.resolve("directory.csv");
    Files.writeString(directory, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + "u1,t1,Payments,A,,true,2026-01-01,\n"
        + "u2,t1,Payments,A,,true,2026-01-01,\n"
        + "u3,t1,Payments,A,,true,2026-01-01,\n"
        + "u4,t2,Search,A,,true,2026-01-01,\n");
    new IngestJob(spark, tables, line -> { }).run(new IngestJob.Config(dir.resolve("events").toString(), WED));
    new DirectoryLoadJob(spark, tables, line -> { }).run(directory.toString());
    spark.sql("INSERT INTO " + tables.dailyOutcomes() + " VALUES "
        // Monday: the metrics repeat the tokens of u1's request; the request's count.
        + outcomes("2026-11-16", "2026-11-16", "u1", "claude-code", 600, 100, 300, 100) + ", "
        // Tuesday: no request, the metrics alone: 200 + 50 + 30 in, 20 out.
        + outcomes("2026-11-17", "2026-11-16", "u1", "claude-code", 200, 20, 50, 30) + ", "
        // Wednesday: another tool with a request and metrics; the request's count.
        + outcomes("2026-11-18", "2026-11-16", "u1", "cursor", 999, 99, 0, 0) + ", "
        // u2 made requests the events do not carry: metric-only.
        + outcomes("2026-11-17", "2026-11-16", "u2", "claude-code", 500, 50, 0, 0));
    return tables;
  }

  private static LakeConfig config(LakeTables tables) {
    return TestLake.freshConfig("unused").with(Map.of(
        LakeConfig.RAW_NAMESPACE, tables.rawNamespace().substring(tables.rawNamespace().indexOf('.') + 1),
        LakeConfig.CURATED_NAMESPACE, tables.curatedNamespace().substring(tables.curatedNamespace().indexOf('.') + 1),
        LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
  }

  private static Timestamp at(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  @Test
  void metricOnlyDaysAddTheirTokensOnceAndMakeTheirDeveloperEngagedAndRanked() throws IOException {
    LakeTables tables = lake();
    LakeConfig config = config(tables);
    new UserUsageJob(spark, tables, config, line -> { }).run(WED);
    new EngagementJob(spark, tables, config, line -> { }).run(WED);
    new LeaderboardJob(spark, tables, config, line -> { }).run(TUE);
    new LeaderboardJob(spark, tables, config, line -> { }).run(WED);

    assertRows(spark.table(tables.userWeeklyUsage()).select("week_start", "user_id", "team_id", "events",
            "input_tokens", "output_tokens", "cache_read_tokens", "total_tokens", "active_days", "tools_used",
            "first_event_at", "last_event_at", "metric_only_days", "metric_tokens"),
        new Object[] {W47, "u1", "t1", 2L, 1_000L + 280L + 400L, 100L + 20L + 40L, 50L, 1_840L, 2,
            List.of("claude-code", "cursor"), at("2026-11-16T09:00:00Z"), at("2026-11-18T09:00:00Z"), 1, 300L},
        new Object[] {W47, "u2", "t1", 0L, 500L, 50L, 0L, 550L, 0, List.of("claude-code"), null, null, 1, 550L},
        new Object[] {W47, "u4", "t2", 1L, 300L, 30L, 0L, 330L, 1, List.of("cursor"), at("2026-11-16T10:00:00Z"),
            at("2026-11-16T10:00:00Z"), 0, 0L});

    assertRows(spark.table(tables.teamWeeklyEngagement()).where("week_start = DATE '2026-11-16'")
            .select("level", "group_key", "eligible_developers", "engaged_developers", "active_people", "events",
                "input_tokens", "output_tokens", "cache_read_tokens", "total_tokens", "active_days"),
        new Object[] {"team", "t1", 3L, 2L, 2L, 2L, 2_180L, 210L, 50L, 2_390L, 2},
        new Object[] {"team", "t2", 1L, 1L, 1L, 1L, 300L, 30L, 0L, 330L, 1},
        new Object[] {"org", "A", 4L, 3L, 3L, 3L, 2_480L, 240L, 50L, 2_720L, 2},
        new Object[] {"company", "all", 4L, 3L, 3L, 3L, 2_480L, 240L, 50L, 2_720L, 2});

    assertRows(spark.table(tables.leaderboardSnapshots())
            .select("snapshot_date", "rank", "user_id", "team_id", "total_tokens", "events", "previous_rank"),
        new Object[] {Date.valueOf(TUE), 1, "u1", "t1", 1_400L, 1L, null},
        new Object[] {Date.valueOf(TUE), 2, "u2", "t1", 550L, 0L, null},
        new Object[] {Date.valueOf(TUE), 3, "u4", "t2", 330L, 1L, null},
        new Object[] {Date.valueOf(WED), 1, "u1", "t1", 1_840L, 2L, 1},
        new Object[] {Date.valueOf(WED), 2, "u2", "t1", 550L, 0L, 2},
        new Object[] {Date.valueOf(WED), 3, "u4", "t2", 330L, 1L, 3});
  }

  @Test
  void aWeekWhoseMetricTokensChangedSinceTheLastRunIsRecomputed() throws IOException {
    LakeTables tables = lake();
    LakeConfig config = config(tables);
    new UserUsageJob(spark, tables, config, line -> { }).run(WED);
    // The week before gets metric tokens after the run: u3 used a tool that sent no request event.
    spark.sql("INSERT INTO " + tables.dailyOutcomes() + " VALUES "
        + outcomes("2026-11-10", "2026-11-09", "u3", "claude-code", 70, 7, 0, 0));
    List<String> progress = new ArrayList<>();
    CuratedJob.Result rerun = new UserUsageJob(spark, tables, config, progress::add).run(WED);

    assertEquals(List.of(W46.toLocalDate(), W47.toLocalDate()), rerun.weeks());
    assertTrue(progress.get(0).contains("1 week(s) with metric tokens changed since the last run"), progress.toString());
    assertRows(spark.table(tables.userWeeklyUsage()).where("week_start = DATE '2026-11-09'")
            .select("user_id", "events", "total_tokens", "metric_only_days", "metric_tokens"),
        new Object[] {"u3", 0L, 77L, 1, 77L});
  }
  @Test
  void aRecomputedWeekAlsoRecomputesTheWeekAfterItWhenThatWeekHasOnlyMetricTokens() throws IOException {
    LakeTables tables = lake();
    LakeConfig config = config(tables);
    // The week after the run's has usage but no event: u2's tool sends metrics only.
    spark.sql("INSERT INTO " + tables.dailyOutcomes() + " VALUES "
        + outcomes("2026-11-24", "2026-11-23", "u2", "claude-code", 80, 8, 0, 0));
    new EngagementJob(spark, tables, config, line -> { }).run(WED);
    // u3's metric tokens arrive for the run's week: that week changes, and with it the week after's
    // week-over-week figures.
    spark.sql("INSERT INTO " + tables.dailyOutcomes() + " VALUES "
        + outcomes("2026-11-17", "2026-11-16", "u3", "claude-code", 70, 7, 0, 0));
    CuratedJob.Result rerun = new EngagementJob(spark, tables, config, line -> { }).run(WED);

    assertEquals(List.of(W47.toLocalDate(), LocalDate.of(2026, 11, 23)), rerun.weeks());
    assertRows(spark.table(tables.teamWeeklyEngagement())
            .where("level = 'team' AND group_key = 't1' AND week_start >= DATE '2026-11-16'")
            .select("week_start", "engaged_developers", "total_tokens", "engaged_developers_change",
                "total_tokens_change"),
        new Object[] {W47, 3L, 2_467L, 3L, 2_467L},
        new Object[] {Date.valueOf("2026-11-23"), 1L, 88L, 1L - 3L, 88L - 2_467L});
  }
}
