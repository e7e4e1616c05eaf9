package io.goodhart.curated;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * Weekly engagement against target per team, with org and company roll-ups (contract sections 3-4).
 * Pure: attributed events ({@link AttributedEvents}) and directory stints in, rows of
 * {@code curated.team_weekly_engagement} out. The events must cover every requested week and the week
 * before each (week-over-week change); a week with no events still gets rows for its eligible teams.
 */
public final class WeeklyEngagement {

  /** Knobs of the computation; {@code asOf} is the latest date the job has run for (decides week_status). */
  public record Settings(double target, int minGroupSize, LocalDate asOf) {}

  private WeeklyEngagement() {}

  /** The week before each requested week must be in the events too; these are the weeks to read. */
  public static List<LocalDate> weeksToRead(List<LocalDate> weeks) {
    return weeks.stream().flatMap(w -> java.util.stream.Stream.of(w.minusWeeks(1), w)).distinct().sorted().toList();
  }

  public static Dataset<Row> compute(Dataset<Row> attributed, Dataset<Row> directory, List<LocalDate> weeks,
      Settings settings) {
    List<LocalDate> computed = weeksToRead(weeks);
    Dataset<Row> weekFrame = attributed.sparkSession()
        .createDataset(computed.stream().map(Date::valueOf).toList(), Encoders.DATE()).toDF("week_start");

    Dataset<Row> eligible = directory.filter(col("is_developer"))
        .crossJoin(weekFrame)
        .filter(col("valid_from").leq(date_add(col("week_start"), 6))
            .and(coalesce(col("valid_to"), lit(Date.valueOf(AttributedEvents.OPEN_END))).geq(col("week_start"))))
        .select("week_start", "team_id", "team_name", "org", "user_id");
    Dataset<Row> activeInTeam = attributed.select("week_start", "team_id", "user_id").distinct();
    Dataset<Row> engaged = eligible.join(activeInTeam,
        scala.collection.JavaConverters.asScalaBuffer(List.of("week_start", "team_id", "user_id")).toSeq(), "left_semi");

    Column none = lit(null).cast("string");
    Dataset<Row> teams = level("team", col("team_id"), eligible, engaged, attributed)
        .withColumn("team_id", col("group_key"));
    Dataset<Row> orgs = level("org", col("org"), eligible, engaged, attributed)
        .withColumn("org", col("group_key")).withColumn("team_id", none).withColumn("team_name", none);
    Dataset<Row> company = level("company", lit("all"), eligible, engaged, attributed)
        .withColumn("org", none).withColumn("team_id", none).withColumn("team_name", none);
    Dataset<Row> rows = teams.unionByName(orgs).unionByName(company);

    Column rate = when(col("eligible_developers").gt(0), col("engaged_developers").cast("double").divide(col("eligible_developers")));
    Column small = col("eligible_developers").lt(settings.minGroupSize());
    Column perPerson = small.unary_$bang().and(col("engaged_developers").gt(0));
    Dataset<Row> figures = rows
        .withColumn("engagement_rate", rate)
        .withColumn("below_min_group_size", small)
        .withColumn("tokens_per_engaged_developer",
            when(perPerson, col("total_tokens").cast("double").divide(col("engaged_developers"))))
        .withColumn("events_per_engaged_developer",
            when(perPerson, col("events").cast("double").divide(col("engaged_developers"))));

    // Previous week of the same group; the requested weeks' previous weeks were computed above, so a
    // missing row there means the group had nobody eligible and no events: zero, not unknown. A window
    // rather than a self-join, so the whole roll-up is computed once.
    WindowSpec byGroup = Window.partitionBy("level", "group_key").orderBy("week_start");
    Column previousIsLastWeek = lag(col("week_start"), 1).over(byGroup).equalTo(date_sub(col("week_start"), 7));
    Dataset<Row> withChange = figures
        .withColumn("_prev_rate", when(previousIsLastWeek, lag(col("engagement_rate"), 1).over(byGroup)))
        .withColumn("_prev_engaged", when(previousIsLastWeek, lag(col("engaged_developers"), 1).over(byGroup)))
        .withColumn("_prev_tokens", when(previousIsLastWeek, lag(col("total_tokens"), 1).over(byGroup)))
        .withColumn("engagement_rate_change", col("engagement_rate").minus(col("_prev_rate")))
        .withColumn("engaged_developers_change", col("engaged_developers").minus(coalesce(col("_prev_engaged"), lit(0L))))
        .withColumn("total_tokens_change", col("total_tokens").minus(coalesce(col("_prev_tokens"), lit(0L))));

    return withChange
        .filter(col("week_start").isin(weeks.stream().map(Date::valueOf).toArray()))
        .select(
            col("week_start"),
            isoWeekLabel(col("week_start")).as("iso_week"),
            col("level"), col("group_key"), col("org"), col("team_id"), col("team_name"),
            col("eligible_developers"), col("engaged_developers"), col("engagement_rate"),
            lit(settings.target()).as("target_rate"),
            col("engagement_rate").geq(settings.target()).as("target_met"),
            col("events"), col("input_tokens"), col("output_tokens"), col("cache_read_tokens"), col("total_tokens"),
            col("active_days"), col("below_min_group_size"), col("tokens_per_engaged_developer"),
            col("events_per_engaged_developer"), col("engagement_rate_change"), col("engaged_developers_change"),
            col("total_tokens_change"),
            when(date_add(col("week_start"), 6).leq(lit(Date.valueOf(settings.asOf()))), lit("final"))
                .otherwise(lit("week_to_date")).as("week_status"));
  }

