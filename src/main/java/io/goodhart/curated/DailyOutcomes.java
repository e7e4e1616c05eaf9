package io.goodhart.curated;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What each person's AI tool produced and how they received it, per reporting day and tool: the rows of
 * {@code curated_private.daily_outcomes}. Pure: metric points ({@code raw.metric_points}), telemetry
 * events ({@code raw.interaction_events}) and the rows of the tools' daily per-user reports
 * ({@code raw.usage_daily}) in, already naming the person in {@code user_id}, one row per (day, user_id, tool)
 * out.
 *
 * <p>A point's amount belongs to the day of its {@code point_time}. A delta point's value is its amount. A
 * cumulative point's value is what its stream accumulated since {@code start_time}, so its amount is its value
 * less that of the previous point of the same stream and start; the first point of a start counts from 0,
 * which makes a new {@code start_time} (the emitter restarted) a reset. For the amounts to be exact, the
 * points given must hold, for every cumulative stream and start they hold, every earlier point of it: the
 * caller reads the history of the streams it computes, not only the new delivery.
 *
 * <p>A daily report row's suggestions, acceptances and kept lines go to the {@code report_*} figures of its
 * UTC day, which is its reporting day whatever the reporting zone (contract section 4: a UTC day cannot be
 * split). They stay apart from the Claude Code figures: the reports count the suggestions a person accepted
 * and the AI lines they kept, which are not the edit-tool decisions and only close to the lines-of-code
 * metric, so a reader that wants kept lines of every tool adds {@code lines_added} and
 * {@code report_lines_kept} knowingly. A report row with no activity and nothing counted is no outcome and
 * gives no row; a count the source does not have (null) is 0.
 */
public final class DailyOutcomes {
  public static final String TOKENS = "claude_code.token.usage";
  public static final String LINES = "claude_code.lines_of_code.count";
  public static final String COMMITS = "claude_code.commit.count";
  public static final String PULL_REQUESTS = "claude_code.pull_request.count";
  public static final String SESSIONS = "claude_code.session.count";
  public static final String COST = "claude_code.cost.usage";
  public static final String ACTIVE_TIME = "claude_code.active_time.total";
  public static final String EDIT_DECISIONS = "claude_code.code_edit_tool.decision";

  /** The metrics the table reads; points of any other metric are not needed. */
  public static final List<String> METRICS =
      List.of(TOKENS, LINES, COMMITS, PULL_REQUESTS, SESSIONS, COST, ACTIVE_TIME, EDIT_DECISIONS);

  /** The columns of the table after its key (day, week_start, user_id, tool), in the DDL's order. */
  static final List<String> FIGURES = List.of("lines_added", "lines_removed", "commits", "pull_requests", "sessions",
      "cost_usd", "active_seconds", "edit_accepts", "edit_rejects", "metric_input_tokens", "metric_output_tokens",
      "metric_cache_read_tokens", "metric_cache_creation_tokens", "metric_points", "human_turns",
      "tool_decisions_accepted_by_person", "tool_decisions_auto_accepted", "tool_decisions_rejected", "tool_results",
      "tool_failures", "api_errors", "report_suggestions", "report_acceptances", "report_lines_kept");

  /** The figures a daily report row gives, each from the {@code raw.usage_daily} column of the same meaning. */
  static final Map<String, String> REPORT_FIGURES = Map.of("report_suggestions", "suggestions",
      "report_acceptances", "acceptances", "report_lines_kept", "lines_kept");

