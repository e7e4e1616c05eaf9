package io.goodhart.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.goodhart.lake.LakeTables;
import io.goodhart.runs.FaultPoint;
import io.goodhart.runs.JobRun;
import io.goodhart.runs.JobRunLog;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.execution.LogicalRDD;

/**
 * {@code goodhart ingest}: loads usage-event files into {@code raw.usage_events}, exactly once per
 * event_id, and every line that breaks the contract into {@code raw.usage_events_rejected}.
 *
 * <p>All files are read and judged before anything is written, so a missing, empty or unreadable
 * input fails with the tables untouched. Duplicates are removed with an anti-join on event_id (within
 * the input, first line wins; then against the event_id column of the table) followed by an append:
 * cheaper than MERGE, which would rewrite nothing but still plan a full join, and just as exact.
 */
public final class IngestJob {
  public static final String NAME = "ingest";

  /** What to ingest: a file or folder (any Hadoop path), optionally narrowed to one delivery day. */
  public record Config(String input, LocalDate deliveryDate) {}

  private final SparkSession spark;
  private final LakeTables tables;
  private final Consumer<String> progress;

  public IngestJob(SparkSession spark, LakeTables tables, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.progress = progress;
  }

  public IngestLedger run(Config config) {
    String runId = JobRunLog.newRunId(NAME);
    Instant started = Instant.now();
    tables.ensureCreated();
    JobRunLog log = new JobRunLog(spark, tables);
    try {
      Result result = ingest(config, runId, started);
      log.record(new JobRun(NAME, runId, config.deliveryDate(), started, Instant.now(), JobRun.SUCCEEDED,
          Map.of("input_lines", result.ledger.linesRead()), result.written, result.snapshots, null,
          result.ledger.asMetrics(), null, config.input()));
      return result.ledger;
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      log.recordFailure(new JobRun(NAME, runId, config.deliveryDate(), started, Instant.now(), JobRun.FAILED,
          null, null, null, null, null, String.valueOf(e.getMessage()), config.input()), e);
      throw e;
    }
  }

  private record Result(IngestLedger ledger, Map<String, Long> written, Map<String, Long> snapshots) {}

  private Result ingest(Config config, String runId, Instant started) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<String> files = eventFiles(resolveInput(config, hadoop), hadoop);
    progress.accept(String.format("ingest: reading %d file(s) from %s", files.size(), config.input()));

