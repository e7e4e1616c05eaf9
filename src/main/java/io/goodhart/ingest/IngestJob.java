package io.goodhart.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.goodhart.lake.InputException;
import io.goodhart.privacy.ErasureList;
import io.goodhart.lake.LakeTables;
import io.goodhart.privacy.PseudonymKey;
import io.goodhart.lake.SettingException;
import io.goodhart.audit.Audit;
import io.goodhart.audit.AuditResults;
import io.goodhart.audit.CheckKind;
import io.goodhart.audit.CheckResult;
import io.goodhart.audit.Severity;
import io.goodhart.runs.AuditFailedException;
import io.goodhart.runs.BranchPublish;
import io.goodhart.runs.ConcurrentPublishException;
import io.goodhart.runs.FaultPoint;
import io.goodhart.runs.RecordedRun;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.execution.LogicalRDD;

/**
 * {@code goodhart ingest}: loads usage-event files into {@code raw.usage_events}, exactly once per
 * event_id, and every line that breaks the contract into {@code raw.usage_events_rejected}.
 *
 * <p>Which files: those of the input (with a date, the {@code date=D} folder and the folders of the days
 * before it within {@code goodhart.ingest.lookback-days}) that the file manifest {@code raw.ingested_files}
 * does not hold with the same size and modification time (or ETag) ({@link DeliveryFiles}). Files whose
 * names the format does not read are reported, and refused with {@code --strict}.
 *
 * <p>All files are read and judged before anything is written, so a missing, empty or unreadable input
 * fails with the tables untouched. Duplicates are removed with an anti-join on event_id (within the input,
 * first line wins; then against the event_id column of the table at the snapshot the run started from). The
 * new events are written to a branch of the table, audited there (no event_id twice, none already stored),
 * and published by a fast-forward of {@code main}, which fails if another run stored events meanwhile: if
 * that run stored any of this run's events (two ingests of overlapping input at once), this run stops with
 * exit 5 and stores nothing (running it again is harmless); otherwise it publishes again on top. The lines of
 * each file are counted apart from judging them, and the ledger must balance file by file before anything is
 * published.
 *
 * <p>Rows of the daily per-user reports go to {@code raw.usage_daily}, one per (source, user_id, day): of the
 * rows of one key, in the input and stored, the one whose report covers the later days wins (its end day, then
 * its generation time), so the order files are ingested in never decides; the winner is merged into a branch
 * (replacing a stored row that covers less), audited and published like the events.
 *
 * <p>The manifest row of each file read keeps what became of its records, the unresolved ones among them
 * included; from it, the source health checks ({@link SourceHealth}) warn when a source's share of rejected or
 * unresolved records on a delivery day of the run jumps above the days before it. A warning does not stop the run.
 */
public final class IngestJob {
  public static final String NAME = "ingest";
  /** Days of delivery folders a dated run looks at, its own included. */
  public static final String LOOKBACK_DAYS = io.goodhart.lake.Settings.LOOKBACK_DAYS.key();
  /** {@code true}: a file of a delivery folder that is not an event file refuses the delivery. */
  public static final String STRICT = io.goodhart.lake.Settings.INGEST_STRICT.key();
  private static final int PUBLISH_ATTEMPTS = 3;

  /**
   * What to ingest: a file or folder (any Hadoop path), optionally narrowed to one delivery day (and the
   * lookback window before it); {@code reload} reads files the manifest already holds; {@code strict}
   * refuses a delivery holding files that are not event files.
   */
  public record Config(String input, LocalDate deliveryDate, boolean reload, boolean strict, String format) {
    public Config(String input, LocalDate deliveryDate, boolean reload, boolean strict) {
      this(input, deliveryDate, reload, strict, NativeFormat.NAME);
    }

    public Config(String input, LocalDate deliveryDate) {
      this(input, deliveryDate, false, false);
    }
  }

  private final SparkSession spark;
  private final LakeTables tables;
  private final Consumer<String> progress;

  public IngestJob(SparkSession spark, LakeTables tables, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.progress = progress;
  }

  public IngestLedger run(Config config) {
    return RecordedRun.of(spark, tables, NAME, progress).forDate(config.deliveryDate()).reading(config.input())
        .run(run -> {
          audited.clear();
          Result result = new AuditResults(spark, tables).keptAround(run.runId(), NAME, audited,
              () -> ingest(config, run.runId(), run.started()));
          return run.done(result.ledger, run.succeeded()
              .rowsRead(Map.of("input_lines", result.ledger.linesRead()))
              .written(result.written)
              .snapshots(result.snapshots)
              .metrics(metrics(result)));
        });
  }

  private record Result(IngestLedger ledger, Map<String, Long> written, Map<String, Long> snapshots) {}

  /** Time spent listing the delivery folders, reading the manifest and recording it (what the manifest costs). */
  private long manifestNanos;

  /** The public name of {@link #manifestNanos} in job_runs' metrics, read by {@code goodhart bench}. */
  public static final String MANIFEST_MS = "manifest_and_listing_ms";

  /** The results of the last uniqueness audit of the run's new events (of its last attempt to publish). */
  /** Audit results by table; the publishes of ingest's tables fill it side by side. */
  private final Map<String, List<CheckResult>> audited = new java.util.concurrent.ConcurrentSkipListMap<>();

  private Map<String, Long> metrics(Result result) {
    Map<String, Long> metrics = new LinkedHashMap<>(result.ledger.asMetrics());
    metrics.put(MANIFEST_MS, manifestNanos / 1_000_000);
    return metrics;
  }

