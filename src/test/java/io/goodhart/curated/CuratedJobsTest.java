package io.goodhart.curated;

import io.goodhart.runs.AuditFailedException;
import static io.goodhart.testing.EventLines.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import io.goodhart.padding.ClassifyJob;
import io.goodhart.publish.BiPublishJob;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curated jobs on a real Iceberg catalog, through three nightly deliveries: late arrivals recompute
 * the week they belong to, reruns change nothing, runs in any order end in the same tables, and a
 * failed audit publishes nothing.
 */
class CuratedJobsTest {
  private static final LocalDate SUN = LocalDate.of(2026, 11, 15);
  private static final LocalDate MON = LocalDate.of(2026, 11, 16);
  private static final LocalDate TUE = LocalDate.of(2026, 11, 17);
  private static final LocalDate WED = LocalDate.of(2026, 11, 18);

  @TempDir Path dir;
  private final SparkSession spark = TestLake.spark();
  private Path feed;
  private Path directoryCsv;

  @BeforeEach
  void deliveries() throws IOException {
    feed = dir.resolve("events");
    directoryCsv = dir.resolve("directory.csv");
    Files.writeString(directoryCsv, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + "u1,t1,Payments,A,,true,2026-01-01,\n"
        + "u2,t1,Payments,A,,true,2026-01-01,\n"
        + "u3,t1,Payments,A,,true,2026-01-01,\n"
        + "u4,t2,Search,A,,true,2026-01-01,\n");
    deliver(SUN, event("s1", "2026-11-15T10:00:00Z", "u1", 100, 10));
    deliver(MON, event("m1", "2026-11-16T09:00:00Z", "u1", 200, 20), event("m2", "2026-11-16T10:00:00Z", "u4", 300, 30));
    // Tuesday's delivery also brings u3's Sunday request, two days late.
    deliver(TUE, event("t1", "2026-11-17T09:00:00Z", "u2", 400, 40), event("late", "2026-11-15T22:00:00Z", "u3", 500, 50));
  }

  private void deliver(LocalDate day, String... lines) throws IOException {
    Path folder = feed.resolve("date=" + day);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-0.jsonl"), String.join("\n", lines) + "\n");
  }

  private LakeTables lake(String label) {
    return new LakeTables(spark, TestLake.freshConfig(label));
  }

