package io.goodhart.curated;

import io.goodhart.runs.AuditFailedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.padding.ClassifyJob;
import io.goodhart.publish.BiPublishJob;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The curated jobs on a real Iceberg catalog, through three nightly deliveries: reruns change nothing, runs
 * in any order end in the same tables, a failed audit publishes nothing, and every run records its checks
 * and the snapshots it read.
 */
class CuratedJobsTest extends CuratedNights {
  @Test
  void rerunningADateChangesNothing() {
    LakeTables tables = lake("rerun");
    nightly(tables, SUN, TUE, true);
    List<String> engagement = content(spark, tables.teamWeeklyEngagement());
    List<String> usage = content(spark, tables.userWeeklyUsage());
    List<String> board = content(spark, tables.leaderboardSnapshots());
    long events = spark.table(tables.usageEvents()).count();

    nightly(tables, TUE, TUE, true);
    nightly(tables, MON, MON, false);
    assertEquals(engagement, content(spark, tables.teamWeeklyEngagement()));
    assertEquals(usage, content(spark, tables.userWeeklyUsage()));
    assertEquals(board, content(spark, tables.leaderboardSnapshots()));
    assertEquals(events, spark.table(tables.usageEvents()).count());

    // Every job committed only to tables the job registry says it writes.
    for (Row run : spark.table(tables.jobRuns()).where("status = 'succeeded' AND snapshot_ids IS NOT NULL")
        .select("job", "snapshot_ids").collectAsList()) {
      java.util.Map<String, Long> committed = run.getJavaMap(1);
      List<String> declared = io.goodhart.nightly.JobRegistry.byName(run.getString(0)).orElseThrow().writes();
      for (String table : committed.keySet()) {
        org.junit.jupiter.api.Assertions.assertTrue(declared.contains(tables.logicalName(table)),
            run.getString(0) + " committed to " + table + ", which the registry does not declare: " + declared);
      }
    }
  }

  @Test
  void datesRunOutOfOrderEndInTheSameTablesAsInOrder() {
    LakeTables inOrder = lake("in_order");
    nightly(inOrder, SUN, TUE, true);

    LakeTables shuffled = lake("out_of_order");
    new DirectoryLoadJob(spark, shuffled, line -> { }).run(directoryCsv.toString());
    new IngestJob(spark, shuffled, line -> { }).run(new IngestJob.Config(feed.toString(), null));
    for (LocalDate date : List.of(TUE, SUN, MON)) {
      nightly(shuffled, date, date, false);
    }
    assertEquals(content(spark, inOrder.teamWeeklyEngagement()), content(spark, shuffled.teamWeeklyEngagement()));
    assertEquals(content(spark, inOrder.userWeeklyUsage()), content(spark, shuffled.userWeeklyUsage()));
    assertEquals(content(spark, inOrder.leaderboardSnapshots()), content(spark, shuffled.leaderboardSnapshots()));
  }

  @Test
  void aFailedAuditPublishesNothingAndRecordsWhichCheckFailedByHowMuch() {
    LakeTables tables = lake("audit");
    nightly(tables, SUN, MON, true);
    Long published = tables.currentSnapshotId(tables.teamWeeklyEngagement());
    List<String> before = content(spark, tables.teamWeeklyEngagement());

    // A transformation that loses team t2's row: its events no longer add up to raw.
    EngagementJob broken = new EngagementJob(spark, tables, config(tables), line -> { }) {
      @Override
      protected Dataset<Row> compute(Inputs in) {
        return super.compute(in).where("NOT (level = 'team' AND group_key = 't2')");
      }
    };
    AuditFailedException failure = assertThrows(AuditFailedException.class, () -> broken.run(MON));
    assertEquals(List.of(
        "sum of team events for week 2026-W47: 1 in the output, 2 in raw (off by -1)",
        "sum of team total tokens for week 2026-W47: 220 in the output, 550 in raw (off by -330)"), failure.findings());

    assertEquals(published, tables.currentSnapshotId(tables.teamWeeklyEngagement()));
    assertEquals(before, content(spark, tables.teamWeeklyEngagement()));
    assertEquals(List.of("main"), spark.sql("SELECT name FROM " + tables.teamWeeklyEngagement() + ".refs")
        .collectAsList().stream().map(r -> r.getString(0)).toList(), "the audit branch is dropped");
    Row run = spark.table(tables.jobRuns()).where("job = 'engagement' AND status = 'failed'").first();
    assertEquals(failure.getMessage(), run.<String>getAs("error"));
    assertEquals(List.of(
            "[sum of team events,2026-W47,1,2,-1,sum of team events for week 2026-W47: 1 in the output, 2 in raw (off by -1)]",
            "[sum of team total tokens,2026-W47,220,550,-330,sum of team total tokens for week 2026-W47: 220 in the output, "
                + "550 in raw (off by -330)]"),
        spark.table(tables.auditResults()).where("run_id = '" + run.<String>getAs("run_id") + "' AND NOT passed")
            .orderBy("check_name").select("check_name", "scope", "staged_value", "expected_value", "difference", "finding")
            .collectAsList().stream().map(Row::toString).toList(),
        "the failed checks are kept for the engineer who looks into the failure");
  }

