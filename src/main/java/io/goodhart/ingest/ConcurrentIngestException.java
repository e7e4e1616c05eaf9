package io.goodhart.ingest;

import org.apache.iceberg.exceptions.CommitFailedException;

/**
 * Another ingest published to the same table while this one ran, in a way this one must not paper over:
 * it stored some of this run's events (two ingests of overlapping input at once), it dropped this run's
 * branch, or the table kept moving for every attempt. Nothing of this run reached {@code main}; running it
 * again is harmless (what the other run stored counts as duplicates). A {@link CommitFailedException}, so
 * the CLI exits 5 with one line.
 */
public final class ConcurrentIngestException extends CommitFailedException {
  private ConcurrentIngestException(Throwable cause, String message) {
    super(cause, "%s", message);
  }

  static ConcurrentIngestException overlap(String table, long events) {
    return new ConcurrentIngestException(null, String.format("%s: another ingest stored %,d of this input's events while "
        + "this one ran (two ingests of overlapping input at once); this run stored nothing, re-running it is safe "
        + "(those events then count as duplicates)", table, events));
  }

  static ConcurrentIngestException tooBusy(String table, int attempts) {
    return new ConcurrentIngestException(null, String.format("%s: other runs published before this one %d times in a row; "
        + "this run stored nothing, re-running it is safe", table, attempts));
  }

  static ConcurrentIngestException branchDropped(String table, String branch, Throwable cause) {
    return new ConcurrentIngestException(cause, String.format("%s: this run's branch %s was dropped while it ran "
        + "(goodhart maintain took it for a crashed run's leftover); this run stored nothing, re-running it is safe",
        table, branch));
  }
}
