package io.goodhart.runs;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** One row of {@code curated.job_runs}: what a run of a job read, wrote, committed, and how it ended. */
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
}
