package io.goodhart.curated;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.round;
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
 * Pure: attributed events ({@link AttributedEvents}), directory stints, padding verdicts and model prices
 * in, rows of {@code curated.team_weekly_engagement} out. The events must cover every requested week and
 * the week before each (week-over-week change); a week with no events still gets rows for its eligible
 * teams.
 *
 * <p>Padding verdicts are per person-week ({@code week_start}, {@code user_id}, {@code label},
 * {@code padding_score}), at most one per person-week; a person-week without one is genuine with score 0.
 * Genuine counts leave out only person-weeks labelled {@code padding}; token and cost weights use
 * {@code padding_score} whatever the label (a null score weighs 0). Prices are those of
 * {@link ModelPrices}: one row per model and exactly one {@value ModelPrices#DEFAULT} row, which prices
 * events whose model is null or not listed ({@link ModelPrices#load} guarantees both; a frame breaking
 * them would duplicate events).
 */
public final class WeeklyEngagement {

  /** Knobs of the computation; {@code asOf} is the latest date the job has run for (decides week_status). */
  public record Settings(double target, int minGroupSize, LocalDate asOf) {}

  private static final double MICRO = 1_000_000.0;
  /** The tool counts of a group nobody engaged in. */
  private static final Column EMPTY_TOOL_COUNTS =
      functions.map().cast(org.apache.spark.sql.types.DataTypes.createMapType(
          org.apache.spark.sql.types.DataTypes.StringType, org.apache.spark.sql.types.DataTypes.LongType));

  private WeeklyEngagement() {}

  /** The week before each requested week must be in the events too; these are the weeks to read. */
  public static List<LocalDate> weeksToRead(List<LocalDate> weeks) {
    return weeks.stream().flatMap(w -> java.util.stream.Stream.of(w.minusWeeks(1), w)).distinct().sorted().toList();
  }

  /**
   * The table's rows for {@code weeks}. {@code attributed} carries, besides the columns of
   * {@link AttributedEvents}, {@code model} (may be null) and {@code cache_read_tokens} (may be null).
   */
  public static Dataset<Row> compute(Dataset<Row> attributed, Dataset<Row> directory, Dataset<Row> verdicts,
      Dataset<Row> prices, List<LocalDate> weeks, Settings settings) {
    return compute(attributed, AttributedEvents.noMetricOnlyDays(attributed), directory, verdicts, prices, weeks,
        settings);
  }

  /**
   * With metric-only days ({@link AttributedEvents#attributeMetricOnlyDays}, covering the same weeks as the
   * events): a developer with one in a team's week is engaged there (the tool counted requests the events do
   * not carry), an active person, and its tokens are in the groups' token figures, weighed and priced like a
   * request of unknown model; {@code events} and {@code active_days} stay the requests'.
   */
  public static Dataset<Row> compute(Dataset<Row> attributed, Dataset<Row> metricOnlyDays, Dataset<Row> directory,
      Dataset<Row> verdicts, Dataset<Row> prices, List<LocalDate> weeks, Settings settings) {
    return compute(attributed, metricOnlyDays, AttributedEvents.noDailyRows(attributed), directory, verdicts, prices,
        weeks, settings);
  }

  /**
   * With metric-only days and active daily rows ({@link AttributedEvents#attributeActiveDailyRows}, covering the
   * same weeks as the events): a developer with an active daily row in a team's week is engaged there and an
   * active person, counted once with every other source; a daily row adds no event, token, cost or active
   * day (its counts are not requests, and its tokens, where a source has them, are not split by model).
   * {@code engaged_by_tool} counts each tool's engaged developers: the tool of a request or metric-only day,
   * or of a daily row.
   */
  public static Dataset<Row> compute(Dataset<Row> attributed, Dataset<Row> metricOnlyDays, Dataset<Row> activeDailyRows,
      Dataset<Row> directory, Dataset<Row> verdicts, Dataset<Row> prices, List<LocalDate> weeks, Settings settings) {
    Dataset<Row> usage = attributed
        .select(col("week_start"), col("event_date"), col("team_id"), col("team_name"), col("org"), col("user_id"),
            col("tool"), col("model"), col("input_tokens"), col("output_tokens"), col("cache_read_tokens"),
            lit(1L).as("_requests"))
        .unionByName(metricOnlyDays.select(col("week_start"), col("event_date"), col("team_id"), col("team_name"),
            col("org"), col("user_id"), col("tool"), lit(null).cast("string").as("model"), col("input_tokens"),
            col("output_tokens"), col("cache_read_tokens"), lit(0L).as("_requests")))
        .unionByName(activeDailyRows.select(col("week_start"), col("event_date"), col("team_id"), col("team_name"),
            col("org"), col("user_id"), col("tool"), lit(null).cast("string").as("model"), lit(0L).as("input_tokens"),
            lit(0L).as("output_tokens"), lit(null).cast("bigint").as("cache_read_tokens"), lit(0L).as("_requests")));
    List<LocalDate> computed = weeksToRead(weeks);
    Dataset<Row> weekFrame = attributed.sparkSession()
        .createDataset(computed.stream().map(Date::valueOf).toList(), Encoders.DATE()).toDF("week_start");

    Dataset<Row> eligible = directory.filter(col("is_developer"))
        .crossJoin(weekFrame)
        .filter(col("valid_from").leq(date_add(col("week_start"), 6))
            .and(coalesce(col("valid_to"), lit(Date.valueOf(AttributedEvents.OPEN_END))).geq(col("week_start"))))
        .select("week_start", "team_id", "team_name", "org", "user_id");
    // Every eligible stint-week flagged engaged (an event in that team that week) and genuine (engaged,
    // and the person-week not labelled padding).
    Dataset<Row> toolsInTeam = usage.select("week_start", "team_id", "user_id", "tool").distinct();
    Dataset<Row> activeInTeam = toolsInTeam.select("week_start", "team_id", "user_id").distinct()
        .withColumn("_engaged", lit(true));
    Dataset<Row> paddingWeeks = verdicts.filter(col("label").equalTo(VerdictLabels.PADDING))
        .select("week_start", "user_id").distinct().withColumn("_padding", lit(true));
    Dataset<Row> people = eligible
        .join(activeInTeam, seq("week_start", "team_id", "user_id"), "left")
        .join(paddingWeeks, seq("week_start", "user_id"), "left")
        .withColumn("_engaged", coalesce(col("_engaged"), lit(false)))
        .withColumn("_genuine", col("_engaged").and(col("_padding").isNull()));
    Dataset<Row> events = teamDays(weighted(usage, verdicts, prices));

    // The three levels in one pass each over people and events: every row is exploded into its team,
    // org and company group, so the roll-up is one aggregation (and one join) rather than one per level
    // and figure -- on a small week the number of Spark stages, not the rows, is what costs.
    Dataset<Row> peopleBy = inLevels(people)
        .groupBy("week_start", "level", "group_key", "user_id")
        .agg(max("_engaged").as("_engaged"), max("_genuine").as("_genuine"), max("org").as("org"),
            max("team_name").as("team_name"))
        .groupBy("week_start", "level", "group_key")
        .agg(count(lit(1)).as("eligible_developers"),
            sum(when(col("_engaged"), 1L).otherwise(0L)).as("engaged_developers"),
            sum(when(col("_genuine"), 1L).otherwise(0L)).as("genuine_engaged_developers"),
            max("org").as("org"), max("team_name").as("team_name"));
    Dataset<Row> eventsBy = inLevels(events)
        .groupBy("week_start", "level", "group_key")
        .agg(sum("events").as("events"),
            sum("input_tokens").as("input_tokens"),
            sum("output_tokens").as("output_tokens"),
            coalesce(sum("cache_read_tokens"), lit(0L)).as("cache_read_tokens"),
            countDistinct(when(col("events").gt(0), col("event_date"))).cast("int").as("active_days"),
            round(sum("_padding_tokens")).cast("bigint").as("padding_tokens"),
            functions.size(functions.array_distinct(functions.flatten(functions.collect_list("_users"))))
                .cast("bigint").as("active_people"),
            sum("_cost_micro").divide(MICRO).as("estimated_cost_usd"),
            sum("_padding_cost_micro").divide(MICRO).as("padding_cost_usd"),
            max("org").as("_event_org"), max("team_name").as("_event_team_name"));
    // Each tool's engaged developers: eligible in the team that week, with that tool there; roll-ups count
    // distinct people, as engaged_developers does.
    Dataset<Row> toolsBy = inLevels(eligible.join(toolsInTeam, seq("week_start", "team_id", "user_id")))
        .groupBy("week_start", "level", "group_key", "tool")
        .agg(countDistinct("user_id").as("_engaged"))
        .groupBy("week_start", "level", "group_key")
        .agg(functions.map_from_entries(functions.array_sort(functions.collect_list(
            functions.struct(col("tool"), col("_engaged"))))).as("engaged_by_tool"));
    Column isTeam = col("level").equalTo("team");
    Dataset<Row> rows = peopleBy.join(eventsBy, seq("week_start", "level", "group_key"), "full_outer")
        .join(toolsBy, seq("week_start", "level", "group_key"), "left")
        .select(
            col("week_start"),
            col("level"),
            col("group_key"),
            when(isTeam, coalesce(col("org"), col("_event_org")))
                .when(col("level").equalTo("org"), col("group_key")).as("org"),
            when(isTeam, col("group_key")).as("team_id"),
            when(isTeam, coalesce(col("team_name"), col("_event_team_name"))).as("team_name"),
            coalesce(col("eligible_developers"), lit(0L)).as("eligible_developers"),
            coalesce(col("engaged_developers"), lit(0L)).as("engaged_developers"),
            coalesce(col("active_people"), lit(0L)).as("active_people"),
            coalesce(col("engaged_by_tool"), EMPTY_TOOL_COUNTS).as("engaged_by_tool"),
            coalesce(col("events"), lit(0L)).as("events"),
            coalesce(col("input_tokens"), lit(0L)).as("input_tokens"),
            coalesce(col("output_tokens"), lit(0L)).as("output_tokens"),
            coalesce(col("cache_read_tokens"), lit(0L)).as("cache_read_tokens"),
            coalesce(col("input_tokens"), lit(0L)).plus(coalesce(col("output_tokens"), lit(0L))).as("total_tokens"),
            coalesce(col("active_days"), lit(0)).as("active_days"),
            coalesce(col("genuine_engaged_developers"), lit(0L)).as("genuine_engaged_developers"),
            coalesce(col("padding_tokens"), lit(0L)).as("padding_tokens"),
            coalesce(col("estimated_cost_usd"), lit(0.0)).as("estimated_cost_usd"),
            coalesce(col("padding_cost_usd"), lit(0.0)).as("padding_cost_usd"));

    Column rate = when(col("eligible_developers").gt(0), col("engaged_developers").cast("double").divide(col("eligible_developers")));
    Column small = col("eligible_developers").lt(settings.minGroupSize());
    Column perPerson = small.unary_$bang().and(col("engaged_developers").gt(0));
    Dataset<Row> figures = rows
        .withColumn("engagement_rate", rate)
        .withColumn("genuine_engagement_rate", when(col("eligible_developers").gt(0),
            col("genuine_engaged_developers").cast("double").divide(col("eligible_developers"))))
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
            col("eligible_developers"), col("engaged_developers"), col("active_people"), col("engaged_by_tool"),
            col("engagement_rate"),
            lit(settings.target()).as("target_rate"),
            col("engagement_rate").geq(settings.target()).as("target_met"),
            col("events"), col("input_tokens"), col("output_tokens"), col("cache_read_tokens"), col("total_tokens"),
            col("active_days"), col("below_min_group_size"), col("tokens_per_engaged_developer"),
            col("events_per_engaged_developer"), col("engagement_rate_change"), col("engaged_developers_change"),
            col("total_tokens_change"), col("genuine_engaged_developers"), col("genuine_engagement_rate"),
            col("padding_tokens"), col("estimated_cost_usd"), col("padding_cost_usd"),
            when(date_add(col("week_start"), 6).leq(lit(Date.valueOf(settings.asOf()))), lit("final"))
                .otherwise(lit("week_to_date")).as("week_status"));
  }

  /**
   * Every event with its person-week {@code _padding_score} (0 without a verdict) and {@code _cost_micro},
   * its price in millionths of a dollar: tokens times the USD-per-million prices of its model, or of the
   * {@value ModelPrices#DEFAULT} row when its model is null or unlisted. Costs are divided by a million
   * only after summing, so whole millionths add up exactly.
   */
  private static Dataset<Row> weighted(Dataset<Row> attributed, Dataset<Row> verdicts, Dataset<Row> prices) {
    Dataset<Row> scores = verdicts.select(col("week_start").as("_v_week"), col("user_id").as("_v_user"),
        col("padding_score").as("_v_score"));
    Dataset<Row> listed = prices.select(col("model").as("_p_model"), col("input_usd_per_mtok").as("_p_in"),
        col("output_usd_per_mtok").as("_p_out"), col("cache_read_usd_per_mtok").as("_p_cache"));
    Dataset<Row> fallback = prices.filter(col("model").equalTo(ModelPrices.DEFAULT))
        .select(col("input_usd_per_mtok").as("_d_in"), col("output_usd_per_mtok").as("_d_out"),
            col("cache_read_usd_per_mtok").as("_d_cache"));
    Dataset<Row> scored = attributed.join(scores,
        col("week_start").equalTo(col("_v_week")).and(col("user_id").equalTo(col("_v_user"))), "left");
    Dataset<Row> priced = scored.join(broadcast(listed), col("model").equalTo(col("_p_model")), "left")
        .join(broadcast(fallback), lit(true), "left");
    Column isListed = col("_p_model").isNotNull();
    Column cost = col("input_tokens").multiply(when(isListed, col("_p_in")).otherwise(col("_d_in")))
        .plus(col("output_tokens").multiply(when(isListed, col("_p_out")).otherwise(col("_d_out"))))
        .plus(coalesce(col("cache_read_tokens"), lit(0L))
            .multiply(when(isListed, col("_p_cache")).otherwise(col("_d_cache"))));
    return priced
        .withColumn("_padding_score", coalesce(col("_v_score"), lit(0.0)))
        .withColumn("_cost_micro", cost)
        .drop("_v_week", "_v_user", "_v_score", "_p_model", "_p_in", "_p_out", "_p_cache", "_d_in", "_d_out",
            "_d_cache");
  }

  /**
   * Event figures per team and reporting day, the grain the levels roll up from: the week's events are
   * summed once here, so the roll-up reads a few rows per team and day instead of every event.
   * Weighted sums stay unrounded until the level's total.
   */
  private static Dataset<Row> teamDays(Dataset<Row> weighted) {
    Column tokens = col("input_tokens").plus(col("output_tokens"));
    return weighted.groupBy("week_start", "team_id", "team_name", "org", "event_date").agg(
        sum("_requests").as("events"),
        sum("input_tokens").as("input_tokens"),
        sum("output_tokens").as("output_tokens"),
        sum("cache_read_tokens").as("cache_read_tokens"),
        sum(tokens.multiply(col("_padding_score"))).as("_padding_tokens"),
        sum("_cost_micro").as("_cost_micro"),
        sum(col("_cost_micro").multiply(col("_padding_score"))).as("_padding_cost_micro"),
        functions.collect_set("user_id").as("_users"));
  }

  /** Each row three times: in its team ({@code team_id}), its org and the company ({@code "all"}). */
  private static Dataset<Row> inLevels(Dataset<Row> rows) {
    Column groups = functions.explode(functions.array(
        functions.struct(lit("team").as("level"), col("team_id").as("group_key")),
        functions.struct(lit("org").as("level"), col("org").as("group_key")),
        functions.struct(lit("company").as("level"), lit("all").as("group_key"))));
    return rows.withColumn("_group", groups)
        .withColumn("level", col("_group.level"))
        .withColumn("group_key", col("_group.group_key"))
        .drop("_group");
  }

  private static scala.collection.immutable.Seq<String> seq(String... columns) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(columns)).toList();
  }

  /** ISO week label of a Monday column: the ISO year is the year of the week's Thursday. */
  public static Column isoWeekLabel(Column weekStart) {
    return functions.concat(functions.year(date_add(weekStart, 3)).cast("string"), lit("-W"),
        functions.lpad(functions.weekofyear(weekStart).cast("string"), 2, "0"));
  }
}
