package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;

import io.goodhart.lake.LakeTables;
import io.goodhart.runs.BranchPublish;
import io.goodhart.runs.FaultPoint;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The publish of a weekly curated table: its recomputed weeks replace the table's, through a
 * write-audit-publish branch ({@link BranchPublish}), audited on the staged weeks read back from the branch.
 */
public final class WriteAuditPublish {
  private final SparkSession spark;
  private final LakeTables tables;

  public WriteAuditPublish(SparkSession spark, LakeTables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /** What a publish did: rows staged for the weeks, and the snapshot {@code main} now points at. */
  public record Published(long rows, Long snapshotId) {}

  /**
   * Replaces the given weeks of the table with {@code rows} if {@code audit}, given the staged weeks,
   * returns no finding.
   */
  public Published replaceWeeks(String table, List<LocalDate> weeks, Dataset<Row> rows, String runId,
      Function<Dataset<Row>, List<String>> audit) {
    Column inWeeks = col("week_start").isin(weeks.stream().map(Date::valueOf).toArray());
    long[] staged = new long[1];
    long snapshot = new BranchPublish(spark, tables, table, runId)
        .audit(branch -> {
          Dataset<Row> weeksStaged = branch.rows().filter(inWeeks);
          List<String> findings = audit.apply(weeksStaged);
          if (findings.isEmpty()) {
            staged[0] = weeksStaged.count();
          }
          return findings;
        })
        .holdingAt(FaultPoint.PUBLISH, table)
        .publish(branch -> tables.overwriteIn(rows, branch.reference(), inWeeks, runId, java.util.Map.of()));
    return new Published(staged[0], snapshot);
  }
}
