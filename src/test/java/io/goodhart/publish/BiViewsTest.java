package io.goodhart.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import io.goodhart.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BI views after a nightly run on a hand-made week of org A: Payments (5 developers, 4 engaged) shows
 * its figures; Search (2 developers) is below the minimum group size of 5 and shows none, and Billing (5
 * developers, the first of the smallest other teams by key) shows none either, so that org A minus Payments
 * does not give Search away. The views are created by the nightly graph and left alone when their SQL did
 * not change.
 */
class BiViewsTest {
  @TempDir static Path dir;
  private static final SparkSession spark = TestLake.spark();
  private static LakeTables tables;

  @BeforeAll
  static void aNightlyRun() throws Exception {
    LakeConfig config = TestLake.freshConfig("views").with(Map.of(LakeConfig.MIN_GROUP_SIZE, "5"));
    tables = new LakeTables(spark, config);
    Path directory = dir.resolve("directory.csv");
    Files.writeString(directory, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + "p1,t1,Payments,A,,true,2026-01-01,\n" + "p2,t1,Payments,A,,true,2026-01-01,\n"
        + "p3,t1,Payments,A,,true,2026-01-01,\n" + "p4,t1,Payments,A,,true,2026-01-01,\n"
        + "p5,t1,Payments,A,,true,2026-01-01,\n" + "s1,t2,Search,A,,true,2026-01-01,\n"
        + "s2,t2,Search,A,,true,2026-01-01,\n" + "b1,t0,Billing,A,,true,2026-01-01,\n"
        + "b2,t0,Billing,A,,true,2026-01-01,\n" + "b3,t0,Billing,A,,true,2026-01-01,\n"
        + "b4,t0,Billing,A,,true,2026-01-01,\n" + "b5,t0,Billing,A,,true,2026-01-01,\n");
    List<String> lines = new ArrayList<>();
    String[] engaged = {"p1", "p2", "p3", "p4", "s1"};
    for (int i = 0; i < engaged.length; i++) {
      lines.add(String.format("{\"event_id\":\"e%d\",\"event_time\":\"2026-11-17T10:00:00Z\",\"user_id\":\"%s\","
          + "\"tool\":\"cursor\",\"operation\":\"chat\",\"input_tokens\":%d,\"output_tokens\":0}", i, engaged[i], 100 * (i + 1)));
    }
    lines.add("{\"event_id\":\"e9\",\"event_time\":\"2026-11-17T11:00:00Z\",\"user_id\":\"b1\","
        + "\"tool\":\"cursor\",\"operation\":\"chat\",\"input_tokens\":50,\"output_tokens\":0}");
    Path day = dir.resolve("events/date=2026-11-17");
    Files.createDirectories(day);
    Files.writeString(day.resolve("part-0.jsonl"), String.join("\n", lines) + "\n");
    new NightlyRunner(spark, tables, config, line -> { })
        .run(new NightlyRunner.Options(LocalDate.of(2026, 11, 17), LocalDate.of(2026, 11, 17),
            dir.resolve("events").toString(), directory.toString()));
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql.replace("${curated}", tables.curatedNamespace())).collectAsList().stream()
        .map(Row::toString).toList();
  }

  @Test
  void adoptionVsTargetShowsBigEnoughGroupsAndSuppressesTheRest() {
    assertEquals(List.of(
            "[team,Billing,true,null,null,null,0.8,null]",
            "[team,Payments,false,5,4,0.8,0.8,true]",
            "[team,Search,true,null,null,null,0.8,null]",
            "[org,null,false,12,6,0.5,0.8,false]",
            "[company,null,false,12,6,0.5,0.8,false]"),
        rows("SELECT level, team_name, suppressed, eligible_developers, engaged_developers, round(engagement_rate, 4), "
            + "target_rate, target_met FROM ${curated}.adoption_vs_target WHERE week_start = DATE '2026-11-16' "
            + "ORDER BY CASE level WHEN 'team' THEN 0 WHEN 'org' THEN 1 ELSE 2 END, team_name"));
  }

  @Test
  void eachSuppressedTeamSaysWhy() {
    assertEquals(List.of(
            "[Billing,withheld so that a smaller group's figures cannot be computed from the others]",
            "[Payments,null]",
            "[Search,fewer people than the minimum group size]"),
        rows("SELECT team_name, suppression FROM ${curated}.adoption_vs_target WHERE level = 'team' ORDER BY team_name"));
  }

  @Test
  void paddingByTeamSuppressesTheSmallTeamsFigures() {
    assertEquals(List.of("[Billing,true,null]", "[Payments,false,1000]", "[Search,true,null]"),
        rows("SELECT team_name, suppressed, total_tokens FROM ${curated}.padding_by_team ORDER BY team_name"));
  }

  @Test
  void theLatestLeaderboardShowsPseudonymsRankedByTokens() {
    List<Row> board = spark.sql("SELECT rank, person_id, total_tokens, honest_rank, team_name FROM "
        + tables.curatedNamespace() + ".leaderboard_latest ORDER BY rank").collectAsList();
    assertEquals(List.of(500L, 400L, 300L, 200L, 100L, 50L), board.stream().map(r -> r.getLong(2)).toList());
    assertTrue(board.stream().allMatch(r -> r.getString(1).matches("p_[0-9a-f]{16}")), board.toString());
    assertEquals(List.of(1, 2, 3, 4, 5, 6), board.stream().map(r -> r.getInt(0)).toList());
    // The people of Search and Billing, whose figures are suppressed, are on the board without their team.
    assertEquals(java.util.Arrays.asList(null, "Payments", "Payments", "Payments", "Payments", null),
        board.stream().map(r -> r.getString(4)).toList());
  }

  @Test
  void unresolvedUsageBySourceShowsEachToolsRequestsAndThoseAttributedToNobody() {
    assertEquals(List.of("[2026-W47,cursor,false,6,0,0,0.0,6]"),
        rows("SELECT iso_week, tool, suppressed, events, unresolved_events, unresolved_keys, unresolved_share, "
            + "attributed_events FROM ${curated}.unresolved_usage_by_source"), "native requests are never unresolved");
  }

  @Test
  void everyViewIsQueryableAndAnUnchangedViewIsNotReplaced() {
    for (String script : BiViews.SCRIPTS) {
      String view = tables.curatedNamespace() + "." + script.substring(script.lastIndexOf('/') + 1).replace(".sql", "");
      assertTrue(BiViews.exists(spark, view), view);
      spark.sql("SELECT * FROM " + view).collectAsList();
    }
    BiViews.Outcome again = new BiViews(spark, tables, line -> { }).install();
    assertEquals(List.of(), again.created());
    assertEquals(BiViews.SCRIPTS.size(), again.unchanged().size());
  }
}
