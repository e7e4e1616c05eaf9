package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.audit.Audit;
import io.goodhart.audit.AuditResults;
import io.goodhart.audit.CheckResult;
import io.goodhart.audit.RowCheck;
import io.goodhart.audit.ScopeCheck;
import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.ingest.PersonResolution;
import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.runs.JobRun;
import io.goodhart.runs.PinnedReads;
import io.goodhart.runs.RecordedRun;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The shape every weekly curated job shares: find the weeks to recompute ({@link IncrementalScope}),
 * read just those weeks of raw events and the directory, and any other table, each at one snapshot
 * ({@link PinnedReads}), resolve each event's person ({@link PersonResolution}), compute with a pure transformation, publish through {@link WriteAuditPublish}, and
 * keep the audit's results in {@code audit_results} ({@link AuditResults}).
 * The run goes through {@link RecordedRun}, which logs it in {@code job_runs} with the snapshot ids it read:
 * the raw ones are the next run's watermark. Subclasses supply the transformation and its audit, and those
 * of any table they write beside their own ({@link Companion}).
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
   * {@link #read} for any other table, at the snapshot the run reads it at. {@code metricOnlyDays}: the
   * tokens of the weeks read that are counted from the tool's metrics because the person made no request
   * with that tool that day ({@link TokensCountedOnce}, {@link AttributedEvents#attributeMetricOnlyDays}).
   * {@code activeDailyRows}: the active rows of {@code raw.usage_daily} in the weeks read, attributed
   * ({@link AttributedEvents#attributeActiveDailyRows}); none unless the job {@link #countsDailyRows}.
   */
  public record Inputs(String runId, Dataset<Row> events, Dataset<Row> attributed, Dataset<Row> directory,
      List<LocalDate> weeks, LocalDate date, RawTotals raw, PinnedReads reads, Dataset<Row> metricOnlyDays,
      Dataset<Row> activeDailyRows) {
    /** A table at the one snapshot this run reads it at, which the run records in job_runs. */
    public Dataset<Row> read(String table) {
      return reads.read(table);
    }
  }

  /**
   * Events, their total tokens and the metric-only days' total tokens per reporting day, straight from raw
   * and {@code daily_outcomes}: what audits reconcile against. Tokens are counted once: the requests' and,
   * for a person, day and tool without requests, the metrics'.
   */
  public record RawTotals(TreeMap<LocalDate, long[]> byDay) {
    public long events(LocalDate from, LocalDate toInclusive) {
      return byDay.subMap(from, true, toInclusive, true).values().stream().mapToLong(v -> v[0]).sum();
    }

    public long tokens(LocalDate from, LocalDate toInclusive) {
      return byDay.subMap(from, true, toInclusive, true).values().stream().mapToLong(v -> v[1] + v[2]).sum();
    }
  }

  /**
   * Whether the job counts the tokens of metric-only days ({@link TokensCountedOnce}): it then reads
   * {@code daily_outcomes} and recomputes the weeks whose metric tokens changed.
   */
  protected boolean countsMetricOnlyTokens() {
    return false;
  }

  /**
   * Whether the job counts the active rows of {@code raw.usage_daily} (a person engaged by a tool's daily
   * report): it then reads them and recomputes the weeks whose daily rows changed.
   */
  protected boolean countsDailyRows() {
    return false;
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

  /**
   * A further weekly table a job writes beside its own, from the same inputs and for the same weeks, so its
   * weeks are recomputed whenever the job's are: its rows and the checks they must pass.
   */
  protected record Companion(String table, Function<Inputs, Dataset<Row>> compute, Function<Inputs, Audit> audit) {}

  /** The tables the job writes beside its own; none unless a job says otherwise. */
  protected List<Companion> companions() {
    return List.of();
  }

  /** The data-quality checks the staged weeks must pass ({@link Audit}), given what the run read. */
  protected abstract Audit audit(Inputs inputs);

  /** What a run did, for the nightly runner and tests. */
  public record Result(String runId, List<LocalDate> weeks, long eventsRead, long rowsWritten, Long snapshotId) {}

  public Result run(LocalDate date) {
    List<Companion> companions = companions();
    List<String> written = new ArrayList<>(List.of(table()));
    companions.forEach(c -> written.add(c.table()));
    return RecordedRun.of(spark, tables, name(), progress).forDate(date).publishingTo(written)
        .holdingBeforeItsRecord()
        .run(run -> {
          List<CheckResult> checked = new ArrayList<>();
          Map<String, List<CheckResult>> checkedByTable = new LinkedHashMap<>();
          checkedByTable.put(table(), checked);
          companions.forEach(c -> checkedByTable.put(c.table(), new ArrayList<>()));
          return new AuditResults(spark, tables).keptAround(run.runId(), name(), checkedByTable, () -> {
            IncrementalScope.Scope scope = withNeverWrittenCompanions(new IncrementalScope(spark, tables, calendar)
                .determine(name(), date, countsMetricOnlyTokens(), countsDailyRows()), companions);
            List<LocalDate> weeks = weeksToWrite(scope, date);
            progress.accept(String.format("%s %s: recomputing %d week(s) %s (%s)", name(), date, weeks.size(),
                weeks.stream().map(ReportingCalendar::weekLabel).collect(Collectors.joining(", ")), scope.reason()));
            PinnedReads reads = new PinnedReads(spark, tables);
            Inputs inputs = read(run.runId(), scope, weeks, date, reads);
            long eventsRead = inputs.raw().byDay().values().stream().mapToLong(v -> v[0]).sum();
            Dataset<Row> rows = compute(inputs);
            Audit audit = audit(inputs);
            WriteAuditPublish.Published published = new WriteAuditPublish(spark, tables)
                .replaceWeeks(table(), weeks, rows, run.runId(), staged -> {
                  Audit.Outcome outcome = audit.evaluate(staged);
                  checked.addAll(outcome.results());
                  outcome.warnings().forEach(w ->
                      progress.accept(String.format("%s %s: audit warning: %s", name(), date, w)));
                  return outcome.errors();
                });
            Map<String, Long> snapshots = new LinkedHashMap<>();
            if (published.snapshotId() != null) {
              snapshots.put(table(), published.snapshotId());
            }
            Map<String, Long> rowsWritten = new LinkedHashMap<>();
            rowsWritten.put(table(), published.rows());
            for (Companion companion : companions) {
              Audit companionAudit = companion.audit().apply(inputs);
              WriteAuditPublish.Published also = new WriteAuditPublish(spark, tables)
                  .replaceWeeks(companion.table(), weeks, companion.compute().apply(inputs), run.runId(), staged -> {
                    Audit.Outcome outcome = companionAudit.evaluate(staged);
                    checkedByTable.get(companion.table()).addAll(outcome.results());
                    outcome.warnings().forEach(w -> progress.accept(String.format("%s %s: audit warning on %s: %s",
                        name(), date, companion.table(), w)));
                    return outcome.errors();
                  });
              rowsWritten.put(companion.table(), also.rows());
              if (also.snapshotId() != null) {
                snapshots.put(companion.table(), also.snapshotId());
              }
            }
            JobRun.Builder record = run.succeeded()
                .rowsRead(Map.of(tables.usageEvents(), eventsRead))
                .written(rowsWritten)
                .snapshots(snapshots)
                .inputSnapshots(reads.snapshots())
                .metrics(Map.of("weeks", (long) weeks.size()));
            return run.done(new Result(run.runId(), weeks, eventsRead, published.rows(), published.snapshotId()),
                record, () -> String.format("%s %s: read %,d events, wrote %s, audit passed, published [%.1f s]",
                    name(), date, eventsRead, rowsWritten.entrySet().stream()
                        .map(e -> String.format("%,d rows to %s", e.getValue(), e.getKey()))
                        .collect(Collectors.joining(", ")), run.seconds()));
          });
        });
  }

  /**
   * The scope, widened to every week with events when a companion table has never been written though the
   * job has run before (a lake of a release before the companion existed): its incremental scope would
   * otherwise leave the companion without the weeks nothing changed in since.
   */
  private IncrementalScope.Scope withNeverWrittenCompanions(IncrementalScope.Scope scope, List<Companion> companions) {
    List<String> never = companions.stream().map(Companion::table)
        .filter(t -> tables.currentSnapshotId(t) == null).toList();
    if (never.isEmpty() || tables.currentSnapshotId(table()) == null) {
      return scope;
    }
    java.util.TreeSet<LocalDate> weeks = new java.util.TreeSet<>(scope.weeks());
    List<LocalDate> withEvents = new IncrementalScope(spark, tables, calendar).weeksWithEvents();
    weeks.addAll(withEvents);
    return new IncrementalScope.Scope(List.copyOf(weeks), scope.eventsSnapshot(), scope.directorySnapshot(),
        scope.identitiesSnapshot(), scope.outcomesSnapshot(), scope.dailySnapshot(), scope.reason() + "; " + String.join(", ", never)
            + " never written: all " + withEvents.size() + " week(s) with events");
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
    // Each event counts for the directory person its keys resolve to, on the identities and directory read.
    Dataset<Row> identities = reads.read(tables.identities(), scope.identitiesSnapshot());
    Dataset<Row> events = PersonResolution.resolve(allEvents.filter(inWeeks), identities, directory);
    Dataset<Row> attributed = AttributedEvents.attribute(events, directory, calendar.zone());
    Dataset<Row> metricOnlyDays = AttributedEvents.noMetricOnlyDays(attributed);
    if (countsMetricOnlyTokens()) {
      Dataset<Row> outcomes = reads.read(tables.dailyOutcomes(), scope.outcomesSnapshot())
          .filter(col("week_start").isin(read.stream().map(java.sql.Date::valueOf).toArray()));
      metricOnlyDays = AttributedEvents.attributeMetricOnlyDays(
          TokensCountedOnce.daily(events, outcomes, calendar.zone()), directory, calendar.zone());
    }
    Dataset<Row> activeDailyRows = AttributedEvents.noDailyRows(attributed);
    if (countsDailyRows()) {
      // A daily row's UTC day is its reporting day: the weeks read select rows by day alone (the bounds on day
      // itself let Iceberg prune months).
      Dataset<Row> daily = reads.read(tables.usageDaily(), scope.dailySnapshot())
          .filter(col("day").between(java.sql.Date.valueOf(read.get(0)),
              java.sql.Date.valueOf(ReportingCalendar.weekEnd(read.get(read.size() - 1)))))
          .filter(AttributedEvents.weekStart(col("day")).isin(read.stream().map(java.sql.Date::valueOf).toArray()));
      activeDailyRows = AttributedEvents.attributeActiveDailyRows(daily, identities, directory);
    }
    return new Inputs(runId, events, attributed, directory, weeks, date, rawTotals(events, metricOnlyDays), reads,
        metricOnlyDays, activeDailyRows);
  }

  private RawTotals rawTotals(Dataset<Row> events, Dataset<Row> metricOnlyDays) {
    TreeMap<LocalDate, long[]> byDay = new TreeMap<>();
    events.groupBy(AttributedEvents.localDate(col("event_time"), calendar.zone()).as("day"))
        .agg(count(lit(1)), sum(col("input_tokens").plus(col("output_tokens"))))
        .collectAsList()
        .forEach(r -> byDay.put(r.getDate(0).toLocalDate(), new long[] {r.getLong(1), r.getLong(2), 0}));
    metricOnlyDays.groupBy(col("event_date"))
        .agg(sum(col("input_tokens").plus(col("output_tokens"))))
        .collectAsList()
        .forEach(r -> byDay.computeIfAbsent(r.getDate(0).toLocalDate(), d -> new long[3])[2] = r.getLong(1));
    return new RawTotals(byDay);
  }

  /**
   * The checks every per-person table must satisfy for each written week: the staged rows' {@code events}
   * and {@code total_tokens} add up to raw's, tokens counted once ({@link RawTotals}; rows of {@code what},
   * e.g. "user"; only the rows {@code of} selects count).
   */
  protected static List<ScopeCheck> reconcileWithRaw(String what, Column of, Inputs in) {
    return List.of(
        reconcile("sum of " + what + " events", sum(when(of, col("events"))), in.raw()::events),
        reconcile("sum of " + what + " total tokens", sum(when(of, col("total_tokens"))), in.raw()::tokens));
  }

  /** A week's staged figure equals raw's figure for the whole week ({@code raw}: first day, last day). */
  protected static ScopeCheck reconcile(String what, Column staged, RawFigure raw) {
    return ScopeCheck.reconcile(what, week -> what + " for week " + ReportingCalendar.weekLabel(week), staged,
        week -> raw.between(week, ReportingCalendar.weekEnd(week)));
  }

  /** A figure of {@link RawTotals} over a range of days. */
  @FunctionalInterface
  protected interface RawFigure {
    long between(LocalDate from, LocalDate toInclusive);
  }

  /** The audit of the written weeks: these row checks, and {@code weekChecks} of each week. */
  protected static Audit perWeek(Inputs in, List<RowCheck> rowChecks, List<ScopeCheck> weekChecks) {
    return Audit.of(rowChecks.toArray(RowCheck[]::new))
        .perScope("week_start", in.weeks(), ReportingCalendar::weekLabel, weekChecks);
  }
}
