package io.goodhart.curated;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.time.ZoneId;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each person's tokens per reporting day and tool, counted once when a source sends them twice (Claude Code
 * exports every request's tokens as an {@code api_request} event and again in its {@code claude_code.token.usage}
 * metric): the requests' tokens where the person made any request with that tool that day, else the metric
 * tokens of {@code curated_private.daily_outcomes}. Metric tokens are normalised to the contract as the
 * requests of the same source are (Anthropic counts cached input apart): input = input + cacheRead +
 * cacheCreation, cache read = cacheRead, output = output. Pure: requests ({@code raw.usage_events}) and daily
 * outcomes in, one row per (day, user_id, tool) with tokens out.
 */
public final class TokensCountedOnce {
  /** {@code tokens_from} of a row whose tokens are its requests'. */
  public static final String REQUESTS = "requests";
  /** {@code tokens_from} of a row whose tokens are the metrics', the person having made no request that day. */
  public static final String METRICS = "metrics";

  private TokensCountedOnce() {}

  /**
   * Rows (day, week_start, user_id, tool, requests, input_tokens, output_tokens, cache_read_tokens,
   * tokens_from); a metrics row has 0 requests and is there only when its metric tokens are above 0.
   */
  public static Dataset<Row> daily(Dataset<Row> requests, Dataset<Row> outcomes, ZoneId zone) {
    Column day = AttributedEvents.localDate(col("event_time"), zone);
    Dataset<Row> fromRequests = requests
        .groupBy(day.as("day"), col("user_id"), col("tool"))
        .agg(count(lit(1)).as("requests"),
            sum("input_tokens").as("input_tokens"),
            sum("output_tokens").as("output_tokens"),
            coalesce(sum("cache_read_tokens"), lit(0L)).as("cache_read_tokens"))
        .withColumn("week_start", AttributedEvents.weekStart(col("day")))
        .withColumn("tokens_from", lit(REQUESTS));
    Dataset<Row> requestDays = fromRequests.select(col("day").as("_day"), col("user_id").as("_user"),
        col("tool").as("_tool"));
    Dataset<Row> metricDays = outcomes
        .select(col("day"), col("week_start"), col("user_id"), col("tool"),
            lit(0L).as("requests"),
            col("metric_input_tokens").plus(col("metric_cache_read_tokens")).plus(col("metric_cache_creation_tokens"))
                .as("input_tokens"),
            col("metric_output_tokens").as("output_tokens"),
            col("metric_cache_read_tokens").as("cache_read_tokens"),
            lit(METRICS).as("tokens_from"))
        .filter(col("input_tokens").plus(col("output_tokens")).gt(0));
    Dataset<Row> withoutRequests = metricDays.join(requestDays,
        metricDays.col("day").equalTo(requestDays.col("_day"))
            .and(metricDays.col("user_id").equalTo(requestDays.col("_user")))
            .and(metricDays.col("tool").equalTo(requestDays.col("_tool"))),
        "left_anti");
    String[] columns = {"day", "week_start", "user_id", "tool", "requests", "input_tokens", "output_tokens",
        "cache_read_tokens", "tokens_from"};
    return fromRequests.selectExpr(columns).unionByName(withoutRequests.selectExpr(columns));
  }
}
