package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.ingest.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.runs.JobRun;
import io.goodhart.runs.PinnedReads;
import io.goodhart.runs.RecordedRun;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The shape every weekly curated job shares: find the weeks to recompute ({@link IncrementalScope}),
 * read just those weeks of raw events and the directory, and any other table, each at one snapshot
 * ({@link PinnedReads}), compute with a pure transformation, and publish through {@link WriteAuditPublish}.
 * The run goes through {@link RecordedRun}, which logs it in {@code job_runs} with the snapshot ids it read:
 * the raw ones are the next run's watermark. Subclasses supply the transformation and its audit.
 */
public abstract class CuratedJob {
  protected final SparkSession spark;
  protected final LakeTables tables;
  protected final LakeConfig config;
  protected final ReportingCalendar calendar;
  private final Consumer<String> progress;
  private final String name;
  private final String table;

  /**
   * @param name the job's name in jobs/nightly.yaml, the CLI and job_runs
   * @param table the curated table the job owns
   */
  protected CuratedJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress,
      String name, String table) {
    this.spark = spark;
    this.tables = tables;
    this.config = config;
    this.calendar = new ReportingCalendar(config.reportingTimeZone());
    this.progress = progress;
    this.name = name;
    this.table = table;
  }

  public String name() {
    return name;
  }

  protected String table() {
    return table;
  }

  /**
   * Everything a computation may use: raw rows of the weeks read, the run's date and weeks, and
   * {@link #read} for any other table, at the snapshot the run reads it at.
   */
  public record Inputs(String runId, Dataset<Row> events, Dataset<Row> attributed, Dataset<Row> directory,
      List<LocalDate> weeks, LocalDate date, RawTotals raw, PinnedReads reads) {
    /** A table at the one snapshot this run reads it at, which the run records in job_runs. */
    public Dataset<Row> read(String table) {
      return reads.read(table);
    }
  }

  /** Events and total tokens per reporting day, straight from raw: what audits reconcile against. */
  public record RawTotals(TreeMap<LocalDate, long[]> byDay) {
    public long events(LocalDate from, LocalDate toInclusive) {
      return byDay.subMap(from, true, toInclusive, true).values().stream().mapToLong(v -> v[0]).sum();
    }

    public long tokens(LocalDate from, LocalDate toInclusive) {
      return byDay.subMap(from, true, toInclusive, true).values().stream().mapToLong(v -> v[1]).sum();
    }
  }

  /** The weeks to write, given those the scope says changed (a job may need neighbours too). */
  protected List<LocalDate> weeksToWrite(IncrementalScope.Scope scope, LocalDate date) {
    return scope.weeks();
  }

  /** The weeks of raw events the computation needs for the weeks it writes. */
  protected List<LocalDate> weeksToRead(List<LocalDate> weeksToWrite) {
    return weeksToWrite;
  }

  /** The rows of the table for the weeks in {@code inputs.weeks()}. */
  protected abstract Dataset<Row> compute(Inputs inputs);

  /** Findings of the data-quality checks on the staged weeks; empty when they pass. */
  protected abstract List<String> audit(Dataset<Row> staged, Inputs inputs);

  /** What a run did, for the nightly runner and tests. */
  public record Result(String runId, List<LocalDate> weeks, long eventsRead, long rowsWritten, Long snapshotId) {}

  public Result run(LocalDate date) {
    return RecordedRun.of(spark, tables, name(), progress).forDate(date).publishingTo(List.of(table()))
        .holdingBeforeItsRecord()
        .run(run -> {
          IncrementalScope.Scope scope = new IncrementalScope(spark, tables, calendar).determine(name(), date);
          List<LocalDate> weeks = weeksToWrite(scope, date);
          progress.accept(String.format("%s %s: recomputing %d week(s) %s (%s)", name(), date, weeks.size(),
              weeks.stream().map(ReportingCalendar::weekLabel).collect(Collectors.joining(", ")), scope.reason()));
          PinnedReads reads = new PinnedReads(spark, tables);
          Inputs inputs = read(run.runId(), scope, weeks, date, reads);
          long eventsRead = inputs.raw().byDay().values().stream().mapToLong(v -> v[0]).sum();
          Dataset<Row> rows = compute(inputs);
          WriteAuditPublish.Published published = new WriteAuditPublish(spark, tables)
              .replaceWeeks(table(), weeks, rows, run.runId(), staged -> audit(staged, inputs));
          Map<String, Long> snapshots = new LinkedHashMap<>();
          if (published.snapshotId() != null) {
            snapshots.put(table(), published.snapshotId());
          }
          JobRun.Builder record = run.succeeded()
              .rowsRead(Map.of(tables.usageEvents(), eventsRead))
              .written(Map.of(table(), published.rows()))
              .snapshots(snapshots)
              .inputSnapshots(reads.snapshots())
              .metrics(Map.of("weeks", (long) weeks.size()));
          return run.done(new Result(run.runId(), weeks, eventsRead, published.rows(), published.snapshotId()), record,
              () -> String.format("%s %s: read %,d events, wrote %,d rows to %s, audit passed, published [%.1f s]",
                  name(), date, eventsRead, published.rows(), table(), run.seconds()));
        });
  }

  private Inputs read(String runId, IncrementalScope.Scope scope, List<LocalDate> weeks, LocalDate date,
      PinnedReads reads) {
    if (scope.directorySnapshot() == null) {
      throw new InputException(tables.developerDirectory() + " has never been loaded: run goodhart load-directory first");
    }
    Dataset<Row> directory = reads.read(tables.developerDirectory(), scope.directorySnapshot());
    Dataset<Row> allEvents = reads.read(tables.usageEvents(), scope.eventsSnapshot());
    List<LocalDate> read = weeksToRead(weeks);
    // Bounds on event_time itself, so Iceberg prunes to the days of the weeks read.
    Column inWeeks = read.stream()
        .map(w -> col("event_time").geq(lit(Timestamp.from(calendar.startOf(w))))
            .and(col("event_time").lt(lit(Timestamp.from(calendar.endOfWeek(w))))))
        .reduce(Column::or)
        .orElse(lit(false));
    Dataset<Row> events = allEvents.filter(inWeeks);
    Dataset<Row> attributed = AttributedEvents.attribute(events, directory, calendar.zone());
    return new Inputs(runId, events, attributed, directory, weeks, date, rawTotals(events), reads);
  }

  private RawTotals rawTotals(Dataset<Row> events) {
    TreeMap<LocalDate, long[]> byDay = new TreeMap<>();
    events.groupBy(AttributedEvents.localDate(col("event_time"), calendar.zone()).as("day"))
        .agg(count(lit(1)), sum(col("input_tokens").plus(col("output_tokens"))))
        .collectAsList()
        .forEach(r -> byDay.put(r.getDate(0).toLocalDate(), new long[] {r.getLong(1), r.getLong(2)}));
    return new RawTotals(byDay);
  }

  /** A finding when a figure differs from what raw says, with the difference. */
  protected static void reconcile(List<String> findings, String what, LocalDate week, long staged, long raw) {
    if (staged != raw) {
      findings.add(String.format("%s for week %s: %,d in the output, %,d in raw (off by %+,d)",
          what, ReportingCalendar.weekLabel(week), staged, raw, staged - raw));
    }
  }

  /** A finding when a count of offending rows is not zero. */
  protected static void none(List<String> findings, String check, long offending) {
    if (offending > 0) {
      findings.add(String.format("%s: %,d row(s) break it", check, offending));
    }
  }

  /**
   * Findings when, for any written week, the staged rows' {@code events} and {@code total_tokens} do not
   * add up to raw's: what every per-person table must satisfy (rows of {@code what}, e.g. "user").
   */
  protected static void reconcileWithRaw(List<String> findings, String what, Dataset<Row> staged, Inputs in) {
    Map<LocalDate, Row> weeks = perWeek(staged, sum("events"), sum("total_tokens"));
    for (LocalDate week : in.weeks()) {
      LocalDate end = ReportingCalendar.weekEnd(week);
      Row w = weeks.get(week);
      reconcile(findings, "sum of " + what + " events", week, w == null ? 0 : w.getLong(1), in.raw().events(week, end));
      reconcile(findings, "sum of " + what + " total tokens", week, w == null ? 0 : w.getLong(2),
          in.raw().tokens(week, end));
    }
  }

  /** Staged per-week sums of some columns, keyed by week. */
  protected static Map<LocalDate, Row> perWeek(Dataset<Row> staged, Column... aggregates) {
    Map<LocalDate, Row> out = new LinkedHashMap<>();
    Column first = aggregates[0];
    Column[] rest = java.util.Arrays.copyOfRange(aggregates, 1, aggregates.length);
    staged.groupBy("week_start").agg(first, rest).collectAsList()
        .forEach(r -> out.put(r.getDate(0).toLocalDate(), r));
    return out;
  }
}
