package io.goodhart.audit;

import io.goodhart.lake.LakeTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Keeps every check's result in {@code curated_private.audit_results}, passed or failed, so a data engineer
 * can follow a table's quality over runs and see what stopped a publish. A run's results go in one append
 * (one Iceberg commit), whatever the number of checks.
 */
public final class AuditResults {
  private final SparkSession spark;
  private final LakeTables tables;

  public AuditResults(SparkSession spark, LakeTables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /** Appends a run's results on {@code table} (fully qualified) in one commit; none, no commit. */
  public void record(String runId, String job, String table, List<CheckResult> results, Instant checkedAt) {
    record(runId, job, Map.of(table, results), checkedAt);
  }

  /** Appends a run's results on each of its tables (fully qualified) in one commit; none, no commit. */
  public void record(String runId, String job, Map<String, List<CheckResult>> byTable, Instant checkedAt) {
    Timestamp at = Timestamp.from(checkedAt);
    List<Row> rows = new ArrayList<>();
    byTable.forEach((table, results) -> {
      String audited = tables.logicalName(table);
      for (CheckResult r : results) {
        rows.add(RowFactory.create(runId, job, audited, r.check(), r.kind().label(), r.severity().label(), r.scope(),
            r.offendingRows(), r.stagedValue(), r.expectedValue(), r.difference(), r.passed(), r.finding(), at));
      }
    });
    if (rows.isEmpty()) {
      return;
    }
    StructType schema = spark.table(tables.auditResults()).schema();
    tables.append(spark.createDataFrame(rows, schema), tables.auditResults(), runId);
  }

  /**
   * Runs a job's work and then appends the results its audits added to {@code checked}; when the work fails,
   * appends the results checked so far and throws the failure on ({@link #recordFailed}).
   */
  public <T> T keptAround(String runId, String job, Map<String, List<CheckResult>> checked, Supplier<T> work) {
    T result;
    try {
      result = work.get();
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      recordFailed(runId, job, checked, e);
      throw e;
    }
    record(runId, job, checked, Instant.now());
    return result;
  }

  /**
   * Records the results of a run that failed, without hiding why it failed: when they cannot be written
   * (the storage that failed the run is down too), that second failure is attached to the first.
   */
  public void recordFailed(String runId, String job, Map<String, List<CheckResult>> byTable, Exception failure) {
    try {
      record(runId, job, byTable, Instant.now());
    } catch (RuntimeException writeFailure) {
      failure.addSuppressed(writeFailure);
    }
  }
}
