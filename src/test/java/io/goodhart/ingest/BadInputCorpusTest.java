package io.goodhart.ingest;

import static io.goodhart.testing.BadInputCorpus.copy;
import static io.goodhart.testing.BadInputCorpus.delivery;
import static io.goodhart.testing.BadInputCorpus.goodLine;
import static io.goodhart.testing.BadInputCorpus.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.InputException;
import io.goodhart.cli.ExitCodes;
import io.goodhart.cli.GoodhartCli;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.BadInputCorpus;
import io.goodhart.testing.EventLines;
import io.goodhart.testing.TestLake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every bad event input of the corpus through the real ingest job, with its documented outcome: a line
 * that breaks the contract is rejected with its file, line, field and reason while the good lines of
 * the same file are stored (the ledger balances); a file that is not JSON lines as a whole refuses the
 * whole input with an error naming it, every table left at its snapshot.
 *
 * <p>The cases share one lake (a fresh one costs seconds) and each delivers into its own folder, so each
 * reads back only its own rows.
 */
class BadInputCorpusTest {
  private static SparkSession spark;
  private static LakeConfig config;
  private static LakeTables tables;
  private static IngestJob job;

  private static List<String> tablesToWatch;
  /** One delivery of the files whose bad lines are rejected one by one, ingested once for all their cases. */
  private static Path lineByLine;
  private static IngestLedger lineByLineLedger;

  @TempDir static Path dir;

  @BeforeAll
  static void lake() throws Exception {
    spark = TestLake.spark();
    config = TestLake.freshConfig("bad_input");
    tables = new LakeTables(spark, config);
    tables.ensureCreated();
    job = new IngestJob(spark, tables, line -> { });
    // Every table the catalog holds in the lake's namespaces, job_runs aside (it records each run).
    TableCatalog catalog = (TableCatalog) spark.sessionState().catalogManager().catalog(config.catalog());
    tablesToWatch = new ArrayList<>();
    for (String namespace : List.of(config.rawNamespace(), config.curatedNamespace(), config.privateNamespace())) {
      for (Identifier table : catalog.listTables(new String[] {namespace})) {
        tablesToWatch.add(config.catalog() + "." + namespace + "." + table.name());
      }
    }
    tablesToWatch.remove(tables.jobRuns());
    assertEquals(25, tablesToWatch.size(), "raw, curated and private tables");

    lineByLine = delivery(dir, "line-by-line");
    for (String file : List.of("numbers-out-of-range.jsonl", "timestamps-out-of-window.jsonl", "invalid-utf8.jsonl",
        "cut-mid-line.jsonl")) {
      copy("events/" + file, lineByLine);
    }
    BadInputCorpus.oversizedLine(lineByLine, "ten-megabytes.jsonl", 10 * 1024 * 1024);
    BadInputCorpus.write(lineByLine.resolve("nul-in-a-line.jsonl"), BadInputCorpus.concat(
        lines(List.of(goodLine("nul1"))), goodLine("nul2").replace("\"u1\"", "\"u\u0000\"").getBytes(StandardCharsets.UTF_8),
        lines(List.of("", goodLine("nul3")))));
    BadInputCorpus.write(lineByLine.resolve("zero-filled-tail.jsonl"),
        BadInputCorpus.concat(lines(List.of(goodLine("nul4"), goodLine("nul5"))), new byte[4096]));
    lineByLineLedger = ingest(lineByLine);
  }

  private static IngestLedger ingest(Path input) {
    IngestLedger ledger = job.run(new IngestJob.Config(input.toString(), null));
    assertEquals(ledger.linesRead(), ledger.accepted() + ledger.duplicates() + ledger.rejected(),
        "every line read ends in exactly one place");
    return ledger;
  }

