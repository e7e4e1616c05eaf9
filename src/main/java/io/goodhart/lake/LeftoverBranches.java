package io.goodhart.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

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
  private final LakeTables tables;
  private final Branches branches;

  public LeftoverBranches(LakeTables tables) {
    this.tables = tables;
    this.branches = new Branches(tables);
  }

  /**
   * The branch names of a job's runs ({@link Branches#of}): {@code wap_} + the run id (job name + '-' + a
   * UUID) with every character other than a letter or digit made '_'. The UUID's shape keeps job "user"
   * from matching "user-usage".
   */
  public static Pattern branchesOf(String job) {
    return Pattern.compile("wap_" + Pattern.quote(job.replaceAll("[^A-Za-z0-9]", "_"))
        + "_[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}");
  }

  /** {@link #drop(String, List, Consumer)} for a job that publishes to one table. */
  public List<String> drop(String job, String table, Consumer<String> progress) {
    return drop(job, List.of(table), progress);
  }

  /**
   * Drops the job's branches on the tables it publishes to and their BI copies; returns those dropped. A
   * branch that cannot be dropped (a concurrent commit won the race) is left for the next run, said in a
   * progress line.
   */
  public List<String> drop(String job, List<String> publishedTo, Consumer<String> progress) {
    List<String> dropped = new ArrayList<>();
    for (String table : publishedTo) {
      String biCopy = tables.biCopyOf(table);
      for (String t : biCopy == null ? List.of(table) : List.of(table, biCopy)) {
        dropFrom(job, t, dropped, progress);
      }
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
        if (branches.drop(table, branch)) {
          dropped.add(table + "@" + branch);
        }
      } catch (RuntimeException e) {
        progress.accept(String.format("%s: could not drop branch %s of %s left by an unfinished run (%s); "
            + "the next run tries again", job, branch, table, String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
      }
    }
  }
}
