package io.goodhart.runs;

import io.goodhart.lake.Branches;
import io.goodhart.lake.LakeTables;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Write-audit-publish on an Iceberg branch, the one way jobs publish to a lake table: the run's rows are
 * written to a branch of the table, the audit reads them back from the branch, and only a clean audit
 * fast-forwards {@code main} to it. Readers of {@code main} never see unaudited rows, a failed audit leaves
 * {@code main} exactly as it was, and a concurrent writer that moved {@code main} in between makes the
 * fast-forward fail rather than be overwritten ({@link ConcurrentPublishException}, exit 5). The branch is
 * dropped at the end whatever happened; a crashed run's branch is dropped by the job's next run
 * ({@link io.goodhart.lake.LeftoverBranches}) or by {@code goodhart maintain}.
 *
 * <p>{@code new BranchPublish(spark, tables, table, runId).audit(findings).holdingAt(point, subject).publish(write)}
 */
public final class BranchPublish {
  private final SparkSession spark;
  private final LakeTables tables;
  private final Branches branches;
  private final String table;
  private final String runId;
  private Long base;
  private Function<Branch, List<String>> audit;
  private String faultPoint;
  private String faultSubject;
  private boolean branchMayOutliveRun;

  public BranchPublish(SparkSession spark, LakeTables tables, String table, String runId) {
    this.spark = spark;
    this.tables = tables;
    this.branches = new Branches(tables);
    this.table = table;
    this.runId = runId;
  }

  /** A run's branch of the table, between its creation and the publish. */
  public final class Branch {
    private final String name;

    private Branch(String name) {
      this.name = name;
    }

    public String table() {
      return table;
    }

    public String name() {
      return name;
    }

    /** What a Spark write to the branch targets: {@code <table>.branch_<name>}. */
    public String reference() {
      return table + ".branch_" + name;
    }

    /** The rows on the branch: {@code main}'s at the branch's start, with the run's write. */
    public Dataset<Row> rows() {
      return spark.table(reference());
    }

    /** The snapshot the branch points at now. */
    public long head() {
      Long head = branches.head(table, name);
      if (head == null) {
        throw new IllegalStateException("branch " + name + " of " + table + " is gone");
      }
      return head;
    }
  }

  /** Branches from this snapshot of {@code main} (what the run judged its rows against) rather than its current one. */
  public BranchPublish from(Long snapshotId) {
    this.base = snapshotId;
    return this;
  }

  /** The audit: findings on what the branch holds; any finding stops the publish ({@link AuditFailedException}). */
  public BranchPublish audit(Function<Branch, List<String>> findings) {
    this.audit = findings;
    return this;
  }

  /** The fault point the run reaches once the branch is written and audited, before {@code main} moves. */
  public BranchPublish holdingAt(String point, String subject) {
    this.faultPoint = point;
    this.faultSubject = subject;
    return this;
  }

  /**
   * A branch that cannot be dropped once published is left for {@code goodhart maintain} instead of failing
   * the run (for jobs whose runs go side by side, so that no run may drop another's branches).
   */
  public BranchPublish branchMayOutliveRun() {
    this.branchMayOutliveRun = true;
    return this;
  }

  /** Writes, audits and publishes; returns the snapshot {@code main} now points at. */
  public long publish(Consumer<Branch> write) {
    return attempt(write, true);
  }

  /**
   * Like {@link #publish}, but when another run moved {@code main} since the branch's start, returns null
   * (nothing published, the branch dropped) so that the caller can decide to publish again on top of it.
   */
  public Long publishUnlessOvertaken(Consumer<Branch> write) {
    return attempt(write, false);
  }

  private Long attempt(Consumer<Branch> write, boolean overtakenIsFailure) {
    Branch branch = new Branch(Branches.of(runId));
    branches.create(table, branch.name(), base);
    RuntimeException failure = null;
    boolean fastForwarding = false;
    try {
      write.accept(branch);
      if (audit != null) {
        List<String> findings = audit.apply(branch);
        if (!findings.isEmpty()) {
          throw new AuditFailedException(table, findings);
        }
      }
      if (faultPoint != null) {
        FaultPoint.reach(faultPoint, faultSubject);
      }
      fastForwarding = true;
      return branches.fastForwardMain(table, branch.name());
    } catch (RuntimeException e) {
      failure = ConcurrentPublishException.explain(() -> tables.iceberg(table), table, branch.name(), e);
      // Only a refused fast-forward means another run got there first; a write or an audit that failed
      // while another run moved main failed for its own reason, which must not be retried away.
      if (!overtakenIsFailure && fastForwarding && failure instanceof ConcurrentPublishException concurrent
          && concurrent.interference() == ConcurrentPublishException.Interference.MOVED_MAIN) {
        failure = null;
        return null;
      }
      throw failure;
    } finally {
      drop(branch, failure);
    }
  }

  /**
   * Drops the run's branch. When that fails too (the storage is down), the failure that stopped the run is
   * the one to report: a leftover branch is never read, {@code main} was not moved to it.
   */
  private void drop(Branch branch, RuntimeException failure) {
    try {
      branches.drop(table, branch.name());
    } catch (RuntimeException dropFailure) {
      if (failure != null) {
        failure.addSuppressed(dropFailure);
      } else if (!branchMayOutliveRun) {
        throw dropFailure;
      }
    }
  }
}
