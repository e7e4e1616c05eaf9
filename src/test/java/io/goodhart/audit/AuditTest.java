package io.goodhart.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The check vocabulary on a few hand-made staged rows: what each kind of check counts or compares, the
 * result it gives on each scope, and what a failure of an error or of a warning does.
 */
class AuditTest {
  private static final LocalDate W47 = LocalDate.of(2026, 11, 16);
  private static final LocalDate W48 = LocalDate.of(2026, 11, 23);
  private static final LocalDate W49 = LocalDate.of(2026, 11, 30);
  private final SparkSession spark = TestLake.spark();

  private static final StructType USAGE = new StructType()
      .add("week_start", DataTypes.DateType).add("user_id", DataTypes.StringType)
      .add("label", DataTypes.StringType).add("share", DataTypes.DoubleType).add("events", DataTypes.LongType);

  private Dataset<Row> usage(Object[]... rows) {
    return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), USAGE);
  }

  private static Object[] row(LocalDate week, String user, String label, Double share, long events) {
    return new Object[] {week == null ? null : Date.valueOf(week), user, label, share, events};
  }

  private static final Audit ROW_CHECKS = Audit.of(
      RowCheck.noNulls("no null keys", "week_start", "user_id"),
      RowCheck.unique("one row per (week_start, user_id)", "week_start", "user_id"),
      RowCheck.within("share within [0, 1]", "share", 0, 1),
      RowCheck.oneOf("label is genuine or padding", "label", "genuine", "padding"));

  @Test
  void rowChecksCountTheRowsThatBreakThem() {
    Dataset<Row> staged = usage(
        row(W47, "u1", "genuine", 0.5, 3),
        row(W47, "u1", "padding", 0.2, 1), // u1 twice in the week
        row(W47, "u2", "genuine", 1.5, 2), // a share above 1
        row(W47, null, "bogus", null, 4)); // no user, a label of neither kind, no share (not out of range)
    assertEquals(List.of(
            new CheckResult("no null keys", CheckKind.COMPLETENESS, Severity.ERROR, null, 1L, null, null,
                "no null keys: 1 row(s) break it"),
            // count(*) minus the distinct complete keys: the row without a user counts too
            new CheckResult("one row per (week_start, user_id)", CheckKind.UNIQUENESS, Severity.ERROR, null, 2L, null, null,
                "one row per (week_start, user_id): 2 row(s) break it"),
            new CheckResult("share within [0, 1]", CheckKind.RANGE, Severity.ERROR, null, 1L, null, null,
                "share within [0, 1]: 1 row(s) break it"),
            new CheckResult("label is genuine or padding", CheckKind.RANGE, Severity.ERROR, null, 1L, null, null,
                "label is genuine or padding: 1 row(s) break it")),
        ROW_CHECKS.evaluate(staged).results());

    Audit.Outcome clean = ROW_CHECKS.evaluate(usage(row(W47, "u1", "genuine", 0.0, 3), row(W47, "u2", "padding", 1.0, 2)));
    assertEquals(List.of(
            new CheckResult("no null keys", CheckKind.COMPLETENESS, Severity.ERROR, null, 0L, null, null, null),
            new CheckResult("one row per (week_start, user_id)", CheckKind.UNIQUENESS, Severity.ERROR, null, 0L, null, null, null),
            new CheckResult("share within [0, 1]", CheckKind.RANGE, Severity.ERROR, null, 0L, null, null, null),
            new CheckResult("label is genuine or padding", CheckKind.RANGE, Severity.ERROR, null, 0L, null, null, null)),
        clean.results());
    assertEquals(List.of(), clean.errors());
  }

  @Test
  void aReconciliationComparesEachExpectedWeekWithRawAndAWeekWithoutRowsCountsZero() {
    Map<LocalDate, Long> rawEvents = Map.of(W47, 5L, W48, 4L, W49, 2L);
    Audit audit = Audit.of().perScope("week_start", List.of(W47, W48, W49), ReportingCalendar::weekLabel, List.of(
        ScopeCheck.reconcile("sum of user events", w -> "sum of user events for week " + ReportingCalendar.weekLabel(w),
            sum("events"), rawEvents::get)));
    Audit.Outcome outcome = audit.evaluate(usage(
        row(W47, "u1", "genuine", 0.5, 3), row(W47, "u2", "genuine", 0.5, 2),
        row(W48, "u1", "genuine", 0.5, 3)));
    assertEquals(List.of(
            new CheckResult("sum of user events", CheckKind.RECONCILIATION, Severity.ERROR, "2026-W47", null, 5L, 5L, null),
            new CheckResult("sum of user events", CheckKind.RECONCILIATION, Severity.ERROR, "2026-W48", null, 3L, 4L,
                "sum of user events for week 2026-W48: 3 in the output, 4 in raw (off by -1)"),
            new CheckResult("sum of user events", CheckKind.RECONCILIATION, Severity.ERROR, "2026-W49", null, 0L, 2L,
                "sum of user events for week 2026-W49: 0 in the output, 2 in raw (off by -2)")),
        outcome.results());
    assertEquals(-1L, outcome.results().get(1).difference());
    assertEquals(List.of(
        "sum of user events for week 2026-W48: 3 in the output, 4 in raw (off by -1)",
        "sum of user events for week 2026-W49: 0 in the output, 2 in raw (off by -2)"), outcome.errors());
  }

  @Test
  void scopeChecksJudgeTheScopesStagedAndThoseRequired() {
    LocalDate mon = W47;
    LocalDate tue = W47.plusDays(1);
    StructType board = new StructType().add("snapshot_date", DataTypes.DateType).add("user_id", DataTypes.StringType)
        .add("rank", DataTypes.IntegerType);
    Dataset<Row> staged = spark.createDataFrame(List.of(
        RowFactory.create(Date.valueOf(mon), "u1", 1), RowFactory.create(Date.valueOf(mon), "u2", 2),
        RowFactory.create(Date.valueOf(tue), "u1", 1), RowFactory.create(Date.valueOf(tue), "u1", 3)), board);
    LocalDate wed = tue.plusDays(1);
    Audit audit = Audit.of().perScope("snapshot_date", List.of(wed), LocalDate::toString, List.of(
        ScopeCheck.uniqueWithin("one rank per user", "user_id", (d, n) -> "snapshot " + d + ": " + n + " user(s) ranked twice"),
        ScopeCheck.ranks("ranks run from 1 to the number of users", "rank",
            (d, lo, hi, n) -> "snapshot " + d + ": ranks run from " + lo + " to " + hi + " for " + n + " users"),
        ScopeCheck.present("the run date's snapshot is present", wed::equals, d -> "snapshot " + d + " is missing")));
    assertEquals(List.of(
            new CheckResult("the run date's snapshot is present", CheckKind.COMPLETENESS, Severity.ERROR, "2026-11-18",
                null, 0L, null, "snapshot 2026-11-18 is missing"),
            new CheckResult("one rank per user", CheckKind.UNIQUENESS, Severity.ERROR, "2026-11-16", 0L, null, null, null),
            new CheckResult("ranks run from 1 to the number of users", CheckKind.RANGE, Severity.ERROR, "2026-11-16",
                null, 2L, 2L, null),
            new CheckResult("one rank per user", CheckKind.UNIQUENESS, Severity.ERROR, "2026-11-17", 1L, null, null,
                "snapshot 2026-11-17: 1 user(s) ranked twice"),
            new CheckResult("ranks run from 1 to the number of users", CheckKind.RANGE, Severity.ERROR, "2026-11-17",
                null, 3L, 2L, "snapshot 2026-11-17: ranks run from 1 to 3 for 2 users")),
        audit.evaluate(staged).results());
  }

  @Test
  void aFailedWarningIsRecordedWithoutStoppingThePublishAndEveryResultIsKeptInOneCommit() {
    Audit audit = ROW_CHECKS.and(RowCheck.within("share at most a half", "share", 0, 0.5).warning());
    Audit.Outcome outcome = audit.evaluate(usage(row(W47, "u1", "genuine", 0.75, 3)));
    assertEquals(List.of(), outcome.errors(), "nothing stops the publish");
    assertEquals(List.of("share at most a half: 1 row(s) break it"), outcome.warnings());

    LakeTables tables = new LakeTables(spark, TestLake.freshConfig("audit_results"));
    tables.ensureCreated();
    new AuditResults(spark, tables).record("user-usage-1", "user-usage", tables.userWeeklyUsage(), outcome.results(),
        Instant.parse("2026-11-17T03:00:00Z"));
    assertEquals(List.of(
            "[user-usage-1,user-usage,curated_private.user_weekly_usage,label is genuine or padding,range,error,null,0,null,null,null,true,null]",
            "[user-usage-1,user-usage,curated_private.user_weekly_usage,no null keys,completeness,error,null,0,null,null,null,true,null]",
            "[user-usage-1,user-usage,curated_private.user_weekly_usage,one row per (week_start, user_id),uniqueness,error,null,0,null,null,null,true,null]",
            "[user-usage-1,user-usage,curated_private.user_weekly_usage,share at most a half,range,warning,null,1,null,null,null,false,"
                + "share at most a half: 1 row(s) break it]",
            "[user-usage-1,user-usage,curated_private.user_weekly_usage,share within [0, 1],range,error,null,0,null,null,null,true,null]"),
        spark.table(tables.auditResults()).drop("checked_at").orderBy("check_name").collectAsList().stream()
            .map(Row::toString).toList());
    assertEquals(Instant.parse("2026-11-17T03:00:00Z"),
        spark.table(tables.auditResults()).select("checked_at").distinct().first().getTimestamp(0).toInstant());
    assertEquals(1L, java.util.stream.StreamSupport.stream(tables.iceberg(tables.auditResults()).snapshots().spliterator(),
            false).count(),
        "one commit for the run's five results");
  }
}
