package io.goodhart.maintain;

import static io.goodhart.testing.EventLines.event;
import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.cli.ExitCodes;
import io.goodhart.cli.GoodhartCli;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.runs.JobRun;
import io.goodhart.runs.JobRunLog;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code goodhart maintain} on a lake with history: what nothing references any more goes, what
 * {@code job_runs} and the leaderboards still read stays readable, the current data is the same row for
 * row, small files are compacted and orphan files older than the safety window removed. "Now" is an
 * injected clock 30 days after the history was written, so nothing waits.
 */
class MaintainJobTest {
  private static final Duration ORPHAN_AGE = Duration.ofHours(72);

  @TempDir Path dir;
  private final SparkSession spark = TestLake.spark();
  private LakeTables tables;
  private int deliveries;

  private long ingest(String eventId) throws IOException {
    Path folder = dir.resolve("events-" + (++deliveries) + "/date=2026-11-16");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-0.jsonl"), event(eventId, "2026-11-16T09:0" + deliveries + ":00Z", "u1", 10, 1) + "\n");
    new IngestJob(spark, tables, line -> { }).run(new IngestJob.Config(folder.toString(), null));
    return current(tables.usageEvents());
  }

  private long loadDirectory(String... rows) throws IOException {
    Path csv = dir.resolve("directory-" + (++deliveries) + ".csv");
    Files.writeString(csv, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + String.join("\n", rows) + "\n");
    new DirectoryLoadJob(spark, tables, line -> { }).run(csv.toString());
    return current(tables.developerDirectory());
  }

  /** One leaderboard row of a night, as the leaderboard job would write it. */
  private long board(String night, String user, long tokens) {
    spark.sql(String.format("INSERT INTO %s VALUES (DATE '%s', DATE '2026-11-16', '2026-W47', 'week_to_date', 1, '%s', "
        + "'t1', 'Payments', %d, 1, NULL, NULL, NULL, 'genuine', 0.0, %d, 1, 0)", tables.leaderboardSnapshots(), night, user,
        tokens, tokens));
    return current(tables.leaderboardSnapshots());
  }

  /** A successful run of a job as job_runs records it: what it published and what it read. */
  private void ran(String job, Map<String, Long> published, Map<String, Long> read) {
    Instant at = Instant.now();
    new JobRunLog(spark, tables).record(JobRun.succeeded(job, JobRunLog.newRunId(job), LocalDate.of(2026, 11, 16), at)
        .endedAt(at).snapshots(published).inputSnapshots(read).build());
  }

  private long current(String table) {
    return tables.iceberg(table).currentSnapshot().snapshotId();
  }

  private boolean exists(String table, long snapshotId) {
    return tables.iceberg(table).snapshot(snapshotId) != null;
  }

