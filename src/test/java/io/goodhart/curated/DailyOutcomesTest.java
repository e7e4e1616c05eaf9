package io.goodhart.curated;

import static io.goodhart.testing.FrameAssertions.assertRows;

import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * curated_private.daily_outcomes from hand-made metric points and telemetry events (week of Mon 2026-11-16):
 * the amount of each point on the day of its point_time, delta and cumulative, and the tool decisions.
 */
class DailyOutcomesTest {
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final Date MON = Date.valueOf("2026-11-16");
  private static final Date TUE = Date.valueOf("2026-11-17");
  private final SparkSession spark = TestLake.spark();

  static final StructType POINTS = new StructType()
      .add("metric_name", DataTypes.StringType, false)
      .add("stream_key", DataTypes.StringType, false)
      .add("temporality", DataTypes.StringType, false)
      .add("start_time", DataTypes.TimestampType, true)
      .add("point_time", DataTypes.TimestampType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("type", DataTypes.StringType, true)
      .add("long_value", DataTypes.LongType, true)
      .add("double_value", DataTypes.DoubleType, true)
      .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true);

  static final StructType EVENTS = new StructType()
      .add("event_time", DataTypes.TimestampType, false)
      .add("kind", DataTypes.StringType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("decision", DataTypes.StringType, true)
      .add("decision_source", DataTypes.StringType, true)
      .add("success", DataTypes.BooleanType, true);

  static Timestamp at(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  /** A point of a stream of u1's claude-code with an integer value. */
  static Row point(String metric, String stream, String temporality, String start, String time, String type,
      long value) {
    return RowFactory.create(metric, stream, temporality, start == null ? null : at(start), at(time), "u1",
        "claude-code", type, value, null, null);
  }

  private static Row event(String time, String kind, String decision, String source, Boolean success) {
    return RowFactory.create(at(time), kind, "u1", "claude-code", decision, source, success);
  }

  private Dataset<Row> points(Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), POINTS);
  }

