package io.goodhart.bench;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.generate.EmitFormat;
import io.goodhart.generate.GenerationSummary;
import io.goodhart.generate.GeneratorConfig;
import io.goodhart.generate.UsageGenerator;
import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.IngestLedger;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import io.goodhart.evaluation.PaddingEvaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code goodhart bench} measures, in-process on one SparkSession, each data set on fresh
 * namespaces of the given lake:
 * <ul>
 *   <li>per size: a generated week of about that many events; {@code ingest} of all its deliveries into
 *       empty tables (events/s); the nightly graph for the week's Sunday, step by step (wall time, peak
 *       heap); rows of every table after it; the padding model's quality against the generator's labels;
 *       {@code re-ingest} of the same files (every line a duplicate: the de-duplication's worst case); and
 *       the peer comparison ({@link PeerComparison}) for that week;
 *   <li>per history length H: a lake holding H weeks at a fixed daily volume and the nightly run up to a
 *       Tuesday, then one measured night (ingest of the Wednesday's delivery, directory refresh, curated
 *       jobs), which should cost the same whatever H.
 * </ul>
 */
public final class Benchmark {
  /**
   * What to run. {@code historyUsers} sets the daily volume of the history runs; {@code data} keeps generated
   * feeds (reused when present), {@code work} holds scratch files (staging links, the peer's Parquet);
   * {@code warmUp} first runs {@value #WARM_UP_SIZE} events unreported, so the first size is not measured
   * on a cold JVM.
   */
  public record Plan(List<BenchSize> sizes, List<Integer> historyWeeks, int historyUsers, boolean peer, long seed,
      Path data, Path work, boolean warmUp, List<EmitFormat> deliveredAs) {
    public Plan(List<BenchSize> sizes, List<Integer> historyWeeks, int historyUsers, boolean peer, long seed, Path data,
        Path work, boolean warmUp) {
      this(sizes, historyWeeks, historyUsers, peer, seed, data, work, warmUp, List.of());
    }
  }

  /** The unreported run that warms the JIT and Spark up first, so the first size is not measured cold. */
  static final String WARM_UP_SIZE = "10k";

  /** The week every size is generated for; its Sunday is the measured night. */
  static final LocalDate SIZE_WEEK = LocalDate.of(2026, 10, 5);
  /** First Monday of the history runs. */
  static final LocalDate HISTORY_START = LocalDate.of(2026, 8, 3);

  public static final String SIZE = "size";
  public static final String PEER = "peer";
  public static final String HISTORY = "history";

  private final SparkSession spark;
  private final LakeConfig base;
  private final Plan plan;
  private final Consumer<String> progress;
  private Figures figures = new Figures();
  private HeapSampler heap;

  public Benchmark(SparkSession spark, LakeConfig base, Plan plan, Consumer<String> progress) {
    this.spark = spark;
    this.base = base;
    this.plan = plan;
    this.progress = progress;
  }

  public Figures run() {
    try (HeapSampler sampler = new HeapSampler()) {
      heap = sampler;
      progress.accept(String.format(Locale.ROOT, "bench: %s; heap limit %,.0f MiB", Machine.current().describe(), sampler.maxHeapMb()));
      if (plan.warmUp()) {
        Figures measured = figures;
        figures = new Figures();
        progress.accept("bench: warming up on " + WARM_UP_SIZE + " events (not reported)");
        size(BenchSize.parse(WARM_UP_SIZE), "warm_up");
        figures = measured;
      }
      for (BenchSize size : plan.sizes()) {
        size(size, "s_" + size.label());
      }
      for (int weeks : plan.historyWeeks()) {
        history(weeks);
      }
    }
    return figures;
  }

  private void size(BenchSize size, String namespaceTag) {
    String label = size.label();
    GeneratorConfig gen = GeneratorConfig.builder().seed(plan.seed()).users(size.users()).weeks(1).start(SIZE_WEEK)
        .out(plan.data().resolve(String.format("week-%du-s%d", size.users(), plan.seed()))).build();
    progress.accept(String.format("bench %s: about %,d events, %,d people, week %s", label, size.events(), size.users(),
        ReportingCalendar.weekLabel(SIZE_WEEK)));
    generate(gen, SIZE, label);
    LakeConfig config = configFor(base, namespaceTag);
    LakeTables tables = new LakeTables(spark, config);
    Path events = gen.out().resolve(UsageGenerator.EVENTS_DIR);
    new DirectoryLoadJob(spark, tables, progress).run(gen.out().resolve(UsageGenerator.DIRECTORY_FILE).toString());

    HeapSampler.Measured<IngestLedger> ingest = heap.measure(
        () -> new IngestJob(spark, tables, progress).run(new IngestJob.Config(events.toString(), null)));
    long accepted = ingest.result().accepted();
    record(SIZE, label, accepted, IngestJob.NAME, ingest);
    figures.add(SIZE, label, accepted, IngestJob.NAME, "events_per_s", accepted / ingest.seconds(), "events/s");
    figures.add(SIZE, label, accepted, IngestJob.NAME, "lines_read", ingest.result().linesRead(), "lines");
    Row run = spark.table(tables.jobRuns()).where("job = '" + IngestJob.NAME + "' AND status = 'succeeded'")
        .orderBy(org.apache.spark.sql.functions.col("ended_at").desc()).first();
    long manifestMs = run.<String, Long>getJavaMap(run.fieldIndex("metrics")).getOrDefault(IngestJob.MANIFEST_MS, 0L);
    figures.add(SIZE, label, accepted, IngestJob.NAME, "manifest_share", 100.0 * manifestMs / (ingest.seconds() * 1000),
        "%");

    LocalDate night = SIZE_WEEK.plusDays(6);
    night(config, tables, SIZE, label, accepted, new NightlyRunner.Options(night, night, null, null));
    outputRows(tables, label, accepted);
    quality(tables, gen.out().resolve(UsageGenerator.GROUND_TRUTH_FILE), label, accepted);

    // --reload: the manifest would skip every file; re-reading them all is the de-duplication's worst case.
    HeapSampler.Measured<IngestLedger> again = heap.measure(
        () -> new IngestJob(spark, tables, progress).run(new IngestJob.Config(events.toString(), null, true, false)));
    record(SIZE, label, accepted, "re-ingest", again);
    figures.add(SIZE, label, accepted, "re-ingest", "lines_per_s", again.result().linesRead() / again.seconds(), "lines/s");

    if (plan.peer()) {
      peer(config, tables, label, accepted);
    }
    double nativeBytes = bytesOf(events);
    figures.add(SIZE, label, accepted, IngestJob.NAME, "bytes_per_request", nativeBytes / accepted, "bytes");
    for (EmitFormat format : plan.deliveredAs()) {
      deliveredAs(format, size, namespaceTag, label, gen, nativeBytes / accepted);
    }
  }

  /**
   * Ingest of the same population delivered in another format, into a lake of its own: its requests per second
   * beside the native format's, and what a request costs in bytes delivered. The native rate it is divided by
   * is measured right before it, on the native files into another empty lake: the machine's load can change
   * over a run, and two ingests minutes apart would compare the load as much as the formats.
   */
  private void deliveredAs(EmitFormat format, BenchSize size, String namespaceTag, String label,
      GeneratorConfig nativeFeed, double nativeBytesPerRequest) {
    String name = format.cliName();
    GeneratorConfig gen = GeneratorConfig.builder().seed(plan.seed()).users(size.users()).weeks(1).start(SIZE_WEEK)
        .emit(format).out(plan.data().resolve(String.format("week-%du-s%d-%s", size.users(), plan.seed(), name))).build();
    generate(gen, SIZE, label, "generate " + name);
    LakeTables beside = new LakeTables(spark, configFor(base, namespaceTag + "_native_beside_" + name.replace('-', '_')));
    Path nativeEvents = nativeFeed.out().resolve(UsageGenerator.EVENTS_DIR);
    HeapSampler.Measured<IngestLedger> nativeIngest = heap.measure(() -> new IngestJob(spark, beside, progress)
        .run(new IngestJob.Config(nativeEvents.toString(), null)));
    double nativeRate = nativeIngest.result().accepted() / nativeIngest.seconds();
    LakeConfig config = configFor(base, namespaceTag + "_" + name.replace('-', '_'));
    LakeTables tables = new LakeTables(spark, config);
    Path events = gen.out().resolve(UsageGenerator.EVENTS_DIR);
    new DirectoryLoadJob(spark, tables, progress).run(gen.out().resolve(UsageGenerator.DIRECTORY_FILE).toString());
    HeapSampler.Measured<IngestLedger> ingest = heap.measure(() -> new IngestJob(spark, tables, progress)
        .run(new IngestJob.Config(events.toString(), null, false, false, name)));
    long requests = ingest.result().accepted();
    String step = IngestJob.NAME + " " + name;
    record(SIZE, label, requests, step, ingest);
    double rate = requests / ingest.seconds();
    figures.add(SIZE, label, requests, step, "events_per_s", rate, "events/s");
    figures.add(SIZE, label, requests, step, "rate_over_native", rate / nativeRate, "ratio");
    double bytesPerRequest = bytesOf(events) / Math.max(1, requests);
    figures.add(SIZE, label, requests, step, "bytes_per_request", bytesPerRequest, "bytes");
    figures.add(SIZE, label, requests, step, "bytes_over_native", bytesPerRequest / nativeBytesPerRequest, "ratio");
  }

  /** Bytes of the files under a folder, as delivered (compressed when they are). */
  private static double bytesOf(Path folder) {
    try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void peer(LakeConfig config, LakeTables tables, String label, long events) {
    Path work = plan.work().resolve("peer-" + label);
    PeerComparison.Timings t = new PeerComparison(spark, tables, config.reportingTimeZone(), work).run(SIZE_WEEK);
    deleteTree(work);
    double goodhartEngagement = figures.value(SIZE, label, "engagement", "wall_s").orElseThrow();
    double goodhartLeaderboard = figures.value(SIZE, label, "leaderboard", "wall_s").orElseThrow();
    double goodhart = goodhartEngagement + goodhartLeaderboard;
    double duck = t.duckdbEngagement() + t.duckdbLeaderboard();
    double sparkSql = t.sparkEngagement() + t.sparkLeaderboard();
    peerFigures(label, events, "goodhart", goodhartEngagement, goodhartLeaderboard);
    peerFigures(label, events, "duckdb", t.duckdbEngagement(), t.duckdbLeaderboard());
    peerFigures(label, events, "spark-sql", t.sparkEngagement(), t.sparkLeaderboard());
    figures.add(PEER, label, events, "ratio", "goodhart_over_duckdb", goodhart / duck, "x");
    figures.add(PEER, label, events, "ratio", "spark_sql_over_duckdb", sparkSql / duck, "x");
    figures.add(PEER, label, events, "check", "rows_agreed", t.rowsCompared(), "rows");
    figures.add(PEER, label, events, "export", "wall_s", t.exportSeconds(), "s");
    progress.accept(String.format(Locale.ROOT,
        "bench %s peer: engagement + leaderboard of %s: goodhart %.1f s, Spark SQL %.1f s, DuckDB %.2f s "
            + "(goodhart/DuckDB %.1fx); all three agree on %,d rows",
        label, ReportingCalendar.weekLabel(SIZE_WEEK), goodhart, sparkSql, duck, goodhart / duck, t.rowsCompared()));
  }

  private void peerFigures(String label, long events, String engine, double engagement, double leaderboard) {
    figures.add(PEER, label, events, engine, "engagement_s", engagement, "s");
    figures.add(PEER, label, events, engine, "leaderboard_s", leaderboard, "s");
    figures.add(PEER, label, events, engine, "total_s", engagement + leaderboard, "s");
  }

  private void history(int weeks) {
    String label = weeks + "w";
    GeneratorConfig gen = GeneratorConfig.builder().seed(plan.seed()).users(plan.historyUsers()).weeks(weeks + 1)
        .start(HISTORY_START)
        .out(plan.data().resolve(String.format("history-%du-%dw-s%d", plan.historyUsers(), weeks + 1, plan.seed())))
        .build();
    // The history weeks, then the measured week, whose Wednesday is the measured night.
    LocalDate night = HISTORY_START.plusWeeks(weeks).plusDays(2);
    progress.accept(String.format("bench history %s: %,d people, %d week(s) before the night of %s", label,
        plan.historyUsers(), weeks, night));
    generate(gen, HISTORY, label);
    Path events = gen.out().resolve(UsageGenerator.EVENTS_DIR);
    String directory = gen.out().resolve(UsageGenerator.DIRECTORY_FILE).toString();
    Path stage = plan.work().resolve("history-stage-" + label);
    stageDeliveriesBefore(events, night, stage);

    LakeConfig config = configFor(base, "h_" + label);
    LakeTables tables = new LakeTables(spark, config);
    new DirectoryLoadJob(spark, tables, progress).run(directory);
    new IngestJob(spark, tables, progress).run(new IngestJob.Config(stage.toString(), null));
    new NightlyRunner(spark, tables, config, progress)
        .run(new NightlyRunner.Options(night.minusDays(1), night.minusDays(1), null, null));
    deleteTree(stage);
    long inLake = spark.table(tables.usageEvents()).count();
    night(config, tables, HISTORY, label, inLake,
        new NightlyRunner.Options(night, night, events.toString(), directory));
  }

  /** Runs one night with every step timed and its heap sampled; adds the night's total. */
  private void night(LakeConfig config, LakeTables tables, String section, String label, long events,
      NightlyRunner.Options options) {
    double[] peak = {0, 0};
    long start = System.nanoTime();
    new NightlyRunner(spark, tables, config, progress).observedBy((job, date, step) -> {
      HeapSampler.Measured<Void> m = heap.measure(() -> {
        step.run();
        return null;
      });
      record(section, label, events, job, m);
      peak[0] = Math.max(peak[0], m.peakHeapMb());
      peak[1] = Math.max(peak[1], m.poolPeakHeapMb());
    }).run(options);
    figures.add(section, label, events, "nightly", "wall_s", (System.nanoTime() - start) / 1e9, "s");
    figures.add(section, label, events, "nightly", "peak_heap_mb", peak[0], "MiB");
    figures.add(section, label, events, "nightly", "pool_peak_heap_mb", peak[1], "MiB");
  }

  private void record(String section, String label, long events, String step, HeapSampler.Measured<?> m) {
    figures.add(section, label, events, step, "wall_s", m.seconds(), "s");
    figures.add(section, label, events, step, "peak_heap_mb", m.peakHeapMb(), "MiB");
    figures.add(section, label, events, step, "pool_peak_heap_mb", m.poolPeakHeapMb(), "MiB");
  }

  private void outputRows(LakeTables tables, String label, long events) {
    Map<String, String> tablesByName = new LinkedHashMap<>();
    tablesByName.put("raw.usage_events", tables.usageEvents());
    tablesByName.put("raw.usage_events_rejected", tables.usageEventsRejected());
    tablesByName.put("curated_private.user_weekly_usage", tables.userWeeklyUsage());
    tablesByName.put("curated_private.user_weekly_features", tables.userWeeklyFeatures());
    tablesByName.put("curated_private.usage_classification", tables.usageClassification());
    tablesByName.put("curated_private.team_weekly_engagement", tables.teamWeeklyEngagement());
    tablesByName.put("curated_private.leaderboard_snapshots", tables.leaderboardSnapshots());
    tablesByName.forEach((name, table) -> figures.add(SIZE, label, events, name, "rows", spark.table(table).count(), "rows"));
  }

  /** The padding model's verdicts on the week against the generator's labels (what goodhart evaluate prints). */
  private void quality(LakeTables tables, Path groundTruth, String label, long events) {
    Dataset<Row> truth = spark.read().option("header", true).option("mode", "FAILFAST")
        .schema("user_id STRING, week_start DATE, archetype STRING, padding BOOLEAN").csv(groundTruth.toString());
    Dataset<Row> verdicts = spark.table(tables.usageClassification());
    PaddingEvaluation.Report report = PaddingEvaluation.evaluate(verdicts,
        truth.join(verdicts.select("week_start").distinct(), "week_start"));
    figures.add(SIZE, label, events, "classify", "precision", report.precision(), "share");
    figures.add(SIZE, label, events, "classify", "recall", report.recall(), "share");
    figures.add(SIZE, label, events, "classify", "f1", report.f1(), "share");
  }

  /** Generates the feed unless the folder already holds this very config's output (the generator is deterministic). */
  private void generate(GeneratorConfig gen, String section, String label) {
    generate(gen, section, label, "generate");
  }

  private void generate(GeneratorConfig gen, String section, String label, String step) {
    if (Files.isRegularFile(gen.out().resolve(UsageGenerator.SUMMARY_FILE))) {
      progress.accept("bench " + label + ": reusing " + gen.out());
      return;
    }
    long start = System.nanoTime();
    GenerationSummary summary;
    try {
      summary = new UsageGenerator().generate(gen);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate into " + gen.out(), e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    figures.add(section, label, summary.events(), step, "wall_s", seconds, "s");
    progress.accept(String.format(Locale.ROOT, "bench %s: generated %,d events (%,d lines) in %.1f s into %s", label,
        summary.events(), summary.linesTotal(), seconds, gen.out()));
  }

  /** Links the delivery folders of days before {@code night} into {@code stage}: the lake as of that evening. */
  static void stageDeliveriesBefore(Path events, LocalDate night, Path stage) {
    deleteTree(stage);
    try {
      Files.createDirectories(stage);
      try (DirectoryStream<Path> folders = Files.newDirectoryStream(events, "date=*")) {
        for (Path folder : folders) {
          LocalDate day = LocalDate.parse(folder.getFileName().toString().substring("date=".length()));
          if (day.isBefore(night)) {
            Files.createSymbolicLink(stage.resolve(folder.getFileName()), folder.toAbsolutePath());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage deliveries into " + stage, e);
    }
  }

  /** Fresh namespaces of the bench's lake for one data set ({@code s_<size>} or {@code h_<weeks>w}). */
  static LakeConfig configFor(LakeConfig base, String tag) {
    String suffix = "_bench_" + tag.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    String curated = base.curatedNamespace() + suffix;
    return base.with(Map.of(
        LakeConfig.RAW_NAMESPACE, base.rawNamespace() + suffix,
        LakeConfig.CURATED_NAMESPACE, curated,
        LakeConfig.PRIVATE_NAMESPACE, curated + "_private"));
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      // Walk does not follow links, so a staged delivery link is removed, never what it points to.
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