  /** Line, field, reason and event_id of the rejects from a file (or every file under a folder), in file order. */
  private static List<List<Object>> rejects(Path fileOrFolder) {
    return rows("SELECT source_line, field, reason, event_id FROM " + tables.usageEventsRejected()
        + " WHERE " + from(fileOrFolder) + " ORDER BY source_file, source_line");
  }

  /** The stored event ids from a file (or every file under a folder), in file order. */
  private static List<String> stored(Path fileOrFolder) {
    return rows("SELECT event_id FROM " + tables.usageEvents() + " WHERE " + from(fileOrFolder)
        + " ORDER BY source_file, source_line").stream().map(r -> (String) r.get(0)).toList();
  }

  private static String from(Path fileOrFolder) {
    return Files.isDirectory(fileOrFolder)
        ? "source_file LIKE '" + file(fileOrFolder) + "/%'"
        : "source_file = '" + file(fileOrFolder) + "'";
  }

  /** A file of the line-by-line delivery, checking that each of its lines was either stored or rejected. */
  private static Path lineByLine(String name, int lines) {
    Path file = lineByLine.resolve(name);
    assertEquals(lines, stored(file).size() + rejects(file).size(), "nothing accepted is lost");
    return file;
  }

  private static List<List<Object>> rows(String sql) {
    return spark.sql(sql).collectAsList().stream()
        .map(r -> IntStream.range(0, r.size()).mapToObj(r::get).toList()).toList();
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  /** The current snapshot of every table in the lake's namespaces but job_runs, which records each run. */
  private static Map<String, Long> snapshots() {
    Map<String, Long> out = new LinkedHashMap<>();
    tablesToWatch.forEach(table -> out.put(table, tables.currentSnapshotId(table)));
    return out;
  }

  /** Ingest refuses the input with this error, commits nothing, and records the failed run with it. */
  private static InputException refused(Path input) {
    Map<String, Long> before = snapshots();
    InputException e = assertThrows(InputException.class, () -> ingest(input));
    assertEquals(before, snapshots(), "no table got a new snapshot");
    assertEquals(List.of(row("failed", e.getMessage())), rows("SELECT status, error FROM " + tables.jobRuns()
        + " WHERE job = 'ingest' ORDER BY started_at DESC LIMIT 1"));
    return e;
  }

  private static String file(Path path) {
    return "file:" + path;
  }

  // ---- refused whole: the file is not JSON lines ----

  @Test
  void aTruncatedGzipRefusesTheDeliveryAndItsRedeliveryLoadsEveryLineOnce() {
    Path delivery = delivery(dir, "truncated-gzip");
    BadInputCorpus.write(delivery.resolve("a.jsonl"), lines(List.of(goodLine("g1"), goodLine("g2"))));
    List<String> events = IntStream.range(0, 300).mapToObj(i -> goodLine("z" + i)).toList();
    Path gz = BadInputCorpus.truncatedGzip(delivery, "b.jsonl.gz", lines(events), 0.5);

    InputException e = refused(delivery.getParent());
    assertTrue(e.getMessage().matches("cannot read \\Q" + file(gz) + "\\E after line \\d+: the gzip data ends early, "
        + "the file is truncated \\(Unexpected end of ZLIB input stream\\)\\Q" + IngestJob.NOTHING_INGESTED + "\\E"),
        e.getMessage());
    assertEquals(List.of(), stored(delivery), "the good file of the same delivery is not loaded either");

    // The sender re-delivers the whole file: every line of the delivery lands, once.
    BadInputCorpus.write(gz, BadInputCorpus.gzip(lines(events)));
    assertEquals(new IngestLedger(2, 302, 302, 0, 0, 0, 0), ingest(delivery.getParent()));
    assertEquals(302, stored(delivery).size());
  }

  @Test
  void aBinaryFileRefusesTheDeliveryNamingTheFileAndWhatItLooksLike() {
    Path delivery = delivery(dir, "binary");
    BadInputCorpus.write(delivery.resolve("a.jsonl"), lines(List.of(goodLine("b1"))));
    Path png = BadInputCorpus.binary(delivery, "b.jsonl");
    InputException e = refused(delivery);
    assertEquals(file(png) + ":1: not a text file: it starts like a PNG image; JSON lines are UTF-8 text"
        + IngestJob.NOTHING_INGESTED, e.getMessage());
  }

  @Test
  void gzipDataUnderAPlainNameIsRefusedWithTheFix() {
    Path delivery = delivery(dir, "gzip-misnamed");
    Path plain = BadInputCorpus.write(delivery.resolve("a.jsonl"), BadInputCorpus.gzip(lines(List.of(goodLine("m1")))));
    assertEquals(file(plain) + ":1: the file is gzip-compressed but not named .gz; name it *.jsonl.gz"
        + IngestJob.NOTHING_INGESTED, refused(delivery).getMessage());
  }

  @Test
  void aJsonArrayOrDocumentInsteadOfLinesIsRefusedOnOneLineOrPrettyPrinted() {
    Path oneLine = delivery(dir, "json-array");
    Path array = copy("events/json-array.jsonl", oneLine);
    assertEquals(file(array) + ":1: the file is a JSON array, not JSON lines (one event object per line); convert "
        + "it, e.g. with jq -c '.[]'" + IngestJob.NOTHING_INGESTED, refused(oneLine).getMessage());

    Path pretty = delivery(dir, "json-array-pretty");
    Path printed = copy("events/json-array-pretty.jsonl", pretty);
    assertEquals(file(printed) + ":1: the file is a JSON array, not JSON lines (one event object per line); convert "
        + "it, e.g. with jq -c '.[]'" + IngestJob.NOTHING_INGESTED, refused(pretty).getMessage());

    Path object = delivery(dir, "json-object-pretty");
    Path document = BadInputCorpus.write(object.resolve("a.jsonl"),
        lines(List.of("", "{", "  \"event_id\": \"o1\",", "  \"event_time\": \"2026-11-23T09:00:00Z\"", "}")));
    assertEquals(file(document) + ":2: the file is one pretty-printed JSON document, not JSON lines (one event object "
        + "per line); convert it, e.g. with jq -c '.'" + IngestJob.NOTHING_INGESTED, refused(object).getMessage());
  }

  @Test
  void anEmptyFolderIsRefused() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty/date=2026-11-23"));
    assertEquals("no event files (*.jsonl, *.jsonl.gz, *.ndjson or *.ndjson.gz) under " + empty + ": it holds no files",
        refused(empty).getMessage());
    Files.writeString(empty.resolve("events.json"), goodLine("j1"));
    assertEquals("no event files (*.jsonl, *.jsonl.gz, *.ndjson or *.ndjson.gz) under " + empty + ": it holds only 1 other file(s), such as "
        + "events.json", refused(empty).getMessage());
  }

