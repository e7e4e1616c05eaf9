package io.goodhart.curated;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.time.ZoneId;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Behavioural features of each person's week, the inputs of the padding model. Genuine use and token
 * padding can burn the same number of tokens; they differ in how: padding repeats the same prompts, runs
 * on timers (near-constant gaps between requests), floods off-hours and the last days before the weekly
 * cut-off, and leaves little behind, while genuine use keeps output (accepted lines) and links requests
 * to commits, pull requests and tickets in a number that grows with the tokens spent. Every feature is a
 * share, a ratio or the log of a per-request or per-token rate, so a heavy and a light user with the same
 * habits get similar values: the model learns behaviour, not volume. Each
 * undefined case (no fingerprints, no feedback, no sessions, no tokens, too few requests) has a stated
 * neutral value, except the two of the local clock: {@code off_hours_share} and {@code weekend_share} are null
 * for a person-week none of whose requests has a known local time.
 *
 * <p>Pure: attributed events ({@link AttributedEvents#attribute}) in, rows of
 * {@code curated.user_weekly_features} out, one per (week_start, user_id) with events.
 */
public final class UserWeeklyFeatures {

  /** The model's feature columns, in table order. */
  public static final List<String> FEATURES = List.of(
      "log_tokens_per_request",
      "output_input_ratio",
      "prompt_repeat_share",
      "distinct_prompt_ratio",
      "automated_share",
      "interval_cv",
      "off_hours_share",
      "weekend_share",
      "cutoff_token_share",
      "acceptance_rate",
      "feedback_share",
      "lines_per_1k_tokens",
      "artifacts_per_1k_tokens",
      "session_artifact_share",
      "low_value_task_share",
      "log_session_depth",
      "unkept_repeat_share");

  /** The features of the developer's local clock: null for a person-week whose local time is unknown. */
  public static final List<String> LOCAL_CLOCK = List.of("off_hours_share", "weekend_share");

  /** Task types that are not software work. */
  static final List<String> LOW_VALUE_TASKS = List.of("email_triage", "summarization", "other");

  private static final long MICROS_PER_MINUTE = 60_000_000L;
  private static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
  private static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;
  /** Working hours on the developer's clock: [08:00, 19:00), Monday to Friday. */
  private static final long WORK_START = 8 * MICROS_PER_HOUR;
  private static final long WORK_END = 19 * MICROS_PER_HOUR;

  private UserWeeklyFeatures() {}

  /**
   * @param attributed output of {@link AttributedEvents#attribute} (its {@code week_start} and
   *     {@code event_date} are already in the reporting zone)
   * @param reportingZone the zone of the weekly calendar, the one {@code attributed} was computed with;
   *     the cut-off window is the week's Saturday and Sunday in it
   */
  public static Dataset<Row> compute(Dataset<Row> attributed, ZoneId reportingZone) {
    WindowSpec inOrder = Window.partitionBy("week_start", "user_id").orderBy("event_time", "event_id");
    WindowSpec samePrompt = Window.partitionBy("week_start", "user_id", "prompt_fingerprint");

    // The developer's local clock (not the reporting zone's): the time zone of their stint when the directory
    // gives one, else the offset the emitter wrote in event_time, else unknown (null), never UTC by default.
    // from_utc_timestamp gives the zone's wall time as epoch micros, independent of the Spark session time
    // zone, as the offset arithmetic is. Day 0 (1970-01-01) was a Thursday, so shifted by 3 days the time
    // within a 7-day cycle starts on Monday 00:00 local.
    Column timeZone = java.util.Arrays.asList(attributed.columns()).contains("time_zone")
        ? col("time_zone") : lit(null).cast("string");
    Column localMicros = when(timeZone.isNotNull(), unix_micros(from_utc_timestamp(col("event_time"), timeZone)))
        .otherwise(unix_micros(col("event_time"))
            .plus(col("event_offset_minutes").cast("long").multiply(MICROS_PER_MINUTE)));
    Column localTimeOfWeek = pmod(localMicros.plus(3 * MICROS_PER_DAY), lit(7 * MICROS_PER_DAY));
    Column localTimeOfDay = pmod(localMicros, lit(MICROS_PER_DAY));
    Column weekend = localTimeOfWeek.geq(5 * MICROS_PER_DAY);
    Column offHours = weekend.or(localTimeOfDay.lt(WORK_START)).or(localTimeOfDay.geq(WORK_END));

    // The weekly cut-off is Sunday 24:00 in the reporting zone; its last 48 hours start on Saturday 00:00
    // there, i.e. the requests whose reporting-zone day is the week's Saturday or Sunday. (A day, not
    // event_time minus 48 hours, so a daylight-saving change in the weekend moves nothing.)
    Column beforeCutoff = AttributedEvents.localDate(col("event_time"), reportingZone)
        .geq(date_add(col("week_start"), 5));

    Dataset<Row> perEvent = attributed
        .withColumn("_tokens", col("input_tokens").plus(col("output_tokens")))
        .withColumn("_gap_s", unix_micros(col("event_time"))
            .minus(lag(unix_micros(col("event_time")), 1).over(inOrder)).divide(1e6))
        // count() skips nulls, so requests without a fingerprint get 0 here and are never "repeated".
        .withColumn("_prompt_uses", count(col("prompt_fingerprint")).over(samePrompt))
        .withColumn("_local_known", localMicros.isNotNull())
        .withColumn("_off_hours", offHours)
        .withColumn("_weekend", weekend)
        .withColumn("_before_cutoff", beforeCutoff);

    Dataset<Row> weekly = perEvent
        .groupBy("week_start", "user_id")
        .agg(
            // As in UserWeeklyUsage: the struct orders by time, then event_id, so the last event is unique.
            max(struct(col("event_time"), col("event_id"), col("team_id"))).as("_last"),
            count(lit(1)).as("events"),
            sum("input_tokens").as("_input"),
            sum("output_tokens").as("_output"),
            count(col("prompt_fingerprint")).as("_fingerprinted"),
            countIf(col("_prompt_uses").geq(2)).as("_repeated"),
            // Padding that imitates interactive use re-sends the same prompts and keeps none of the output;
            // a deployment bot re-sends its prompts too, but its output is applied.
            countIf(col("_prompt_uses").geq(2).and(coalesce(col("accepted"), lit(false)).unary_$bang()))
                .as("_unkept_repeats"),
            UserWeeklyUsage.distinctCount("prompt_fingerprint").as("_distinct_prompts"),
            countIf(col("trigger").isin("scheduled", "automation")).as("_automated"),
            count(col("_gap_s")).as("_gaps"),
            avg("_gap_s").as("_gap_mean"),
            stddev_pop("_gap_s").as("_gap_sd"),
            countIf(col("_local_known")).as("_local_known"),
            countIf(col("_off_hours")).as("_off_hours"),
            countIf(col("_weekend")).as("_weekend"),
            coalesce(sum(when(col("_before_cutoff"), col("_tokens")).otherwise(0L)), lit(0L)).as("_cutoff_tokens"),
            count(col("accepted")).as("_with_feedback"),
            countIf(col("accepted")).as("_accepted"),
            coalesce(sum("lines_accepted"), lit(0L)).as("_lines"),
            UserWeeklyUsage.distinctCount("artifact_id").as("_artifacts"),
            count(col("session_id")).as("_session_requests"),
            UserWeeklyUsage.distinctCount("session_id").as("_sessions"),
            UserWeeklyUsage.distinctCount(when(col("artifact_id").isNotNull(), col("session_id"))).as("_sessions_with_artifact"),
            countIf(col("task_type").isin(LOW_VALUE_TASKS.toArray())).as("_low_value"))
        .withColumn("total_tokens", col("_input").plus(col("_output")));

    Column events = col("events").cast("double");
    Column total = col("total_tokens").cast("double");
    Column hasTokens = col("total_tokens").gt(0);
    Column hasSessions = col("_sessions").gt(0);
    return weekly.select(
        col("week_start"),
        WeeklyEngagement.isoWeekLabel(col("week_start")).as("iso_week"),
        col("user_id"),
        col("_last.team_id").as("team_id"),
        col("events"),
        col("total_tokens"),
        log1p(total.divide(events)).as("log_tokens_per_request"),
        col("_output").cast("double").divide(greatest(col("_input"), lit(1L))).as("output_input_ratio"),
        when(col("_fingerprinted").gt(0), col("_repeated").cast("double").divide(col("_fingerprinted")))
            .otherwise(0.0).as("prompt_repeat_share"),
        when(col("_fingerprinted").gt(0), col("_distinct_prompts").cast("double").divide(col("_fingerprinted")))
            .otherwise(1.0).as("distinct_prompt_ratio"),
        col("_automated").cast("double").divide(events).as("automated_share"),
        // Fewer than 3 requests (under 2 gaps) or all at one instant: no evidence either way, so 1.0, the
        // coefficient of variation of random (Poisson) arrivals; a timer drives it towards 0.
        when(col("_gaps").geq(2).and(col("_gap_mean").gt(0)), col("_gap_sd").divide(col("_gap_mean")))
            .otherwise(1.0).as("interval_cv"),
        // Shares of the requests whose local time is known; null when none is (a UTC-only source and no time
        // zone in the directory): a guess would read night work into a day shift.
        when(col("_local_known").gt(0), col("_off_hours").cast("double").divide(col("_local_known")))
            .as("off_hours_share"),
        when(col("_local_known").gt(0), col("_weekend").cast("double").divide(col("_local_known")))
            .as("weekend_share"),
        when(hasTokens, col("_cutoff_tokens").cast("double").divide(total)).otherwise(0.0).as("cutoff_token_share"),
        // No feedback at all gives 0.0 here; feedback_share = 0.0 tells that apart from "nothing kept".
        when(col("_with_feedback").gt(0), col("_accepted").cast("double").divide(col("_with_feedback")))
            .otherwise(0.0).as("acceptance_rate"),
        col("_with_feedback").cast("double").divide(events).as("feedback_share"),
        when(hasTokens, log1p(col("_lines").cast("double").divide(total.divide(1000.0))))
            .otherwise(0.0).as("lines_per_1k_tokens"),
        when(hasTokens, log1p(col("_artifacts").cast("double").divide(total.divide(1000.0))))
            .otherwise(0.0).as("artifacts_per_1k_tokens"),
        when(hasSessions, col("_sessions_with_artifact").cast("double").divide(col("_sessions")))
            .otherwise(0.0).as("session_artifact_share"),
        col("_low_value").cast("double").divide(events).as("low_value_task_share"),
        when(hasSessions, log1p(col("_session_requests").cast("double").divide(col("_sessions"))))
            .otherwise(0.0).as("log_session_depth"),
        col("_unkept_repeats").cast("double").divide(events).as("unkept_repeat_share"));
  }

  /** Number of rows where the condition is true (null counts as false). */
  private static Column countIf(Column condition) {
    return coalesce(sum(when(condition, 1L).otherwise(0L)), lit(0L));
  }
}
