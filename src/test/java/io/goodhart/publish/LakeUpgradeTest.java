package io.goodhart.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.privacy.PseudonymKey;
import io.goodhart.privacy.Pseudonyms;
import io.goodhart.lake.SqlText;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A lake written by the previous release -- the engagement table with every group's figures in the BI
 * namespace, a per-person BI copy naming a team of two, the model_health view over model_runs, no
 * publication recorded anywhere -- is brought to the current layout in place by the next job, and the
 * next bi-publish republishes every BI table under the current rules and key.
 */
class LakeUpgradeTest {
  private final SparkSession spark = TestLake.spark();

  private static String previous(String resource) throws IOException {
    try (InputStream in = LakeUpgradeTest.class.getClassLoader().getResourceAsStream("previous-release/" + resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String current(String resource) throws IOException {
    try (InputStream in = LakeUpgradeTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void runScript(String text, LakeTables tables) {
    SqlText.statements(SqlText.bind(text, Map.of("curated", tables.curatedNamespace(), "raw", tables.rawNamespace(),
        "curated_private", tables.privateNamespace()))).forEach(spark::sql);
  }

  private static String engagementRow(String level, String key, String org, String team, String name, long eligible,
      long engaged, long events, long tokens) {
    return String.format("(DATE '2026-11-16', '2026-W47', '%s', '%s', %s, %s, %s, %d, %d, %s, 0.8, %s, %d, %d, 0, 0, %d, 3, "
            + "%s, NULL, NULL, NULL, 0, 0, %d, %s, 0, 0.0, 0.0, 'final')", level, key,
        org == null ? "NULL" : "'" + org + "'", team == null ? "NULL" : "'" + team + "'",
        name == null ? "NULL" : "'" + name + "'", eligible, engaged, (double) engaged / eligible,
        (double) engaged / eligible >= 0.8, events, tokens, tokens, eligible < 5, engaged, (double) engaged / eligible);
  }

  private static String usageRow(String who, String team, String name, long tokens) {
    return String.format("(DATE '2026-11-16', '2026-W47', '%s', '%s', '%s', 'A', true, 2, 1, %d, 0, 0, %d, 1, "
        + "array('cursor'), 2, 0, 0, 0, 0, NULL, 0, 0, 1, TIMESTAMP '2026-11-17 10:00:00', TIMESTAMP '2026-11-17 11:00:00')",
        who, team, name, tokens, tokens);
  }

  @Test
  void aLakeOfThePreviousReleaseIsUpgradedInPlaceAndRepublishedUnderTheCurrentRules() throws IOException {
    LakeConfig config = TestLake.freshConfig("upgrade");
    LakeTables tables = new LakeTables(spark, config);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + tables.curatedNamespace());
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + tables.privateNamespace());
    String curated = tables.curatedNamespace();

    // The previous release's layout, written with its own DDL.
    runScript(previous("sql/curated/team_weekly_engagement.sql"), tables);
    List<String> engagement = List.of(
        engagementRow("company", "all", null, null, null, 12, 10, 40, 4000),
        engagementRow("org", "A", "A", null, null, 12, 10, 40, 4000),
        engagementRow("team", "t1", "A", "t1", "Payments", 10, 8, 32, 3200),
        engagementRow("team", "t2", "A", "t2", "Search", 2, 2, 8, 800));
    spark.sql("INSERT INTO " + curated + ".team_weekly_engagement VALUES " + String.join(", ", engagement));
    runScript(current("sql/curated/model_runs.sql"), tables);
    runScript(previous("sql/views/model_health.sql"), tables);
    runScript(previous("sql/curated_private/user_weekly_usage.sql"), tables);
    spark.sql("INSERT INTO " + tables.userWeeklyUsage() + " VALUES " + usageRow("search.one", "t2", "Search", 400) + ", "
        + usageRow("payments.one", "t1", "Payments", 300));
    runScript(previous("sql/curated/user_weekly_usage.sql"), tables);
    spark.sql("INSERT INTO " + curated + ".user_weekly_usage VALUES " + usageRow("p_0123456789abcdef", "t2", "Search", 400));
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + tables.rawNamespace());
    runScript(previous("sql/raw/ingested_files.sql"), tables);
    spark.sql("INSERT INTO " + tables.ingestedFiles() + " VALUES ('feed/date=2026-11-20/part-0.jsonl', 120, NULL, NULL, "
        + "DATE '2026-11-20', 'goodhart', 'ingested', 4, 3, 0, 1, 0, 4, 0, 0, 0, 'ingest-1', "
        + "TIMESTAMP '2026-11-20 02:00:00')");
    assertTrue(BiViews.exists(spark, curated + ".model_health"), "the previous release's view");
    List<String> oldRows = spark.table(curated + ".team_weekly_engagement").orderBy("level", "group_key")
        .select("level", "group_key", "eligible_developers", "engaged_developers", "total_tokens")
        .collectAsList().stream().map(Row::toString).toList();

    // The next job of the current release starts by bringing the lake up to date.
    tables.ensureCreated();
    assertEquals(oldRows, spark.table(tables.teamWeeklyEngagement()).orderBy("level", "group_key")
            .select("level", "group_key", "eligible_developers", "engaged_developers", "total_tokens")
            .collectAsList().stream().map(Row::toString).toList(),
        "every figure moved to the private namespace");
    assertEquals(4, spark.table(tables.teamWeeklyEngagement()).where("engaged_by_tool IS NULL").count(),
        "the engagement table gains the per-tool counts in place, unknown in the rows already stored");
    assertEquals(0, spark.table(curated + ".team_weekly_engagement").count(), "BI sees nothing until bi-publish");
    assertEquals(List.of("[payments.one,true,null,null]", "[search.one,true,null,null]"),
        spark.sql("SELECT user_id, first_event_at IS NOT NULL, metric_only_days, metric_tokens FROM "
            + tables.userWeeklyUsage() + " ORDER BY user_id").collectAsList().stream().map(Row::toString).toList(),
        "the per-person table gains the metric-only columns, empty in the rows already stored");
    assertTrue(spark.table(tables.userWeeklyUsage()).schema().apply("first_event_at").nullable(),
        "a week of metric-only days has no first request");
    assertTrue(List.of(spark.table(curated + ".team_weekly_engagement").columns()).contains("suppressed"));
    assertFalse(BiViews.exists(spark, curated + ".model_health"), "the view is gone");
    assertEquals(0, spark.table(tables.modelHealth()).count(), "a table took its place");
    assertEquals(0, spark.table(tables.auditResults()).count(), "the audit results are kept from now on");
    assertEquals(0, spark.table(tables.unresolvedWeeklyUsage()).count(), "created in place, filled by user-usage");
    assertEquals(0, spark.table(tables.biCopyOf(tables.unresolvedWeeklyUsage())).count());
    assertEquals(0, spark.table(tables.usageDaily()).count(), "the daily reports' table is created, empty");
    assertEquals(List.of("[4,null,null,null]"), spark.sql("SELECT records, daily_replaced, unresolved, unresolved_keys "
            + "FROM " + tables.ingestedFiles()).collectAsList().stream().map(Row::toString).toList(),
        "the manifest gains the daily and unresolved counts in place, unknown for the files already read");
    assertEquals(0, spark.table(tables.sourceHealth()).count(), "created in place, filled by bi-publish");

    List<String> progress = new ArrayList<>();
    new BiPublishJob(spark, tables, config, progress::add).run(LocalDate.of(2026, 11, 22));
    assertTrue(progress.stream().anyMatch(l -> l.contains(curated + ".user_weekly_usage is republished whole: it was "
        + "not written under any publication rules yet")), progress.toString());
    assertEquals(List.of(
            "[company,all,false,12,4000]",
            "[org,A,false,12,4000]",
            "[team,t1,true,null,null]",
            "[team,t2,true,null,null]"),
        spark.sql("SELECT level, group_key, suppressed, eligible_developers, total_tokens FROM " + curated
            + ".team_weekly_engagement ORDER BY level, group_key").collectAsList().stream().map(Row::toString).toList());
    assertEquals(0, spark.table(curated + ".team_weekly_engagement").where("engaged_by_tool IS NOT NULL").count(),
        "per-tool counts stay unknown where the private rows have none");
    Pseudonyms pseudonyms = new Pseudonyms(PseudonymKey.resolve(config));
    assertEquals(java.util.stream.Stream.of(
            "[" + pseudonyms.ofWeek("payments.one", LocalDate.of(2026, 11, 16)) + ",null,null]",
            "[" + pseudonyms.ofWeek("search.one", LocalDate.of(2026, 11, 16)) + ",null,null]").sorted().toList(),
        spark.sql("SELECT person_id, team_id, team_name FROM " + curated + ".user_weekly_usage ORDER BY person_id")
            .collectAsList().stream().map(Row::toString).sorted().toList(),
        "the old copy, which named the team of two, is replaced whole");
    assertEquals(List.of("[goodhart,2026-11-20,1,4,1,null,false,null,null]"), spark.table(tables.sourceHealth())
            .collectAsList().stream().map(Row::toString).toList(),
        "the files read by the previous release count, their replaced and unresolved records unknown");
    String publication = BiPublishJob.publicationOf(tables.iceberg(curated + ".user_weekly_usage"));
    assertNotNull(publication);
    assertTrue(publication.endsWith(";key=" + pseudonyms.keyId()), publication);

    // Done once: the next start changes nothing, and the next bi-publish has nothing to write.
    LakeTables again = new LakeTables(spark, config);
    again.ensureCreated();
    assertEquals(List.of(), again.migrations());
    List<String> second = new ArrayList<>();
    BiPublishJob.Result nothing = new BiPublishJob(spark, again, config, second::add).run(LocalDate.of(2026, 11, 23));
    assertEquals(Map.of(), nothing.rowsWritten(), second.toString());
  }
}