  /** One level of the roll-up: eligible, engaged and event figures per (week, group_key). */
  private static Dataset<Row> level(String name, Column key, Dataset<Row> eligible, Dataset<Row> engaged,
      Dataset<Row> attributed) {
    Dataset<Row> eligibleBy = eligible.withColumn("group_key", key)
        .groupBy("week_start", "group_key")
        .agg(countDistinct("user_id").as("eligible_developers"), max("org").as("org"), max("team_name").as("team_name"));
    Dataset<Row> engagedBy = engaged.withColumn("group_key", key)
        .groupBy("week_start", "group_key").agg(countDistinct("user_id").as("engaged_developers"));
    Dataset<Row> eventsBy = attributed.withColumn("group_key", key)
        .groupBy("week_start", "group_key")
        .agg(count(lit(1)).as("events"),
            sum("input_tokens").as("input_tokens"),
            sum("output_tokens").as("output_tokens"),
            coalesce(sum("cache_read_tokens"), lit(0L)).as("cache_read_tokens"),
            countDistinct("event_date").cast("int").as("active_days"),
            max("org").as("_event_org"), max("team_name").as("_event_team_name"));
    var keys = scala.collection.JavaConverters.asScalaBuffer(List.of("week_start", "group_key")).toSeq();
    return eligibleBy.join(eventsBy, keys, "full_outer").join(engagedBy, keys, "left")
        .select(
            col("week_start"),
            lit(name).as("level"),
            col("group_key"),
            coalesce(col("org"), col("_event_org")).as("org"),
            coalesce(col("team_name"), col("_event_team_name")).as("team_name"),
            coalesce(col("eligible_developers"), lit(0L)).as("eligible_developers"),
            coalesce(col("engaged_developers"), lit(0L)).as("engaged_developers"),
            coalesce(col("events"), lit(0L)).as("events"),
            coalesce(col("input_tokens"), lit(0L)).as("input_tokens"),
            coalesce(col("output_tokens"), lit(0L)).as("output_tokens"),
            coalesce(col("cache_read_tokens"), lit(0L)).as("cache_read_tokens"),
            coalesce(col("input_tokens"), lit(0L)).plus(coalesce(col("output_tokens"), lit(0L))).as("total_tokens"),
            coalesce(col("active_days"), lit(0)).as("active_days"));
  }

  /** ISO week label of a Monday column: the ISO year is the year of the week's Thursday. */
  public static Column isoWeekLabel(Column weekStart) {
    return functions.concat(functions.year(date_add(weekStart, 3)).cast("string"), lit("-W"),
        functions.lpad(functions.weekofyear(weekStart).cast("string"), 2, "0"));
  }
}
