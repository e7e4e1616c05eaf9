package io.goodhart.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.goodhart.privacy.Pseudonyms;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The BI leaderboard's ranks, with ties broken by the pseudonym. The private table breaks ties by the real
 * user id; copied as they are, its ranks would tell a reader which of two tied pseudonyms has the smaller
 * directory id, a bit about real ids with every tie. Ranks among people with different figures are the same
 * as the private table's.
 */
final class PublishedLeaderboard {
  private PublishedLeaderboard() {}

  /** Rows of the BI leaderboard (person_id in place of user_id) with rank, honest_rank and what follows from them recomputed. */
  static Dataset<Row> rerank(Dataset<Row> rows) {
    String person = Pseudonyms.COLUMN;
    Dataset<Row> ranked = rows
        .withColumn("_rank", row_number().over(Window.partitionBy("snapshot_date")
            .orderBy(col("total_tokens").desc(), col(person).asc())))
        .withColumn("_honest_rank", row_number().over(Window.partitionBy("snapshot_date")
            .orderBy(col("honest_tokens").desc(), col(person).asc())));
    Dataset<Row> previous = ranked.select(col("snapshot_date").as("_prev_date"), col(person).as("_prev_person"),
        col("_rank").as("_previous_rank"));
    Dataset<Row> joined = ranked.join(previous, ranked.col("previous_snapshot_date").equalTo(previous.col("_prev_date"))
        .and(ranked.col(person).equalTo(previous.col("_prev_person"))), "left");
    List<Column> out = new ArrayList<>();
    for (String c : rows.columns()) {
      out.add(switch (c) {
        case "rank" -> col("_rank").as(c);
        case "honest_rank" -> col("_honest_rank").as(c);
        case "previous_rank" -> col("_previous_rank").as(c);
        case "rank_change" -> col("_previous_rank").minus(col("_rank")).as(c);
        case "honest_rank_shift" -> col("_rank").minus(col("_honest_rank")).as(c);
        default -> ranked.col(c);
      });
    }
    return joined.select(out.toArray(Column[]::new));
  }
}