  @Test
  void everyRunKeepsItsChecksInAuditResultsInOneCommitAndAFailedWarningStillPublishes() {
    LakeTables tables = lake("audit_results");
    nightly(tables, SUN, MON, true);
    assertEquals(List.of(
            // user_weekly_usage's checks and, beside them, those of the unresolved usage it writes too
            "[every person-week is attributed to a team,completeness,warning,null,0,null,null,null,true]",
            "[no null keys,completeness,error,null,0,null,null,null,true]",
            "[no null keys,completeness,error,null,0,null,null,null,true]",
            "[accepted_share within [0, 1],range,error,null,0,null,null,null,true]",
            "[unresolved_events <= events,range,error,null,0,null,null,null,true]",
            "[unresolved_keys <= unresolved_events,range,error,null,0,null,null,null,true]",
            "[one row per (week_start, tool),uniqueness,error,null,0,null,null,null,true]",
            "[one row per (week_start, user_id),uniqueness,error,null,0,null,null,null,true]",
            "[sum of tool events,reconciliation,error,2026-W46,null,1,1,0,true]",
            "[sum of user events,reconciliation,error,2026-W46,null,1,1,0,true]",
            "[sum of user total tokens,reconciliation,error,2026-W46,null,110,110,0,true]",
            "[every person-week is attributed to a team,completeness,warning,null,0,null,null,null,true]",
            "[no null keys,completeness,error,null,0,null,null,null,true]",
            "[no null keys,completeness,error,null,0,null,null,null,true]",
            "[accepted_share within [0, 1],range,error,null,0,null,null,null,true]",
            "[unresolved_events <= events,range,error,null,0,null,null,null,true]",
            "[unresolved_keys <= unresolved_events,range,error,null,0,null,null,null,true]",
            "[one row per (week_start, tool),uniqueness,error,null,0,null,null,null,true]",
            "[one row per (week_start, user_id),uniqueness,error,null,0,null,null,null,true]",
            "[sum of tool events,reconciliation,error,2026-W47,null,2,2,0,true]",
            "[sum of user events,reconciliation,error,2026-W47,null,2,2,0,true]",
            "[sum of user total tokens,reconciliation,error,2026-W47,null,550,550,0,true]"),
        spark.table(tables.auditResults()).where("job = 'user-usage'")
            .orderBy(org.apache.spark.sql.functions.col("checked_at"), org.apache.spark.sql.functions.col("scope"),
                org.apache.spark.sql.functions.col("kind"), org.apache.spark.sql.functions.col("check_name"))
            .select("check_name", "kind", "severity", "scope", "offending_rows", "staged_value", "expected_value",
                "difference", "passed")
            .collectAsList().stream().map(Row::toString).toList());
    assertEquals(spark.table(tables.jobRuns()).where("job IN ('ingest', 'outcomes', 'user-usage', 'features', "
            + "'classify', 'engagement', 'leaderboard', 'bi-publish')").count(),
        java.util.stream.StreamSupport.stream(tables.iceberg(tables.auditResults()).snapshots().spliterator(), false).count(),
        "one commit per run of a job that audits what it publishes");
    assertEquals(List.of(), spark.table(tables.auditResults()).where("NOT passed").collectAsList());

    Long before = tables.currentSnapshotId(tables.userWeeklyUsage());
    List<String> progress = new java.util.ArrayList<>();
    UserUsageJob warned = new UserUsageJob(spark, tables, config(tables), progress::add) {
      @Override
      protected io.goodhart.audit.Audit audit(Inputs in) {
        return super.audit(in).and(io.goodhart.audit.RowCheck.noneWhere(io.goodhart.audit.CheckKind.RANGE,
            "under 300 total tokens a person a week", org.apache.spark.sql.functions.col("total_tokens").geq(300)).warning());
      }
    };
    CuratedJob.Result result = warned.run(MON);
    assertEquals(2, result.rowsWritten());
    assertEquals(result.snapshotId(), tables.currentSnapshotId(tables.userWeeklyUsage()), "published");
    assertEquals(false, before.equals(result.snapshotId()));
    assertEquals(true, progress.contains("user-usage 2026-11-16: audit warning: under 300 total tokens a person a week: "
        + "1 row(s) break it"), progress.toString());
    assertEquals(List.of("[under 300 total tokens a person a week,warning,1,false]"),
        spark.table(tables.auditResults()).where("run_id = '" + result.runId() + "' AND NOT passed")
            .select("check_name", "severity", "offending_rows", "passed").collectAsList().stream().map(Row::toString).toList());
  }

