package io.goodhart.runs;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * One row of {@code curated.job_runs}: what a run of a job read, wrote, committed, and how it ended. Built
 * with {@link #succeeded} or {@link #failed} and the figures the run has, e.g.
 * {@code JobRun.succeeded(job, runId, date, started).rowsRead(read).written(written).build()}.
 */
public record JobRun(
    String job,
    String runId,
    LocalDate logicalDate,
    Instant startedAt,
    Instant endedAt,
    String status,
    Map<String, Long> rowsRead,
    Map<String, Long> rowsWritten,
    Map<String, Long> snapshotIds,
    Map<String, Long> inputSnapshotIds,
    Map<String, Long> metrics,
    String error,
    String input) {

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  /** A run that ended well; {@code logicalDate} is null for jobs that do not run for a date. */
  public static Builder succeeded(String job, String runId, LocalDate logicalDate, Instant startedAt) {
    return new Builder(job, runId, logicalDate, startedAt, SUCCEEDED);
  }

  /** A run that failed, with {@link Builder#error} saying why. */
  public static Builder failed(String job, String runId, LocalDate logicalDate, Instant startedAt) {
    return new Builder(job, runId, logicalDate, startedAt, FAILED);
  }

  /** The columns a run fills; those never set are null. Ends now unless {@link #endedAt} says otherwise. */
  public static final class Builder {
    private final String job;
    private final String runId;
    private final Instant startedAt;
    private final String status;
    private LocalDate logicalDate;
    private Instant endedAt;
    private Map<String, Long> rowsRead;
    private Map<String, Long> rowsWritten;
    private Map<String, Long> snapshotIds;
    private Map<String, Long> inputSnapshotIds;
    private Map<String, Long> metrics;
    private String error;
    private String input;

    private Builder(String job, String runId, LocalDate logicalDate, Instant startedAt, String status) {
      this.job = job;
      this.runId = runId;
      this.logicalDate = logicalDate;
      this.startedAt = startedAt;
      this.status = status;
    }

    /** The logical date, when the run learns it only as it goes. */
    public Builder logicalDate(LocalDate date) {
      this.logicalDate = date;
      return this;
    }

    public Builder endedAt(Instant at) {
      this.endedAt = at;
      return this;
    }

    /** Rows read, per table or input. */
    public Builder rowsRead(Map<String, Long> rows) {
      this.rowsRead = rows;
      return this;
    }

    /** Rows written, per table. */
    public Builder written(Map<String, Long> rows) {
      this.rowsWritten = rows;
      return this;
    }

    /** The snapshot the run committed, per table. */
    public Builder snapshots(Map<String, Long> ids) {
      this.snapshotIds = ids;
      return this;
    }

    /** The snapshot the run read, per table: the watermark its next run starts from. */
    public Builder inputSnapshots(Map<String, Long> ids) {
      this.inputSnapshotIds = ids;
      return this;
    }

    public Builder metrics(Map<String, Long> figures) {
      this.metrics = figures;
      return this;
    }

    public Builder error(String message) {
      this.error = message;
      return this;
    }

    /** The input the run was given (a path), when it has one. */
    public Builder input(String path) {
      this.input = path;
      return this;
    }

    public JobRun build() {
      return new JobRun(job, runId, logicalDate, startedAt, endedAt == null ? Instant.now() : endedAt, status,
          rowsRead, rowsWritten, snapshotIds, inputSnapshotIds, metrics, error, input);
    }
  }
}
