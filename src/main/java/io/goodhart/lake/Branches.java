package io.goodhart.lake;

import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * The branches of a lake table, through the Iceberg Java API on the table the Spark catalog loads. Every
 * operation starts from the table's latest metadata, and Iceberg commits it only if no other commit
 * landed in between.
 */
public final class Branches {
  private static final String PREFIX = "wap_";

  private final LakeTables tables;

  public Branches(LakeTables tables) {
    this.tables = tables;
  }

  /**
   * The write-audit-publish branch of a run: {@code wap_} + its run id with every character other than a
   * letter or digit made '_' ({@link LeftoverBranches#branchesOf} finds a job's branches by this shape).
   */
  public static String of(String runId) {
    return PREFIX + runId.replaceAll("[^A-Za-z0-9]", "_");
  }

  /** Whether a ref of that name is a write-audit-publish branch. */
  public static boolean isWriteAuditPublish(String ref) {
    return ref.startsWith(PREFIX);
  }

  /**
   * Creates the branch at {@code snapshotId}, or at {@code main}'s current snapshot when null. A table
   * nothing was committed to yet has no snapshot to branch from: Iceberg then gives the branch an empty
   * snapshot of its own, and {@code main} stays without one until it is fast-forwarded.
   */
  public void create(String table, String branch, Long snapshotId) {
    Table t = tables.iceberg(table);
    if (snapshotId == null) {
      t.manageSnapshots().createBranch(branch).commit();
    } else {
      t.manageSnapshots().createBranch(branch, snapshotId).commit();
    }
  }

  /** The snapshot the branch points at, or null when there is no such branch. */
  public Long head(String table, String branch) {
    SnapshotRef ref = tables.iceberg(table).refs().get(branch);
    return ref == null || !ref.isBranch() ? null : ref.snapshotId();
  }

  /**
   * Moves {@code main} to the branch's snapshot, which must descend from {@code main}'s: Iceberg refuses
   * otherwise, and refuses too when another commit lands between reading the table and committing.
   * Returns the snapshot {@code main} was moved to: the branch's head, not whatever {@code main} holds by the
   * time it is read again (a run going side by side may have committed on top of it).
   */
  public long fastForwardMain(String table, String branch) {
    Table t = tables.iceberg(table);
    long head = t.refs().get(branch).snapshotId();
    t.manageSnapshots().fastForwardBranch(SnapshotRef.MAIN_BRANCH, branch).commit();
    return head;
  }

  /** Drops the branch if it exists; true when it did. */
  public boolean drop(String table, String branch) {
    Table t = tables.iceberg(table);
    SnapshotRef ref = t.refs().get(branch);
    if (ref == null || !ref.isBranch()) {
      return false;
    }
    t.manageSnapshots().removeBranch(branch).commit();
    return true;
  }
}
