package io.goodhart.directory;

import static org.apache.spark.sql.functions.lit;

import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeTables;
import io.goodhart.runs.BranchPublish;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code load-directory} and {@code load-identities} share: a raw table replaced whole by the rows of
 * one CSV file, which is validated whole first (every problem listed, the table left as it was), commits
 * nothing when its rows equal the table's, and is otherwise published in one snapshot through a
 * write-audit-publish branch.
 */
final class WholeTableLoad {
  private static final int PROBLEMS_SHOWN = 25;

  private WholeTableLoad() {}

  /** The refusal of a file ({@code what}: "directory file") with its problems, the first 25 of them shown. */
  static InputException refused(String what, List<String> problems) {
    List<String> shown = problems.subList(0, Math.min(PROBLEMS_SHOWN, problems.size()));
    String more = problems.size() > PROBLEMS_SHOWN ? "\n  ... and " + (problems.size() - PROBLEMS_SHOWN) + " more" : "";
    return new InputException(what + " rejected, table left unchanged; " + problems.size()
        + " problem(s):\n  " + String.join("\n  ", shown) + more);
  }

  /**
   * Whether the loaded rows equal the table's on the columns that say what a row is (lineage aside). An
   * unchanged file commits nothing, so the curated jobs see no new snapshot and have nothing to diff.
   */
  static boolean unchanged(Dataset<Row> current, Dataset<Row> loaded, String[] columns) {
    Dataset<Row> a = current.selectExpr(columns);
    Dataset<Row> b = loaded.selectExpr(columns);
    return a.count() == b.count() && a.exceptAll(b).isEmpty() && b.exceptAll(a).isEmpty();
  }

  /**
   * Replaces {@code table}'s rows with {@code rows} through a write-audit-publish branch, audited to hold
   * exactly the {@code loaded} rows read from the file ({@code noun}: "stint(s)"); returns the snapshot
   * published.
   */
  static long replace(SparkSession spark, LakeTables tables, String table, String runId, Dataset<Row> rows,
      long loaded, String noun) {
    return new BranchPublish(spark, tables, table, runId)
        .audit(branch -> {
          long staged = branch.rows().count();
          return staged == loaded ? List.of()
              : List.of(String.format("%,d %s on the branch, %,d loaded from the file", staged, noun, loaded));
        })
        .publish(branch -> tables.overwriteIn(rows, branch.reference(), lit(true), runId, Map.of()));
  }
}
