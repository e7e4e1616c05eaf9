package io.goodhart.curated;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.calendar.ReportingCalendar;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The raw token leaderboard as of given dates (contract section 4): for each snapshot date, everyone
 * with requests or metric-only tokens in that date's week up to and including that date, ranked by total
 * tokens counted once ({@link TokensCountedOnce}; highest
 * first, ties by user_id ascending), with the movement since the previous snapshot of the same week.
 * Pure: attributed events in, rows of {@code curated.leaderboard_snapshots} out.
 */
public final class LeaderboardSnapshot {
  private LeaderboardSnapshot() {}

  /** The raw leaderboard alone: with no verdicts everyone's tokens count as genuine. */
  public static Dataset<Row> compute(Dataset<Row> attributed, List<LocalDate> snapshotDates) {
    StructType none = new StructType().add("week_start", DataTypes.DateType).add("user_id", DataTypes.StringType)
        .add("label", DataTypes.StringType).add("padding_score", DataTypes.DoubleType);
    return compute(attributed, snapshotDates, attributed.sparkSession().createDataFrame(List.of(), none));
  }

  /**
   * The raw leaderboard and, beside it, the honest one: each person's tokens discounted by the padding
   * score of their week ({@code verdicts}: week_start, user_id, label, padding_score), so tokens count
   * in proportion to how genuine the week's behaviour is; a person-week without a verdict counts fully.
   */
  public static Dataset<Row> compute(Dataset<Row> attributed, List<LocalDate> snapshotDates, Dataset<Row> verdicts) {
    return compute(attributed, AttributedEvents.noMetricOnlyDays(attributed), snapshotDates, verdicts);
  }

  /**
   * Both leaderboards with the tokens of metric-only days ({@link AttributedEvents#attributeMetricOnlyDays})
   * counted as the person's, once ({@link TokensCountedOnce}): a person with metric-only days and no request
   * is ranked too, with 0 events.
   */
  public static Dataset<Row> compute(Dataset<Row> attributed, Dataset<Row> metricOnlyDays,
      List<LocalDate> snapshotDates, Dataset<Row> verdicts) {
    Dataset<Row> dates = snapshotFrame(attributed, snapshotDates);
    // Per person and day first: each event then meets at most the week's 7 snapshot dates as a daily sum.
    Dataset<Row> daily = attributed.groupBy("week_start", "event_date", "user_id").agg(
        sum(col("input_tokens").plus(col("output_tokens"))).as("tokens"),
        count(lit(1)).as("events"),
        max(struct(col("event_time"), col("event_id"), col("team_id"), col("team_name"))).as("last"))
        .unionByName(metricOnlyDays.groupBy("week_start", "event_date", "user_id").agg(
            sum(col("input_tokens").plus(col("output_tokens"))).as("tokens"),
            lit(0L).as("events"),
            max(struct(col("event_time"), lit(null).cast("string").as("event_id"), col("team_id"), col("team_name")))
                .as("last")));
    Dataset<Row> totals = daily.join(dates,
            daily.col("week_start").equalTo(dates.col("_week")).and(daily.col("event_date").leq(dates.col("snapshot_date"))))
        .groupBy("snapshot_date", "week_start", "previous_snapshot_date", "user_id")
        .agg(sum("tokens").as("total_tokens"), sum("events").as("events"), max("last").as("_last"));
    Dataset<Row> judged = verdicts.select(col("week_start").as("_v_week"), col("user_id").as("_v_user"),
        col("label"), col("padding_score"));
    Dataset<Row> ranked = totals
        .join(judged, totals.col("week_start").equalTo(judged.col("_v_week"))
            .and(totals.col("user_id").equalTo(judged.col("_v_user"))), "left")
        .withColumn("label", coalesce(col("label"), lit("genuine")))
        .withColumn("padding_score", coalesce(col("padding_score"), lit(0.0)))
        .withColumn("honest_tokens",
            org.apache.spark.sql.functions.round(col("total_tokens").multiply(lit(1.0).minus(col("padding_score")))).cast("bigint"))
        .withColumn("rank", row_number().over(
            Window.partitionBy("snapshot_date").orderBy(col("total_tokens").desc(), col("user_id").asc())))
        .withColumn("honest_rank", row_number().over(
            Window.partitionBy("snapshot_date").orderBy(col("honest_tokens").desc(), col("user_id").asc())));
    Dataset<Row> previous = ranked.select(col("snapshot_date").as("_prev_date"), col("user_id").as("_prev_user"),
        col("rank").as("previous_rank"));
    return ranked.join(previous,
            ranked.col("previous_snapshot_date").equalTo(previous.col("_prev_date"))
                .and(ranked.col("user_id").equalTo(previous.col("_prev_user"))),
            "left")
        .select(
            col("snapshot_date"),
            col("week_start"),
            WeeklyEngagement.isoWeekLabel(col("week_start")).as("iso_week"),
            when(col("snapshot_date").equalTo(org.apache.spark.sql.functions.date_add(col("week_start"), 6)),
                lit("final")).otherwise(lit("week_to_date")).as("snapshot_kind"),
            col("rank"),
            col("user_id"),
            col("_last.team_id").as("team_id"),
            col("_last.team_name").as("team_name"),
            col("total_tokens"),
            col("events"),
            col("previous_snapshot_date"),
            col("previous_rank"),
            col("previous_rank").minus(col("rank")).as("rank_change"),
            col("label"),
            col("padding_score"),
            col("honest_tokens"),
            col("honest_rank"),
            col("rank").minus(col("honest_rank")).as("honest_rank_shift"));
  }

  /** (snapshot_date, _week, previous_snapshot_date): the previous date is the latest earlier one of the same week. */
  private static Dataset<Row> snapshotFrame(Dataset<Row> like, List<LocalDate> snapshotDates) {
    List<Row> rows = new ArrayList<>();
    TreeSet<LocalDate> sorted = new TreeSet<>(snapshotDates);
    for (LocalDate d : sorted) {
      LocalDate week = ReportingCalendar.weekStart(d);
      LocalDate before = sorted.lower(d);
      boolean sameWeek = before != null && ReportingCalendar.weekStart(before).equals(week);
      rows.add(RowFactory.create(Date.valueOf(d), Date.valueOf(week), sameWeek ? Date.valueOf(before) : null));
    }
    StructType schema = new StructType()
        .add("snapshot_date", DataTypes.DateType, false)
        .add("_week", DataTypes.DateType, false)
        .add("previous_snapshot_date", DataTypes.DateType, true);
    return like.sparkSession().createDataFrame(rows, schema);
  }
}
