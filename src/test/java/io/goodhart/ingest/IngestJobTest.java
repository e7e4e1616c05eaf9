package io.goodhart.ingest;

import static io.goodhart.testing.EventLines.event;
import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Ingestion into a real Iceberg catalog: exactly once per event_id, every bad line kept with its reason. */
class IngestJobTest {
  @TempDir Path dir;
  private SparkSession spark;
  private LakeTables tables;
  private IngestJob job;
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void setUp(TestInfo info) {
    spark = TestLake.spark();
    LakeConfig config = TestLake.freshConfig(info.getTestMethod().orElseThrow().getName());
    tables = new LakeTables(spark, config);
    job = new IngestJob(spark, tables, progress::add);
  }

  private Path write(String relative, String... lines) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    if (relative.endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(bytes);
      }
    } else {
      Files.write(file, bytes);
    }
    return file;
  }

  private IngestLedger ingest(Path input) {
    return job.run(new IngestJob.Config(input.toString(), null));
  }

  private List<String> storedIds() {
    return spark.table(tables.usageEvents()).select("event_id").orderBy("event_id").collectAsList()
        .stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void validLinesAreStoredWithTheirLineageAndTypedColumns() throws IOException {
    Path file = write("events/date=2026-11-23/part-0.jsonl",
        event("e1", "2026-11-23T09:00:00Z", "u1", 100, 20),
        event("e2", "2026-11-23T10:30:00.500+01:00", "u2", 7, 3).replace("}",
            ",\"accepted\":true,\"artifact_id\":\"pr:9\",\"client_version\":\"2.0\"}"));
    IngestLedger ledger = ingest(dir.resolve("events"));
    assertEquals(new IngestLedger(1, 2, 2, 0, 0, 0, 0), ledger);
    assertRows(spark.sql("SELECT event_id, cast(event_time AS string), event_offset_minutes, user_id, input_tokens, "
            + "output_tokens, trigger, accepted, artifact_id, extra_fields['client_version'], "
            + "cast(delivery_date AS string), source_file, source_line FROM " + tables.usageEvents()),
        new Object[] {"e1", "2026-11-23 09:00:00", 0, "u1", 100L, 20L, "interactive", null, null, null,
            "2026-11-23", "file:" + file, 1L},
        new Object[] {"e2", "2026-11-23 09:30:00.5", 60, "u2", 7L, 3L, "interactive", true, "pr:9", "\"2.0\"",
            "2026-11-23", "file:" + file, 2L});
  }

  @Test
  void everyContractBreakGoesToTheRejectsTableWithItsReason() throws IOException {
    String ok = event("e1", "2026-11-23T09:00:00Z", "u1", 1, 1);
    Path file = write("bad.jsonl",
        ok,
        "{not json",
        ok.replace("\"user_id\":\"u1\",", ""),
        ok.replace("\"input_tokens\":1", "\"input_tokens\":\"1\"").replace("e1", "e3"),
        ok.replace("\"output_tokens\":1", "\"output_tokens\":-5").replace("e1", "e4"),
        ok.replace("2026-11-23T09:00:00Z", "23/11/2026 09:00").replace("e1", "e5"),
        ok.replace("2026-11-23T09:00:00Z", "2026-11-23T09:00:00").replace("e1", "e6"),
        "",
        "[" + ok + "]");
    IngestLedger ledger = ingest(file);
    assertEquals(new IngestLedger(1, 9, 1, 0, 0, 8, 0), ledger);
    assertRows(spark.sql("SELECT source_line, field, reason, event_id FROM " + tables.usageEventsRejected()),
        new Object[] {2L, null, "not valid JSON: Unexpected character: was expecting double-quote to start field name (near column 3)", null},
        new Object[] {3L, "user_id", "required field is missing", "e1"},
        new Object[] {4L, "input_tokens", "must be a whole JSON number >= 0, found string \"1\"", "e3"},
        new Object[] {5L, "output_tokens", "must be >= 0, found -5", "e4"},
        new Object[] {6L, "event_time", "not an ISO-8601 time with offset (like 2026-11-23T09:14:03.120Z): \"23/11/2026 09:00\"", "e5"},
        new Object[] {7L, "event_time", "not an ISO-8601 time with offset (like 2026-11-23T09:14:03.120Z): \"2026-11-23T09:00:00\"", "e6"},
        new Object[] {8L, null, "empty line", null},
        new Object[] {9L, null, "expected one JSON object per line, found array " + ("[" + ok + "]").substring(0, 60) + "...", null});
    assertEquals("{not json", spark.sql("SELECT raw_line FROM " + tables.usageEventsRejected() + " WHERE source_line = 2")
        .first().getString(0), "the raw line is kept as delivered");
  }

  @Test
  void invalidUtf8IsRejectedNotMangledIntoAnEvent() throws IOException {
    Path file = dir.resolve("latin1.jsonl");
    byte[] good = (event("e1", "2026-11-23T09:00:00Z", "u1", 1, 1) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] bad = event("e2", "2026-11-23T09:00:00Z", "J\u00fcrgen", 1, 1).getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, concat(good, bad));
    assertEquals(new IngestLedger(1, 2, 1, 0, 0, 1, 0), ingest(file));
    assertRows(spark.sql("SELECT source_line, field, reason FROM " + tables.usageEventsRejected()),
        new Object[] {2L, null, "not valid UTF-8: byte 66 of the line is 0xFC (invalid bytes shown as U+FFFD in raw_line)"});
  }

  @Test
  void duplicatesWithinAFileAcrossFilesAndAcrossRunsAreStoredOnce() throws IOException {
    String e1 = event("e1", "2026-11-23T09:00:00Z", "u1", 10, 1);
    String e2 = event("e2", "2026-11-23T09:05:00Z", "u1", 20, 2);
    String e3 = event("e3", "2026-11-24T09:05:00Z", "u2", 30, 3);
    write("day1/date=2026-11-23/a.jsonl", e1, e2, e1);
    write("day1/date=2026-11-23/b.jsonl.gz", e2, e3);
    IngestLedger first = ingest(dir.resolve("day1"));
    assertEquals(new IngestLedger(2, 5, 3, 2, 0, 0, 0), first);
    assertEquals(List.of("e1", "e2", "e3"), storedIds());
    assertRows(spark.sql("SELECT event_id, source_line FROM " + tables.usageEvents()
            + " WHERE source_file LIKE '%a.jsonl'"),
        new Object[] {"e1", 1L}, new Object[] {"e2", 2L});

    String e4 = event("e4", "2026-11-24T12:00:00Z", "u2", 40, 4);
    write("day2/date=2026-11-24/a.jsonl", e3, e4, "{oops");
    IngestLedger second = ingest(dir.resolve("day2"));
    assertEquals(new IngestLedger(1, 3, 1, 0, 1, 1, 0), second);
    assertEquals(List.of("e1", "e2", "e3", "e4"), storedIds());

    IngestLedger again = ingest(dir.resolve("day2"));
    assertEquals(new IngestLedger(0, 0, 0, 0, 0, 0, 0, 0, 1, 0), again, "a file the manifest holds is not read again");
    IngestLedger rerun = job.run(new IngestJob.Config(dir.resolve("day2").toString(), null, true, false));
    assertEquals(new IngestLedger(1, 3, 0, 0, 2, 1, 1), rerun, "reloading the same input stores nothing new");
    assertEquals(List.of("e1", "e2", "e3", "e4"), storedIds());
    assertEquals(1L, spark.table(tables.usageEventsRejected()).count(), "a rejection is recorded once");
  }

  @Test
  void theRunIsRecordedInJobRunsWithItsLedgerAndSnapshot() throws IOException {
    write("d/a.jsonl", event("e1", "2026-11-23T09:00:00Z", "u1", 1, 1), "nope");
    ingest(dir.resolve("d"));
    Row run = spark.table(tables.jobRuns()).first();
    assertEquals("ingest", run.getAs("job"));
    assertEquals("succeeded", run.getAs("status"));
    Map<String, Long> metrics = run.getJavaMap(run.fieldIndex("metrics"));
    assertEquals(2L, metrics.get("lines_read"));
    assertEquals(1L, metrics.get("accepted"));
    assertEquals(1L, metrics.get("rejected"));
    assertEquals(0L, metrics.get("duplicates"));
    Map<String, Long> snapshots = run.getJavaMap(run.fieldIndex("snapshot_ids"));
    assertEquals(tables.currentSnapshotId(tables.usageEvents()), snapshots.get(tables.usageEvents()));
    assertEquals(tables.currentSnapshotId(tables.usageEventsRejected()), snapshots.get(tables.usageEventsRejected()));
  }

  @Test
  void aDateSelectsThatDeliveryFolderAndTheLookbackWindowBeforeIt() throws IOException {
    write("feed/events/date=2026-11-16/a.jsonl", event("e0", "2026-11-16T09:00:00Z", "u1", 1, 1));
    write("feed/events/date=2026-11-23/a.jsonl", event("e1", "2026-11-23T09:00:00Z", "u1", 1, 1));
    write("feed/events/date=2026-11-24/a.jsonl", event("e2", "2026-11-24T09:00:00Z", "u1", 1, 1));
    write("feed/events/date=2026-11-25/a.jsonl", event("e3", "2026-11-25T09:00:00Z", "u1", 1, 1));
    LakeTables oneDay = new LakeTables(spark, tables.config().with(Map.of(IngestJob.LOOKBACK_DAYS, "1")));
    new IngestJob(spark, oneDay, progress::add)
        .run(new IngestJob.Config(dir.resolve("feed").toString(), java.time.LocalDate.parse("2026-11-24")));
    assertEquals(List.of("e2"), storedIds(), "a lookback of one day reads the date's folder only");
    job.run(new IngestJob.Config(dir.resolve("feed").toString(), java.time.LocalDate.parse("2026-11-24")));
    assertEquals(List.of("e1", "e2"), storedIds(), "seven days back from the 24th reach the 18th, not the 16th "
        + "nor the days after the date");
    InputException none = assertThrows(InputException.class,
        () -> job.run(new IngestJob.Config(dir.resolve("feed").toString(), java.time.LocalDate.parse("2026-11-30"))));
    assertEquals("no delivery folder date=2026-11-30 under " + dir.resolve("feed"), none.getMessage());
  }

  @Test
  void filesTheFormatDoesNotReadAreReportedInTheLedgerJobRunsAndTheManifestAndStrictRefusesThem() throws IOException {
    write("feed/events/date=2026-11-23/part-0.jsonl", event("e1", "2026-11-23T09:00:00Z", "u1", 1, 1));
    write("feed/events/date=2026-11-23/part-1.ndjson", event("e2", "2026-11-23T09:00:00Z", "u1", 1, 1));
    write("feed/events/date=2026-11-23/part-2.json", event("e3", "2026-11-23T09:00:00Z", "u1", 1, 1));
    write("feed/events/date=2026-11-23/part-3.json.gz", event("e4", "2026-11-23T09:00:00Z", "u1", 1, 1));
    java.time.LocalDate day = java.time.LocalDate.parse("2026-11-23");

    InputException strict = assertThrows(InputException.class,
        () -> job.run(new IngestJob.Config(dir.resolve("feed").toString(), day, false, true)));
    assertEquals(dir.resolve("feed/events/date=2026-11-23/part-2.json").toUri().toString().replace("file:///", "file:/")
        + " is not an event file (*.jsonl, *.jsonl.gz, *.ndjson or *.ndjson.gz) nor are 1 other file(s) of the input; "
        + "--strict refuses the input: remove or rename such files" + IngestJob.NOTHING_INGESTED, strict.getMessage());
    assertEquals(List.of(), storedIds());

    IngestLedger ledger = job.run(new IngestJob.Config(dir.resolve("feed").toString(), day));
    assertEquals(List.of("e1", "e2"), storedIds(), "*.ndjson is an event file of the native format");
    assertEquals(2, ledger.filesNotEvent());
    assertTrue(progress.stream().anyMatch(l -> l.endsWith("part-3.json.gz: not an event file (*.jsonl, *.jsonl.gz, "
        + "*.ndjson or *.ndjson.gz): skipped")), String.join("\n", progress));
    Row run = spark.table(tables.jobRuns()).where("status = 'succeeded'").first();
    assertEquals(2L, run.<String, Long>getJavaMap(run.fieldIndex("metrics")).get("files_not_event_files"));
    assertEquals(List.of("part-0.jsonl ingested", "part-1.ndjson ingested", "part-2.json not an event file: skipped",
            "part-3.json.gz not an event file: skipped"),
        spark.table(tables.ingestedFiles()).orderBy("path").collectAsList().stream()
            .map(r -> new org.apache.hadoop.fs.Path(r.<String>getAs("path")).getName() + " " + r.getAs("outcome"))
            .toList());
  }

  @Test
  void aFileReplacedByANewVersionIsReadAgainAndItsKnownLinesAreDuplicates() throws IOException, InterruptedException {
    Path file = write("feed/events/date=2026-11-23/part-0.jsonl", event("e1", "2026-11-23T09:00:00Z", "u1", 1, 1));
    java.time.LocalDate day = java.time.LocalDate.parse("2026-11-23");
    job.run(new IngestJob.Config(dir.resolve("feed").toString(), day));
    IngestLedger unchanged = job.run(new IngestJob.Config(dir.resolve("feed").toString(), day));
    assertEquals(0, unchanged.files());
    assertEquals(1, unchanged.filesAlreadyIngested());

    write("feed/events/date=2026-11-23/part-0.jsonl", event("e1", "2026-11-23T09:00:00Z", "u1", 1, 1),
        event("e2", "2026-11-23T10:00:00Z", "u1", 1, 1));
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    IngestLedger changed = job.run(new IngestJob.Config(dir.resolve("feed").toString(), day));
    assertEquals(new IngestLedger(1, 2, 1, 0, 1, 0, 0, 0, 0, 0), changed, "the new version is read whole");
    assertEquals(List.of("e1", "e2"), storedIds());
    assertEquals(List.of(1L, 2L), spark.table(tables.ingestedFiles()).where("outcome = 'ingested'").orderBy("lines")
        .collectAsList().stream().map(r -> r.<Long>getAs("lines")).toList(), "both versions are in the manifest");
  }

  @Test
  void aFailedRunLeavesEveryTableAsItWas() throws IOException {
    write("good/a.jsonl", event("e1", "2026-11-23T09:00:00Z", "u1", 1, 1), "bad line");
    ingest(dir.resolve("good"));
    Long events = tables.currentSnapshotId(tables.usageEvents());
    Long rejects = tables.currentSnapshotId(tables.usageEventsRejected());

    InputException missing = assertThrows(InputException.class, () -> ingest(dir.resolve("nowhere")));
    assertEquals("input " + dir.resolve("nowhere") + " does not exist", missing.getMessage());

    Files.createDirectories(dir.resolve("empty"));
    Files.write(dir.resolve("empty/a.jsonl"), new byte[0]);
    InputException empty = assertThrows(InputException.class, () -> ingest(dir.resolve("empty")));
    assertEquals("input holds no lines: every event file is empty", empty.getMessage());

    Files.createDirectories(dir.resolve("nofiles"));
    Files.writeString(dir.resolve("nofiles/readme.txt"), "not events");
    InputException noFiles = assertThrows(InputException.class, () -> ingest(dir.resolve("nofiles")));
    assertEquals("no event files (*.jsonl, *.jsonl.gz, *.ndjson or *.ndjson.gz) under " + dir.resolve("nofiles")
        + ": it holds only 1 other file(s), such as readme.txt", noFiles.getMessage());

    // A truncated gzip next to a good file: the good file must not be half-loaded either.
    Path broken = write("broken/b.jsonl.gz", event("e7", "2026-11-23T09:00:00Z", "u1", 1, 1),
        event("e8", "2026-11-23T09:00:00Z", "u1", 1, 1));
    byte[] whole = Files.readAllBytes(broken);
    Files.write(broken, Arrays.copyOf(whole, whole.length - 12));
    write("broken/a.jsonl", event("e9", "2026-11-23T09:00:00Z", "u1", 1, 1));
    InputException unreadable = assertThrows(InputException.class, () -> ingest(dir.resolve("broken")));
    assertTrue(unreadable.getMessage().startsWith("cannot read file:" + broken), unreadable.getMessage());

    Path fake = write("fake/a.jsonl", event("e10", "2026-11-23T09:00:00Z", "u1", 1, 1));
    Files.move(fake, dir.resolve("fake/a.jsonl.gz"));
    InputException notGzip = assertThrows(InputException.class, () -> ingest(dir.resolve("fake")));
    assertTrue(notGzip.getMessage().contains(dir.resolve("fake/a.jsonl.gz").toString()), notGzip.getMessage());

    assertEquals(events, tables.currentSnapshotId(tables.usageEvents()));
    assertEquals(rejects, tables.currentSnapshotId(tables.usageEventsRejected()));
    assertEquals(List.of("e1"), storedIds());
    assertEquals(5L, spark.sql("SELECT * FROM " + tables.jobRuns() + " WHERE status = 'failed' AND error IS NOT NULL").count(),
        "each failed run is recorded with its error");
  }

  @Test
  void aTableNobodyWroteToHasNoSnapshot() {
    tables.ensureCreated();
    assertNull(tables.currentSnapshotId(tables.usageEvents()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