  // ---- rejected line by line: the rest of the file is stored ----

  @Test
  void theLineByLineDeliveryAccountsForEveryLine() {
    assertEquals(new IngestLedger(7, 37, 16, 0, 0, 21, 0), lineByLineLedger);
  }

  @Test
  void aNulByteInALineRejectsThatLineNamingTheByteAndTheRestOfTheFileIsStored() {
    Path file = lineByLine("nul-in-a-line.jsonl", 3);
    assertEquals(List.of("nul1", "nul3"), stored(file));
    int at = goodLine("nul2").indexOf("\"u1\"") + 3;
    assertEquals(List.of(row(2L, null, "a NUL byte at byte " + at + " of the line: NUL never occurs in UTF-8 JSON text "
        + "(shown as \u2400 in raw_line)", null)), rejects(file));
    assertEquals(List.of(row(goodLine("nul2").replace("\"u1\"", "\"u\u2400\""))),
        rows("SELECT raw_line FROM " + tables.usageEventsRejected() + " WHERE " + from(file)));
  }

  @Test
  void aZeroFilledTailIsOneRejectCountingItsNulBytes() {
    Path file = lineByLine("zero-filled-tail.jsonl", 3);
    assertEquals(List.of("nul4", "nul5"), stored(file));
    assertEquals(List.of(row(3L, null, "the file ends with 4,096 NUL byte(s) after its last line: a zero-filled tail, as "
        + "a writer that stopped mid-write leaves (the lines before it are read)", null)), rejects(file));
  }

