package io.goodhart.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.generate.GenerationSummary;
import io.goodhart.generate.GeneratorConfig;
import io.goodhart.generate.UsageGenerator;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Night after night over a generated feed with late and re-delivered events, the incremental jobs end
 * with exactly the figures of a from-scratch computation of the contract's definitions, written here
 * independently in plain SQL over everything ingested.
 */
class NightlyAgainstReferenceTest {
  private static final LocalDate START = LocalDate.of(2026, 11, 2);
  /** The first night reads the first six days' folders at once; the nights after it bring late events. */
  private static final LocalDate FIRST_NIGHT = LocalDate.of(2026, 11, 7);
  private static final LocalDate LAST_NIGHT = LocalDate.of(2026, 11, 11);

  @TempDir Path dir;

  @Test
  void dayByDayNightsEqualAFromScratchComputation() throws java.io.IOException {
    SparkSession spark = TestLake.spark();
    GenerationSummary summary = new UsageGenerator().generate(GeneratorConfig.builder()
        .seed(5).users(40).weeks(2).start(START).filesPerDay(1)
        .duplicateRate(0.03).lateRate(0.10).malformedRate(0.005).out(dir).build());
    assertTrue(summary.lateEvents() > 0 && summary.duplicateLines() > 0, "the feed must have late and duplicate lines");

    LakeConfig config = TestLake.freshConfig("nightly_reference");
    LakeTables tables = new LakeTables(spark, config);
    new NightlyRunner(spark, tables, config, line -> { }).run(new NightlyRunner.Options(
        FIRST_NIGHT, LAST_NIGHT, dir.resolve("events").toString(), dir.resolve("directory.csv").toString()));

    spark.table(tables.usageEvents()).createOrReplaceTempView("ref_events");
    spark.table(tables.developerDirectory()).createOrReplaceTempView("ref_directory");
    spark.sql("""
        SELECT e.user_id, e.input_tokens + e.output_tokens AS tokens, d AS day,
               date_sub(d, pmod(dayofweek(d) - 2, 7)) AS week,
               coalesce(s.team_id, 'unassigned') AS team_id
        FROM (SELECT *, to_date(event_time) AS d FROM ref_events) e
        LEFT JOIN ref_directory s
          ON s.user_id = e.user_id AND e.d >= s.valid_from AND (s.valid_to IS NULL OR e.d <= s.valid_to)
        """).createOrReplaceTempView("ref_attributed");

    String referenceTeams = """
        WITH weeks AS (SELECT DISTINCT week FROM ref_attributed WHERE week <= DATE '%s'),
        eligible AS (
          SELECT DISTINCT w.week, s.team_id, s.user_id FROM weeks w JOIN ref_directory s
            ON s.is_developer AND s.valid_from <= date_add(w.week, 6) AND (s.valid_to IS NULL OR s.valid_to >= w.week)),
        active AS (SELECT DISTINCT week, team_id, user_id FROM ref_attributed),
        people AS (
          SELECT el.week, el.team_id, count(*) AS eligible,
                 count_if(a.user_id IS NOT NULL) AS engaged
          FROM eligible el LEFT JOIN active a USING (week, team_id, user_id)
          GROUP BY el.week, el.team_id),
        usage AS (SELECT week, team_id, count(*) AS events, sum(tokens) AS tokens
                  FROM ref_attributed GROUP BY week, team_id)
        SELECT week, team_id, coalesce(eligible, 0), coalesce(engaged, 0), coalesce(events, 0), coalesce(tokens, 0)
        FROM people FULL OUTER JOIN usage USING (week, team_id)
        WHERE week IN (SELECT week FROM weeks)
        """.formatted(LAST_NIGHT);
    assertSame(rows(spark, referenceTeams), rows(spark,
        "SELECT week_start, team_id, eligible_developers, engaged_developers, events, total_tokens FROM "
            + tables.teamWeeklyEngagement() + " WHERE level = 'team'"));

    String referenceBoard = """
        WITH nights AS (SELECT explode(sequence(DATE '%s', DATE '%s')) AS night),
        totals AS (
          SELECT n.night, a.user_id, sum(a.tokens) AS tokens
          FROM nights n JOIN ref_attributed a
            ON a.week = date_sub(n.night, pmod(dayofweek(n.night) - 2, 7)) AND a.day <= n.night
          GROUP BY n.night, a.user_id)
        SELECT night, user_id, tokens, rank() OVER (PARTITION BY night ORDER BY tokens DESC, user_id ASC)
        FROM totals
        """.formatted(FIRST_NIGHT, LAST_NIGHT);
    assertSame(rows(spark, referenceBoard), rows(spark,
        "SELECT snapshot_date, user_id, total_tokens, rank FROM " + tables.leaderboardSnapshots()));

    String referenceUsers = """
        SELECT week, user_id, count(*), sum(tokens), count(DISTINCT day) FROM ref_attributed
        WHERE week <= DATE '%s' GROUP BY week, user_id
        """.formatted(LAST_NIGHT);
    assertSame(rows(spark, referenceUsers), rows(spark,
        "SELECT week_start, user_id, events, total_tokens, active_days FROM " + tables.userWeeklyUsage()));

    Map<String, Long> ledger = spark.sql("SELECT sum(metrics['lines_read']), sum(metrics['accepted']) FROM "
            + tables.jobRuns() + " WHERE job = 'ingest' AND status = 'succeeded'")
        .collectAsList().stream().findFirst()
        .map(r -> Map.of("read", r.getLong(0), "accepted", r.getLong(1))).orElseThrow();
    assertEquals(spark.table(tables.usageEvents()).count(), ledger.get("accepted"));
  }

  private static void assertSame(List<String> reference, List<String> curated) {
    assertTrue(reference.size() >= 10, "the reference must be substantial, has " + reference.size() + " rows");
    assertEquals(reference, curated);
  }

  private static List<String> rows(SparkSession spark, String sql) {
    return spark.sql(sql).collectAsList().stream()
        .map(r -> {
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < r.length(); i++) {
            b.append(r.get(i) instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(r.get(i))).append('|');
          }
          return b.toString();
        })
        .sorted().toList();
  }
}