  private List<String> content(String sql) {
    return spark.sql(sql).collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private long dataFiles(String table) {
    return spark.sql("SELECT * FROM " + table + ".files").count();
  }

  private Path plantOrphan(String table, String name, Instant modified) throws IOException {
    Path data = Path.of(java.net.URI.create(tables.iceberg(table).location() + "/data"));
    Files.createDirectories(data);
    Path file = data.resolve(name);
    Files.writeString(file, "not referenced by any snapshot");
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  private MaintainJob.Result maintain(Instant now, List<String> only, List<String> progress) {
    MaintainJob.Config config = new MaintainJob.Config(30, 1, ORPHAN_AGE, 3, null, only, Clock.fixed(now, ZoneOffset.UTC));
    return new MaintainJob(spark, tables, config, progress::add).run();
  }

  private static MaintainJob.TableReport report(MaintainJob.Result result, String table) {
    return result.tables().stream().filter(r -> r.table().equals(table)).findFirst().orElseThrow();
  }

  @Test
  void keepsWhatJobRunsAndLeaderboardsReferenceAndRemovesTheRest() throws IOException {
    tables = new LakeTables(spark, TestLake.freshConfig("maintain"));
    tables.ensureCreated();
    String events = tables.usageEvents();
    String directory = tables.developerDirectory();
    String leaderboard = tables.leaderboardSnapshots();

    // History, all of it older than the retention by the time maintenance runs.
    long e1 = ingest("e1");
    long e2 = ingest("e2");
    long e3 = ingest("e3");
    ran("user-usage", Map.of(), Map.of(events, e2)); // its next run scans the events appended since e2
    // An ingest that died between creating its branch and writing to it: the branch would pin e1.
    spark.sql("ALTER TABLE " + events + " CREATE BRANCH wap_ingest_died AS OF VERSION " + e1);
    long d1 = loadDirectory("u1,t1,Payments,A,,true,2026-01-01,");
    long d2 = loadDirectory("u1,t1,Payments,A,,true,2026-01-01,", "u2,t1,Payments,A,,true,2026-01-01,");
    // A run that crashed after staging its write on a write-audit-publish branch.
    spark.sql("ALTER TABLE " + directory + " CREATE BRANCH wap_engagement_crashed");
    spark.sql("INSERT INTO " + directory + ".branch_wap_engagement_crashed VALUES "
        + "('u9', 't9', 'Staged', 'A', NULL, true, DATE '2026-01-01', NULL, NULL, NULL, 'f', 1, 'r')");
    long staged = tables.iceberg(directory).refs().get("wap_engagement_crashed").snapshotId();
    spark.sql("DELETE FROM " + directory + " WHERE user_id = 'u2'"); // a correction by hand, no job run
    long d3 = current(directory);
    long l1 = board("2026-11-16", "u1", 11);
    long l2 = board("2026-11-17", "u1", 22);
    ran("leaderboard", Map.of(leaderboard, l2), Map.of());
    Instant l2Time = Instant.ofEpochMilli(tables.iceberg(leaderboard).snapshot(l2).timestampMillis());
    long l3 = board("2026-11-18", "u1", 33); // written by hand, after a leaderboard run: still history
    Instant retentionEdge = Instant.now();

    // Recent history, within the retention.
    long e4 = ingest("e4");
    spark.sql("ALTER TABLE " + events + " CREATE BRANCH wap_ingest_running"); // a run that has just started
    spark.sql("DELETE FROM " + directory + " WHERE user_id = 'u9'");
    long d4 = current(directory);
    long l4 = board("2026-11-19", "u1", 44);

    Instant now = retentionEdge.plus(Duration.ofDays(30));
    Path oldOrphan = plantOrphan(events, "crashed-write.parquet", now.minus(ORPHAN_AGE).minus(Duration.ofHours(1)));
    Path freshOrphan = plantOrphan(events, "in-flight-write.parquet", now.minus(Duration.ofHours(1)));
    List<String> eventsBefore = content("SELECT * FROM " + events);
    List<String> directoryBefore = content("SELECT * FROM " + directory);
    List<String> boardBefore = content("SELECT * FROM " + leaderboard);
    List<String> boardAtL2 = content("SELECT * FROM " + leaderboard + " VERSION AS OF " + l2);
    assertEquals(4, dataFiles(events), "one small file per delivery");

    List<String> progress = new ArrayList<>();
    MaintainJob.Result result = maintain(now, List.of(), progress);

    // The current data is exactly what it was.
    assertEquals(eventsBefore, content("SELECT * FROM " + events));
    assertEquals(directoryBefore, content("SELECT * FROM " + directory));
    assertEquals(boardBefore, content("SELECT * FROM " + leaderboard));

    // raw.usage_events: the watermark and everything after it stay, so the next incremental scan works.
    assertFalse(exists(events, e1), "old and referenced by nothing");
    for (long kept : List.of(e2, e3, e4)) {
      assertTrue(exists(events, kept), "from the watermark on, history is whole");
    }
    assertEquals(e2, tables.iceberg(events).refs().get("goodhart-watermark-user-usage").snapshotId());
    assertEquals(e4, tables.iceberg(events).refs().get("goodhart-latest-ingest").snapshotId());
    assertRows(spark.sql("SELECT event_id FROM " + events + " VERSION AS OF " + e2), new Object[] {"e1"}, new Object[] {"e2"});
    assertRows(spark.read().format("iceberg").option("start-snapshot-id", e2).load(events).select("event_id"),
        new Object[] {"e3"}, new Object[] {"e4"});
    assertEquals(1, dataFiles(events), "four small files compacted into one");
    MaintainJob.TableReport eventsReport = report(result, events);
    assertEquals(4, eventsReport.dataFilesRewritten());
    assertEquals(1, eventsReport.dataFilesAdded());
    assertEquals(2, eventsReport.snapshotsExpired(), "e1 and the empty snapshot the first ingest's branch started at");
    assertEquals(1, eventsReport.branchesDropped(), "the dead run's branch at an old snapshot of main");
    assertNull(tables.iceberg(events).refs().get("wap_ingest_died"));
    assertEquals(e4, tables.iceberg(events).refs().get("wap_ingest_running").snapshotId(),
        "a branch at main's current snapshot may belong to a running job: kept");
    assertEquals(1, eventsReport.orphansRemoved());
    assertFalse(Files.exists(oldOrphan), "an orphan older than the window is removed");
    assertTrue(Files.exists(freshOrphan), "a younger file may be a write in flight: kept");

    // raw.developer_directory: what the latest load published stays; the rest past the retention goes.
    assertTrue(exists(directory, d2));
    assertRows(spark.sql("SELECT user_id FROM " + directory + " VERSION AS OF 'goodhart-latest-load-directory'"),
        new Object[] {"u1"}, new Object[] {"u2"});
    assertTrue(exists(directory, d4));
    for (long gone : List.of(d1, d3, staged)) {
      assertFalse(exists(directory, gone));
    }
    assertNull(tables.iceberg(directory).refs().get("wap_engagement_crashed"), "the crashed run's branch is dropped");
    assertEquals(1, report(result, directory).branchesDropped());

    // Leaderboards: every published night stays readable, by snapshot id and by time.
    assertFalse(exists(leaderboard, l1), "older than the first leaderboard run");
    for (long kept : List.of(l2, l3, l4)) {
      assertTrue(exists(leaderboard, kept));
    }
    assertEquals(boardAtL2, content("SELECT * FROM " + leaderboard + " VERSION AS OF " + l2));
    assertEquals(boardAtL2, content("SELECT * FROM " + leaderboard + " TIMESTAMP AS OF '" + l2Time + "'"));

    // The run is logged like any job, and said per table.
    Row logged = spark.sql("SELECT status, metrics FROM " + tables.jobRuns() + " WHERE job = 'maintain'").first();
    assertEquals("succeeded", logged.getString(0));
    Map<String, Long> metrics = logged.getJavaMap(1);
    assertEquals((long) tables.all().size(), metrics.get("tables"), "every table of the lake");
    assertEquals(1L, metrics.get(events + ".orphan_files_removed"));
    assertEquals(4L, metrics.get(events + ".data_files_rewritten"));
    assertEquals(tables.all().size(), progress.size());
    assertTrue(progress.get(0).startsWith("maintain " + events + ": kept 4 snapshot(s) (history since "), progress.get(0));

    // Once the user-usage job has moved its watermark on, what it read before is no longer protected.
    ran("user-usage", Map.of(), Map.of(events, e4));
    MaintainJob.Result second = maintain(now, List.of(events), new ArrayList<>());
    for (long gone : List.of(e2, e3)) {
      assertFalse(exists(events, gone));
    }
    assertEquals(e4, tables.iceberg(events).refs().get("goodhart-watermark-user-usage").snapshotId());
    assertEquals(eventsBefore, content("SELECT * FROM " + events));
    assertEquals(1, second.tables().size());
  }

  @Test
  void anOrphanWindowShorterThanADayIsAUsageError() {
    CommandLine cli = GoodhartCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(ExitCodes.USAGE, cli.execute("maintain", "--orphan-age-hours", "6"));
    assertTrue(err.toString().contains("orphan-age-hours must be at least 24: a younger file may belong to a write "
        + "that has not committed yet, found 6"), err.toString());
    assertThrows(IllegalArgumentException.class,
        () -> new MaintainJob.Config(30, 0, ORPHAN_AGE, 5, null, List.of(), Clock.systemUTC()));
  }

  @Test
  void theCommandMaintainsTheTablesItIsGiven() {
    LakeConfig config = TestLake.freshConfig("maintain_cli");
    int code = GoodhartCli.commandLine().execute("maintain", "--table", config.rawNamespace() + ".developer_directory", "--retain-days", "7",
        "--conf", LakeConfig.LAKE_DIR + "=" + TestLake.lakeDir(),
        "--conf", LakeConfig.RAW_NAMESPACE + "=" + config.rawNamespace(),
        "--conf", LakeConfig.CURATED_NAMESPACE + "=" + config.curatedNamespace());
    assertEquals(ExitCodes.OK, code);
    LakeTables lake = new LakeTables(spark, config);
    Row run = spark.sql("SELECT status, metrics['tables'] FROM " + lake.jobRuns() + " WHERE job = 'maintain'").first();
    assertEquals("succeeded", run.getString(0));
    assertEquals(1L, run.getLong(1));
    assertNotNull(lake.iceberg(lake.developerDirectory()));
  }
}
