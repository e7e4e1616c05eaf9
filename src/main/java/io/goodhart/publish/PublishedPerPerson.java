package io.goodhart.publish;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.goodhart.privacy.Pseudonyms;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A per-person table as BI readers see it: the private rows with {@code person_id}, a keyed pseudonym, in
 * place of {@code user_id}, and the team columns ({@code team_id}, {@code team_name}, {@code org}) kept only
 * where the person's team is published that week.
 *
 * <p>Withholding the team columns alone is not enough, because pseudonyms are stable: the members of a team
 * are known from any week where it is published, and summing their rows in a week where it is suppressed
 * gives its figure back (and, through complementary suppression, the small team's: the org minus its
 * published teams minus the cover's members is the small team). So a row whose team is suppressed that week
 * carries the person's pseudonym of that week alone ({@link Pseudonyms#ofWeek}), which links to none of the
 * person's other weeks. People whose team is published keep their pseudonym across weeks, so trends and
 * team breakdowns work wherever a team's figures are shown anyway.
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
    List<Column> columns = new ArrayList<>();
    for (String c : privateRows.columns()) {
      columns.add(TEAM_COLUMNS.contains(c) ? when(published, col(c)).as(c) : col(c));
    }
    columns.add(published.unary_$bang().as(WEEK_SCOPED));
    return pseudonyms.replaceUserId(flagged.select(columns.toArray(Column[]::new)), WEEK_SCOPED);
  }

  private static final String WEEK_SCOPED = "_week_scoped";
}
