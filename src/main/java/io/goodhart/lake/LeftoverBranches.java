package io.goodhart.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * Write-audit-publish branches a run of a job left behind because its process died (a {@code kill -9},
 * the machine lost) between creating its branch and dropping it. Such a branch is never read --
 * {@code main} did not move, and every run writes a branch of its own -- but it keeps its snapshot's
 * files from ever being expired, so the next run of the same job drops the branches of that job on
 * its tables. A run of the same job still going on at that moment loses its branch and fails with
 * a concurrent-run failure (exit 5), as it would at its publish had the later run published
 * first: of two runs of one job at once, one publishes and the other is told to retry.
 */
public final class LeftoverBranches {
  private final SparkSession spark;
  private final LakeTables tables;

  public LeftoverBranches(SparkSession spark, LakeTables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /**
   * The branch names of a job's runs: {@link WriteAuditPublish} names a run's branch {@code wap_} + its
   * run id (job name + '-' + a UUID, {@link io.goodhart.runs.JobRunLog#newRunId}) with every character
   * other than a letter or digit made '_'. The UUID's shape keeps job "user" from matching "user-usage".
   */
  public static Pattern branchesOf(String job) {
    return Pattern.compile("wap_" + Pattern.quote(job.replaceAll("[^A-Za-z0-9]", "_"))
        + "_[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}");
  }

  /**
   * Drops the job's branches on its table and the table's BI copy; returns those dropped. A branch that
   * cannot be dropped (a concurrent commit won the race) is left for the next run, said in a progress line.
   */
  public List<String> drop(String job, String table, Consumer<String> progress) {
    String biCopy = tables.biCopyOf(table);
    List<String> dropped = new ArrayList<>();
    for (String t : biCopy == null ? List.of(table) : List.of(table, biCopy)) {
      dropFrom(job, t, dropped, progress);
    }
    if (!dropped.isEmpty()) {
      progress.accept(String.format("%s: dropped %d write-audit-publish branch(es) left by unfinished runs: %s",
          job, dropped.size(), String.join(", ", dropped)));
    }
    return dropped;
  }

  private void dropFrom(String job, String table, List<String> dropped, Consumer<String> progress) {
    List<String> leftovers = tables.iceberg(table).refs().keySet().stream()
        .filter(name -> branchesOf(job).matcher(name).matches()).sorted().toList();
    for (String branch : leftovers) {
      try {
        spark.sql("ALTER TABLE " + table + " DROP BRANCH IF EXISTS `" + branch + "`");
        dropped.add(table + "@" + branch);
      } catch (RuntimeException e) {
        progress.accept(String.format("%s: could not drop branch %s of %s left by an unfinished run (%s); "
            + "the next run tries again", job, branch, table, String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
      }
    }
  }
}
