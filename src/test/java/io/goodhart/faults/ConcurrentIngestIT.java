package io.goodhart.faults;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.cli.ExitCodes;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.runs.FaultPoint;
import io.goodhart.testing.EventLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two {@code goodhart ingest} processes at once, and an ingest killed with SIGKILL between its commits,
 * each with the packaged CLI in real JVMs (issue 13, "Concurrent ingests"). The race is made
 * deterministic with {@link FaultPoint}: run A is held at {@link FaultPoint#INGEST_PUBLISH} (its new
 * events written to its branch and audited there, {@code main} not moved yet), run B then runs to its
 * end, and A is released. A's fast-forward of {@code main} then fails and A finds that B stored some of
 * its events: it must stop with exit 5 and one line, store nothing, and running it again must be harmless.
 *
 * <p>One lake for the class; each case has raw and curated namespaces of its own (so "the table holds
 * exactly ..." is exact) and its own small hand-written delivery folders. Ten processes in all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConcurrentIngestIT {
  /** Columns that say which run wrote a row and when: they differ between any two runs. */
  private static final Set<String> RUN_COLUMNS = Set.of("ingest_run_id", "ingested_at", "rejected_at");

  private final SparkSession spark = FaultLakes.spark();
  private FaultLakes.Lake lake;
  private Path deliveries;

  @BeforeAll
  void aLakeAndDeliveryFoldersOfItsOwn() throws IOException {
    lake = FaultLakes.lake("cinglake");
    deliveries = Files.createDirectories(lake.dir().resolve("feed"));
  }

  // ---- 1. the same delivery twice at once ------------------------------------------------------------

  @Test
  @Order(1)
  void twoIngestsOfTheSameDeliveryAtOnceStoreEachEventOnceAndTheLoserExits5InOneLine() {
    LakeTables t = namespaces("same");
    Path root = deliveries.resolve("same");
    Path file = deliver(root, "2026-11-02", "part-0.jsonl",
        EventLines.event("s1", "2026-11-02T09:00:00Z", "u1", 100, 10),
        EventLines.event("s2", "2026-11-02T09:05:00Z", "u2", 200, 20),
        "{\"event_id\":\"s-cut\",\"event_time\":\"2026-11-02T09:1", // a line cut short by its writer: rejected
        EventLines.event("s3", "2026-11-02T10:00:00Z", "u1", 300, 30),
        EventLines.event("s4", "2026-11-02T11:00:00Z", "u3", 400, 40));
    String[] ingest = ingest("same", root, "2026-11-02");

    FaultLakes.Held a = FaultLakes.holdAt(lake, "same-a", FaultPoint.INGEST_PUBLISH, ingest);
    FaultLakes.Run b = FaultLakes.run(lake, "same-b", ingest);
    assertEquals(ExitCodes.OK, b.exit(), b.all());
    assertTrue(b.out().contains("ingest: 5 lines read = 4 accepted + 0 duplicates (0 within the input, 0 already loaded) "
        + "+ 1 rejected ["), b.out());

    // A's branch holds the same 4 events; main now holds B's: A's fast-forward fails, it finds all 4 stored.
    FaultLakes.Run aRun = FaultLakes.release(lake, a);
    assertLostTheRace(aRun, t, 4);

    List<Row> runs = jobRuns(t);
    assertEquals(List.of("failed", "succeeded"), statuses(runs), "A (started first) failed, B succeeded");
    assertEquals(lostMessage(t, 4), runs.get(0).getAs("error"), "job_runs says why A failed");
    assertNull(runs.get(0).getAs("snapshot_ids"), "A committed nothing");
    String runB = runs.get(1).getAs("run_id");

    // The scheduler runs A again: B recorded the file in the manifest, so A reads nothing and commits nothing.
    Long events = t.currentSnapshotId(t.usageEvents());
    Long rejected = t.currentSnapshotId(t.usageEventsRejected());
    Long manifest = t.currentSnapshotId(t.ingestedFiles());
    FaultLakes.Run again = FaultLakes.run(lake, "same-a-again", ingest);
    assertEquals(ExitCodes.OK, again.exit(), again.all());
    assertTrue(again.out().contains("ingest: reading 0 file(s) from " + root + " (1 already ingested, not read again)"),
        again.out());
    assertTrue(again.out().contains("[nothing new]"), again.out());
    assertEquals(events, t.currentSnapshotId(t.usageEvents()), "the re-run committed no events");
    assertEquals(rejected, t.currentSnapshotId(t.usageEventsRejected()), "the re-run committed no rejected lines");
    assertEquals(manifest, t.currentSnapshotId(t.ingestedFiles()), "the re-run recorded no file again");
    assertEquals(List.of("failed", "succeeded", "succeeded"), statuses(jobRuns(t)));

    // Exactly the delivery's events, each once, all stored by B; its one cut line rejected once.
    assertEquals(List.of("s1|" + runB, "s2|" + runB, "s3|" + runB, "s4|" + runB), eventsAndRuns(t));
    assertEquals(List.of(name(file) + ":3"), rejectedLines(t));
    assertEquals(List.of(name(file) + " ingested 5 lines: 4 accepted, 0 duplicates, 1 rejected, by " + runB),
        manifestRows(t));
    assertEquals(List.of(), branches(t), "no write-audit-publish branch left: A dropped its own when it lost");
  }

  // ---- 2. overlapping deliveries at once -------------------------------------------------------------

  @Test
  @Order(2)
  void twoIngestsOfOverlappingDeliveriesAtOnceStoreEachEventOnceAndTheLoserExits5InOneLine() {
    LakeTables t = namespaces("overlap");
    Path root = deliveries.resolve("overlap");
    Path d1 = deliver(root, "2026-11-03", "part-0.jsonl",
        EventLines.event("o1-1", "2026-11-03T09:00:00Z", "u1", 11, 1),
        EventLines.event("o1-2", "2026-11-03T10:00:00Z", "u2", 12, 2),
        "{\"event_id\":\"o1-cut\",\"event_ti");
    Path d2 = deliver(root, "2026-11-04", "part-0.jsonl",
        EventLines.event("o2-1", "2026-11-04T09:00:00Z", "u1", 21, 1),
        "{\"event_id\":\"o2-cut\",",
        EventLines.event("o2-2", "2026-11-04T10:00:00Z", "u2", 22, 2),
        EventLines.event("o2-3", "2026-11-04T11:00:00Z", "u3", 23, 3));
    Path d3 = deliver(root, "2026-11-05", "part-0.jsonl",
        EventLines.event("o3-1", "2026-11-05T09:00:00Z", "u1", 31, 1),
        EventLines.event("o3-2", "2026-11-05T10:00:00Z", "u2", 32, 2));
    // A looks at D1 and D2, B at D2 and D3: both read D2.
    String[] ingestA = ingest("overlap", root, "2026-11-04", "--conf", IngestJob.LOOKBACK_DAYS + "=2");
    String[] ingestB = ingest("overlap", root, "2026-11-05", "--conf", IngestJob.LOOKBACK_DAYS + "=2");

    FaultLakes.Held a = FaultLakes.holdAt(lake, "overlap-a", FaultPoint.INGEST_PUBLISH, ingestA);
    FaultLakes.Run b = FaultLakes.run(lake, "overlap-b", ingestB);
    assertEquals(ExitCodes.OK, b.exit(), b.all());
    assertTrue(b.out().contains("ingest: 6 lines read = 5 accepted + 0 duplicates (0 within the input, 0 already loaded) "
        + "+ 1 rejected ["), b.out());

    // A's branch holds D1's 2 and D2's 3 events; B stored D2's 3 of them.
    FaultLakes.Run aRun = FaultLakes.release(lake, a);
    assertLostTheRace(aRun, t, 3);
    List<Row> runs = jobRuns(t);
    assertEquals(List.of("failed", "succeeded"), statuses(runs), "A (started first) failed, B succeeded");
    assertEquals(lostMessage(t, 3), runs.get(0).getAs("error"), "job_runs says why A failed");
    String runB = runs.get(1).getAs("run_id");

    // A again: D2 is in the manifest now, so it reads D1 alone and stores D1's events (and its cut line).
    FaultLakes.Run again = FaultLakes.run(lake, "overlap-a-again", ingestA);
    assertEquals(ExitCodes.OK, again.exit(), again.all());
    assertTrue(again.out().contains("ingest: 3 lines read = 2 accepted + 0 duplicates (0 within the input, 0 already "
        + "loaded) + 1 rejected; 1 file(s) read, 1 already ingested, 0 not event files (skipped) ["), again.out());
    runs = jobRuns(t);
    assertEquals(List.of("failed", "succeeded", "succeeded"), statuses(runs));
    String runAgain = runs.get(2).getAs("run_id");

    // Every event of D1..D3 once: D1's stored by A's re-run, D2's and D3's by B.
    assertEquals(List.of("o1-1|" + runAgain, "o1-2|" + runAgain, "o2-1|" + runB, "o2-2|" + runB, "o2-3|" + runB,
        "o3-1|" + runB, "o3-2|" + runB), eventsAndRuns(t));
    assertEquals(List.of(name(d1) + ":3", name(d2) + ":2"), rejectedLines(t));
    assertEquals(List.of(
        name(d1) + " ingested 3 lines: 2 accepted, 0 duplicates, 1 rejected, by " + runAgain,
        name(d2) + " ingested 4 lines: 3 accepted, 0 duplicates, 1 rejected, by " + runB,
        name(d3) + " ingested 2 lines: 2 accepted, 0 duplicates, 0 rejected, by " + runB), manifestRows(t));
    assertEquals(List.of(), branches(t), "no write-audit-publish branch left");
  }

  // ---- 3. kill -9 at each ingest fault point, then a re-run --------------------------------------------

  /** The delivery the kill tests ingest: 8 lines in two files, one duplicate within the input, two rejected lines. */
  private Path killedRoot;
  /** The same delivery ingested once, cleanly, in this JVM: rows of the three tables, less run columns. */
  private Map<String, List<String>> clean;

  private void cleanReference() {
    if (clean != null) {
      return;
    }
    killedRoot = deliveries.resolve("killed");
    deliver(killedRoot, "2026-11-06", "part-0.jsonl",
        EventLines.event("k1", "2026-11-06T09:00:00Z", "u1", 100, 10),
        EventLines.event("k2", "2026-11-06T09:30:00Z", "u2", 200, 20),
        "{\"event_id\":\"k-cut\",\"event_time\":\"2026-11-06T1",
        EventLines.event("k3", "2026-11-06T10:00:00Z", "u3", 300, 30));
    deliver(killedRoot, "2026-11-06", "part-1.jsonl",
        EventLines.event("k4", "2026-11-06T11:00:00Z", "u1", 400, 40),
        EventLines.event("k1", "2026-11-06T09:00:00Z", "u1", 100, 10), // re-delivered: the first line wins
        EventLines.event("k-neg", "2026-11-06T11:30:00Z", "u2", -5, 50), // negative tokens: rejected
        EventLines.event("k5", "2026-11-06T12:00:00Z", "u3", 500, 50));
    LakeTables t = namespaces("clean");
    new IngestJob(spark, t, line -> { }).run(new IngestJob.Config(killedRoot.toString(), LocalDate.of(2026, 11, 6)));
    clean = tableRows(t);
    assertEquals(List.of("k1", "k2", "k3", "k4", "k5"), eventIds(t), "the clean ingest stores the 5 distinct events");
    assertEquals(List.of("date=2026-11-06/part-0.jsonl:3", "date=2026-11-06/part-1.jsonl:3"), rejectedLines(t),
        "and rejects 2 lines");
  }

  @Test
  @Order(3)
  void anIngestKilledWithItsEventsOnItsBranchBeforePublishingIsRepairedByRunningItAgain() {
    cleanReference();
    LakeTables t = namespaces("killpub");
    String[] ingest = ingest("killpub", killedRoot, "2026-11-06");

    FaultLakes.killAt(lake, "killpub-killed", FaultPoint.INGEST_PUBLISH, ingest);
    // The events are on the dead run's branch, main never moved: nothing is stored, rejected, recorded.
    assertNull(t.currentSnapshotId(t.usageEvents()), "main of usage_events has no snapshot");
    assertEquals(0, spark.table(t.usageEventsRejected()).count());
    assertEquals(0, spark.table(t.ingestedFiles()).count());
    assertEquals(0, spark.table(t.jobRuns()).count(), "a killed run records nothing");
    List<String> deadBranch = branches(t);
    assertEquals(1, deadBranch.size(), "the killed run's branch: " + deadBranch);

    FaultLakes.Run rerun = FaultLakes.run(lake, "killpub-rerun", ingest);
    assertEquals(ExitCodes.OK, rerun.exit(), rerun.all());
    assertTrue(rerun.out().contains("ingest: 8 lines read = 5 accepted + 1 duplicates (1 within the input, 0 already "
        + "loaded) + 2 rejected ["), rerun.out());
    assertEquals(clean, tableRows(t), "the tables of one clean ingest");
    assertEquals(List.of("succeeded"), statuses(jobRuns(t)));
    // The dead run's branch is never read (main did not move) and is not the re-run's to drop: a live
    // ingest's branch looks the same. goodhart maintain drops it once it is older than the orphan window.
    assertEquals(deadBranch, branches(t), "only the dead run's branch is left, none of the re-run's");
  }

  @Test
  @Order(4)
  void anIngestKilledAfterCommittingItsEventsAndRejectsBeforeRecordingTheManifestIsRepairedByRunningItAgain() {
    cleanReference();
    LakeTables t = namespaces("killman");
    String[] ingest = ingest("killman", killedRoot, "2026-11-06");

    FaultLakes.killAt(lake, "killman-killed", FaultPoint.INGEST_MANIFEST, ingest);
    // Events and rejected lines are committed; the manifest, and so the run's record, are not.
    Map<String, List<String>> killed = tableRows(t);
    assertEquals(clean.get("usage_events"), killed.get("usage_events"));
    assertEquals(clean.get("usage_events_rejected"), killed.get("usage_events_rejected"));
    assertEquals(List.of(), killed.get("ingested_files"));
    assertEquals(0, spark.table(t.jobRuns()).count(), "a killed run records nothing");

    // Not in the manifest, the files are read again: every event is a duplicate, every reject already recorded.
    FaultLakes.Run rerun = FaultLakes.run(lake, "killman-rerun", ingest);
    assertEquals(ExitCodes.OK, rerun.exit(), rerun.all());
    assertTrue(rerun.out().contains("ingest: 8 lines read = 0 accepted + 6 duplicates (1 within the input, 5 already "
        + "loaded) + 2 rejected (2 of them already recorded by an earlier run) ["), rerun.out());
    Map<String, List<String>> after = tableRows(t);
    assertEquals(clean.get("usage_events"), after.get("usage_events"), "the events of one clean ingest, each once");
    assertEquals(clean.get("usage_events_rejected"), after.get("usage_events_rejected"),
        "the rejected lines of one clean ingest, each once");
    // The manifest holds both files once, as the re-run found them: their events were stored by the dead run.
    String runAgain = jobRuns(t).get(0).getAs("run_id");
    assertEquals(List.of(
        "date=2026-11-06/part-0.jsonl ingested 4 lines: 0 accepted, 3 duplicates, 1 rejected, by " + runAgain,
        "date=2026-11-06/part-1.jsonl ingested 4 lines: 0 accepted, 3 duplicates, 1 rejected, by " + runAgain),
        manifestRows(t));
    assertEquals(clean.get("ingested_files"), after.get("ingested_files"),
        "the files of one clean ingest: same path, size, modification time, lines and rejects");
    assertEquals(List.of("succeeded"), statuses(jobRuns(t)));
    assertEquals(List.of(), branches(t), "no write-audit-publish branch left: both were dropped before the kill");
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  /** The lake's tables in the case's own namespaces {@code <name>_raw} and {@code <name>_curated}. */
  private LakeTables namespaces(String name) {
    return new LakeTables(spark, lake.tables().config().with(Map.of(LakeConfig.RAW_NAMESPACE, name + "_raw",
        LakeConfig.CURATED_NAMESPACE, name + "_curated")));
  }

  /** {@code goodhart ingest --input ROOT --date DATE} in the case's namespaces, then {@code more}. */
  private static String[] ingest(String namespaces, Path root, String date, String... more) {
    List<String> args = new ArrayList<>(List.of("ingest", "--input", root.toString(), "--date", date,
        "--conf", LakeConfig.RAW_NAMESPACE + "=" + namespaces + "_raw",
        "--conf", LakeConfig.CURATED_NAMESPACE + "=" + namespaces + "_curated"));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  /** Writes {@code ROOT/date=DATE/FILE} with the lines, each ended by a newline. */
  private static Path deliver(Path root, String date, String file, String... lines) {
    try {
      Path path = Files.createDirectories(root.resolve("date=" + date)).resolve(file);
      Files.writeString(path, String.join("\n", lines) + "\n");
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Path file) {
    return file.getParent().getFileName() + "/" + file.getFileName();
  }

  /** What the issue asks of the loser: exit 5, one line naming the concurrent run, no stack trace, nothing stored. */
  private void assertLostTheRace(FaultLakes.Run run, LakeTables t, long overlap) {
    assertEquals(ExitCodes.INFRASTRUCTURE, run.exit(), "the run that lost the race fails retryably:\n" + run.all());
    String said = FaultLakes.errorLine(run);
    assertEquals("goodhart ingest: infrastructure error: concurrent run: " + lostMessage(t, overlap), said);
    assertFalse(run.err().lines().anyMatch(l -> l.matches("\\s+at .*") || l.startsWith("Caused by")),
        "no stack trace:\n" + run.err());
    System.out.println("fault tests: the losing ingest said: " + said);
  }

  /** {@code ConcurrentIngestException.overlap}'s message. */
  private static String lostMessage(LakeTables t, long overlap) {
    return t.usageEvents() + ": another ingest stored " + overlap + " of this input's events while this one ran (two "
        + "ingests of overlapping input at once); this run stored nothing, re-running it is safe (those events then "
        + "count as duplicates)";
  }

  /** The case's ingest runs in job_runs, in the order they started. */
  private List<Row> jobRuns(LakeTables t) {
    List<Row> runs = spark.table(t.jobRuns()).orderBy("started_at").collectAsList();
    runs.forEach(r -> assertEquals(IngestJob.NAME, r.getAs("job")));
    return runs;
  }

  private static List<String> statuses(List<Row> runs) {
    return runs.stream().map(r -> (String) r.getAs("status")).toList();
  }

  private List<String> eventIds(LakeTables t) {
    return spark.table(t.usageEvents()).orderBy("event_id").select("event_id").collectAsList().stream()
        .map(r -> r.getString(0)).toList();
  }

  /** {@code event_id|ingest_run_id} of every stored row, sorted: an id stored twice shows twice. */
  private List<String> eventsAndRuns(LakeTables t) {
    return spark.table(t.usageEvents()).orderBy("event_id", "ingest_run_id").select("event_id", "ingest_run_id")
        .collectAsList().stream().map(r -> r.getString(0) + "|" + r.getString(1)).toList();
  }

  /** {@code date=D/file:line} of every rejected row, sorted. */
  private List<String> rejectedLines(LakeTables t) {
    return spark.table(t.usageEventsRejected()).collectAsList().stream()
        .map(r -> shortName(r.getAs("source_file")) + ":" + r.getAs("source_line")).sorted().toList();
  }

  /** One line per manifest row, sorted by file. */
  private List<String> manifestRows(LakeTables t) {
    return spark.table(t.ingestedFiles()).collectAsList().stream()
        .map(r -> String.format("%s %s %d lines: %d accepted, %d duplicates, %d rejected, by %s",
            shortName(r.getAs("path")), r.getAs("outcome"), (Long) r.getAs("lines"), (Long) r.getAs("accepted"),
            (Long) r.getAs("duplicates"), (Long) r.getAs("rejected"), r.getAs("run_id")))
        .sorted().toList();
  }

  /** {@code date=D/file} of a file's full path. */
  private static String shortName(String path) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    return p.getParent().getName() + "/" + p.getName();
  }

  /** Branches of usage_events other than main. */
  private static List<String> branches(LakeTables t) {
    return t.iceberg(t.usageEvents()).refs().keySet().stream().filter(r -> !r.equals("main")).sorted().toList();
  }

  /** The rows of usage_events, usage_events_rejected and ingested_files (its identity and counts of lines), less run columns. */
  private Map<String, List<String>> tableRows(LakeTables t) {
    Map<String, List<String>> out = new TreeMap<>();
    out.put("usage_events", rows(spark.table(t.usageEvents())));
    out.put("usage_events_rejected", rows(spark.table(t.usageEventsRejected())));
    out.put("ingested_files", rows(spark.table(t.ingestedFiles()).select(col("path"), col("size"), col("modified_at"),
        col("delivery_date"), col("outcome"), col("lines"), col("rejected"))));
    return out;
  }

  private static List<String> rows(Dataset<Row> table) {
    String[] columns = Arrays.stream(table.columns()).filter(c -> !RUN_COLUMNS.contains(c)).map(c -> "`" + c + "`")
        .toArray(String[]::new);
    return table.selectExpr(columns).collectAsList().stream().map(Row::toString).sorted().toList();
  }
}