  private Result ingest(Config config, String runId, Instant started) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    InputFormats format = InputFormats.named(config.format());
    long listing = System.nanoTime();
    Path resolved = resolveInput(config, hadoop);
    List<DeliveryFiles.Listed> listed = DeliveryFiles.list(
        DeliveryFiles.roots(resolved, config.deliveryDate(), lookbackDays(), hadoop), format::isEventFile, hadoop);
    Map<String, Set<String>> known = manifest();
    DeliveryFiles.Selection selection = DeliveryFiles.select(listed, known.getOrDefault("ingested", Set.of()),
        known.getOrDefault(SKIPPED, Set.of()), config.reload());
    manifestNanos += System.nanoTime() - listing;
    boolean strict = config.strict() || tables.config().value(io.goodhart.lake.Settings.INGEST_STRICT);
    if (strict && !selection.notEventFiles().isEmpty()) {
      throw new InputException(selection.notEventFiles().get(0).path() + " is not an event file (" + format.fileNames()
          + ")" + (selection.notEventFiles().size() > 1 ? " nor are " + (selection.notEventFiles().size() - 1)
          + " other file(s) of the input" : "") + "; --strict refuses the input: remove or rename such files"
          + NOTHING_INGESTED);
    }
    for (DeliveryFiles.Listed skipped : selection.notEventFiles()) {
      progress.accept("ingest: " + skipped.path() + ": not an event file (" + format.fileNames() + "): skipped");
    }
    if (selection.toRead().isEmpty() && selection.alreadyIngested().isEmpty()) {
      throw new InputException("no event files (" + format.fileNames() + ") under " + resolved
          + (listed.isEmpty() ? ": it holds no files" : ": it holds only " + listed.size() + " other file(s), such as "
              + new Path(listed.get(0).path()).getName()));
    }
    progress.accept(String.format("ingest: reading %d file(s) from %s%s", selection.toRead().size(), config.input(),
        selection.alreadyIngested().isEmpty() ? ""
            : String.format(" (%d already ingested, not read again)", selection.alreadyIngested().size())));
    Timestamp startedTs = Timestamp.from(started);
    if (selection.toRead().isEmpty()) {
      IngestLedger ledger = new IngestLedger(0, 0, 0, 0, 0, 0, 0, 0, selection.alreadyIngested().size(),
          selection.notEventFiles().size());
      Map<String, Long> snapshots = new LinkedHashMap<>();
      recordManifest(selection, Map.of(), Map.of(), Map.of(), Unresolved.NONE, format.name(), runId, startedTs,
          snapshots);
      progress.accept("ingest: " + ledger.describe() + " [nothing new]");
      return new Result(ledger, Map.of(), snapshots);
    }

