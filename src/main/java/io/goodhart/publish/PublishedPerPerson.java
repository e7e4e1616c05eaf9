package io.goodhart.publish;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.goodhart.privacy.Pseudonyms;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A per-person table as BI readers see it: the private rows with {@code person_id}, the keyed pseudonym,
 * in place of {@code user_id}, and the team columns ({@code team_id}, {@code team_name}, {@code org}) kept
 * only where the person's team is published that week. Counting or summing the rows of a team therefore
 * never rebuilds the figures of a team whose figures are suppressed.
 */
public final class PublishedPerPerson {
  static final List<String> TEAM_COLUMNS = List.of("team_id", "team_name", "org");

  private PublishedPerPerson() {}

  /**
   * @param privateRows rows with {@code week_start}, {@code user_id} and {@code team_id}
   * @param publishedTeams {@code (week_start, team_id)} of the teams published each week
   */
  public static Dataset<Row> compute(Dataset<Row> privateRows, Dataset<Row> publishedTeams, Pseudonyms pseudonyms) {
    Dataset<Row> teams = publishedTeams.select(col("week_start").as("_p_week"), col("team_id").as("_p_team"))
        .withColumn("_team_published", lit(true));
    Dataset<Row> flagged = privateRows.join(broadcast(teams),
        col("week_start").equalTo(col("_p_week")).and(col("team_id").equalTo(col("_p_team"))), "left");
    Column published = col("_team_published").isNotNull();
    Column[] columns = Arrays.stream(privateRows.columns())
        .map(c -> TEAM_COLUMNS.contains(c) ? when(published, col(c)).as(c) : col(c))
        .toArray(Column[]::new);
    return pseudonyms.replaceUserId(flagged.select(columns));
  }
}