  @Test
  void aTenMegabyteLineIsRejectedWithItsSizeAndOnlyItsFirstKilobyteKept() {
    Path file = lineByLine("ten-megabytes.jsonl", 3);
    assertEquals(List.of("big0", "big2"), stored(file));
    assertEquals(List.of(row(2L, null, "line is 10,485,760 bytes, over the 1,048,576-byte limit for one event "
        + "(raw_line keeps its first 1,024 bytes)", null)), rejects(file));
    String kept = (String) rows("SELECT raw_line FROM " + tables.usageEventsRejected() + " WHERE " + from(file))
        .get(0).get(0);
    assertEquals(1024, kept.length());
    assertTrue(kept.startsWith("{\"event_id\":\"big1\""), kept.substring(0, 40));
  }

  @Test
  void invalidUtf8LinesAreRejectedNamingTheByteAndAByteOrderMarkIsSkipped() {
    Path file = lineByLine("invalid-utf8.jsonl", 5);
    assertEquals(List.of("x1", "x3"), stored(file), "x1 follows a BOM");
    assertEquals(List.of(
        row(2L, null, "not valid UTF-8: byte 66 of the line is 0xFC (invalid bytes shown as U+FFFD in raw_line)", null),
        row(4L, null, "not valid UTF-8: byte 66 of the line is 0xE2 (invalid bytes shown as U+FFFD in raw_line)", null),
        row(5L, null, "not valid UTF-8: byte 65 of the line is 0xED (invalid bytes shown as U+FFFD in raw_line)", null)),
        rejects(file));
    assertEquals(List.of(row("J\uFFFDrgen")), rows("SELECT get_json_object(raw_line, '$.user_id') FROM "
        + tables.usageEventsRejected() + " WHERE " + from(file) + " AND source_line = 2"));
  }

  @Test
  void countsOutOfRangeAreRejectedNamingTheField() {
    Path file = lineByLine("numbers-out-of-range.jsonl", 9);
    assertEquals(List.of("n1", "n9"), stored(file));
    assertEquals(List.of(row(9007199254740991L)), rows("SELECT input_tokens FROM " + tables.usageEvents()
        + " WHERE event_id = 'n9'"), "2^53 - 1 is the largest count");
    String tooBig = " (2^53 - 1, the largest whole number JSON carries exactly)";
    assertEquals(List.of(
        row(2L, "input_tokens", "must be >= 0, found -1", "n2"),
        row(3L, "output_tokens", "out of range: 9007199254740992 is above 9007199254740991" + tooBig, "n3"),
        row(4L, "input_tokens", "out of range: 99999999999999999999 is above 9007199254740991" + tooBig, "n4"),
        row(5L, "cache_read_tokens", "must be a whole JSON number >= 0, found number 12.5", "n5"),
        row(6L, "duration_ms", "must be a whole JSON number >= 0, found NaN (not a JSON number)", "n6"),
        row(7L, "lines_accepted", "must be a whole JSON number >= 0, found Infinity (not a JSON number)", "n7"),
        row(8L, "latency_score", "must be valid JSON, found -Infinity (not a JSON number)", "n8")),
        rejects(file));
  }

