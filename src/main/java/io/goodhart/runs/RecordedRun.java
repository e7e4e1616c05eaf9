package io.goodhart.runs;

import io.goodhart.lake.LakeTables;
import io.goodhart.lake.LeftoverBranches;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * The skeleton every job runs through: a new run id and start time, the lake's tables brought up to their
 * DDL, the branches the job's crashed runs left on the tables it publishes to dropped, then the job's own
 * work; a run that ends well is recorded in {@code curated.job_runs} with what it reports and says its
 * summary line, a run that fails is recorded with its error and the failure is thrown on as it was.
 *
 * <p>{@code RecordedRun.of(spark, tables, NAME, progress).forDate(date).run(run -> run.done(result, record))}
 */
public final class RecordedRun {
  private final SparkSession spark;
  private final LakeTables tables;
  private final String job;
  private final Consumer<String> progress;
  private LocalDate logicalDate;
  private String input;
  private List<String> publishesTo = List.of();
  private boolean holdsBeforeRecord;
  private UnaryOperator<String> errorText = UnaryOperator.identity();

  private RecordedRun(SparkSession spark, LakeTables tables, String job, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.job = job;
    this.progress = progress;
  }

  /** A run of {@code job} (its name in the CLI, jobs/nightly.yaml and job_runs). */
  public static RecordedRun of(SparkSession spark, LakeTables tables, String job, Consumer<String> progress) {
    return new RecordedRun(spark, tables, job, progress);
  }

  /** The run's logical date, the night it computes. */
  public RecordedRun forDate(LocalDate date) {
    this.logicalDate = date;
    return this;
  }

  /** The input the run reads (a path), recorded with the run whatever its end. */
  public RecordedRun reading(String path) {
    this.input = path;
    return this;
  }

  /**
   * The tables the job publishes to through write-audit-publish branches: before anything else the run drops
   * the branches earlier runs of the job left there ({@link LeftoverBranches}).
   */
  public RecordedRun publishingTo(List<String> tableNames) {
    this.publishesTo = List.copyOf(tableNames);
    return this;
  }

  /**
   * The run reaches {@link FaultPoint#RECORD_RUN} between its work and its record (for the jobs whose record
   * is the next run's watermark).
   */
  public RecordedRun holdingBeforeItsRecord() {
    this.holdsBeforeRecord = true;
    return this;
  }

  /** How a failure's message is written to job_runs (to keep a person's id out of it). */
  public RecordedRun recordingErrorsAs(UnaryOperator<String> text) {
    this.errorText = text;
    return this;
  }

  /** The job's work, given the run it belongs to. */
  @FunctionalInterface
  public interface Work<T> {
    Done<T> run(Run run);
  }

  /** The run under way: its id and start, for the work to tag its commits and build its record. */
  public record Run(String job, String runId, LocalDate logicalDate, String input, Instant started, long startNanos) {
    /** The record of this run ending well, to which the work adds its figures. */
    public JobRun.Builder succeeded() {
      return JobRun.succeeded(job, runId, logicalDate, started).input(input);
    }

    /** Seconds since the run started. */
    public double seconds() {
      return (System.nanoTime() - startNanos) / 1e9;
    }

    public <T> Done<T> done(T result, JobRun.Builder record) {
      return new Done<>(result, record, null);
    }

    /** Ended with a summary line, written once the run is recorded. */
    public <T> Done<T> done(T result, JobRun.Builder record, Supplier<String> summary) {
      return new Done<>(result, record, summary);
    }
  }

  /** What the work ended with: its result for the caller, its record, and the line that sums it up (or null). */
  public record Done<T>(T result, JobRun.Builder record, Supplier<String> summary) {}

  public <T> T run(Work<T> work) {
    Run run = new Run(job, JobRunLog.newRunId(job), logicalDate, input, Instant.now(), System.nanoTime());
    tables.ensureCreated();
    JobRunLog log = new JobRunLog(spark, tables);
    try {
      if (!publishesTo.isEmpty()) {
        new LeftoverBranches(tables).drop(job, publishesTo, progress);
      }
      Done<T> done = work.run(run);
      if (holdsBeforeRecord) {
        FaultPoint.reach(FaultPoint.RECORD_RUN, job);
      }
      log.record(done.record().build());
      if (done.summary() != null) {
        progress.accept(done.summary().get());
      }
      return done.result();
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      log.recordFailure(JobRun.failed(job, run.runId(), logicalDate, run.started())
          .error(errorText.apply(String.valueOf(e.getMessage()))).input(input).build(), e);
      throw e;
    }
  }
}
