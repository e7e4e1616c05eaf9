package io.goodhart.curated;

import io.goodhart.runs.AuditFailedException;
import io.goodhart.ingest.InputException;
import io.goodhart.lake.LakeTables;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Another run wrote the same table while this one was between branching and publishing: Iceberg's
 * optimistic concurrency refused to let this run's publish overwrite (or be based on) what it did not
 * see. Nothing of this run reached {@code main} of that table; running the job again recomputes on
 * top of the other run's result. A {@link CommitFailedException}, so the CLI exits 5 (retry).
 */
public class ConcurrentPublishException extends CommitFailedException {
  private ConcurrentPublishException(Throwable cause, String table, String what) {
    super(cause, "%s: %s; this run published nothing to it, re-running is safe", table, what);
  }

  /**
   * Why a write-audit-publish of {@code table} through {@code branch} failed, if another run is the
   * cause: a concurrent commit to the table, {@code main} moved off the branch's base by a publish
   * this run did not see, or the branch dropped by a later run of the same job. Any other failure
   * (a failed audit, bad input, storage down) is returned as it was.
   */
  public static RuntimeException explain(LakeTables tables, String table, String branch, RuntimeException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AuditFailedException || t instanceof InputException || t instanceof ConcurrentPublishException) {
        return failure;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CommitFailedException) {
        return new ConcurrentPublishException(failure, table, "another process committed to it at the same moment");
      }
    }
    try {
      Table now = tables.iceberg(table);
      SnapshotRef ref = now.refs().get(branch);
      if (ref == null) {
        return new ConcurrentPublishException(failure, table, "its write-audit-publish branch " + branch
            + " was dropped by a later run of the same job, which took it for a crashed run's leftover");
      }
      Snapshot main = now.currentSnapshot();
      if (main != null && !SnapshotUtil.isAncestorOf(now, ref.snapshotId(), main.snapshotId())) {
        return new ConcurrentPublishException(failure, table,
            "another run published to it after this run branched off, and publishing this run's weeks would undo it");
      }
    } catch (RuntimeException unknown) {
      failure.addSuppressed(unknown);
    }
    return failure;
  }
}