  private Dataset<Row> events(Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), EVENTS);
  }

  private Dataset<Row> outcomes(Dataset<Row> points, Dataset<Row> events, ZoneId zone) {
    return DailyOutcomes.compute(points, events, zone);
  }

  /** Every column, in the table's order, of a row of u1's claude-code with the given figures (others 0). */
  private static Object[] row(Date day, Map<String, Object> figures) {
    List<Object> row = new ArrayList<>(List.of(day, MON, "u1", "claude-code"));
    for (String figure : DailyOutcomes.FIGURES) {
      boolean measure = figure.equals("cost_usd") || figure.equals("active_seconds");
      Object zero = measure ? Double.valueOf(0.0) : (Object) Long.valueOf(0L);
      row.add(figures.getOrDefault(figure, zero));
    }
    return row.toArray();
  }

  private static final String LINES = DailyOutcomes.LINES;
  private static final String COMMITS = DailyOutcomes.COMMITS;
  private static final String START = "2026-11-16T08:00:00Z";

  @Test
  void deltaPointsCountAsDeliveredOnTheDayOfTheirTime() {
    Dataset<Row> rows = outcomes(points(
            point(LINES, "lines-added", "delta", "2026-11-16T09:00:00Z", "2026-11-16T09:01:00Z", "added", 10),
            point(LINES, "lines-added", "delta", "2026-11-16T09:01:00Z", "2026-11-16T09:02:00Z", "added", 5),
            point(LINES, "lines-removed", "delta", "2026-11-16T09:01:00Z", "2026-11-16T09:02:00Z", "removed", 3),
            point(COMMITS, "commits", "delta", "2026-11-17T10:00:00Z", "2026-11-17T10:01:00Z", null, 1)),
        events(), UTC);
    assertRows(rows,
        row(MON, Map.of("lines_added", 15L, "lines_removed", 3L, "metric_points", 3L)),
        row(TUE, Map.of("commits", 1L, "metric_points", 1L)));
  }

  @Test
  void aCumulativePointCountsWhatItsStreamGainedSinceTheStreamsPreviousPoint() {
    // The first point counts from 0: its value is what accumulated since start_time. Its stream's next point,
    // delivered another night, counts only the difference; the job reads the earlier points from the table.
    Dataset<Row> rows = outcomes(points(
            point(LINES, "s1", "cumulative", START, "2026-11-16T09:00:00Z", "added", 10),
            point(LINES, "s1", "cumulative", START, "2026-11-16T23:00:00Z", "added", 12),
            point(LINES, "s1", "cumulative", START, "2026-11-17T09:00:00Z", "added", 25)),
        events(), UTC);
    assertRows(rows,
        row(MON, Map.of("lines_added", 12L, "metric_points", 2L)),
        row(TUE, Map.of("lines_added", 13L, "metric_points", 1L)));
  }

  @Test
  void aNewStartTimeIsAResetThatCountsFromZeroAgain() {
    Dataset<Row> rows = outcomes(points(
            point(COMMITS, "s1", "cumulative", START, "2026-11-16T09:00:00Z", null, 4),
            point(COMMITS, "s1", "cumulative", START, "2026-11-16T12:00:00Z", null, 6),
            // The emitter restarted: the running total starts again below the last one.
            point(COMMITS, "s1", "cumulative", "2026-11-17T08:00:00Z", "2026-11-17T09:00:00Z", null, 2),
            point(COMMITS, "s1", "cumulative", "2026-11-17T08:00:00Z", "2026-11-17T10:00:00Z", null, 3)),
        events(), UTC);
    assertRows(rows,
        row(MON, Map.of("commits", 6L, "metric_points", 2L)),
        row(TUE, Map.of("commits", 3L, "metric_points", 2L)));
  }

  @Test
  void streamsOfOnePersonAddUpAndEachIsDifferencedOnItsOwn() {
    // Two sessions of u1, each its own cumulative stream of tokens, interleaved in time.
    String tokens = DailyOutcomes.TOKENS;
    Dataset<Row> rows = outcomes(points(
            point(tokens, "session-a input", "cumulative", START, "2026-11-16T09:00:00Z", "input", 100),
            point(tokens, "session-b input", "cumulative", START, "2026-11-16T09:30:00Z", "input", 40),
            point(tokens, "session-a input", "cumulative", START, "2026-11-16T10:00:00Z", "input", 150),
            point(tokens, "session-b input", "cumulative", START, "2026-11-16T10:30:00Z", "input", 45),
            point(tokens, "session-a output", "cumulative", START, "2026-11-16T10:00:00Z", "output", 30),
            point(tokens, "session-a cacheRead", "delta", START, "2026-11-16T10:00:00Z", "cacheRead", 500),
            point(tokens, "session-a cacheCreation", "delta", START, "2026-11-16T10:00:00Z", "cacheCreation", 60),
            RowFactory.create(DailyOutcomes.COST, "session-a cost", "cumulative", at(START), at("2026-11-16T09:00:00Z"),
                "u1", "claude-code", null, null, 0.25, null),
            RowFactory.create(DailyOutcomes.COST, "session-a cost", "cumulative", at(START), at("2026-11-16T10:00:00Z"),
                "u1", "claude-code", null, null, 0.75, null)),
        events(), UTC);
    assertRows(rows,
        row(MON, Map.of("metric_input_tokens", 150L + 45L, "metric_output_tokens", 30L, "metric_cache_read_tokens", 500L,
            "metric_cache_creation_tokens", 60L, "cost_usd", 0.75, "metric_points", 9L)));
  }

  @Test
  void anAcceptByConfigurationIsAnAutomaticAcceptNotAPersonKeepingTheOutput() {
    Dataset<Row> rows = outcomes(points(),
        events(
            event("2026-11-16T09:00:00Z", "user_prompt", null, null, null),
            event("2026-11-16T09:00:05Z", "tool_decision", "accept", "config", null),
            event("2026-11-16T09:00:06Z", "tool_decision", "accept", "user_temporary", null),
            event("2026-11-16T09:00:07Z", "tool_decision", "accept", "user_permanent", null),
            event("2026-11-16T09:00:08Z", "tool_decision", "reject", "user_reject", null),
            event("2026-11-16T09:00:09Z", "tool_result", "accept", "config", true),
            event("2026-11-16T09:00:10Z", "tool_result", "accept", "user_temporary", false),
            event("2026-11-16T09:00:11Z", "api_error", null, null, null),
            event("2026-11-16T09:05:00Z", "user_prompt", null, null, null)),
        UTC);
    assertRows(rows,
        row(MON, Map.of("human_turns", 2L, "tool_decisions_accepted_by_person", 2L, "tool_decisions_auto_accepted", 1L,
            "tool_decisions_rejected", 1L, "tool_results", 2L, "tool_failures", 1L, "api_errors", 1L)));
  }

  @Test
  void editDecisionsComeFromTheDecisionAttributeAndDaysFromTheReportingZone() {
    // 23:30 UTC on Monday is already Tuesday in Berlin.
    Row accept = RowFactory.create(DailyOutcomes.EDIT_DECISIONS, "edits accept", "delta", at(START),
        at("2026-11-16T23:30:00Z"), "u1", "claude-code", null, 2L, null, Map.of("decision", "\"accept\"", "language",
            "\"Java\""));
    Row reject = RowFactory.create(DailyOutcomes.EDIT_DECISIONS, "edits reject", "delta", at(START),
        at("2026-11-16T23:05:00Z"), "u1", "claude-code", null, 1L, null, Map.of("decision", "\"reject\""));
    Dataset<Row> rows = outcomes(points(accept, reject),
        events(event("2026-11-16T23:10:00Z", "user_prompt", null, null, null)), ZoneId.of("Europe/Berlin"));
    assertRows(rows,
        row(TUE, Map.of("edit_accepts", 2L, "edit_rejects", 1L, "metric_points", 2L, "human_turns", 1L)));
  }

  /** A row of raw.usage_daily, its person resolved, in the columns the table reads. */
  private static Row report(String day, String user, String tool, boolean active, Long suggestions,
      Long acceptances, Long linesKept) {
    return RowFactory.create(Date.valueOf(day), user, tool, active, suggestions, acceptances, linesKept);
  }

  /** Every column, in the table's order, of a row of the given person and tool with the given figures (others 0). */
  private static Object[] row(Date day, String user, String tool, Map<String, Object> figures) {
    Object[] row = row(day, figures);
    row[2] = user;
    row[3] = tool;
    return row;
  }

  @Test
  void dailyReportRowsGiveTheirAcceptancesAndKeptLinesToTheirUtcDayApartFromTheClaudeCodeFigures() {
    // Reporting zone Berlin: a report's UTC day is still its reporting day, while u1's Claude Code point at
    // 23:30 UTC on Monday counts on Tuesday.
    Dataset<Row> rows = DailyOutcomes.compute(
        points(point(LINES, "lines-added", "delta", START, "2026-11-16T23:30:00Z", "added", 7)),
        events(),
        spark.createDataFrame(List.of(
            report("2026-11-16", "u1", "copilot", true, 20L, 8L, 35L),
            report("2026-11-17", "u1", "copilot", true, 4L, 1L, 2L),
            // Cursor's lines: acceptedLinesAdded; Q's: the *_AICodeLines and *_AcceptedLines.
            report("2026-11-17", "u2", "cursor", true, 12L, 6L, 40L),
            report("2026-11-16", "u2", "amazon-q", true, 9L, 3L, null),
            // Listed, nothing done and nothing counted: no outcome.
            report("2026-11-17", "u2", "amazon-q", false, 0L, 0L, 0L)), DailyOutcomes.REPORT_ROWS),
        ZoneId.of("Europe/Berlin"));
    assertRows(rows,
        row(MON, "u1", "copilot", Map.of("report_suggestions", 20L, "report_acceptances", 8L, "report_lines_kept", 35L)),
        row(TUE, "u1", "copilot", Map.of("report_suggestions", 4L, "report_acceptances", 1L, "report_lines_kept", 2L)),
        row(TUE, "u1", "claude-code", Map.of("lines_added", 7L, "metric_points", 1L)),
        row(TUE, "u2", "cursor", Map.of("report_suggestions", 12L, "report_acceptances", 6L, "report_lines_kept", 40L)),
        row(MON, "u2", "amazon-q", Map.of("report_suggestions", 9L, "report_acceptances", 3L)));
  }
}
