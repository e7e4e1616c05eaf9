package io.goodhart.runs;

import io.goodhart.lake.LakeTables;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Appends job runs to {@code curated.job_runs}. A failed run is recorded too, so the table answers
 * "what ran, when, and why did it fail" without anyone reading logs.
 */
public final class JobRunLog {
  private final SparkSession spark;
  private final LakeTables tables;

  public JobRunLog(SparkSession spark, LakeTables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  public static String newRunId(String job) {
    return job + "-" + UUID.randomUUID();
  }

  public void record(JobRun run) {
    StructType schema = spark.table(tables.jobRuns()).schema();
    Row row = RowFactory.create(
        run.job(), run.runId(),
        run.logicalDate() == null ? null : Date.valueOf(run.logicalDate()),
        Timestamp.from(run.startedAt()), Timestamp.from(run.endedAt()), run.status(),
        scalaMap(run.rowsRead()), scalaMap(run.rowsWritten()), scalaMap(run.snapshotIds()),
        scalaMap(run.inputSnapshotIds()), scalaMap(run.metrics()), run.error(), run.input());
    Dataset<Row> df = spark.createDataFrame(List.of(row), schema);
    tables.append(df, tables.jobRuns(), run.runId());
  }

  /**
   * Records a failed run without hiding why it failed: when the log itself cannot be written (the
   * storage that failed the job is down too), that second failure is attached to the first as
   * suppressed, and the caller rethrows the first, whose cause decides the exit code and message.
   */
  public void recordFailure(JobRun run, Exception failure) {
    try {
      record(run);
    } catch (RuntimeException logFailure) {
      failure.addSuppressed(logFailure);
    }
  }

  /**
   * The snapshots of every table the job's last successful run read ({@code input_snapshot_ids}): the watermark
   * an incremental job compares the tables' current snapshots with. Empty when it never succeeded.
   */
  public Map<String, Long> lastInputSnapshots(String job) {
    java.util.List<org.apache.spark.sql.Row> rows = spark.table(tables.jobRuns())
        .filter(org.apache.spark.sql.functions.col("job").equalTo(job)
            .and(org.apache.spark.sql.functions.col("status").equalTo("succeeded")))
        .orderBy(org.apache.spark.sql.functions.col("ended_at").desc())
        .select("input_snapshot_ids").limit(1).collectAsList();
    if (rows.isEmpty() || rows.get(0).isNullAt(0)) {
      return Map.of();
    }
    return rows.get(0).getJavaMap(0);
  }

  private static scala.collection.Map<String, Long> scalaMap(Map<String, Long> map) {
    return map == null ? null : JavaConverters.mapAsScalaMap(map).toMap(scala.Predef.$conforms());
  }
}
