package io.goodhart.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.testing.TestLake;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The BI engagement rows of two weeks of org A, whose team t1 grows from 3 people to 6: in the first week
 * t1 is suppressed as small and t2 (the smallest other team) to protect it; in the second every group is
 * published, but no change against the first week is published for t1 or t2, since rate minus change would
 * be the hidden rate.
 */
class PublishedEngagementTest {
  private final SparkSession spark = TestLake.spark();

  /** A private row with its figures; changes are against the week before, as the engagement job writes them. */
  private static String row(String week, String level, String key, String org, String team, long eligible, long engaged,
      long active, long tokens, Double rateChange, Long engagedChange, Long tokensChange) {
    return String.format("(DATE '%s', 'W', '%s', '%s', %s, %s, %s, %dL, %dL, %dL, %s, 0.8D, %s, %dL, %dL, 0L, 0L, %dL, 5, "
            + "false, NULL, NULL, %s, %s, %s, %dL, %s, 0L, 1.0D, 0.0D, 'final')",
        week, level, key, org == null ? "NULL" : "'" + org + "'", team == null ? "NULL" : "'" + team + "'",
        team == null ? "NULL" : "'" + team.toUpperCase() + "'", eligible, engaged, active,
        eligible == 0 ? "NULL" : (double) engaged / eligible + "D", eligible == 0 ? "NULL" : ((double) engaged / eligible >= 0.8) + "",
        engaged * 2, tokens, tokens, rateChange == null ? "NULL" : rateChange + "D",
        engagedChange == null ? "NULL" : engagedChange + "L", tokensChange == null ? "NULL" : tokensChange + "L", engaged,
        eligible == 0 ? "NULL" : (double) engaged / eligible + "D");
  }

  private Dataset<Row> privateRows() {
    List<String> rows = List.of(
        row("2026-11-09", "company", "all", null, null, 18, 15, 15, 1500, null, 15L, 1500L),
        row("2026-11-09", "org", "A", "A", null, 18, 15, 15, 1500, null, 15L, 1500L),
        row("2026-11-09", "team", "t1", "A", "t1", 3, 2, 2, 200, null, 2L, 200L),
        row("2026-11-09", "team", "t2", "A", "t2", 7, 6, 6, 600, null, 6L, 600L),
        row("2026-11-09", "team", "t3", "A", "t3", 8, 7, 7, 700, null, 7L, 700L),
        row("2026-11-16", "company", "all", null, null, 21, 18, 18, 1800, 18.0 / 21 - 15.0 / 18, 3L, 300L),
        row("2026-11-16", "org", "A", "A", null, 21, 18, 18, 1800, 18.0 / 21 - 15.0 / 18, 3L, 300L),
        row("2026-11-16", "team", "t1", "A", "t1", 6, 5, 5, 500, 5.0 / 6 - 2.0 / 3, 3L, 300L),
        row("2026-11-16", "team", "t2", "A", "t2", 7, 6, 6, 600, 0.0, 0L, 0L),
        row("2026-11-16", "team", "t3", "A", "t3", 8, 7, 7, 700, 0.0, 0L, 0L));
    return spark.sql("SELECT * FROM VALUES " + String.join(", ", rows) + " AS t(week_start, iso_week, level, group_key, "
        + "org, team_id, team_name, eligible_developers, engaged_developers, active_people, engagement_rate, target_rate, "
        + "target_met, events, input_tokens, output_tokens, cache_read_tokens, total_tokens, active_days, "
        + "below_min_group_size, tokens_per_engaged_developer, events_per_engaged_developer, engagement_rate_change, "
        + "engaged_developers_change, total_tokens_change, genuine_engaged_developers, genuine_engagement_rate, "
        + "padding_tokens, estimated_cost_usd, padding_cost_usd, week_status)")
        .withColumn("engaged_by_tool", org.apache.spark.sql.functions.lit(null).cast("map<string,bigint>"));
  }

  private static List<String> text(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    rows.collectAsList().forEach(r -> out.add(r.toString()));
    return out;
  }