  @Test
  void timesOutsideTheDeliveryWindowAreRejectedOnEventTime() {
    Path file = lineByLine("timestamps-out-of-window.jsonl", 11);
    assertEquals(List.of("t1", "t2", "t9", "t10"), stored(file), "the window's edges and old history are kept");
    String future = " is after the end of the day after the delivery date 2026-11-23 (accepted: before 2026-11-25T00:00:00Z)";
    String past = " is more than 3650 days before the delivery date 2026-11-23 (accepted: from 2016-11-25T00:00:00Z; "
        + "setting goodhart.ingest.max-event-age-days)";
    assertEquals(List.of(
        row(3L, "event_time", "in the future: 2026-11-25T00:00:00Z" + future, "t3"),
        row(4L, "event_time", "in the future: 2026-11-25T01:00:00Z" + future, "t4"),
        row(5L, "event_time", "in the future: 2099-01-01T00:00:00Z" + future, "t5"),
        row(6L, "event_time", "in the future: +10000-01-01T00:00:00Z" + future, "t6"),
        row(7L, "event_time", "too far in the past: 1970-01-01T00:00:00Z" + past, "t7"),
        row(8L, "event_time", "too far in the past: 0001-01-01T00:00:00Z" + past, "t8"),
        row(11L, "event_time", "too far in the past: 2016-11-24T23:59:59.999Z" + past, "t11")),
        rejects(file));
  }

  @Test
  void theOldestTimeAcceptedIsASetting() {
    Path delivery = delivery(dir, "one-year-window");
    Path file = BadInputCorpus.write(delivery.resolve("a.jsonl"), lines(List.of(
        EventLines.event("y1", "2025-11-23T00:00:00Z", "u1", 1, 1),
        EventLines.event("y2", "2025-11-22T23:59:59Z", "u1", 1, 1))));
    LakeTables oneYear = new LakeTables(spark, config.with(Map.of(EventTimeWindow.MAX_AGE_DAYS, "365")));
    assertEquals(new IngestLedger(1, 2, 1, 0, 0, 1, 0),
        new IngestJob(spark, oneYear, line -> { }).run(new IngestJob.Config(delivery.toString(), null)));
    assertEquals(List.of(row(2L, "event_time", "too far in the past: 2025-11-22T23:59:59Z is more than 365 days before "
        + "the delivery date 2026-11-23 (accepted: from 2025-11-23T00:00:00Z; setting goodhart.ingest.max-event-age-days)",
        "y2")), rejects(file));
  }

  @Test
  void aPlainFileCutInTheMiddleOfItsLastLineKeepsTheLinesBeforeIt() {
    Path file = lineByLine("cut-mid-line.jsonl", 3);
    assertEquals(List.of("c1", "c2"), stored(file));
    assertEquals(List.of(row(3L, null, "not valid JSON: Unexpected end-of-input: was expecting closing quote for a "
        + "string value (near column 46)", null)), rejects(file));
  }

  // ---- through the command line, as a scheduler sees it ----

  @Test
  void aRefusedDeliveryExitsWithTheBadInputCodeAndOneLineSayingWhy() {
    Path delivery = delivery(dir, "cli-binary");
    Path png = BadInputCorpus.binary(delivery, "a.jsonl");
    Map<String, Long> before = snapshots();
    List<String> args = new ArrayList<>(List.of("ingest", "--input", dir.resolve("cli-binary").toString(),
        "--date", "2026-11-23",
        "--conf", LakeConfig.LAKE_DIR + "=" + TestLake.lakeDir(),
        "--conf", LakeConfig.RAW_NAMESPACE + "=" + config.rawNamespace(),
        "--conf", LakeConfig.CURATED_NAMESPACE + "=" + config.curatedNamespace()));
    CommandLine cli = GoodhartCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertEquals(ExitCodes.BAD_INPUT, cli.execute(args.toArray(String[]::new)));
    assertEquals("goodhart ingest: bad input: " + file(png) + ":1: not a text file: it starts like a PNG image; "
        + "JSON lines are UTF-8 text" + IngestJob.NOTHING_INGESTED,
        err.toString().trim());
    assertEquals(before, snapshots());
  }
}
