package io.goodhart.curated;

import static io.goodhart.curated.DailyOutcomesTest.at;
import static io.goodhart.curated.DailyOutcomesTest.point;
import static io.goodhart.testing.FrameAssertions.assertRows;

import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Tokens per person, day and tool when a source sends them both as requests and as metrics: the requests'
 * where there are any that day with that tool, else the metrics', normalised to the contract.
 */
class TokensCountedOnceTest {
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final Date MON = Date.valueOf("2026-11-16");
  private static final Date TUE = Date.valueOf("2026-11-17");
  private final SparkSession spark = TestLake.spark();

  private static final StructType REQUESTS = new StructType()
      .add("event_time", DataTypes.TimestampType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("input_tokens", DataTypes.LongType, false)
      .add("output_tokens", DataTypes.LongType, false)
      .add("cache_read_tokens", DataTypes.LongType, true);

  private static Row request(String time, String user, String tool, long in, long out, Long cacheRead) {
    return RowFactory.create(at(time), user, tool, in, out, cacheRead);
  }

  private static Row tokens(String time, String type, long value) {
    return point(DailyOutcomes.TOKENS, "u1 " + type, "delta", "2026-11-16T08:00:00Z", time, type, value);
  }

  @Test
  void aDayWithRequestsTakesTheirTokensAndADayWithoutTakesTheMetricsNormalisedToTheContract() {
    Dataset<Row> requests = spark.createDataFrame(Arrays.asList(
        // Monday: Claude Code sent both the requests and the metrics of the same tokens.
        request("2026-11-16T09:00:00Z", "u1", "claude-code", 1_200, 80, 1_000L),
        request("2026-11-16T10:00:00Z", "u1", "claude-code", 300, 20, null),
        // Monday with another tool: counted apart.
        request("2026-11-16T11:00:00Z", "u1", "cursor", 50, 5, null)), REQUESTS);
    Dataset<Row> points = spark.createDataFrame(Arrays.asList(
        tokens("2026-11-16T10:30:00Z", "input", 500),
        tokens("2026-11-16T10:30:00Z", "cacheRead", 1_000),
        tokens("2026-11-16T10:30:00Z", "output", 100),
        // Tuesday: the logs were lost, only the metrics arrived.
        tokens("2026-11-17T09:00:00Z", "input", 40),
        tokens("2026-11-17T09:00:00Z", "cacheRead", 300),
        tokens("2026-11-17T09:00:00Z", "cacheCreation", 60),
        tokens("2026-11-17T09:00:00Z", "output", 7),
        // Wednesday: lines of code but no tokens, so nothing to count.
        point(DailyOutcomes.LINES, "u1 lines", "delta", "2026-11-18T08:00:00Z", "2026-11-18T09:00:00Z", "added", 12)),
        DailyOutcomesTest.POINTS);
    Dataset<Row> outcomes = DailyOutcomes.compute(points,
        spark.createDataFrame(List.of(), DailyOutcomesTest.EVENTS), UTC);

    assertRows(TokensCountedOnce.daily(requests, outcomes, UTC),
        new Object[] {MON, MON, "u1", "claude-code", 2L, 1_500L, 100L, 1_000L, TokensCountedOnce.REQUESTS},
        new Object[] {MON, MON, "u1", "cursor", 1L, 50L, 5L, 0L, TokensCountedOnce.REQUESTS},
        new Object[] {TUE, MON, "u1", "claude-code", 0L, 40L + 300L + 60L, 7L, 300L, TokensCountedOnce.METRICS});
  }
}
