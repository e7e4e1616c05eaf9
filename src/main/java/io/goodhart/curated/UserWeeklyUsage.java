package io.goodhart.curated;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What each person did in a week: volume, breadth and the signals of value (accepted output, linked
 * artifacts, distinct prompts) that the honest leaderboard and the padding model build on. Pure:
 * attributed events in, rows of {@code curated.user_weekly_usage} out, one per person and week with events.
 */
public final class UserWeeklyUsage {
  private UserWeeklyUsage() {}

  public static Dataset<Row> compute(Dataset<Row> attributed) {
    return attributed
        .groupBy("week_start", "user_id")
        .agg(
            // The struct orders by time, then event_id, so "last event" is deterministic under ties.
            max(struct(col("event_time"), col("event_id"), col("team_id"), col("team_name"), col("org"),
                col("is_developer"))).as("_last"),
            count(lit(1)).as("events"),
            distinctCount("session_id").as("sessions"),
            sum("input_tokens").as("input_tokens"),
            sum("output_tokens").as("output_tokens"),
            coalesce(sum("cache_read_tokens"), lit(0L)).as("cache_read_tokens"),
            distinctCount("event_date").cast("int").as("active_days"),
            array_sort(collect_set("tool")).as("tools_used"),
            countIf(col("trigger").equalTo("interactive")).as("interactive_events"),
            countIf(col("trigger").equalTo("scheduled")).as("scheduled_events"),
            countIf(col("trigger").equalTo("automation")).as("automation_events"),
            count(col("accepted")).as("events_with_feedback"),
            countIf(col("accepted")).as("accepted_events"),
            coalesce(sum("lines_accepted"), lit(0L)).as("lines_accepted"),
            distinctCount("artifact_id").as("artifacts_linked"),
            distinctCount("prompt_fingerprint").as("distinct_prompts"),
            min("event_time").as("first_event_at"),
            max("event_time").as("last_event_at"))
        .select(
            col("week_start"),
            WeeklyEngagement.isoWeekLabel(col("week_start")).as("iso_week"),
            col("user_id"),
            col("_last.team_id").as("team_id"),
            col("_last.team_name").as("team_name"),
            col("_last.org").as("org"),
            col("_last.is_developer").as("is_developer"),
            col("events"), col("sessions"), col("input_tokens"), col("output_tokens"), col("cache_read_tokens"),
            col("input_tokens").plus(col("output_tokens")).as("total_tokens"),
            col("active_days"), col("tools_used"), col("interactive_events"), col("scheduled_events"),
            col("automation_events"), col("events_with_feedback"), col("accepted_events"),
            when(col("events_with_feedback").gt(0),
                col("accepted_events").cast("double").divide(col("events_with_feedback"))).as("accepted_share"),
            col("lines_accepted"), col("artifacts_linked"), col("distinct_prompts"),
            col("first_event_at"), col("last_event_at"));
  }

  /**
   * Distinct non-null values of a column in the group, like {@code countDistinct}, as a bigint. Several
   * {@code countDistinct}s in one aggregation make Spark expand every event into one row per distinct
   * column plus one, then aggregate twice; a set per person-week is small (at most a few hundred
   * sessions, prompts or artifacts), and collecting it keeps one row per event and one aggregation.
   */
  static Column distinctCount(String column) {
    return distinctCount(col(column));
  }

  static Column distinctCount(Column column) {
    return size(collect_set(column)).cast("bigint");
  }

  private static Column countIf(Column condition) {
    return coalesce(sum(when(condition, 1L).otherwise(0L)), lit(0L));
  }
}