  @Test
  void aSmallTeamAndItsCoverAreSuppressedAndNoChangeAcrossASuppressedWeekIsPublished() {
    Dataset<Row> rows = privateRows();
    Dataset<Row> decisions = PublishedEngagement.decide(rows, 5);
    assertEquals(List.of(
            "[2026-11-09,team,t1,fewer people than the minimum group size]",
            "[2026-11-09,team,t2,withheld so that a smaller group's figures cannot be computed from the others]"),
        text(decisions.orderBy("week_start", "group_key")));
    Dataset<Row> bi = PublishedEngagement.compute(rows, decisions,
        List.of(LocalDate.of(2026, 11, 9), LocalDate.of(2026, 11, 16)), 5);
    assertEquals(List.of(
            "[2026-11-09,company,all,false,18,15,1500,null,15,1500]",
            "[2026-11-09,org,A,false,18,15,1500,null,15,1500]",
            "[2026-11-09,team,t1,true,null,null,null,null,null,null]",
            "[2026-11-09,team,t2,true,null,null,null,null,null,null]",
            "[2026-11-09,team,t3,false,8,7,700,null,7,700]",
            "[2026-11-16,company,all,false,21,18,1800," + (18.0 / 21 - 15.0 / 18) + ",3,300]",
            "[2026-11-16,org,A,false,21,18,1800," + (18.0 / 21 - 15.0 / 18) + ",3,300]",
            "[2026-11-16,team,t1,false,6,5,500,null,null,null]",
            "[2026-11-16,team,t2,false,7,6,600,null,null,null]",
            "[2026-11-16,team,t3,false,8,7,700,0.0,0,0]"),
        text(bi.select("week_start", "level", "group_key", "suppressed", "eligible_developers", "engaged_developers",
            "total_tokens", "engagement_rate_change", "engaged_developers_change", "total_tokens_change")
            .orderBy("week_start", "level", "group_key")));
    assertEquals(List.of("[2026-11-16,t1]", "[2026-11-16,t2]", "[2026-11-16,t3]", "[2026-11-09,t3]"),
        text(PublishedEngagement.publishedTeams(rows, decisions).orderBy(org.apache.spark.sql.functions.col("week_start").desc(), 
            org.apache.spark.sql.functions.col("team_id"))));
  }

  /** A published group of week 2026-11-16 with ten eligible developers a team, and its tools' counts. */
  private static String toolRow(String level, String key, String org, long eligible, String byTool) {
    return String.format("(DATE '2026-11-16', '%s', '%s', %s, %dL, %s)", level, key,
        org == null ? "NULL" : "'" + org + "'", eligible, byTool);
  }

  /**
   * Minimum group size 5. Org A: t1 has 3 Cursor users (withheld), t2 6, so A's 9 would give t1's 3 away
   * as A minus t2: withheld. Org B: t4 alone, 5 Cursor users, published at both levels. The company's 14
   * minus what is published beneath it (t2's 6, as A's count is withheld, and B's 5) is 3 again: withheld.
   * Copilot counts all reach 5 and add up: every one is published.
   */
  @Test
  void perToolCountsBelowTheMinimumAndThoseAParentMinusItsPublishedPartsWouldGiveAwayAreWithheld() {
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES "
        + String.join(", ",
            toolRow("company", "all", null, 40, "map('copilot', 31L, 'cursor', 14L)"),
            toolRow("org", "A", "A", 30, "map('copilot', 21L, 'cursor', 9L)"),
            toolRow("org", "B", "B", 10, "map('copilot', 10L, 'cursor', 5L)"),
            toolRow("team", "t1", "A", 10, "map('copilot', 8L, 'cursor', 3L)"),
            toolRow("team", "t2", "A", 10, "map('copilot', 6L, 'cursor', 6L)"),
            toolRow("team", "t3", "A", 10, "map('copilot', 7L)"),
            toolRow("team", "t4", "B", 10, "map('copilot', 10L, 'cursor', 5L)"))
        + " AS t(week_start, level, group_key, org, eligible_developers, engaged_by_tool)")
        .withColumn("suppressed", org.apache.spark.sql.functions.lit(false));
    assertEquals(List.of(
            "[company,all,{\"copilot\":31}]",
            "[org,A,{\"copilot\":21}]",
            "[org,B,{\"copilot\":10,\"cursor\":5}]",
            "[team,t1,{\"copilot\":8}]",
            "[team,t2,{\"copilot\":6,\"cursor\":6}]",
            "[team,t3,{\"copilot\":7}]",
            "[team,t4,{\"copilot\":10,\"cursor\":5}]"),
        text(PublishedEngagement.publishedToolCounts(rows, 5)
            .select(org.apache.spark.sql.functions.col("level"), org.apache.spark.sql.functions.col("group_key"),
                org.apache.spark.sql.functions.to_json(org.apache.spark.sql.functions.col("_published_by_tool")))
            .orderBy("level", "group_key")));
  }

  @Test
  void theUnassignedGroupIsAsLargeAsThePeopleInIt() {
    assertEquals(4, PublishedEngagement.size("unassigned", 0, 4L));
    assertEquals(0, PublishedEngagement.size("unassigned", 0, null));
    assertEquals(7, PublishedEngagement.size("t1", 7, 9L));
  }
}
