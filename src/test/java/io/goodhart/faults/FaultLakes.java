package io.goodhart.faults;

import static io.goodhart.testing.FrameAssertions.assertSameTables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.goodhart.curated.EngagementJob;
import io.goodhart.curated.FeaturesJob;
import io.goodhart.curated.LeaderboardJob;
import io.goodhart.curated.UserUsageJob;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.generate.GeneratorConfig;
import io.goodhart.generate.UsageGenerator;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import io.goodhart.padding.ClassifyJob;
import io.goodhart.runs.FaultPoint;
import io.goodhart.testing.GoodhartJar;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the crash and concurrency tests share: one small generated feed (40 people, two weeks, about
 * 6,000 lines with duplicates, late and malformed lines), the same feed run cleanly once in the test
 * JVM's own lake as the reference, lakes of the packaged CLI started as real processes, and the
 * comparison of a lake with the reference on every raw, curated and private table.
 */
final class FaultLakes {
  /** The night run: the Sunday that closes the feed's second week; its deliveries run to Wednesday. */
  static final LocalDate NIGHT = LocalDate.of(2026, 11, 15);
  static final String HEAP = "1g";
  static final String[] CURATED_JOBS = {UserUsageJob.NAME, FeaturesJob.NAME, ClassifyJob.NAME, EngagementJob.NAME,
      LeaderboardJob.NAME};
  /**
   * Columns that say which run wrote a row and when: they differ between any two runs. Event times
   * ({@code first_event_at}, ...) are business data and are compared.
   */
  private static final Set<String> RUN_COLUMNS = Set.of("ingested_at", "rejected_at");
  /**
   * Figures computed from the padding model's scores: KMeans retrained on the same rows is not
   * bit-for-bit reproducible (see S3LakeTest), so a lake whose model was trained again after a crash
   * differs from the reference in the last digits of these; the verdicts themselves are compared.
   */
  private static final Set<String> MODEL_SCORED = Set.of("padding_score", "honest_tokens", "honest_rank",
      "honest_rank_shift", "padding_cost_usd", "padding_tokens", "reasons");

  private static Path work;
  private static Path feed;
  private static Path key;
  private static Map<String, List<List<Object>>> referenceRows;
  private static Map<String, Map<String, Long>> referenceWeeks;
  private static Map<String, Object> referenceModel;

  private FaultLakes() {}

  static SparkSession spark() {
    return TestLake.spark();
  }

  static Path events() {
    prepare();
    return feed.resolve("events");
  }

  static Path directory() {
    prepare();
    return feed.resolve("directory.csv");
  }