  /** The columns of {@code raw.usage_daily} the table reads, the person already resolved in {@code user_id}. */
  public static final StructType REPORT_ROWS = new StructType()
      .add("day", DataTypes.DateType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("active", DataTypes.BooleanType, false)
      .add("suggestions", DataTypes.LongType, true)
      .add("acceptances", DataTypes.LongType, true)
      .add("lines_kept", DataTypes.LongType, true);

  private static final List<String> DOUBLE_FIGURES = List.of("cost_usd", "active_seconds");

  private DailyOutcomes() {}

  /** The outcomes of points and events alone, for a lake without daily reports. */
  public static Dataset<Row> compute(Dataset<Row> points, Dataset<Row> interactions, ZoneId zone) {
    return compute(points, interactions, points.sparkSession().createDataFrame(List.of(), REPORT_ROWS), zone);
  }

  /**
   * @param reports rows of {@code raw.usage_daily} with the columns of {@link #REPORT_ROWS}, their person
   *     resolved
   */
  public static Dataset<Row> compute(Dataset<Row> points, Dataset<Row> interactions, Dataset<Row> reports,
      ZoneId zone) {
    Dataset<Row> fromPoints = figures(amounts(points), col("point_time"), zone, pointFigures());
    Dataset<Row> fromEvents = figures(interactions, col("event_time"), zone, eventFigures())
        .unionByName(reportFigures(reports));
    List<Column> sums = new ArrayList<>();
    for (String figure : FIGURES) {
      sums.add(sum(figure).as(figure));
    }
    List<Column> out = new ArrayList<>(List.of(col("day"), col("week_start"), col("user_id"), col("tool")));
    FIGURES.forEach(f -> out.add(col(f)));
    return fromPoints.unionByName(fromEvents)
        .groupBy("day", "week_start", "user_id", "tool")
        .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new))
        .select(out.toArray(Column[]::new));
  }

  /**
   * Each point with {@code amount_long} and {@code amount_double}: the part of its value that belongs to its
   * own time (one of the two is null, as the value was delivered).
   */
  static Dataset<Row> amounts(Dataset<Row> points) {
    WindowSpec stream = Window.partitionBy("temporality", "stream_key", "start_time").orderBy("point_time");
    Column cumulative = col("temporality").equalTo("cumulative");
    return points
        .withColumn("amount_long", when(cumulative,
            col("long_value").minus(coalesce(lag("long_value", 1).over(stream), lit(0L))))
            .otherwise(col("long_value")))
        .withColumn("amount_double", when(cumulative,
            col("double_value").minus(coalesce(lag("double_value", 1).over(stream), lit(0.0))))
            .otherwise(col("double_value")));
  }

  /** How each figure is read from one point with its amount (0 when the point is not of that figure). */
  private static Map<String, Column> pointFigures() {
    Column count = coalesce(col("amount_long"), round(col("amount_double")).cast("bigint"));
    Column measure = coalesce(col("amount_double"), col("amount_long").cast("double"));
    Column metric = col("metric_name");
    Column type = col("type");
    // Point attributes are kept as JSON text: a string value arrives quoted.
    Column decision = trim(col("attributes").getItem("decision"), "\"");
    Map<String, Column> f = new LinkedHashMap<>();
    f.put("lines_added", when(metric.equalTo(LINES).and(type.equalTo("added")), count));
    f.put("lines_removed", when(metric.equalTo(LINES).and(type.equalTo("removed")), count));
    f.put("commits", when(metric.equalTo(COMMITS), count));
    f.put("pull_requests", when(metric.equalTo(PULL_REQUESTS), count));
    f.put("sessions", when(metric.equalTo(SESSIONS), count));
    f.put("cost_usd", when(metric.equalTo(COST), measure));
    f.put("active_seconds", when(metric.equalTo(ACTIVE_TIME), measure));
    f.put("edit_accepts", when(metric.equalTo(EDIT_DECISIONS).and(decision.equalTo("accept")), count));
    f.put("edit_rejects", when(metric.equalTo(EDIT_DECISIONS).and(decision.equalTo("reject")), count));
    f.put("metric_input_tokens", when(metric.equalTo(TOKENS).and(type.equalTo("input")), count));
    f.put("metric_output_tokens", when(metric.equalTo(TOKENS).and(type.equalTo("output")), count));
    f.put("metric_cache_read_tokens", when(metric.equalTo(TOKENS).and(type.equalTo("cacheRead")), count));
    f.put("metric_cache_creation_tokens", when(metric.equalTo(TOKENS).and(type.equalTo("cacheCreation")), count));
    f.put("metric_points", lit(1L));
    return f;
  }

  /** How each figure is read from one telemetry event. */
  private static Map<String, Column> eventFigures() {
    Column kind = col("kind");
    Column decision = kind.equalTo("tool_decision");
    // Only configuration decides with source config: an accept no person gave.
    Column byConfig = coalesce(col("decision_source").equalTo("config"), lit(false));
    Map<String, Column> f = new LinkedHashMap<>();
    f.put("human_turns", when(kind.equalTo("user_prompt"), 1L));
    f.put("tool_decisions_accepted_by_person", when(decision.and(col("decision").equalTo("accept")).and(not(byConfig)), 1L));
    f.put("tool_decisions_auto_accepted", when(decision.and(col("decision").equalTo("accept")).and(byConfig), 1L));
    f.put("tool_decisions_rejected", when(decision.and(col("decision").equalTo("reject")), 1L));
    f.put("tool_results", when(kind.equalTo("tool_result"), 1L));
    f.put("tool_failures", when(kind.equalTo("tool_result").and(col("success").equalTo(false)), 1L));
    f.put("api_errors", when(kind.equalTo("api_error"), 1L));
    return f;
  }

  /** Rows of the key and every figure of the report rows that are an outcome, 0 for the figures they lack. */
  private static Dataset<Row> reportFigures(Dataset<Row> reports) {
    Column counted = lit(false);
    for (String source : REPORT_FIGURES.values()) {
      counted = counted.or(coalesce(col(source), lit(0L)).gt(0));
    }
    List<Column> out = new ArrayList<>(List.of(col("day"), AttributedEvents.weekStart(col("day")).as("week_start"),
        col("user_id"), col("tool")));
    for (String figure : FIGURES) {
      Column zero = DOUBLE_FIGURES.contains(figure) ? lit(0.0) : lit(0L);
      Column value = REPORT_FIGURES.containsKey(figure) ? coalesce(col(REPORT_FIGURES.get(figure)), zero) : zero;
      out.add(value.cast(DOUBLE_FIGURES.contains(figure) ? "double" : "bigint").as(figure));
    }
    return reports.filter(col("active").or(counted)).select(out.toArray(Column[]::new));
  }

  /** Rows of the key and every figure, those {@code given} read from each row, 0 for the others. */
  private static Dataset<Row> figures(Dataset<Row> rows, Column time, ZoneId zone, Map<String, Column> given) {
    Column day = AttributedEvents.localDate(time, zone);
    List<Column> out = new ArrayList<>(List.of(day.as("day"), AttributedEvents.weekStart(day).as("week_start"),
        col("user_id"), col("tool")));
    for (String figure : FIGURES) {
      Column zero = DOUBLE_FIGURES.contains(figure) ? lit(0.0) : lit(0L);
      Column value = given.containsKey(figure) ? coalesce(given.get(figure), zero) : zero;
      out.add(value.cast(DOUBLE_FIGURES.contains(figure) ? "double" : "bigint").as(figure));
    }
    return rows.select(out.toArray(Column[]::new));
  }
}