    LocalDate runDate = LocalDate.ofInstant(started, ZoneOffset.UTC);
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(files, Math.max(1, files.size()))
        .flatMap(new ParsedLines(new HadoopSettings(hadoop), runDate, maxEventAgeDays()));
    Dataset<Row> lines = spark.createDataFrame(rows, ParsedLines.SCHEMA);
    try {
      return writeOutcome(files.size(), lines, runId, started);
    } catch (InputException e) {
      throw e;
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      // A file that is not JSON-lines text as a whole (binary, a JSON array, compressed under a plain
      // name), ends early or is not the gzip it claims is bad input, and refuses the whole delivery; any
      // other read failure (a storage outage, say) stays an infrastructure error, worth a retry.
      InputException refused = findCause(e, InputException.class);
      if (refused != null) {
        throw new InputException(refused.getMessage() + NOTHING_INGESTED, e);
      }
      UncheckedIOException io = findCause(e, UncheckedIOException.class);
      if (io != null && (io.getCause() instanceof java.io.EOFException || io.getCause() instanceof java.util.zip.ZipException)) {
        throw new InputException(io.getMessage() + NOTHING_INGESTED, e);
      }
      throw e;
    }
  }

  /** Said of a delivery refused for one bad file, so nobody looks for its other files' events. */
  static final String NOTHING_INGESTED = " -- the whole input was refused, nothing was written: fix or remove the file and run again";

  private int maxEventAgeDays() {
    String configured = tables.config().get(EventTimeWindow.MAX_AGE_DAYS);
    if (configured == null || configured.isBlank()) {
      return EventTimeWindow.DEFAULT_MAX_AGE_DAYS;
    }
    int days;
    try {
      days = Integer.parseInt(configured.trim());
    } catch (NumberFormatException e) {
      days = 0;
    }
    if (days < 1) {
      throw new IllegalArgumentException(EventTimeWindow.MAX_AGE_DAYS + " must be a number of days >= 1, found \""
          + configured + "\"");
    }
    return days;
  }

  /** Where a line ends: stored now, a duplicate of a line earlier in the input or of a stored event, or rejected. */
  static final String ACCEPTED = "accepted";
  static final String DUPLICATE_IN_INPUT = "duplicate_in_input";
  static final String DUPLICATE_ALREADY_LOADED = "duplicate_already_loaded";
  static final String REJECTED = "rejected";

  private Result writeOutcome(int fileCount, Dataset<Row> lines, String runId, Instant started) {
    long phase = System.nanoTime();
    // Every line gets its outcome in one pass: one shuffle on event_id serves both the first-wins
    // window and the join with the stored ids. For that the window is partitioned by event_id alone
    // (valid lines ordered before rejected ones, so a valid line's number is its rank among the valid
    // lines of its event_id): partitioned by (event_id, rejected), its output no longer matches the
    // join's partitioning, and once the stored ids are too many to broadcast every line was shuffled
    // twice. The outcomes are checkpointed eagerly: that reads every
    // file to its end before anything is written (a bad input cannot half-load), and cuts the lineage
    // to raw.usage_events -- a cache would be invalidated by our own append and recomputed against
    // the new table content, turning every event just stored into a "duplicate".
    Column isRejected = col("reject_reason").isNotNull();
    Dataset<Row> stored = spark.table(tables.usageEvents()).select(col("event_id").as("_stored_id"));
    Dataset<Row> ranked = lines.withColumn("_seen", row_number().over(
        Window.partitionBy(col("event_id")).orderBy(isRejected, col("source_file"), col("source_line"))));
    Dataset<Row> classified = ranked
        .join(stored, ranked.col("event_id").equalTo(stored.col("_stored_id")), "left")
        .withColumn("_outcome",
            when(isRejected, lit(REJECTED))
                .when(col("_seen").gt(1), lit(DUPLICATE_IN_INPUT))
                .when(col("_stored_id").isNotNull(), lit(DUPLICATE_ALREADY_LOADED))
                .otherwise(lit(ACCEPTED)))
        .drop("_seen", "_stored_id")
        .localCheckpoint(true);
    try {
      Map<String, Long> outcomes = new HashMap<>();
      classified.groupBy("_outcome").count().collectAsList()
          .forEach(r -> outcomes.put(r.getString(0), r.getLong(1)));
      long linesRead = outcomes.values().stream().mapToLong(Long::longValue).sum();
      if (linesRead == 0) {
        throw new InputException("input holds no lines: every event file is empty");
      }
      long acceptedCount = outcomes.getOrDefault(ACCEPTED, 0L);
      long rejectedCount = outcomes.getOrDefault(REJECTED, 0L);
      phase = report(phase, String.format("read and judged %,d lines: %,d new events, %,d rejected",
          linesRead, acceptedCount, rejectedCount));
      Timestamp startedTs = Timestamp.from(started);

      Map<String, Long> written = new LinkedHashMap<>();
      Map<String, Long> snapshots = new LinkedHashMap<>();
      if (acceptedCount > 0) {
        String[] eventColumns = spark.table(tables.usageEvents()).columns();
        Dataset<Row> stamped = classified.filter(col("_outcome").equalTo(ACCEPTED))
            .withColumn("ingest_run_id", lit(runId))
            .withColumn("ingested_at", lit(startedTs))
            .select(Arrays.stream(eventColumns).map(c -> col(c)).toArray(Column[]::new));
        written.put(tables.usageEvents(), acceptedCount);
        snapshots.put(tables.usageEvents(), tables.append(stamped, tables.usageEvents(), runId));
        phase = report(phase, String.format("committed %,d events to %s", acceptedCount, tables.usageEvents()));
      }

      long newRejectCount = 0;
      if (rejectedCount > 0) {
        Dataset<Row> rejects = classified.filter(col("_outcome").equalTo(REJECTED)).select(
            col("source_file"), col("source_line"), col("raw_line"), col("reject_field").as("field"),
            col("reject_reason").as("reason"), col("event_id"), lit(runId).as("ingest_run_id"),
            lit(startedTs).as("rejected_at"));
        Dataset<Row> known = spark.table(tables.usageEventsRejected()).select("source_file", "source_line", "raw_line");
        Dataset<Row> newRejects = rejects.join(known,
            rejects.col("source_file").equalTo(known.col("source_file"))
                .and(rejects.col("source_line").equalTo(known.col("source_line")))
                .and(rejects.col("raw_line").equalTo(known.col("raw_line"))),
            "left_anti");
        newRejectCount = newRejects.count();
        if (newRejectCount > 0) {
          written.put(tables.usageEventsRejected(), newRejectCount);
          snapshots.put(tables.usageEventsRejected(), tables.append(
              FaultPoint.whileWriting(FaultPoint.INGEST_WRITING_REJECTS, newRejects), tables.usageEventsRejected(), runId));
          report(phase, String.format("committed %,d rejected lines to %s", newRejectCount, tables.usageEventsRejected()));
        }
      }

      IngestLedger ledger = new IngestLedger(fileCount, linesRead, acceptedCount,
          outcomes.getOrDefault(DUPLICATE_IN_INPUT, 0L), outcomes.getOrDefault(DUPLICATE_ALREADY_LOADED, 0L),
          rejectedCount, rejectedCount - newRejectCount);
      if (!ledger.balances()) {
        throw new IllegalStateException("ingest ledger does not balance: " + ledger.describe());
      }
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

  /** Prints one progress line with the phase's duration; returns the start of the next phase. */
  private long report(long phaseStart, String what) {
    long now = System.nanoTime();
    progress.accept(String.format("ingest: %s (%.1f s)", what, (now - phaseStart) / 1e9));
    return now;
  }

  /** The folder or file to read: the input itself, or its {@code date=D} delivery folder when a date is given. */
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
      for (Path candidate : List.of(new Path(input, folder), new Path(new Path(input, "events"), folder))) {
        if (fs.exists(candidate)) {
          return candidate;
        }
      }
      throw new InputException("no delivery folder " + folder + " under " + config.input());
    } catch (IOException e) {
      throw InputException.unlessStorageFailed("cannot read input " + config.input(), e);
    }
  }

  /** Event files under the path ({@code *.jsonl}, {@code *.jsonl.gz}), sorted; hidden and marker files skipped. */
  static List<String> eventFiles(Path input, Configuration hadoop) {
    List<String> files = new ArrayList<>();
    List<String> others = new ArrayList<>();
    try {
      FileSystem fs = input.getFileSystem(hadoop);
      FileStatus status = fs.getFileStatus(input);
      if (status.isFile()) {
        files.add(status.getPath().toString());
      } else {
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(input, true);
        while (it.hasNext()) {
          Path p = it.next().getPath();
          String name = p.getName();
          if (!name.startsWith(".") && !name.startsWith("_") && (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz"))) {
            files.add(p.toString());
          } else {
            others.add(name);
          }
        }
      }
    } catch (FileNotFoundException e) {
      throw new InputException("input " + input + " does not exist");
    } catch (IOException e) {
      throw InputException.unlessStorageFailed("cannot list input " + input, e);
    }
    others.sort(String::compareTo);
    if (files.isEmpty()) {
      throw new InputException("no event files (*.jsonl or *.jsonl.gz) under " + input
          + (others.isEmpty() ? ": it holds no files" : ": it holds only " + others.size() + " other file(s), such as "
              + others.get(0)));
    }
    files.sort(String::compareTo);
    return files;
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