  @Test
  void everyRunRecordsTheSnapshotOfEachTableItReadAsItWasWhenItRead() {
    LakeTables tables = lake("inputs");
    nightly(tables, SUN, SUN, true);
    LakeConfig config = config(tables);
    String events = tables.usageEvents();
    String directory = tables.developerDirectory();

    // The outcomes job of the nightly committed (no rows on the native format): the jobs that count metric-only
    // tokens read it at that snapshot.
    String outcomes = tables.dailyOutcomes();
    assertRecordedInputs(tables, List.of(events, directory, outcomes),
        () -> new UserUsageJob(spark, tables, config, line -> { }).run(MON).runId());
    assertRecordedInputs(tables, List.of(events, directory),
        () -> new FeaturesJob(spark, tables, config, line -> { }).run(MON).runId());
    assertRecordedInputs(tables, List.of(events, directory, tables.userWeeklyFeatures()),
        () -> new ClassifyJob(spark, tables, config, line -> { }).run(MON).runId());
    assertRecordedInputs(tables, List.of(events, directory, outcomes, tables.usageClassification()),
        () -> new EngagementJob(spark, tables, config, line -> { }).run(MON).runId());
    assertRecordedInputs(tables, List.of(events, directory, outcomes, tables.usageClassification(),
            tables.leaderboardSnapshots()),
        () -> new LeaderboardJob(spark, tables, config, line -> { }).run(MON).runId());
    // Too few person-weeks here to train a model: a hand-made model run gives bi-publish a model log to read.
    spark.sql("INSERT INTO " + tables.modelRuns() + " VALUES ('classify-by-hand', TIMESTAMP '2026-11-16 23:00:00', "
        + "DATE '2026-11-16', DATE '2026-11-09', DATE '2026-11-16', 12, 2, 0.5, array(0.4, 0.5), 2, 3, 7, 1, 1.0, "
        + "array('events'), array(1.0), array(1.0), array(named_struct('id', 0, 'size', 12L, 'label', 'genuine', "
        + "'value_index', 1.0, 'waste_index', 0.0, 'centroid', array(0.0))), '/models/by-hand')");
    assertRecordedInputs(tables, List.of(tables.teamWeeklyEngagement(), tables.userWeeklyUsage(),
            tables.usageClassification(), tables.leaderboardSnapshots(), tables.unresolvedWeeklyUsage(),
            tables.modelRuns(), tables.ingestedFiles()),
        () -> new BiPublishJob(spark, tables, config, line -> { }).run(MON).runId());
  }

  /**
   * Runs a job and asserts that its job_runs row records exactly the given tables as read, each at the
   * snapshot it had when the run started.
   */
  private void assertRecordedInputs(LakeTables tables, List<String> read, java.util.function.Supplier<String> run) {
    java.util.Map<String, Long> before = new java.util.TreeMap<>();
    for (String table : read) {
      before.put(table, tables.currentSnapshotId(table));
    }
    org.junit.jupiter.api.Assertions.assertFalse(before.containsValue(null), "every table read has a snapshot: " + before);
    String runId = run.get();
    Row recorded = spark.table(tables.jobRuns()).where("run_id = '" + runId + "'").first();
    assertEquals(before,
        new java.util.TreeMap<>(recorded.<String, Long>getJavaMap(recorded.fieldIndex("input_snapshot_ids"))), runId);
  }
}
