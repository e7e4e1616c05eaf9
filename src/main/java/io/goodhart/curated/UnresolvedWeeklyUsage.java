package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.goodhart.ingest.PersonResolution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How much of each tool's usage of a week counts for nobody in the directory: the requests no person key
 * resolved ({@link PersonResolution#RESOLVED_BY} null: they keep the source's key as {@code user_id}) and
 * their distinct keys, beside all of the tool's requests. Native requests name the directory id, so they are
 * never unresolved; a request resolved to an id in no stint is resolved (it only has no team). Pure:
 * attributed events ({@link AttributedEvents#attribute} of resolved events) in, rows of
 * {@code curated_private.unresolved_weekly_usage} out, one per week and tool with requests. Counts only: no
 * key leaves this transformation.
 */
public final class UnresolvedWeeklyUsage {
  private UnresolvedWeeklyUsage() {}

  public static Dataset<Row> compute(Dataset<Row> attributed) {
    Column unresolved = col(PersonResolution.RESOLVED_BY).isNull();
    return attributed
        .groupBy("week_start", "tool")
        .agg(count(lit(1)).as("events"),
            count(when(unresolved, lit(1))).as("unresolved_events"),
            countDistinct(when(unresolved, col("user_id"))).as("unresolved_keys"))
        .select(col("week_start"), WeeklyEngagement.isoWeekLabel(col("week_start")).as("iso_week"), col("tool"),
            col("events"), col("unresolved_events"), col("unresolved_keys"));
  }
}
