package io.goodhart.ingest;

import io.goodhart.lake.LakeTables;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.SparkSession;

/**
 * The branch an ingest run publishes through: created at the snapshot the run judged its lines against,
 * written and audited, then {@code main} fast-forwarded to it. The fast-forward is what makes two runs at
 * once safe: it succeeds only while {@code main} is still where the branch started.
 */
final class Branches {
  private Branches() {}

  /** A branch of the table named after the run, at {@code base} (the table's first snapshot when null). */
  static String create(SparkSession spark, String table, String runId, Long base) {
    String branch = "wap_" + runId.replaceAll("[^A-Za-z0-9]", "_");
    spark.sql("ALTER TABLE " + table + " CREATE BRANCH `" + branch + "`" + (base == null ? "" : " AS OF VERSION " + base));
    return branch;
  }

  /**
   * Moves {@code main} to the branch. False when another run moved {@code main} since the branch was
   * created (the caller decides whether to publish again on top); a branch dropped meanwhile by another
   * ingest starting is {@link ConcurrentIngestException}; any other failure is thrown as it is.
   */
  static boolean fastForward(SparkSession spark, LakeTables tables, String table, String branch) {
    String catalog = table.substring(0, table.indexOf('.'));
    String identifier = table.substring(table.indexOf('.') + 1);
    try {
      spark.sql("CALL " + catalog + ".system.fast_forward('" + identifier + "', 'main', '" + branch + "')").collect();
      return true;
    } catch (RuntimeException failure) {
      Table now = tables.iceberg(table);
      SnapshotRef ref = now.refs().get(branch);
      if (ref == null) {
        throw ConcurrentIngestException.branchDropped(table, branch, failure);
      }
      Snapshot main = now.currentSnapshot();
      if (main != null && !SnapshotUtil.isAncestorOf(now, ref.snapshotId(), main.snapshotId())) {
        return false;
      }
      throw failure;
    }
  }

  /** Drops the branch; when that fails (the storage is down), the failure that stopped the run is the one to see. */
  static void drop(SparkSession spark, String table, String branch) {
    try {
      spark.sql("ALTER TABLE " + table + " DROP BRANCH IF EXISTS `" + branch + "`");
    } catch (RuntimeException ignored) {
      // A branch left behind is never read; goodhart maintain drops it once it is older than its orphan window.
    }
  }
}
