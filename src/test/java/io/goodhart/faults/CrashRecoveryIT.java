package io.goodhart.faults;

import static io.goodhart.faults.FaultLakes.NIGHT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.lake.LakeTables;
import io.goodhart.runs.FaultPoint;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged CLI killed with SIGKILL at the points between its commits (held there by
 * {@link FaultPoint}, so each kill lands exactly there), then the same command run again: every table
 * must end exactly as the clean reference run left it -- no event twice, no partial week, no leftover
 * branch, and each job's watermark where the next incremental run needs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {
  private final SparkSession spark = FaultLakes.spark();
  private FaultLakes.Lake lake;
  private LakeTables tables;

  @BeforeAll
  void aLakeOfItsOwn() {
    FaultLakes.prepare();
    lake = FaultLakes.lake("crashlake");
    tables = lake.tables();
  }

  private long rows(String table) {
    return spark.table(table).count();
  }

  @Test
  @Order(1)
  void anIngestKilledAfterCommittingItsEventsAndWhileWritingItsRejectsIsRepairedByRunningItAgain() {
    String[] ingest = {"ingest", "--input", FaultLakes.events().toString()};
    FaultLakes.killAt(lake, "ingest-killed", FaultPoint.INGEST_WRITING_REJECTS, ingest);
    // Killed between its two commits: every event is stored, no rejected line is.
    assertEquals(FaultLakes.referenceCount("raw.usage_events"), rows(tables.usageEvents()));
    assertEquals(0, rows(tables.usageEventsRejected()));
    assertEquals(0, rows(tables.jobRuns()), "a killed run records nothing");

    FaultLakes.Run rerun = FaultLakes.run(lake, "ingest-rerun", ingest);
    assertEquals(0, rerun.exit(), rerun.all());
    long events = FaultLakes.referenceCount("raw.usage_events");
    long rejected = FaultLakes.referenceCount("raw.usage_events_rejected");
    assertTrue(rerun.out().contains(" = 0 accepted + ") && rerun.out().contains(String.format("%,d already loaded) + %,d rejected", events, rejected)), rerun.out());
    FaultLakes.assertSameEventsAsReference(lake);
  }

  @Test
  @Order(2)
  void curatedJobsKilledBeforePublishingBetweenTheirTablesAndBeforeRecordingTheRunAreRepairedByTheNextNight() {
    assertEquals(FaultLakes.referenceCount("raw.usage_events"), rows(tables.usageEvents()), "the ingest test ran first");
    new DirectoryLoadJob(spark, tables, line -> { }).run(FaultLakes.directory().toString());
    String date = NIGHT.toString();

    // 1. Branch written and audited, main not moved yet: the branch stays behind, main has nothing.
    FaultLakes.killAt(lake, "user-usage-killed-before-publish", FaultPoint.PUBLISH + ":curated_private.user_weekly_usage",
        "user-usage", "--date", date);
    assertNull(tables.currentSnapshotId(tables.userWeeklyUsage()));
    List<String> leftover = tables.iceberg(tables.userWeeklyUsage()).refs().keySet().stream()
        .filter(b -> b.startsWith("wap_user_usage_")).toList();
    assertEquals(1, leftover.size(), "the killed run's branch");

    // 2. The job again, to its end: its start drops the first run's branch. Then bi-publish, killed after
    //    writing the BI engagement table and before the BI copy of user_weekly_usage.
    FaultLakes.Run again = FaultLakes.run(lake, "user-usage-again", "user-usage", "--date", date);
    assertEquals(0, again.exit(), again.all());
    assertTrue(again.out().contains("user-usage: dropped 1 write-audit-publish branch(es) left by unfinished runs: "
        + tables.userWeeklyUsage() + "@" + leftover.get(0)), again.out());
    assertEquals(FaultLakes.referenceCount("curated_private.user_weekly_usage"), rows(tables.userWeeklyUsage()));
    FaultLakes.killAt(lake, "bi-publish-killed-before-bi-copy", FaultPoint.BI_COPY + ":curated.user_weekly_usage",
        "bi-publish", "--date", date);
    // The BI engagement table, written first, is committed (empty: engagement has not run yet).
    assertTrue(tables.currentSnapshotId(tables.biCopyOf(tables.teamWeeklyEngagement())) != null,
        "the BI table before it is committed");
    assertEquals(0, rows(tables.biCopyOf(tables.userWeeklyUsage())), "the BI copy is not published yet");

    // 3. Features published, killed before job_runs records it (and so before its watermark exists).
    FaultLakes.killAt(lake, "features-killed-before-record", FaultPoint.RECORD_RUN + ":features",
        "features", "--date", date);
    assertEquals(FaultLakes.referenceCount("curated_private.user_weekly_features"), rows(tables.userWeeklyFeatures()));
    assertEquals(0, spark.table(tables.jobRuns()).filter("job IN ('features', 'bi-publish')").count(),
        "no run of the killed jobs is recorded");

    // The night, run again as a scheduler retries it, ends exactly where the clean run ended.
    FaultLakes.Run night = FaultLakes.run(lake, "nightly-rerun", "nightly", "--date", date);
    assertEquals(0, night.exit(), night.all());
    FaultLakes.assertSameAsReference(lake);
  }
}
