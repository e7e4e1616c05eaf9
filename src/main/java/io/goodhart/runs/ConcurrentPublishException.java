package io.goodhart.runs;

import io.goodhart.lake.RunVerdict;
import java.util.function.Supplier;
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
public class ConcurrentPublishException extends CommitFailedException implements RunVerdict {
  /** What the other run did. */
  public enum Interference {
    /** It committed to the table at the moment this run published. */
    COMMITTED_AT_THE_SAME_MOMENT,
    /** It dropped this run's branch, taking it for a crashed run's leftover. */
    DROPPED_THE_BRANCH,
    /** It published to {@code main} after this run branched off. */
    MOVED_MAIN
  }

  private final String table;
  private final String branch;
  private final Interference interference;

  private ConcurrentPublishException(Throwable cause, String table, String branch, Interference interference,
      String what) {
    super(cause, "%s: %s; this run published nothing to it, re-running is safe", table, what);
    this.table = table;
    this.branch = branch;
    this.interference = interference;
  }

  public String table() {
    return table;
  }

  /** The run's write-audit-publish branch. */
  public String branch() {
    return branch;
  }

  public Interference interference() {
    return interference;
  }

  /**
   * Why a write-audit-publish of {@code table} through {@code branch} failed, if another run is the
   * cause: {@code main} moved off the branch's base by a publish this run did not see, the branch
   * dropped by a later run of the same job, or a concurrent commit to the table. Any other failure
   * (a failed audit, bad input, storage down) is returned as it was.
   */
  public static RuntimeException explain(Supplier<Table> reload, String table, String branch,
      RuntimeException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RunVerdict) {
        return failure;
      }
    }
    try {
      Table now = reload.get();
      SnapshotRef ref = now.refs().get(branch);
      if (ref == null) {
        return new ConcurrentPublishException(failure, table, branch, Interference.DROPPED_THE_BRANCH,
            "its write-audit-publish branch " + branch + " was dropped by a later run of the same job, which took it "
                + "for a crashed run's leftover");
      }
      Snapshot main = now.currentSnapshot();
      if (main != null && !SnapshotUtil.isAncestorOf(now, ref.snapshotId(), main.snapshotId())) {
        return new ConcurrentPublishException(failure, table, branch, Interference.MOVED_MAIN,
            "another run published to it after this run branched off, and publishing this run's weeks would undo it");
      }
    } catch (RuntimeException unknown) {
      failure.addSuppressed(unknown);
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CommitFailedException) {
        return new ConcurrentPublishException(failure, table, branch, Interference.COMMITTED_AT_THE_SAME_MOMENT,
            "another process committed to it at the same moment");
      }
    }
    return failure;
  }
}