  private LakeConfig config(LakeTables tables) {
    return TestLake.freshConfig("unused").with(java.util.Map.of(
        LakeConfig.RAW_NAMESPACE, tables.rawNamespace().substring(tables.rawNamespace().indexOf('.') + 1),
        LakeConfig.CURATED_NAMESPACE, tables.curatedNamespace().substring(tables.curatedNamespace().indexOf('.') + 1),
        LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
  }

  private void nightly(LakeTables tables, LocalDate from, LocalDate to, boolean ingest) {
    new NightlyRunner(spark, tables, config(tables), line -> { })
        .run(new NightlyRunner.Options(from, to, ingest ? feed.toString() : null, directoryCsv.toString()));
  }

  /** A table's whole content as sorted text, to compare lakes and runs exactly. */
  private static List<String> content(SparkSession spark, String table) {
    Dataset<Row> t = spark.table(table);
    return t.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static Row teamWeek(SparkSession spark, LakeTables tables, LocalDate week, String team) {
    return spark.table(tables.teamWeeklyEngagement())
        .where("level = 'team' AND group_key = '" + team + "' AND week_start = DATE '" + week + "'").first();
  }

  @Test
  void aLateEventRecomputesTheWeekItHappenedInAndTheSnapshotsOfThatWeek() {
    LakeTables tables = lake("late");
    nightly(tables, SUN, MON, true);
    LocalDate previousWeek = LocalDate.of(2026, 11, 9);
    assertEquals(1L, teamWeek(spark, tables, previousWeek, "t1").<Long>getAs("engaged_developers"));

    long mondayNight = spark.table(tables.jobRuns())
        .where("job = 'leaderboard' AND logical_date = DATE '2026-11-16' AND status = 'succeeded'")
        .first().<scala.collection.Map<String, Long>>getAs("snapshot_ids").apply(tables.leaderboardSnapshots());

    nightly(tables, TUE, TUE, true);
    // What the leaderboard showed on Monday night stays readable by time travel to that run's snapshot.
    assertEquals(List.of("u1"), spark.sql("SELECT user_id FROM " + tables.leaderboardSnapshots() + " VERSION AS OF "
            + mondayNight + " WHERE snapshot_date = DATE '2026-11-15' ORDER BY rank")
        .collectAsList().stream().map(r -> r.getString(0)).toList());
    Row week46 = teamWeek(spark, tables, previousWeek, "t1");
    assertEquals(2L, week46.<Long>getAs("engaged_developers"), "u3's late Sunday event makes u3 engaged that week");
    assertEquals(660L, week46.<Long>getAs("total_tokens"));
    Row week47 = teamWeek(spark, tables, MON, "t1");
    assertEquals(2L, week47.<Long>getAs("engaged_developers"));
    assertEquals(0.0, week47.<Double>getAs("engagement_rate_change"), 1e-12,
        "the change is measured against the corrected week before: 2/3 - 2/3");
    List<Row> sundayBoard = spark.table(tables.leaderboardSnapshots())
        .where("snapshot_date = DATE '2026-11-15'").orderBy("rank").collectAsList();
    assertEquals(List.of("u3", "u1"), sundayBoard.stream().map(r -> r.<String>getAs("user_id")).toList(),
        "Sunday's final snapshot is re-ranked with the late event");
    assertEquals(List.of(550L, 110L), sundayBoard.stream().map(r -> r.<Long>getAs("total_tokens")).toList());
  }

  @Test
  void aFileLandingInAnOldDeliveryFolderIsReadByTheNextNightAndItsWeekEndsAsIfItHadComeOnTime() throws IOException {
    LakeTables late = lake("late_file");
    nightly(late, SUN, TUE, true);
    // After Sunday's night ran, a second file lands in Sunday's folder; Wednesday's delivery comes as usual.
    Files.writeString(feed.resolve("date=" + SUN).resolve("part-1.jsonl"),
        event("s2", "2026-11-15T11:00:00Z", "u2", 700, 70) + "\n");
    deliver(WED, event("w1", "2026-11-18T09:00:00Z", "u1", 10, 1));
    nightly(late, WED, WED, true);

    LakeTables onTime = lake("late_file_on_time");
    nightly(onTime, SUN, WED, true);
    assertEquals(List.of("late", "m1", "m2", "s1", "s2", "t1", "w1"), spark.table(late.usageEvents())
        .select("event_id").orderBy("event_id").collectAsList().stream().map(r -> r.getString(0)).toList());
    assertEquals(content(spark, onTime.teamWeeklyEngagement()), content(spark, late.teamWeeklyEngagement()));
    assertEquals(content(spark, onTime.userWeeklyUsage()), content(spark, late.userWeeklyUsage()));
    assertEquals(content(spark, onTime.usageClassification()), content(spark, late.usageClassification()));
    assertEquals(3L, teamWeek(spark, late, LocalDate.of(2026, 11, 9), "t1").<Long>getAs("engaged_developers"),
        "u2's Sunday event, read three nights late, counts in week 46");
  }

  @Test
  void deletingRawRowsReopensTheirWeekOnTheNextRun() {
    LakeTables tables = lake("raw_delete");
    nightly(tables, SUN, TUE, true);
    LocalDate week46 = LocalDate.of(2026, 11, 9);
    assertEquals(2L, teamWeek(spark, tables, week46, "t1").<Long>getAs("engaged_developers"));

    spark.sql("DELETE FROM " + tables.usageEvents() + " WHERE event_id = 'late'");
    nightly(tables, TUE, TUE, false);
    Row after = teamWeek(spark, tables, week46, "t1");
    assertEquals(1L, after.<Long>getAs("engaged_developers"), "week 46 is outside Tuesday's week, yet recomputed");
    assertEquals(110L, after.<Long>getAs("total_tokens"));
    assertEquals(List.of("u1"), spark.table(tables.leaderboardSnapshots()).where("snapshot_date = DATE '2026-11-15'")
        .orderBy("rank").collectAsList().stream().map(r -> r.<String>getAs("user_id")).toList());
    assertEquals(0L, spark.table(tables.userWeeklyUsage()).where("user_id = 'u3'").count());
  }

  @Test
  void aChangedIdentityRecomputesTheWeeksItSpansThoughNoEventOrStintChanged() throws Exception {
    LakeTables tables = lake("identity_change");
    nightly(tables, SUN, MON, true);
    // A telemetry source that names people by email: its Sunday request resolves to nobody yet.
    spark.table(tables.usageEvents()).where("event_id = 's1'")
        .withColumn("event_id", org.apache.spark.sql.functions.lit("otlp-1"))
        .withColumn("tool", org.apache.spark.sql.functions.lit("claude-code"))
        .withColumn("user_id", org.apache.spark.sql.functions.lit("Dev@corp.example"))
        .withColumn("person_keys", org.apache.spark.sql.functions.expr("map('email', 'Dev@corp.example')"))
        .writeTo(tables.usageEvents()).append();
    nightly(tables, TUE, TUE, false);
    LocalDate week46 = LocalDate.of(2026, 11, 9);
    assertEquals(List.of("Dev@corp.example", "u1"), spark.table(tables.userWeeklyUsage())
        .where("week_start = DATE '" + week46 + "'").orderBy("user_id").collectAsList().stream()
        .map(r -> r.<String>getAs("user_id")).toList(), "unresolved, the request counts under its email");
    assertEquals(List.of("[claude-code,1,1,1]", "[copilot,1,0,0]"), unresolved(tables, week46));
    assertEquals(List.of("[claude-code,false,1,1,1]", "[copilot,false,1,0,0]"), spark.sql("SELECT tool, suppressed, "
            + "events, unresolved_events, unresolved_keys FROM " + tables.biCopyOf(tables.unresolvedWeeklyUsage())
            + " WHERE week_start = DATE '" + week46 + "' ORDER BY tool").collectAsList().stream().map(Row::toString)
        .toList(), "published as it is: suppression is off in these lakes");

    Path identities = dir.resolve("identities.csv");
    Files.writeString(identities, "source,source_user_key,user_id,valid_from,valid_to\n"
        + "claude-code,dev@corp.example,u4,2026-01-01,\n");
    new NightlyRunner(spark, tables, config(tables), line -> { })
        .run(new NightlyRunner.Options(WED, WED, null, directoryCsv.toString(), identities.toString()));
    assertEquals(List.of("u1", "u4"), spark.table(tables.userWeeklyUsage())
        .where("week_start = DATE '" + week46 + "'").orderBy("user_id").collectAsList().stream()
        .map(r -> r.<String>getAs("user_id")).toList(), "week 46 is outside Wednesday's week, yet recomputed");
    assertEquals(1L, teamWeek(spark, tables, week46, "t2").<Long>getAs("engaged_developers"),
        "u4 of Search now counts as engaged in week 46");
    assertEquals(List.of("[claude-code,1,0,0]", "[copilot,1,0,0]"), unresolved(tables, week46),
        "resolved as of the night that recomputed the week");
  }

  /** tool, events, unresolved_events and unresolved_keys of a week of the private unresolved usage. */
  private List<String> unresolved(LakeTables tables, LocalDate week) {
    return spark.sql("SELECT tool, events, unresolved_events, unresolved_keys FROM " + tables.unresolvedWeeklyUsage()
        + " WHERE week_start = DATE '" + week + "' ORDER BY tool").collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void aLakeWhoseUnresolvedUsageWasNeverWrittenGetsEveryWeekOfItOnTheNextRun() {
    LakeTables tables = lake("unresolved_new");
    nightly(tables, SUN, TUE, true);
    List<String> everyWeek = content(spark, tables.unresolvedWeeklyUsage());
    assertEquals(2, spark.table(tables.unresolvedWeeklyUsage()).select("week_start").distinct().count());
    // A lake of the release before the table: the table is created empty by the next job that opens the lake.
    spark.sql("DROP TABLE " + tables.unresolvedWeeklyUsage() + " PURGE");
    LakeTables upgraded = new LakeTables(spark, tables.config());
    upgraded.ensureCreated();
    assertEquals(0L, spark.table(upgraded.unresolvedWeeklyUsage()).count());

    nightly(upgraded, WED, WED, false);
    assertEquals(everyWeek, content(spark, upgraded.unresolvedWeeklyUsage()),
        "week 46 had no change since the last run, yet it is written");
  }

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