  /** A fresh folder under target/ for one lake of a test. */
  static Path newLakeDir(String label) {
    workDir();
    try {
      return Files.createTempDirectory(work, label + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The feed, the pseudonym key every lake of these tests shares (so BI copies compare exactly), and the
   * reference: ingest of every delivery, the directory, and the night, run once, cleanly, in this JVM.
   */
  static synchronized void prepare() {
    if (referenceRows != null) {
      return;
    }
    long started = System.nanoTime();
    try {
      Path dir = workDir();
      feed = dir.resolve("feed");
      new UsageGenerator().generate(GeneratorConfig.builder()
          .seed(7).users(40).weeks(2).start(LocalDate.of(2026, 11, 2)).filesPerDay(2).gzip(true)
          .duplicateRate(0.02).lateRate(0.05).malformedRate(0.01).out(feed).build());
      SparkSession spark = spark();
      LakeConfig config = TestLake.freshConfig("faults_reference").with(Map.of(LakeConfig.PSEUDONYM_KEY_FILE, key.toString()));
      LakeTables tables = new LakeTables(spark, config);
      new IngestJob(spark, tables, line -> { }).run(new IngestJob.Config(feed.resolve("events").toString(), null));
      new DirectoryLoadJob(spark, tables, line -> { }).run(feed.resolve("directory.csv").toString());
      new NightlyRunner(spark, tables, config, line -> { }).run(new NightlyRunner.Options(NIGHT, NIGHT, null, null));
      referenceRows = rows(tables);
      referenceWeeks = weeks(tables);
      referenceModel = publishedModel(tables);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf("fault tests: feed and clean reference night in %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  /**
   * The folder under target/ the lakes of these tests live in, and the pseudonym key they share: all a
   * lake needs. A test that brings its own input (and no comparison with the reference) does not pay for
   * the feed and the reference night.
   */
  private static synchronized Path workDir() {
    if (work != null) {
      return work;
    }
    try {
      Path dir = Files.createTempDirectory(GoodhartJar.TARGET, "faults-");
      key = dir.resolve("pseudonym.key");
      Files.writeString(key, "fault-tests-pseudonym-key-0123456789\n");
      Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      work = dir;
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- lakes of the CLI ---------------------------------------------------------------------------

  /**
   * A lake the CLI processes write and this JVM reads. The Iceberg JDBC catalog keys its rows by the
   * catalog's name, so both sides use the same name; Iceberg's table cache is off on this side, so
   * every read sees what the processes last committed.
   */
  record Lake(Path dir, String catalog, LakeTables tables) {
    /** goodhart's arguments for this lake, after the command's own. */
    String[] args(String... command) {
      List<String> all = new ArrayList<>(Arrays.asList(command));
      all.addAll(List.of("--conf", LakeConfig.CATALOG + "=" + catalog,
          "--conf", LakeConfig.PSEUDONYM_KEY_FILE + "=" + key));
      return all.toArray(String[]::new);
    }
  }

  static Lake lake(String catalog) {
    Path dir = newLakeDir(catalog);
    LakeConfig config = LakeConfig.resolve(null, Map.of(LakeConfig.CATALOG, catalog, LakeConfig.LAKE_DIR, dir.toString(),
        LakeConfig.PSEUDONYM_KEY_FILE, key.toString()));
    String prefix = "spark.sql.catalog." + catalog;
    SparkSession spark = spark();
    config.sparkSettings().forEach((k, v) -> {
      if (k.equals(prefix) || k.startsWith(prefix + ".")) {
        spark.conf().set(k, v);
      }
    });
    spark.conf().set(prefix + ".cache-enabled", "false");
    return new Lake(dir, catalog, new LakeTables(spark, config));
  }

  /** How a CLI process ended: exit code, what it printed (stdout and stderr apart), how long it took. */
  record Run(int exit, String out, String err, double seconds) {
    String all() {
      return out + "\n" + err;
    }
  }

  /** Starts {@code goodhart ARGS} on the lake, its output to files named after {@code label}. */
  static Process start(Lake lake, String label, Map<String, String> env, String... command) {
    ProcessBuilder pb = GoodhartJar.command(lake.dir(), HEAP, lake.args(command))
        .redirectOutput(lake.dir().resolve(label + ".out").toFile())
        .redirectError(lake.dir().resolve(label + ".err").toFile());
    pb.environment().remove(FaultPoint.PAUSE_AT_ENV);
    pb.environment().putAll(env);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Run finish(Lake lake, String label, Process process, long startedNanos) {
    try {
      if (!process.waitFor(8, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor();
        fail(label + " did not end within 8 minutes; its output:\n" + output(lake, label));
      }
      return new Run(process.exitValue(), Files.readString(lake.dir().resolve(label + ".out")),
          Files.readString(lake.dir().resolve(label + ".err")), (System.nanoTime() - startedNanos) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code goodhart ARGS} on the lake to its end. */
  static Run run(Lake lake, String label, String... command) {
    long started = System.nanoTime();
    Run run = finish(lake, label, start(lake, label, Map.of(), command), started);
    System.out.printf("fault tests: %s exit %d in %.1f s%n", label, run.exit(), run.seconds());
    return run;
  }

  /** A process held at a fault point: it continues when {@link #release} deletes its marker. */
  record Held(String label, Process process, Path marker, long startedNanos) {}

  /**
   * Starts {@code goodhart ARGS} armed at a fault point ({@code point} or {@code point:subject}) and
   * returns once it is held there (its marker file written).
   */
  static Held holdAt(Lake lake, String label, String point, String... command) {
    Path marker = lake.dir().resolve(label + ".held");
    long started = System.nanoTime();
    Process process = start(lake, label, Map.of(FaultPoint.PAUSE_AT_ENV, point, FaultPoint.MARKER_ENV, marker.toString()),
        command);
    boolean reached = false;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
      while (!Files.exists(marker)) {
        if (!process.isAlive()) {
          fail(label + " ended (exit " + process.exitValue() + ") before reaching " + point + "; its output:\n"
              + output(lake, label));
        }
        if (System.nanoTime() > deadline) {
          fail(label + " did not reach " + point + " within 6 minutes; its output:\n" + output(lake, label));
        }
        Thread.sleep(50);
      }
      assertTrue(Files.readString(marker).startsWith(point.contains(":") ? point.substring(0, point.indexOf(':')) : point),
          Files.readString(marker));
      reached = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (!reached) {
        process.destroyForcibly();
      }
    }
    System.out.printf("fault tests: %s held at %s after %.1f s%n", label, point, (System.nanoTime() - started) / 1e9);
    return new Held(label, process, marker, started);
  }

  /** Lets a held process go on (deletes its marker) and runs it to its end. */
  static Run release(Lake lake, Held held) {
    try {
      Files.delete(held.marker());
    } catch (IOException e) {
      held.process().destroyForcibly();
      throw new UncheckedIOException(e);
    }
    Run run = finish(lake, held.label(), held.process(), held.startedNanos());
    System.out.printf("fault tests: %s exit %d in %.1f s (held, then released)%n", held.label(), run.exit(), run.seconds());
    return run;
  }

  /**
   * Runs {@code goodhart ARGS} held at a fault point ({@code point} or {@code point:subject}), and kills
   * it with SIGKILL the moment it gets there: what a crash, an OOM kill or a lost machine does.
   */
  static double killAt(Lake lake, String label, String point, String... command) {
    Held held = holdAt(lake, label, point, command);
    Process process = held.process();
    process.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block of the job runs
    try {
      process.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertEquals(137, process.exitValue(), "killed by SIGKILL");
    double seconds = (System.nanoTime() - held.startedNanos()) / 1e9;
    System.out.printf("fault tests: %s killed at %s after %.1f s%n", label, point, seconds);
    return seconds;
  }

  /**
   * The line goodhart ended a failed run with, asserted to be the last thing it printed: one line for
   * the scheduler's log, no stack trace after it. (Spark's and Iceberg's own WARN log lines, such as a
   * commit retried and then done, may come before it.)
   */
  static String errorLine(Run run) {
    List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("goodhart ")) {
        at = i;
      }
    }
    assertTrue(at >= 0, "no goodhart error line:\n" + run.err());
    assertEquals(lines.size() - 1, at, "nothing after goodhart's one line:\n" + run.err());
    return lines.get(at);
  }

  static String output(Lake lake, String label) {
    try {
      return Files.readString(lake.dir().resolve(label + ".out")) + Files.readString(lake.dir().resolve(label + ".err"));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  // ---- comparison with the reference ---------------------------------------------------------------

  /** Every table a run writes data to, by its name in a lake with the default namespaces. */
  static Map<String, String> tables(LakeTables t) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("raw.usage_events", t.usageEvents());
    m.put("raw.usage_events_rejected", t.usageEventsRejected());
    m.put("raw.developer_directory", t.developerDirectory());
    for (String privateTable : List.of(t.teamWeeklyEngagement(), t.userWeeklyUsage(), t.userWeeklyFeatures(),
        t.usageClassification(), t.leaderboardSnapshots(), t.unresolvedWeeklyUsage())) {
      String name = privateTable.substring(privateTable.lastIndexOf('.') + 1);
      m.put("curated_private." + name, privateTable);
      if (t.biCopyOf(privateTable) != null) {
        m.put("curated." + name, t.biCopyOf(privateTable));
      }
    }
    return m;
  }

  /**
   * Asserts the lake holds exactly what the clean reference run wrote: no event stored twice, no
   * rejected line recorded twice, every week of every table with the reference's number of rows, every
   * table's rows equal (less run ids and run times), the published verdicts' model recorded in
   * model_runs, each curated job's last success recording the raw snapshots the tables now hold (the
   * next run's incremental scope starts there), and no write-audit-publish branch left anywhere.
   */
  static void assertSameAsReference(Lake lake) {
    prepare();
    SparkSession spark = spark();
    LakeTables t = lake.tables();
    assertEquals(0, spark.table(t.usageEvents()).groupBy("event_id").count().filter("count > 1").count(),
        "an event_id stored more than once");
    assertEquals(0, spark.table(t.usageEventsRejected()).groupBy("source_file", "source_line", "raw_line").count()
        .filter("count > 1").count(), "a rejected line recorded more than once");

    Map<String, Map<String, Long>> weeks = weeks(t);
    for (String table : referenceWeeks.keySet()) {
      assertEquals(referenceWeeks.get(table), weeks.get(table), table + ": rows per week (a partial week?)");
    }
    assertSameTables(referenceRows, rows(t));
    assertEquals(referenceModel, publishedModel(t), "the model behind the published verdicts");

    Map<String, Long> rawNow = Map.of(t.usageEvents(), t.currentSnapshotId(t.usageEvents()),
        t.developerDirectory(), t.currentSnapshotId(t.developerDirectory()));
    for (String job : CURATED_JOBS) {
      List<Row> last = spark.table(t.jobRuns()).filter("status = 'succeeded' AND job = '" + job + "'")
          .orderBy(org.apache.spark.sql.functions.col("ended_at").desc()).limit(1).collectAsList();
      assertEquals(1, last.size(), job + " has no successful run in job_runs");
      // The raw tables' entries are the watermark; the curated tables a job read are recorded beside them,
      // each one the job declares reading, at a snapshot of that table.
      Map<String, Long> read = last.get(0).getJavaMap(last.get(0).fieldIndex("input_snapshot_ids"));
      Map<String, Long> watermark = new java.util.HashMap<>(read);
      watermark.keySet().retainAll(rawNow.keySet());
      assertEquals(rawNow, watermark, job + ": the watermark its last success recorded");
      List<String> declared = io.goodhart.nightly.JobRegistry.byName(job).orElseThrow().reads();
      read.forEach((table, snapshot) -> {
        assertTrue(declared.contains(t.logicalName(table)), job + " recorded reading " + table + ", not among its reads "
            + declared);
        assertTrue(t.iceberg(table).snapshot(snapshot) != null, job + ": " + table + " has no snapshot " + snapshot);
      });
    }
    for (String table : tables(t).values()) {
      // A killed ingest's branch stays until goodhart maintain drops it after the orphan window: ingests may
      // run side by side, so no ingest can tell a dead run's branch from a live one's (main's content, checked
      // above, shows it published nothing). Any other job's branch is dropped by that job's next run.
      List<String> branches = t.iceberg(table).refs().keySet().stream()
          .filter(r -> !r.equals("main") && !r.startsWith("wap_ingest_")).sorted().toList();
      assertEquals(List.of(), branches, table + ": branches left");
    }
  }

  /** Asserts the lake's event tables hold exactly what the reference's do (no event or rejected line twice). */
  static void assertSameEventsAsReference(Lake lake) {
    prepare();
    LakeTables t = lake.tables();
    assertEquals(0, spark().table(t.usageEvents()).groupBy("event_id").count().filter("count > 1").count(),
        "an event_id stored more than once");
    Map<String, List<List<Object>>> expected = new TreeMap<>(referenceRows);
    expected.keySet().retainAll(List.of("raw.usage_events", "raw.usage_events_rejected"));
    Map<String, List<List<Object>>> actual = rows(t);
    actual.keySet().removeIf(name -> !expected.containsKey(name));
    assertEquals(referenceWeeks.get("raw.usage_events"), weeks(t).get("raw.usage_events"), "events per week");
    assertSameTables(expected, actual);
  }

  /** Rows of a table in the reference lake, by its name in a lake with the default namespaces. */
  static long referenceCount(String table) {
    prepare();
    return referenceRows.get(table).size();
  }

  /** Each table's rows without run ids and run times (and model-scored figures), sorted. */
  private static Map<String, List<List<Object>>> rows(LakeTables t) {
    Map<String, List<List<Object>>> out = new TreeMap<>();
    tables(t).forEach((name, physical) -> {
      Dataset<Row> table = spark().table(physical);
      String[] columns = Arrays.stream(table.columns())
          .filter(c -> !c.endsWith("run_id") && !RUN_COLUMNS.contains(c) && !MODEL_SCORED.contains(c))
          .map(c -> "`" + c + "`").toArray(String[]::new);
      out.put(name, table.selectExpr(columns).collectAsList().stream()
          .map(FaultLakes::cells)
          .sorted(Comparator.comparing(FaultLakes::sortKey))
          .toList());
    });
    return out;
  }

  private static List<Object> cells(Row r) {
    List<Object> cells = new ArrayList<>();
    for (int i = 0; i < r.length(); i++) {
      cells.add(r.get(i) instanceof Double d ? d : String.valueOf(r.get(i)));
    }
    return cells;
  }

  private static String sortKey(List<Object> cells) {
    return cells.stream().map(c -> c instanceof Double ? "" : (String) c).collect(Collectors.joining("|"));
  }

  /** Rows per reporting week of every table with weeks, and of raw events per week of event time. */
  private static Map<String, Map<String, Long>> weeks(LakeTables t) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    tables(t).forEach((name, physical) -> {
      Dataset<Row> table = spark().table(physical);
      String week = Arrays.asList(table.columns()).contains("week_start") ? "week_start"
          : name.equals("raw.usage_events") ? "date_trunc('week', event_time)" : null;
      if (week != null) {
        Map<String, Long> counts = new TreeMap<>();
        table.selectExpr("CAST(" + week + " AS DATE) AS w").groupBy("w").count().collectAsList()
            .forEach(r -> counts.put(String.valueOf(r.get(0)), r.getLong(1)));
        out.put(name, counts);
      }
    });
    return out;
  }

  /**
   * What model_runs says of the models the published verdicts come from, each recorded there. A night run
   * twice trains twice and re-scores the night's week with the second model, so a lake may hold verdicts
   * of two models; each must be a model of this night trained on the same person-weeks as the reference's.
   */
  private static Map<String, Object> publishedModel(LakeTables t) {
    List<String> used = spark().table(t.usageClassification()).select("model_run_id").distinct().collectAsList()
        .stream().map(r -> r.getString(0)).sorted().toList();
    Map<String, Object> described = new TreeMap<>();
    for (String runId : used) {
      List<Row> model = spark().table(t.modelRuns()).filter(org.apache.spark.sql.functions.col("run_id")
          .equalTo(runId)).collectAsList();
      assertEquals(1, model.size(), "the verdicts' model " + runId + " is in model_runs once");
      Row m = model.get(0);
      for (String c : List.of("logical_date", "window_start", "window_end", "training_rows", "features", "min_k",
          "max_k", "seed", "min_events")) {
        Object previous = described.put(c, String.valueOf(m.get(m.fieldIndex(c))));
        assertTrue(previous == null || previous.equals(described.get(c)), "models of the verdicts differ in " + c);
      }
    }
    return described;
  }

}