    List<String> files = selection.toRead().stream().map(DeliveryFiles.Listed::path).toList();
    LocalDate runDate = LocalDate.ofInstant(started, ZoneOffset.UTC);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopSettings settings = new HadoopSettings(hadoop);
    Map<String, EventFormat> formatOfFile = format.formatsOf(files, jsc, settings);
    if (format.auto()) {
      Map<String, Long> byFormat = new TreeMap<>();
      formatOfFile.values().forEach(f -> byFormat.merge(f.name(), 1L, Long::sum));
      progress.accept("ingest: --format auto read " + String.join(", ", byFormat.entrySet().stream()
          .map(e -> e.getValue() + " file(s) as " + e.getKey()).toList()) + " (told by each file's first bytes)");
    }
    Map<String, String> formatNames = new TreeMap<>();
    formatOfFile.forEach((f, fmt) -> formatNames.put(f, fmt.name()));
    java.util.Set<String> wholeFiles = new java.util.HashSet<>();
    formatOfFile.forEach((f, fmt) -> {
      if (fmt.wholeFile()) {
        wholeFiles.add(f);
      }
    });
    JavaRDD<Row> rows = jsc.parallelize(files, Math.max(1, files.size()))
        .flatMap(new ParsedLines(settings, runDate, maxEventAgeDays(), formatOfFile));
    Dataset<Row> lines = spark.createDataFrame(rows, ParsedLines.SCHEMA);
    Map<String, Long> counted = new TreeMap<>();
    return writeOutcome(selection, lines, formatNames, runId, started, () -> {
      for (String c : jsc.parallelize(files, Math.max(1, files.size())).map(new LineCounts(settings, wholeFiles))
          .collect()) {
        String[] parts = LineCounts.parse(c);
        counted.put(parts[0], Long.parseLong(parts[1]));
      }
      return counted;
    });
  }

  /** Said of a delivery refused for one bad file, so nobody looks for its other files' events. */
  static final String NOTHING_INGESTED = " -- the whole input was refused, nothing was written: fix or remove the file and run again";
  static final String SKIPPED = "not an event file: skipped";

  private int maxEventAgeDays() {
    return tables.config().value(io.goodhart.lake.Settings.MAX_EVENT_AGE_DAYS);
  }

  private int lookbackDays() {
    return tables.config().value(io.goodhart.lake.Settings.LOOKBACK_DAYS);
  }

  /** Identities of the files the manifest holds, by outcome; read in one pass, none when it was never written. */
  private Map<String, Set<String>> manifest() {
    Map<String, Set<String>> out = new HashMap<>();
    if (tables.currentSnapshotId(tables.ingestedFiles()) == null) {
      return out;
    }
    for (Row r : spark.table(tables.ingestedFiles()).select("outcome", "path", "size", "modified_at", "etag").distinct()
        .collectAsList()) {
      out.computeIfAbsent(r.getString(0), o -> new HashSet<>()).add(new DeliveryFiles.Listed(r.getString(1),
          r.getLong(2), r.isNullAt(3) ? null : r.getTimestamp(3), r.isNullAt(4) ? null : r.getString(4), null, true)
          .identity());
    }
    return out;
  }

  /** Where a line ends: stored now, a duplicate of a line earlier in the input or of a stored event, or rejected. */
  static final String ACCEPTED = "accepted";
  static final String DUPLICATE_IN_INPUT = "duplicate_in_input";
  static final String DUPLICATE_ALREADY_LOADED = "duplicate_already_loaded";
  static final String REJECTED = "rejected";
  /** A line of a person erased on request ({@code goodhart forget}): dropped, neither stored nor rejected. */
  static final String ERASED = "erased";
  /** Not a line: a file that is not JSON lines as a whole, which refuses the whole input. */
  static final String REFUSED = "refused";

  private Result writeOutcome(DeliveryFiles.Selection selection, Dataset<Row> lines, Map<String, String> formatOfFile,
      String runId, Instant started, java.util.function.Supplier<Map<String, Long>> lineCounts) {
    long phase = System.nanoTime();
    // Every record gets its outcome in one pass: one shuffle on event_id serves both the first-wins
    // window and the join with the stored ids. For that the window is partitioned by event_id alone
    // (valid records ordered before rejected ones, so a valid record's number is its rank among the valid
    // records of its event_id): partitioned by (event_id, rejected), its output would not match the
    // join's partitioning, and once the stored ids are too many to broadcast every record would be
    // shuffled twice. An id is one record whatever table holds it (requests, interactions, metric points:
    // the formats give each kind its own prefix). The outcomes are checkpointed eagerly: that reads every
    // file to its end before anything is written (a bad input cannot half-load), and cuts the lineage to the
    // raw tables -- a cache would be invalidated by our own append and recomputed against the new table
    // content, turning every record just stored into a "duplicate". The stored ids are read at the
    // snapshots the publishes then branch from.
    Map<String, Long> bases = new LinkedHashMap<>();
    for (String table : List.of(tables.usageEvents(), tables.interactionEvents(), tables.metricPoints(),
        tables.usageDaily())) {
      bases.put(table, tables.currentSnapshotId(table));
    }
    Column kind = col("record_kind");
    Column isRejected = kind.equalTo(lit(REJECTED));
    Column notUsage = kind.isin(NOT_USAGE_KINDS.toArray());
    Column isDaily = kind.equalTo(lit(KIND_DAILY));
    Dataset<Row> stored = storedIds(bases);
    // A daily row's id is its (source, person key, day); of several in the input, the one of the report covering
    // the later days wins (report_end_day, then report_generated_at, null earliest), so the order files come in
    // never decides. Other records have no coverage: the columns are null and leave their order as it was.
    Column[] coverage = {isRejected.or(notUsage), col("report_end_day").desc_nulls_last(),
        col("report_generated_at").desc_nulls_last()};
    Column[] firstWins = {coverage[0], coverage[1], coverage[2], col("source_file"), col("source_line"),
        col("record_index")};
    Dataset<Row> ranked = lines
        .withColumn("_seen", row_number().over(Window.partitionBy(col("event_id")).orderBy(firstWins)))
        .withColumn("_coverage_rank", org.apache.spark.sql.functions.dense_rank().over(
            Window.partitionBy(col("event_id")).orderBy(coverage)));
    Column epoch = lit(Timestamp.from(Instant.EPOCH));
    Column newEnd = col("report_end_day");
    Column storedEnd = col("_stored_end");
    Column newGenerated = org.apache.spark.sql.functions.coalesce(col("report_generated_at"), epoch);
    Column storedGenerated = org.apache.spark.sql.functions.coalesce(col("_stored_generated"), epoch);
    Column newCoversLater = newEnd.gt(storedEnd).or(newEnd.equalTo(storedEnd).and(newGenerated.gt(storedGenerated)));
    Column storedCoversLater = storedEnd.gt(newEnd)
        .or(storedEnd.equalTo(newEnd).and(storedGenerated.gt(newGenerated)));
    Dataset<Row> classified = ranked
        .join(stored, ranked.col("event_id").equalTo(stored.col("_stored_id")), "left")
        .withColumn("_outcome",
            when(col("refusal").isNotNull(), lit(REFUSED))
                .when(isRejected, lit(REJECTED))
                .when(notUsage, lit(NOT_USAGE))
                .when(isDaily.and(col("_seen").gt(1)).and(col("_coverage_rank").gt(1)), lit(SUPERSEDED))
                .when(isDaily.and(col("_seen").equalTo(1)).and(col("_stored_id").isNotNull()).and(newCoversLater),
                    lit(REPLACED))
                .when(isDaily.and(col("_seen").equalTo(1)).and(col("_stored_id").isNotNull()).and(storedCoversLater),
                    lit(SUPERSEDED))
                .when(col("_seen").gt(1), lit(DUPLICATE_IN_INPUT))
                .when(col("_stored_id").isNotNull(), lit(DUPLICATE_ALREADY_LOADED))
                .otherwise(lit(ACCEPTED)))
        .drop("_seen", "_coverage_rank", "_stored_id", "_stored_end", "_stored_generated")
        .localCheckpoint(true);
    try {
      Dataset<Row> judged = withErasures(classified);
      Map<String, Map<String, Long>> byFile = new TreeMap<>();
      judged.groupBy("source_file", "_outcome", "record_kind").count().collectAsList().forEach(r -> byFile
          .computeIfAbsent(r.getString(0), f -> new HashMap<>())
          .merge(outcomeKey(r.getString(1), r.getString(2)), r.getLong(3), Long::sum));
      if (byFile.values().stream().anyMatch(o -> o.containsKey(REFUSED))) {
        String first = judged.filter(col("_outcome").equalTo(REFUSED)).orderBy("source_file").select("refusal")
            .first().getString(0);
        throw new InputException(first + NOTHING_INGESTED);
      }
      Map<String, Long> unitsJudged = new TreeMap<>();
      judged.groupBy("source_file").agg(org.apache.spark.sql.functions.countDistinct(col("source_unit")))
          .collectAsList().forEach(r -> unitsJudged.put(r.getString(0), r.getLong(1)));
      Map<String, Long> outcomes = new HashMap<>();
      byFile.values().forEach(o -> o.forEach((k, v) -> outcomes.merge(k, v, Long::sum)));
      long records = outcomes.values().stream().mapToLong(Long::longValue).sum();
      if (records == 0) {
        throw new InputException("input holds no lines: every event file is empty");
      }
      Map<String, Long> counted = lineCounts.get();
      checkLedger(unitsJudged, counted);
      long linesRead = counted.values().stream().mapToLong(Long::longValue).sum();
      long acceptedCount = outcomes.getOrDefault(ACCEPTED, 0L);
      long interactionCount = outcomes.getOrDefault(ACCEPTED_INTERACTION, 0L);
      long pointCount = outcomes.getOrDefault(ACCEPTED_POINT, 0L);
      long rejectedCount = outcomes.getOrDefault(REJECTED, 0L);
      long notUsageCount = outcomes.getOrDefault(NOT_USAGE, 0L);
      long dailyCount = outcomes.getOrDefault(ACCEPTED_DAILY, 0L);
      long replacedCount = outcomes.getOrDefault(REPLACED, 0L);
      long supersededCount = outcomes.getOrDefault(SUPERSEDED, 0L);
      phase = report(phase, String.format("read and judged %,d lines: %,d new events, %,d rejected%s%s",
          linesRead, acceptedCount, rejectedCount, records == linesRead && interactionCount + pointCount == 0 ? ""
              : String.format(" (%,d records: %,d new interactions, %,d new metric points, %,d not AI usage)", records,
                  interactionCount, pointCount, notUsageCount),
          dailyCount + replacedCount + supersededCount == 0 ? "" : String.format("; daily rows: %,d new, %,d replacing "
              + "stored ones, %,d superseded", dailyCount, replacedCount, supersededCount)));
      Timestamp startedTs = Timestamp.from(started);

      Map<String, Long> written = new LinkedHashMap<>();
      Map<String, Long> snapshots = new LinkedHashMap<>();
      Dataset<Row> fresh = judged.filter(col("_outcome").isin(ACCEPTED, REPLACED))
          .withColumn("ingest_run_id", lit(runId))
          .withColumn("ingested_at", lit(startedTs));
      // Requests, interactions and metric points go to three tables, each through its own branch: their
      // publishes are independent, so they run side by side and an OTLP delivery pays for the slowest of
      // them rather than their sum. Each records its snapshot once all are done, in a fixed order.
      List<TablePublish> publishes = new ArrayList<>();
      if (acceptedCount > 0) {
        publishes.add(new TablePublish(tables.usageEvents(), "event_id", "event_time",
            fresh.filter(kind.equalTo(lit(KIND_REQUEST))), acceptedCount, Map.of(), "events"));
      }
      if (interactionCount > 0) {
        publishes.add(new TablePublish(tables.interactionEvents(), "event_id", "event_time",
            fresh.filter(kind.equalTo(lit(KIND_INTERACTION))), interactionCount, Map.of("kind", "interaction_kind"),
            "interactions"));
      }
      if (pointCount > 0) {
        publishes.add(new TablePublish(tables.metricPoints(), "point_id", "point_time",
            fresh.filter(kind.equalTo(lit(KIND_POINT))), pointCount, Map.of("point_id", "event_id", "unit",
                "metric_unit", "point_time", "event_time", "type", "metric_type", "attributes", "extra_fields"),
            "metric points"));
      }
      if (!publishes.isEmpty()) {
        List<Long> published = SideBySide.run(publishes.stream().<java.util.concurrent.Callable<Long>>map(
            p -> () -> publishNew(p, bases, runId)).toList());
        List<String> committed = new ArrayList<>();
        for (int i = 0; i < publishes.size(); i++) {
          TablePublish p = publishes.get(i);
          written.put(p.table(), p.count());
          snapshots.put(p.table(), published.get(i));
          committed.add(String.format("%,d %s to %s", p.count(), p.what(), p.table()));
        }
        phase = report(phase, "committed " + String.join(", ", committed));
      }

      if (dailyCount + replacedCount > 0) {
        publishDaily(fresh.filter(kind.equalTo(lit(KIND_DAILY))), dailyCount + replacedCount, bases, runId, written,
            snapshots);
        phase = report(phase, String.format("committed %,d daily rows to %s (%,d of them replacing stored ones)",
            dailyCount + replacedCount, tables.usageDaily(), replacedCount));
      }

      long newRejectCount = 0;
      if (rejectedCount > 0) {
        Dataset<Row> rejects = judged.filter(col("_outcome").equalTo(REJECTED)).select(
            col("source_file"), col("source_line"), col("raw_line"),
            when(col("source").equalTo(lit(NativeFormat.NAME)), lit(null).cast("int")).otherwise(col("record_index"))
                .as("record_index"),
            col("source"), col("reject_field").as("field"),
            col("reject_reason").as("reason"), col("event_id"), lit(runId).as("ingest_run_id"),
            lit(startedTs).as("rejected_at"));
        long[] published = publishRejects(rejects, runId);
        newRejectCount = published[0];
        if (newRejectCount > 0) {
          written.put(tables.usageEventsRejected(), newRejectCount);
          snapshots.put(tables.usageEventsRejected(), published[1]);
          phase = report(phase, String.format("committed %,d rejected lines to %s", newRejectCount,
              tables.usageEventsRejected()));
        }
      }
      Unresolved unresolved = unresolved(fresh);
      recordManifest(selection, counted, byFile, formatOfFile, unresolved, null, runId, startedTs, snapshots);
      audited.put(tables.ingestedFiles(), sourceHealthChecks(selection.toRead(), formatOfFile,
          LocalDate.ofInstant(started, ZoneOffset.UTC)));

      IngestLedger ledger = new IngestLedger(selection.toRead().size(), linesRead, acceptedCount,
          outcomes.getOrDefault(DUPLICATE_IN_INPUT, 0L), outcomes.getOrDefault(DUPLICATE_ALREADY_LOADED, 0L),
          rejectedCount, rejectedCount - newRejectCount, outcomes.getOrDefault(ERASED, 0L), selection.alreadyIngested().size(),
          selection.notEventFiles().size(), records, interactionCount, pointCount, notUsageCount, dailyCount,
          replacedCount, supersededCount, unresolved.recordsByTool(), unresolved.keysByTool());
      double seconds = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
      progress.accept(String.format("ingest: %s [%.1f s, %,.0f lines/s]", ledger.describe(), seconds, linesRead / seconds));
      return new Result(ledger, written, snapshots);
    } finally {
      // A local checkpoint lives in the block manager until its RDD is collected; free it now so a
      // long-lived process (the nightly runner, tests) does not carry every ingest's lines.
      if (classified.logicalPlan() instanceof LogicalRDD checkpoint) {
        checkpoint.rdd().unpersist(false);
      }
    }
  }

  /** Stored records no person key resolved, and their distinct keys, per tool and per file. */
  private record Unresolved(Map<String, Long> recordsByTool, Map<String, Long> keysByTool,
      Map<String, Long> recordsByFile, Map<String, Long> keysByFile) {
    static final Unresolved NONE = new Unresolved(Map.of(), Map.of(), Map.of(), Map.of());
  }

  /**
   * Of the records stored now that name people by a source key, those no identity row or directory email
   * resolves today, per tool and per file: records and distinct keys. Native records name the directory id and
   * are not looked at. The keys are counted on the driver from one row per (tool, file, key): bounded by the
   * run's unresolved keys and the files each is in, not by its records.
   */
  private Unresolved unresolved(Dataset<Row> fresh) {
    Dataset<Row> keyed = fresh.filter(col("source").notEqual(lit(NativeFormat.NAME)));
    if (keyed.isEmpty()) {
      return Unresolved.NONE;
    }
    Dataset<Row> directory = spark.table(tables.developerDirectory());
    Dataset<Row> identities = spark.table(tables.identities());
    Map<String, Long> recordsByTool = new TreeMap<>();
    Map<String, Long> recordsByFile = new TreeMap<>();
    Map<String, Set<String>> keysOfTool = new TreeMap<>();
    Map<String, Set<String>> keysOfFile = new TreeMap<>();
    PersonResolution.resolve(keyed.select("event_id", "event_time", "tool", "user_id", "person_keys", "source_file"),
            identities, directory)
        .filter(col(PersonResolution.RESOLVED_BY).isNull())
        .groupBy("tool", "source_file", "user_id").count()
        .collectAsList().forEach(r -> {
          recordsByTool.merge(r.getString(0), r.getLong(3), Long::sum);
          recordsByFile.merge(r.getString(1), r.getLong(3), Long::sum);
          keysOfTool.computeIfAbsent(r.getString(0), t -> new HashSet<>()).add(r.getString(2));
          keysOfFile.computeIfAbsent(r.getString(1), f -> new HashSet<>()).add(r.getString(2));
        });
    Map<String, Long> keysByTool = new TreeMap<>();
    keysOfTool.forEach((tool, keys) -> keysByTool.put(tool, (long) keys.size()));
    Map<String, Long> keysByFile = new TreeMap<>();
    keysOfFile.forEach((file, keys) -> keysByFile.put(file, (long) keys.size()));
    return new Unresolved(recordsByTool, keysByTool, recordsByFile, keysByFile);
  }

  /**
   * The source health checks of the days this run's files were delivered on ({@link SourceHealth#jumps}): each
   * source's share of rejected and of unresolved records that day against the days before, from the manifest
   * just recorded. Warnings: a jump is printed and kept in the audit results, the run goes on.
   */
  private List<CheckResult> sourceHealthChecks(List<DeliveryFiles.Listed> read, Map<String, String> formatOfFile,
      LocalDate runDay) {
    SourceHealth.Thresholds thresholds = SourceHealth.Thresholds.of(tables.config());
    Set<SourceHealth.SourceDay> judged = new HashSet<>();
    for (DeliveryFiles.Listed f : read) {
      judged.add(new SourceHealth.SourceDay(formatOfFile.get(f.path()),
          f.deliveryDate() == null ? runDay : f.deliveryDate().toLocalDate()));
    }
    if (judged.isEmpty()) {
      return List.of();
    }
    LocalDate from = judged.stream().map(SourceHealth.SourceDay::day).min(LocalDate::compareTo).orElseThrow()
        .minusDays(thresholds.baselineDays());
    LocalDate to = judged.stream().map(SourceHealth.SourceDay::day).max(LocalDate::compareTo).orElseThrow();
    // The manifest holds a row per file: small enough to read whole, its few days and sources kept.
    List<Row> days = SourceHealth.perSourceDay(spark.table(tables.ingestedFiles())
            .filter(col("format").isin(judged.stream().map(SourceHealth.SourceDay::source).distinct().toArray())))
        .filter(col("day").between(lit(java.sql.Date.valueOf(from)), lit(java.sql.Date.valueOf(to))))
        .collectAsList();
    List<CheckResult> results = SourceHealth.jumps(days, judged, thresholds);
    new Audit.Outcome(results).warnings().forEach(w -> progress.accept(String.format(
        "ingest: audit warning on %s: %s", tables.logicalName(tables.ingestedFiles()), w)));
    return results;
  }

  /** Record kinds (ParsedLines' record_kind) and the outcomes of records that are not requests. */
  static final String KIND_REQUEST = "request";
  static final String KIND_INTERACTION = "interaction";
  static final String KIND_POINT = "metric_point";
  static final String KIND_DAILY = "daily";
  static final List<String> NOT_USAGE_KINDS = List.of("skipped", "empty");
  /** A record that is not AI usage (a span of another kind, a gauge) or a batch without records: counted only. */
  static final String NOT_USAGE = "not_usage";
  static final String ACCEPTED_INTERACTION = "accepted_interaction";
  static final String ACCEPTED_POINT = "accepted_metric_point";
  static final String ACCEPTED_DAILY = "accepted_daily";
  /** A daily row stored in place of the stored row of its person and day, which a report covering less delivered. */
  static final String REPLACED = "daily_replaced";
  /** A daily row not stored: a report covering later days delivered its person and day (stored, or in this input). */
  static final String SUPERSEDED = "daily_superseded";

  /** The ledger's key of an outcome: stored records by their kind, every other outcome as it is. */
  private static String outcomeKey(String outcome, String kind) {
    if (!ACCEPTED.equals(outcome) || kind == null || kind.equals(KIND_REQUEST)) {
      return outcome;
    }
    return kind.equals(KIND_INTERACTION) ? ACCEPTED_INTERACTION : kind.equals(KIND_DAILY) ? ACCEPTED_DAILY
        : ACCEPTED_POINT;
  }

  /**
   * The ids stored in the raw tables of records, each at the snapshot the run judges against; a daily row's id is
   * its key ({@link DailyRow#key}), with the coverage of the report that delivered it.
   */
  private Dataset<Row> storedIds(Map<String, Long> bases) {
    Dataset<Row> ids = null;
    for (Map.Entry<String, Long> table : bases.entrySet()) {
      if (table.getValue() == null && !table.getKey().equals(tables.usageEvents())) {
        continue;
      }
      Dataset<Row> rows = rowsAt(table.getKey(), table.getValue());
      Dataset<Row> stored = table.getKey().equals(tables.usageDaily())
          ? rows.select(dailyKey().as("_stored_id"), col("report_end_day").as("_stored_end"),
              col("report_generated_at").as("_stored_generated"))
          : rows.select(col(table.getKey().equals(tables.metricPoints()) ? "point_id" : "event_id").as("_stored_id"),
              lit(null).cast("date").as("_stored_end"), lit(null).cast("timestamp").as("_stored_generated"));
      ids = ids == null ? stored : ids.union(stored);
    }
    return ids;
  }

  /** What one of ingest's tables receives: its new rows (renamed: table column -> row column where they differ). */
  private record TablePublish(String table, String idColumn, String timeColumn, Dataset<Row> fresh, long count,
      Map<String, String> renamed, String what) {}

  /** {@link DailyRow#key} of the rows of raw.usage_daily. */
  private static Column dailyKey() {
    return org.apache.spark.sql.functions.concat_ws("\u001f", lit("daily"), col("source"), col("user_id"),
        col("day").cast("string"));
  }

  /**
   * Publishes the run's daily rows through a branch: merged by (source, user_id, day), a row replacing the stored
   * one only when its report covers later days (the judging decided so against the snapshot the branch starts
   * from; the merge's condition says the same, so no write can flip a result), audited (one row per key in the
   * days written), then {@code main} fast-forwarded. Another run that stored rows of the same keys meanwhile
   * stops this one ({@link ConcurrentIngestException}), as for events.
   */
  private void publishDaily(Dataset<Row> fresh, long count, Map<String, Long> bases, String runId,
      Map<String, Long> written, Map<String, Long> snapshots) {
    String table = tables.usageDaily();
    String[] columns = spark.table(table).columns();
    Dataset<Row> rows = fresh.select(Arrays.stream(columns)
        .map(c -> col(c.equals("source_columns") ? "extra_fields" : c).as(c)).toArray(Column[]::new));
    Row days = rows.agg(org.apache.spark.sql.functions.min("day"), org.apache.spark.sql.functions.max("day")).first();
    Dataset<Row> keys = rows.select(dailyKey().as("_id"));
    Long base = bases.get(table);
    String view = "goodhart_daily_" + runId.replaceAll("[^A-Za-z0-9]", "_");
    rows.createOrReplaceTempView(view);
    try {
      for (int attempt = 1; ; attempt++) {
        Long current = tables.currentSnapshotId(table);
        if (!java.util.Objects.equals(current, base)) {
          long overlap = keys.join(rowsAt(table, current).select(dailyKey().as("_id")), "_id").count();
          if (overlap > 0) {
            throw ConcurrentIngestException.overlap(table, overlap);
          }
          if (attempt > PUBLISH_ATTEMPTS) {
            throw ConcurrentIngestException.tooBusy(table, PUBLISH_ATTEMPTS);
          }
          progress.accept("ingest: another run stored other daily rows meanwhile; publishing on top of it");
          base = current;
        }
        Long published = publishUnlessOvertaken(new BranchPublish(spark, tables, table, runId).from(base)
                .audit(branch -> dailyKeyFindings(table, branch, days.getDate(0), days.getDate(1)))
                .holdingAt(FaultPoint.INGEST_PUBLISH, null),
            branch -> mergeDaily(view, branch.reference(), runId));
        if (published != null) {
          written.put(table, count);
          snapshots.put(table, published);
          return;
        }
      }
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  private void mergeDaily(String view, String reference, String runId) {
    String later = "(s.report_end_day > t.report_end_day OR (s.report_end_day = t.report_end_day AND "
        + "coalesce(s.report_generated_at, TIMESTAMP '1970-01-01 00:00:00Z') > "
        + "coalesce(t.report_generated_at, TIMESTAMP '1970-01-01 00:00:00Z')))";
    String merge = "MERGE INTO " + reference + " t USING " + view + " s "
        + "ON t.source = s.source AND t.user_id = s.user_id AND t.day = s.day "
        + "WHEN MATCHED AND " + later + " THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *";
    org.apache.iceberg.spark.CommitMetadata.withCommitProperties(Map.of("goodhart.run-id", runId), () -> {
      spark.sql(merge);
      return 0;
    }, RuntimeException.class);
  }

  /** The audit of a daily publish: one row per (source, user_id, day) on the branch in the days the run wrote. */
  private List<String> dailyKeyFindings(String table, BranchPublish.Branch branch, java.sql.Date from,
      java.sql.Date to) {
    Row counts = spark.read().format("iceberg").option("branch", branch.name()).load(table)
        .filter(col("day").between(lit(from), lit(to)))
        .agg(org.apache.spark.sql.functions.count(lit(1)), org.apache.spark.sql.functions.countDistinct(dailyKey()))
        .first();
    long twice = counts.getLong(0) - counts.getLong(1);
    List<CheckResult> results = List.of(new CheckResult("one row per source, user_id and day in the days written",
        CheckKind.UNIQUENESS, Severity.ERROR, null, twice, null, null, twice == 0 ? null
            : String.format("%,d (source, user_id, day) key(s) twice between %s and %s", twice, from, to)));
    audited.put(table, results);
    return new Audit.Outcome(results).errors();
  }

  /**
   * Publishes the run's new records of one table: its columns taken from the judged rows, audited and
   * fast-forwarded like the events; returns the snapshot published.
   */
  private Long publishNew(TablePublish p, Map<String, Long> bases, String runId) {
    String[] columns = spark.table(p.table()).columns();
    Dataset<Row> rows = p.fresh().select(Arrays.stream(columns)
        .map(c -> col(p.renamed().getOrDefault(c, c)).as(c)).toArray(Column[]::new));
    return publishRecords(p.table(), p.idColumn(), p.timeColumn(), rows, bases.get(p.table()), runId);
  }

  /**
   * The lines with the outcome {@link #ERASED} where they belong to a person on the erasure list: an event of
   * theirs, or a rejected line whose text names them in a {@code user_id} field. Only the distinct ids at hand
   * are hashed, on the driver.
   */
  private Dataset<Row> withErasures(Dataset<Row> classified) {
    ErasureList erasure = ErasureList.read(spark, tables, () -> PseudonymKey.erasureKey(tables.config()));
    if (erasure.isEmpty()) {
      return classified;
    }
    Dataset<Row> withPerson = classified.withColumn("_person", when(col("user_id").isNotNull(), col("user_id"))
        .otherwise(regexp_extract(col("raw_line"), "\"user_id\"\\s*:\\s*\"([^\"\\\\]{1,512})\"", 1)))
        // Every key the record names the person by, emails lower-cased as forget lists them.
        .withColumn("_keys", org.apache.spark.sql.functions.coalesce(org.apache.spark.sql.functions.array_union(
            org.apache.spark.sql.functions.map_values(col("person_keys")),
            org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.lower(
                org.apache.spark.sql.functions.element_at(col("person_keys"), lit("email"))))),
            org.apache.spark.sql.functions.array()));
    List<String> people = withPerson.select(org.apache.spark.sql.functions.explode(org.apache.spark.sql.functions
            .array_union(org.apache.spark.sql.functions.array(col("_person")), col("_keys"))).as("_candidate"))
        .filter(col("_candidate").isNotNull().and(col("_candidate").notEqual("")))
        .distinct().as(Encoders.STRING()).collectAsList();
    List<String> erased = erasure.erasedAmong(people);
    if (erased.isEmpty()) {
      return classified;
    }
    Column erasedList = org.apache.spark.sql.functions.array(erased.stream().map(org.apache.spark.sql.functions::lit)
        .toArray(Column[]::new));
    return withPerson.withColumn("_outcome", when(col("_outcome").notEqual(lit(REFUSED))
            .and(col("_person").isin(erased.toArray()).or(org.apache.spark.sql.functions.arrays_overlap(col("_keys"),
                erasedList))), lit(ERASED)).otherwise(col("_outcome")))
        .drop("_person", "_keys");
  }

  /**
   * The ledger, file by file: the lines counted apart from judging them must equal the lines judged (the units:
   * lines, or one per file of a format read whole). A difference means lines were lost between reading and
   * storing: nothing is published.
   */
  private void checkLedger(Map<String, Long> unitsJudged, Map<String, Long> counted) {
    List<String> findings = new ArrayList<>();
    Set<String> files = new java.util.TreeSet<>(counted.keySet());
    files.addAll(unitsJudged.keySet());
    for (String file : files) {
      long lines = counted.getOrDefault(file, 0L);
      long judged = unitsJudged.getOrDefault(file, 0L);
      if (lines != judged) {
        findings.add(String.format("%s: %,d lines counted, %,d judged", file, lines, judged));
      }
    }
    if (!findings.isEmpty()) {
      throw new AuditFailedException(tables.usageEvents() + " (the ingest ledger)", findings);
    }
  }

  private Dataset<Row> rowsAt(String table, Long snapshot) {
    return snapshot == null ? spark.table(table)
        : spark.read().format("iceberg").option("snapshot-id", snapshot).load(table);
  }

  /**
   * Publishes the new events through a branch: written, audited (no event_id twice among them, none stored
   * at the snapshot they were judged against), then {@code main} fast-forwarded to them. When another run
   * moved {@code main} meanwhile and stored none of these events, it publishes again on top of that run;
   * when it stored some, this run stops ({@link ConcurrentIngestException}, exit 5).
   */
  private Long publishRecords(String table, String idColumn, String timeColumn, Dataset<Row> events,
      Long judgedAgainst, String runId) {
    Dataset<Row> ids = events.select(col(idColumn).as("_id"));
    Long base = judgedAgainst;
    for (int attempt = 1; ; attempt++) {
      Long current = tables.currentSnapshotId(table);
      if (!java.util.Objects.equals(current, base)) {
        long overlap = ids.join(rowsAt(table, current).select(col(idColumn).as("_id")), "_id").count();
        if (overlap > 0) {
          throw ConcurrentIngestException.overlap(table, overlap);
        }
        if (attempt > PUBLISH_ATTEMPTS) {
          throw ConcurrentIngestException.tooBusy(table, PUBLISH_ATTEMPTS);
        }
        progress.accept("ingest: another run stored other events meanwhile; publishing on top of it");
        base = current;
      }
      Long from = base;
      Long published = publishUnlessOvertaken(new BranchPublish(spark, tables, table, runId).from(from)
          .audit(branch -> newIdFindings(table, idColumn, timeColumn, branch, from))
          .holdingAt(FaultPoint.INGEST_PUBLISH, null), branch -> tables.appendTo(events, branch.reference(), runId));
      if (published != null) {
        return published;
      }
    }
  }

  /**
   * A branch publish of one of ingest's tables; null when another run moved {@code main} meanwhile. A branch
   * dropped meanwhile was taken by {@code goodhart maintain} for a crashed run's leftover:
   * {@link ConcurrentIngestException}. Ingests run side by side, so none drops another's branch: one that
   * cannot be dropped at the end is left to maintain.
   */
  private static Long publishUnlessOvertaken(BranchPublish publish,
      java.util.function.Consumer<BranchPublish.Branch> write) {
    try {
      return publish.branchMayOutliveRun().publishUnlessOvertaken(write);
    } catch (ConcurrentPublishException e) {
      if (e.interference() == ConcurrentPublishException.Interference.DROPPED_THE_BRANCH) {
        throw ConcurrentIngestException.branchDropped(e.table(), e.branch(), e);
      }
      throw e;
    }
  }

  /**
   * The uniqueness audit on what is about to be published: the events the branch adds hold no event_id
   * twice, and none of them is stored at the branch's base in the days (UTC) they fall in. It reads the
   * branch's new rows and the event_id column of those days' partitions only, so its cost does not grow with
   * the table (the judging before it has already compared the new ids with every stored one).
   */
  private List<String> newIdFindings(String table, String idColumn, String timeColumn, BranchPublish.Branch branch,
      Long base) {
    Dataset<Row> added = base == null
        ? spark.read().format("iceberg").option("branch", branch.name()).load(table)
        : spark.read().format("iceberg").option("start-snapshot-id", base)
            .option("end-snapshot-id", branch.head()).load(table);
    Row counts = added.agg(org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.countDistinct(col(idColumn)),
        org.apache.spark.sql.functions.min(col(timeColumn)), org.apache.spark.sql.functions.max(col(timeColumn)))
        .first();
    List<CheckResult> results = new ArrayList<>();
    long twice = counts.getLong(0) - counts.getLong(1);
    results.add(new CheckResult("one row per " + idColumn + " among the new rows", CheckKind.UNIQUENESS, Severity.ERROR, null,
        twice, null, null, twice == 0 ? null
            : String.format("%,d %s(s) twice among the %,d new rows", twice, idColumn, counts.getLong(0))));
    if (base != null && !counts.isNullAt(2)) {
      // The stored events of the days the new ones fall in: an event sent again keeps its event_time, so it
      // lands in its own day's partition, and the read follows the days touched, not the table's size.
      java.sql.Timestamp from = java.sql.Timestamp.from(counts.getTimestamp(2).toInstant().truncatedTo(
          java.time.temporal.ChronoUnit.DAYS));
      java.sql.Timestamp to = java.sql.Timestamp.from(counts.getTimestamp(3).toInstant().truncatedTo(
          java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofDays(1)));
      Dataset<Row> sameDays = rowsAt(table, base).filter(col(timeColumn).geq(lit(from)).and(col(timeColumn).lt(lit(to))))
          .select(idColumn);
      long stored = added.select(idColumn).join(sameDays, idColumn).count();
      results.add(new CheckResult("no new " + idColumn + " already stored", CheckKind.UNIQUENESS, Severity.ERROR, null,
          stored, null, null, stored == 0 ? null : String.format("%,d new row(s) whose %s is already stored", stored, idColumn)));
    }
    audited.put(table, results);
    return new Audit.Outcome(results).errors();
  }

  /**
   * The rejected lines not stored yet (a file, line and text already recorded is kept once), published
   * through a branch like the events; another run's rejects committed meanwhile are read again and
   * published on top. Returns the rows stored and the snapshot.
   */
  private long[] publishRejects(Dataset<Row> rejects, String runId) {
    String table = tables.usageEventsRejected();
    for (int attempt = 1; ; attempt++) {
      Long base = tables.currentSnapshotId(table);
      Dataset<Row> known = (base == null ? spark.table(table)
          : spark.read().format("iceberg").option("snapshot-id", base).load(table))
          .select("source_file", "source_line", "raw_line");
      Dataset<Row> fresh = rejects.join(known,
          rejects.col("source_file").equalTo(known.col("source_file"))
              .and(rejects.col("source_line").equalTo(known.col("source_line")))
              .and(rejects.col("raw_line").equalTo(known.col("raw_line"))),
          "left_anti").localCheckpoint(true);
      try {
        long count = fresh.count();
        if (count == 0) {
          return new long[] {0, base == null ? 0 : base};
        }
        Long published = publishUnlessOvertaken(new BranchPublish(spark, tables, table, runId).from(base),
            branch -> tables.appendTo(FaultPoint.whileWriting(FaultPoint.INGEST_WRITING_REJECTS, fresh),
                branch.reference(), runId));
        if (published != null) {
          return new long[] {count, published};
        }
        if (attempt >= PUBLISH_ATTEMPTS) {
          throw ConcurrentIngestException.tooBusy(table, PUBLISH_ATTEMPTS);
        }
      } finally {
        if (fresh.logicalPlan() instanceof LogicalRDD checkpoint) {
          checkpoint.rdd().unpersist(false);
        }
      }
    }
  }

  /**
   * One manifest row per file read (its counted lines and outcomes) and per new file that is not an event
   * file; one commit. Files already ingested are not recorded again.
   */
  private void recordManifest(DeliveryFiles.Selection selection, Map<String, Long> counted,
      Map<String, Map<String, Long>> byFile, Map<String, String> formatOfFile, Unresolved unresolved, String runFormat,
      String runId, Timestamp startedTs, Map<String, Long> snapshots) {
    FaultPoint.reach(FaultPoint.INGEST_MANIFEST, null);
    long recording = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    for (DeliveryFiles.Listed f : selection.toRead()) {
      Map<String, Long> o = byFile.getOrDefault(f.path(), Map.of());
      long records = o.values().stream().mapToLong(Long::longValue).sum();
      rows.add(RowFactory.create(f.path(), f.size(), f.modifiedAt(), f.etag(), f.deliveryDate(),
          formatOfFile.getOrDefault(f.path(), runFormat), "ingested", counted.get(f.path()), o.getOrDefault(ACCEPTED, 0L),
          o.getOrDefault(DUPLICATE_IN_INPUT, 0L) + o.getOrDefault(DUPLICATE_ALREADY_LOADED, 0L),
          o.getOrDefault(REJECTED, 0L), o.getOrDefault(ERASED, 0L), records, o.getOrDefault(ACCEPTED_INTERACTION, 0L),
          o.getOrDefault(ACCEPTED_POINT, 0L), o.getOrDefault(NOT_USAGE, 0L), o.getOrDefault(ACCEPTED_DAILY, 0L),
          o.getOrDefault(REPLACED, 0L), o.getOrDefault(SUPERSEDED, 0L),
          unresolved.recordsByFile().getOrDefault(f.path(), 0L), unresolved.keysByFile().getOrDefault(f.path(), 0L),
          runId, startedTs));
    }
    for (DeliveryFiles.Listed f : selection.notEventFiles()) {
      rows.add(RowFactory.create(f.path(), f.size(), f.modifiedAt(), f.etag(), f.deliveryDate(),
          runFormat == null ? InputFormats.AUTO : runFormat, SKIPPED, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, runId, startedTs));
    }
    if (!rows.isEmpty()) {
      String table = tables.ingestedFiles();
      snapshots.put(table, tables.append(spark.createDataFrame(rows, spark.table(table).schema()), table, runId));
    }
    manifestNanos += System.nanoTime() - recording;
  }

  /** Prints one progress line with the phase's duration; returns the start of the next phase. */
  private long report(long phaseStart, String what) {
    long now = System.nanoTime();
    progress.accept(String.format("ingest: %s (%.1f s)", what, (now - phaseStart) / 1e9));
    return now;
  }

  /**
   * The folder or file to read: the input itself, or its {@code date=D} delivery folder when a date is given (the
   * {@code yyyy/mm/dd} folder of that day in the layout of the Amazon Q Developer reports).
   */
  static Path resolveInput(Config config, Configuration hadoop) {
    Path input = new Path(config.input());
    try {
      FileSystem fs = input.getFileSystem(hadoop);
      if (!fs.exists(input)) {
        throw new InputException("input " + config.input() + " does not exist");
      }
      if (config.deliveryDate() == null) {
        return input;
      }
      String folder = "date=" + config.deliveryDate();
      if (input.getName().equals(folder)) {
        return input;
      }
      for (Path candidate : List.of(new Path(input, folder), new Path(new Path(input, "events"), folder),
          new Path(input, DeliveryFiles.dayFolder(config.deliveryDate())))) {
        if (fs.exists(candidate)) {
          return candidate;
        }
      }
      throw new InputException("no delivery folder " + folder + " under " + config.input());
    } catch (IOException e) {
      throw InputException.unlessStorageFailed("cannot read input " + config.input(), e);
    }
  }

}
