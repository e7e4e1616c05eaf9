package io.goodhart.publish;

import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.audit.CheckResult;
import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * curated.unresolved_weekly_usage as BI readers see it, with a minimum group size of 3: a tool whose unresolved
 * requests come from 1 or 2 keys shows no unresolved figure, and when it is the only one of its week, neither
 * does the week's smallest other tool with unresolved keys, so no sum or difference of published figures gives
 * it back. All of a tool's requests are always shown; its resolved requests never are.
 */
class PublishedUnresolvedUsageTest {
  private final SparkSession spark = TestLake.spark();
  private static final Date W47 = Date.valueOf("2026-11-16");
  private static final Date W48 = Date.valueOf("2026-11-23");
  private static final String FEW = "fewer distinct keys than the minimum group size";
  private static final String PROTECTS = "withheld so that a smaller group's figures cannot be computed from the others";

  private static final StructType PRIVATE = new StructType()
      .add("week_start", DataTypes.DateType, false)
      .add("iso_week", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("events", DataTypes.LongType, false)
      .add("unresolved_events", DataTypes.LongType, false)
      .add("unresolved_keys", DataTypes.LongType, false);

  private Dataset<Row> privateRows() {
    return spark.createDataFrame(List.of(
        // W47: claude-code's 2 keys are too few, and alone: cursor (4 keys, fewer than copilot's 6) covers it.
        RowFactory.create(W47, "2026-W47", "claude-code", 100L, 10L, 2L),
        RowFactory.create(W47, "2026-W47", "cursor", 50L, 20L, 4L),
        RowFactory.create(W47, "2026-W47", "copilot", 30L, 12L, 6L),
        RowFactory.create(W47, "2026-W47", "goodhart", 40L, 0L, 0L),
        // W48: two tools too few, which cover each other; exactly the minimum is published.
        RowFactory.create(W48, "2026-W48", "claude-code", 80L, 30L, 3L),
        RowFactory.create(W48, "2026-W48", "cursor", 60L, 1L, 1L),
        RowFactory.create(W48, "2026-W48", "copilot", 20L, 5L, 2L)), PRIVATE);
  }

  @Test
  void toolsWithTooFewUnresolvedKeysAndTheirCoverShowNoUnresolvedFigure() {
    Dataset<Row> published = PublishedUnresolvedUsage.compute(privateRows(), 3);
    assertEquals(List.of("week_start", "iso_week", "tool", "suppressed", "suppression", "events", "unresolved_events",
        "unresolved_keys", "unresolved_share"), List.of(published.columns()), "no resolved figure, no key");
    assertRows(published,
        new Object[] {W47, "2026-W47", "claude-code", true, FEW, 100L, null, null, null},
        new Object[] {W47, "2026-W47", "cursor", true, PROTECTS, 50L, null, null, null},
        new Object[] {W47, "2026-W47", "copilot", false, null, 30L, 12L, 6L, 0.4},
        new Object[] {W47, "2026-W47", "goodhart", false, null, 40L, 0L, 0L, 0.0},
        new Object[] {W48, "2026-W48", "claude-code", false, null, 80L, 30L, 3L, 0.375},
        new Object[] {W48, "2026-W48", "cursor", true, FEW, 60L, null, null, null},
        new Object[] {W48, "2026-W48", "copilot", true, FEW, 20L, null, null, null});
    assertEquals(List.of(), PublishedUnresolvedUsage.audit(published.collectAsList(), 3).stream()
        .filter(r -> !r.passed()).toList());
  }

  @Test
  void withSuppressionOffEveryFigureIsPublished() {
    assertEquals(0L, PublishedUnresolvedUsage.compute(privateRows(), 0).where("suppressed").count());
  }

  @Test
  void theAuditRefusesRowsWhereAWithheldToolCouldBeRebuilt() {
    // Only claude-code withheld in W47: the week's unresolved requests minus cursor's and copilot's would be its own.
    Dataset<Row> leaky = PublishedUnresolvedUsage.compute(privateRows(), 3).where("week_start = DATE '2026-11-16'")
        .withColumn("suppressed", org.apache.spark.sql.functions.expr("tool = 'claude-code'"))
        .withColumn("unresolved_keys", org.apache.spark.sql.functions.expr(
            "CASE WHEN tool = 'cursor' THEN 4L ELSE unresolved_keys END"));
    List<String> failed = PublishedUnresolvedUsage.audit(leaky.collectAsList(), 3).stream()
        .filter(r -> !r.passed()).map(CheckResult::finding).toList();
    assertEquals(List.of("week 2026-W47: one tool's unresolved figures are withheld and 2 other tool(s)' published: "
        + "their sum would give it away"), failed);
  }
}
