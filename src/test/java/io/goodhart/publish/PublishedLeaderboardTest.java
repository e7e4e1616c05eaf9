package io.goodhart.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.testing.TestLake;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Two snapshots of one week as the private table ranks them, ties by the real user id: p_c (real id "ann")
 * ahead of p_a (real id "bob") at 100 tokens each. In the BI table a tie is broken by the pseudonym, so the
 * ranks say nothing about which real id sorts first.
 */
class PublishedLeaderboardTest {
  private final SparkSession spark = TestLake.spark();

  private Dataset<Row> privateRanks() {
    return spark.sql("SELECT * FROM VALUES "
        + "(DATE '2026-11-17', DATE '2026-11-16', 1, 'p_c', 100L, CAST(NULL AS DATE), CAST(NULL AS INT), CAST(NULL AS INT), 100L, 1, 0), "
        + "(DATE '2026-11-17', DATE '2026-11-16', 2, 'p_a', 100L, NULL, NULL, NULL, 100L, 2, 0), "
        + "(DATE '2026-11-17', DATE '2026-11-16', 3, 'p_b', 50L, NULL, NULL, NULL, 50L, 3, 0), "
        + "(DATE '2026-11-18', DATE '2026-11-16', 1, 'p_b', 300L, DATE '2026-11-17', 3, 2, 300L, 1, 0), "
        + "(DATE '2026-11-18', DATE '2026-11-16', 2, 'p_c', 200L, DATE '2026-11-17', 1, -1, 200L, 2, 0), "
        + "(DATE '2026-11-18', DATE '2026-11-16', 3, 'p_a', 200L, DATE '2026-11-17', 2, -1, 200L, 3, 0) "
        + "AS t(snapshot_date, week_start, rank, person_id, total_tokens, previous_snapshot_date, previous_rank, "
        + "rank_change, honest_tokens, honest_rank, honest_rank_shift)");
  }

  @Test
  void tiesAreBrokenByThePseudonymAndMovementFollows() {
    assertEquals(List.of(
            "[2026-11-17,2026-11-16,1,p_a,100,null,null,null,100,1,0]",
            "[2026-11-17,2026-11-16,2,p_c,100,null,null,null,100,2,0]",
            "[2026-11-17,2026-11-16,3,p_b,50,null,null,null,50,3,0]",
            "[2026-11-18,2026-11-16,1,p_b,300,2026-11-17,3,2,300,1,0]",
            "[2026-11-18,2026-11-16,2,p_a,200,2026-11-17,1,-1,200,2,0]",
            "[2026-11-18,2026-11-16,3,p_c,200,2026-11-17,2,-1,200,3,0]"),
        PublishedLeaderboard.rerank(privateRanks()).orderBy("snapshot_date", "rank").collectAsList().stream()
            .map(Row::toString).toList());
  }

  @Test
  void theHonestRankBreaksTiesByThePseudonymToo() {
    Dataset<Row> rows = privateRanks().filter("snapshot_date = DATE '2026-11-18'")
        .selectExpr("snapshot_date", "week_start", "rank", "person_id", "total_tokens", "previous_snapshot_date",
            "previous_rank", "rank_change", "CASE person_id WHEN 'p_b' THEN 100L ELSE 150L END AS honest_tokens",
            "honest_rank", "honest_rank_shift");
    assertEquals(List.of("[p_a,1,2,1]", "[p_b,3,1,-2]", "[p_c,2,3,1]"),
        PublishedLeaderboard.rerank(rows).orderBy("person_id")
            .selectExpr("person_id", "honest_rank", "rank", "honest_rank_shift").collectAsList().stream()
            .map(Row::toString).toList());
  }
}
