package io.goodhart.curated;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_except;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.flatten;
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
 * attributed events and metric-only days in, rows of {@code curated.user_weekly_usage} out, one per person
 * and week with requests or metric-only tokens (tokens counted once, {@link TokensCountedOnce}).
 */
public final class UserWeeklyUsage {
  private UserWeeklyUsage() {}

  public static Dataset<Row> compute(Dataset<Row> attributed) {
    return compute(attributed, AttributedEvents.noMetricOnlyDays(attributed));
  }

  /**
   * With the tokens of the person's metric-only days ({@link AttributedEvents#attributeMetricOnlyDays}) added
   * to their week's tokens, counted in {@code metric_tokens} and {@code metric_only_days}; a week of metric-only
   * days alone is a row with no request. Request figures stay the requests'.
   */
  public static Dataset<Row> compute(Dataset<Row> attributed, Dataset<Row> metricOnlyDays) {
    Dataset<Row> requests = attributed
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
            collect_set("event_date").as("_request_days"),
            collect_set("tool").as("_tools"),
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
        .withColumn("_metric_days", array().cast("array<date>"))
        .withColumn("metric_tokens", lit(0L));
    Column none = lit(0L);
    Dataset<Row> metrics = metricOnlyDays
        .groupBy("week_start", "user_id")
        .agg(
            max(struct(col("event_time"), lit(null).cast("string").as("event_id"), col("team_id"), col("team_name"),
                col("org"), col("is_developer"))).as("_last"),
            none.as("events"), none.as("sessions"),
            sum("input_tokens").as("input_tokens"),
            sum("output_tokens").as("output_tokens"),
            sum("cache_read_tokens").as("cache_read_tokens"),
            array().cast("array<date>").as("_request_days"),
            collect_set("tool").as("_tools"),
            none.as("interactive_events"), none.as("scheduled_events"), none.as("automation_events"),
            none.as("events_with_feedback"), none.as("accepted_events"), none.as("lines_accepted"),
            none.as("artifacts_linked"), none.as("distinct_prompts"),
            lit(null).cast("timestamp").as("first_event_at"), lit(null).cast("timestamp").as("last_event_at"),
            collect_set("event_date").as("_metric_days"),
            sum(col("input_tokens").plus(col("output_tokens"))).as("metric_tokens"));
    // One row per person-week from either side; a person-week on one side only keeps that side's figures.
    return requests.unionByName(metrics)
        .groupBy("week_start", "user_id")
        .agg(
            max("_last").as("_last"),
            sum("events").as("events"),
            sum("sessions").as("sessions"),
            sum("input_tokens").as("input_tokens"),
            sum("output_tokens").as("output_tokens"),
            sum("cache_read_tokens").as("cache_read_tokens"),
            flatten(collect_list("_request_days")).as("_request_days"),
            flatten(collect_list("_metric_days")).as("_metric_days"),
            array_sort(array_distinct(flatten(collect_list("_tools")))).as("tools_used"),
            sum("interactive_events").as("interactive_events"),
            sum("scheduled_events").as("scheduled_events"),
            sum("automation_events").as("automation_events"),
            sum("events_with_feedback").as("events_with_feedback"),
            sum("accepted_events").as("accepted_events"),
            sum("lines_accepted").as("lines_accepted"),
            sum("artifacts_linked").as("artifacts_linked"),
            sum("distinct_prompts").as("distinct_prompts"),
            min("first_event_at").as("first_event_at"),
            max("last_event_at").as("last_event_at"),
            sum("metric_tokens").as("metric_tokens"))
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
            size(array_distinct(col("_request_days"))).as("active_days"),
            col("tools_used"), col("interactive_events"), col("scheduled_events"),
            col("automation_events"), col("events_with_feedback"), col("accepted_events"),
            when(col("events_with_feedback").gt(0),
                col("accepted_events").cast("double").divide(col("events_with_feedback"))).as("accepted_share"),
            col("lines_accepted"), col("artifacts_linked"), col("distinct_prompts"),
            col("first_event_at"), col("last_event_at"),
            size(array_except(col("_metric_days"), col("_request_days"))).as("metric_only_days"),
            col("metric_tokens"));
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
