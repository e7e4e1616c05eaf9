package io.goodhart.curated;

import io.goodhart.lake.LeftoverBranches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.goodhart.cli.ExitCodes;
import io.goodhart.cli.GoodhartCli;
import io.goodhart.lake.LakeTables;
import io.goodhart.runs.ConcurrentPublishException;
import io.goodhart.runs.JobRunLog;
import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write-audit-publish when another run of the same job works on the same table at the same time: the
 * run that publishes second is refused with exit 5 and leaves main as the first left it, and the
 * branches a dead run left are dropped by the job's next run, no one else's.
 */
class ConcurrentPublishTest {
  private static final LocalDate W45 = LocalDate.of(2026, 11, 2);
  private static final LocalDate W46 = LocalDate.of(2026, 11, 9);
  private static final StructType WEEKLY = new StructType()
      .add("week_start", DataTypes.DateType).add("events", DataTypes.LongType);

  private final SparkSession spark = TestLake.spark();
  private LakeTables tables;
  private String table;
  private WriteAuditPublish wap;

  @BeforeEach
  void aPublishedTable() {
    tables = new LakeTables(spark, TestLake.freshConfig("concurrent_publish"));
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + tables.curatedNamespace());
    table = tables.curatedNamespace() + ".weekly";
    spark.sql("CREATE TABLE " + table + " (week_start DATE, events BIGINT) USING iceberg");
    wap = new WriteAuditPublish(spark, tables);
    wap.replaceWeeks(table, List.of(W45, W46), rows(W45, 1, W46, 1), "user-usage-first", staged -> List.of());
  }

  private Dataset<Row> rows(Object... weekAndEvents) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < weekAndEvents.length; i += 2) {
      out.add(RowFactory.create(Date.valueOf((LocalDate) weekAndEvents[i]), ((Integer) weekAndEvents[i + 1]).longValue()));
    }
    return spark.createDataFrame(out, WEEKLY);
  }

  private List<String> main() {
    return spark.table(table).orderBy("week_start").collectAsList().stream().map(Row::toString).toList();
  }

  private List<String> refs() {
    return tables.iceberg(table).refs().keySet().stream().sorted().toList();
  }

  @Test
  void aRunOvertakenBetweenItsBranchAndItsPublishIsRefusedWithExit5AndMainKeepsTheOtherRun() {
    ConcurrentPublishException e = assertThrows(ConcurrentPublishException.class, () ->
        wap.replaceWeeks(table, List.of(W46), rows(W46, 2), "user-usage-slow", staged -> {
          // While the slow run audits its branch, a second run of the job publishes week 45.
          wap.replaceWeeks(table, List.of(W45), rows(W45, 3), "user-usage-fast", s -> List.of());
          return List.of();
        }));
    assertEquals(table + ": another run published to it after this run branched off, and publishing this run's "
        + "weeks would undo it; this run published nothing to it, re-running is safe", e.getMessage());
    assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(e));
    assertEquals(List.of("[2026-11-02,3]", "[2026-11-09,1]"), main(), "the fast run's week 45, nothing of the slow run");
    assertEquals(List.of("main"), refs());

    // Re-running the slow run's job now publishes on top of the other run.
    wap.replaceWeeks(table, List.of(W46), rows(W46, 2), "user-usage-retry", staged -> List.of());
    assertEquals(List.of("[2026-11-02,3]", "[2026-11-09,2]"), main());
  }

  @Test
  void aRunWhoseBranchALaterRunDroppedIsRefusedWithExit5() {
    String slow = JobRunLog.newRunId("user-usage");
    ConcurrentPublishException e = assertThrows(ConcurrentPublishException.class, () ->
        wap.replaceWeeks(table, List.of(W46), rows(W46, 2), slow, staged -> {
          // A later run of the same job starts and takes the slow run's branch for a dead run's leftover.
          new LeftoverBranches(tables).drop("user-usage", table, line -> { });
          return List.of();
        }));
    assertEquals(table + ": its write-audit-publish branch wap_" + slow.replace('-', '_') + " was dropped by a later run of the same "
        + "job, which took it for a crashed run's leftover; this run published nothing to it, re-running is safe",
        e.getMessage());
    assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(e));
    assertEquals(List.of("[2026-11-02,1]", "[2026-11-09,1]"), main());
  }

  @Test
  void theNextRunOfAJobDropsTheBranchesItsDeadRunsLeftAndNoOneElses() {
    // A killed user-usage run left its branch; a features run, a job named "user" and an analyst have
    // branches of their own.
    String dead = "wap_user_usage_0f9e1c2a_6b1d_4c3e_9a7f_2d4b6c8e0a1f";
    spark.sql("ALTER TABLE " + table + " CREATE BRANCH `" + dead + "`");
    spark.sql("ALTER TABLE " + table + " CREATE BRANCH `wap_features_5b7d0c1e_2f3a_4b5c_8d9e_0f1a2b3c4d5e`");
    spark.sql("ALTER TABLE " + table + " CREATE BRANCH `wap_user_3c4d5e6f_7a8b_4c9d_8e0f_1a2b3c4d5e6f`");
    spark.sql("ALTER TABLE " + table + " CREATE BRANCH `what_if`");
    List<String> said = new ArrayList<>();

    List<String> dropped = new LeftoverBranches(tables).drop("user-usage", table, said::add);

    assertEquals(List.of(table + "@" + dead), dropped);
    assertEquals(List.of("main", "wap_features_5b7d0c1e_2f3a_4b5c_8d9e_0f1a2b3c4d5e",
        "wap_user_3c4d5e6f_7a8b_4c9d_8e0f_1a2b3c4d5e6f", "what_if"), refs());
    assertEquals(List.of("user-usage: dropped 1 write-audit-publish branch(es) left by unfinished runs: "
        + table + "@" + dead), said);
    assertEquals(List.of("[2026-11-02,1]", "[2026-11-09,1]"), main(), "main is untouched");
  }
}
