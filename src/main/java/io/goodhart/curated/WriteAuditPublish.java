package io.goodhart.curated;

import io.goodhart.runs.AuditFailedException;
import static org.apache.spark.sql.functions.col;

import io.goodhart.lake.LakeTables;
import io.goodhart.runs.FaultPoint;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;

/**
 * Write-audit-publish on an Iceberg branch: the new weeks are written to a branch of the table, the
 * audit reads them back from the branch, and only a clean audit fast-forwards {@code main} to it.
 * Readers of {@code main} never see unaudited rows, a failed audit leaves {@code main} exactly as it
 * was, and a concurrent writer that moved {@code main} in between makes the fast-forward fail rather
 * than be overwritten (Iceberg's optimistic concurrency).
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
    String branch = "wap_" + runId.replaceAll("[^A-Za-z0-9]", "_");
    Column inWeeks = col("week_start").isin(weeks.stream().map(Date::valueOf).toArray());
    spark.sql("ALTER TABLE " + table + " CREATE BRANCH `" + branch + "`");
    RuntimeException failure = null;
    try {
      rows.writeTo(table + ".branch_" + branch)
          .option("snapshot-property.goodhart.run-id", runId)
          .overwrite(inWeeks);
      Dataset<Row> staged = spark.table(table + ".branch_" + branch).filter(inWeeks);
      List<String> findings = audit.apply(staged);
      if (!findings.isEmpty()) {
        throw new AuditFailedException(table, findings);
      }
      long count = staged.count();
      String identifier = table.substring(table.indexOf('.') + 1);
      String catalog = table.substring(0, table.indexOf('.'));
      FaultPoint.reach(FaultPoint.PUBLISH, table);
      spark.sql("CALL " + catalog + ".system.fast_forward('" + identifier + "', 'main', '" + branch + "')").collect();
      return new Published(count, tables.currentSnapshotId(table));
    } catch (NoSuchTableException e) {
      failure = new IllegalStateException("table " + table + " vanished during the run", e);
      throw failure;
    } catch (RuntimeException e) {
      failure = ConcurrentPublishException.explain(tables, table, branch, e);
      throw failure;
    } finally {
      try {
        spark.sql("ALTER TABLE " + table + " DROP BRANCH IF EXISTS `" + branch + "`");
      } catch (RuntimeException dropFailure) {
        // When the storage is down the branch cannot be dropped either; the failure that stopped the
        // run is the one to report (a leftover branch is never read: main was not moved).
        if (failure == null) {
          throw dropFailure;
        }
        failure.addSuppressed(dropFailure);
      }
    }
  }
}
