package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.goodhart.audit.Audit;
import io.goodhart.audit.AuditResults;
import io.goodhart.audit.CheckKind;
import io.goodhart.audit.CheckResult;
import io.goodhart.audit.RowCheck;
import io.goodhart.audit.ScopeCheck;
import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.lake.LakeConfig;
import io.goodhart.ingest.PersonResolution;
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
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code goodhart outcomes}: writes {@code curated_private.daily_outcomes} ({@link DailyOutcomes}) a week at a
 * time, through write-audit-publish, from {@code raw.metric_points}, {@code raw.interaction_events} and the
 * daily per-user reports in {@code raw.usage_daily}.
 *
 * <p>The weeks recomputed are the week of the run's date and the weeks whose figures the points and events
 * appended since the job's last successful run change: the weeks of those points and events, and, for a
 * cumulative point, the week of the next point of its stream and start (whose amount is counted from it);
 * and the weeks of the daily rows added, removed or replaced since (a later report rewrites rows, so the two
 * snapshots are compared, as for engagement). The snapshots of the tables that run read are the watermark.
 * Without one, or when points or events were deleted or rewritten since, every week with points, events or
 * daily rows is recomputed. A cumulative point's amount needs the
 * point before it, which an earlier delivery may have brought: for the streams with a point in the weeks
 * written, every point of the stream up to the end of those weeks is read.
 */
public final class OutcomesJob {
  public static final String NAME = "outcomes";

  private final SparkSession spark;
  private final LakeTables tables;
  private final ReportingCalendar calendar;
  private final Consumer<String> progress;

  public OutcomesJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.calendar = new ReportingCalendar(config.reportingTimeZone());
    this.progress = progress;
  }

  /** What a run did, for the nightly runner and tests. */
  public record Result(String runId, List<LocalDate> weeks, long pointsRead, long eventsRead, long rowsWritten,
      Long snapshotId) {}

  /** The weeks to recompute, why, and the snapshots of the tables they are computed from. */
  record Scope(List<LocalDate> weeks, Long pointsSnapshot, Long eventsSnapshot, Long dailySnapshot,
      Long identitiesSnapshot, Long directorySnapshot, String reason) {}

  public Result run(LocalDate date) {
    String table = tables.dailyOutcomes();
    return RecordedRun.of(spark, tables, NAME, progress).forDate(date).publishingTo(List.of(table))
        .holdingBeforeItsRecord()
        .run(run -> {
          List<CheckResult> checked = new ArrayList<>();
          return new AuditResults(spark, tables).keptAround(run.runId(), NAME, Map.of(table, checked), () -> {
            Scope scope = scope(date);
            List<LocalDate> weeks = scope.weeks();
            progress.accept(String.format("%s %s: recomputing %d week(s) %s (%s)", NAME, date, weeks.size(),
                weeks.stream().map(ReportingCalendar::weekLabel).collect(Collectors.joining(", ")), scope.reason()));
            PinnedReads reads = new PinnedReads(spark, tables);
            // Each point and event counts for the directory person its keys resolve to, as in the other curated jobs.
            Dataset<Row> identities = reads.read(tables.identities(), scope.identitiesSnapshot());
            Dataset<Row> directory = reads.read(tables.developerDirectory(), scope.directorySnapshot());
            Dataset<Row> points = resolvedPoints(pointsFor(reads.read(tables.metricPoints(), scope.pointsSnapshot()),
                weeks), identities, directory).cache();
            Dataset<Row> events = PersonResolution.resolve(reads.read(tables.interactionEvents(), scope.eventsSnapshot())
                .filter(within(col("event_time"), weeks)), identities, directory).drop(PersonResolution.RESOLVED_BY)
                .cache();
            Dataset<Row> reports = resolvedReports(reportsFor(reads.read(tables.usageDaily(), scope.dailySnapshot()),
                weeks), identities, directory).cache();
            try {
              Dataset<Row> rows = DailyOutcomes.compute(points, events, reports, calendar.zone())
                  .filter(col("week_start").isin(weeks.stream().map(java.sql.Date::valueOf).toArray()));
              Map<LocalDate, long[]> raw = rawCounts(points, events, reports);
              long pointsRead = raw.values().stream().mapToLong(v -> v[0]).sum();
              long eventsRead = events.count();
              long reportsRead = reports.count();
              Audit audit = audit(weeks, raw);
              WriteAuditPublish.Published published = new WriteAuditPublish(spark, tables)
                  .replaceWeeks(table, weeks, rows, run.runId(), staged -> {
                    Audit.Outcome outcome = audit.evaluate(staged);
                    checked.addAll(outcome.results());
                    outcome.warnings().forEach(w ->
                        progress.accept(String.format("%s %s: audit warning: %s", NAME, date, w)));
                    return outcome.errors();
                  });
              Map<String, Long> snapshots = new LinkedHashMap<>();
              if (published.snapshotId() != null) {
                snapshots.put(table, published.snapshotId());
              }
              Map<String, Long> rowsRead = new LinkedHashMap<>();
              rowsRead.put(tables.metricPoints(), pointsRead);
              rowsRead.put(tables.interactionEvents(), eventsRead);
              rowsRead.put(tables.usageDaily(), reportsRead);
              JobRun.Builder record = run.succeeded()
                  .rowsRead(rowsRead)
                  .written(Map.of(table, published.rows()))
                  .snapshots(snapshots)
                  .inputSnapshots(reads.snapshots())
                  .metrics(Map.of("weeks", (long) weeks.size()));
              return run.done(new Result(run.runId(), weeks, pointsRead, eventsRead, published.rows(),
                      published.snapshotId()), record,
                  () -> String.format("%s %s: read %,d metric points, %,d events and %,d daily report rows, wrote "
                      + "%,d rows to %s, audit passed, published [%.1f s]", NAME, date, pointsRead, eventsRead,
                      reportsRead, published.rows(), table, run.seconds()));
            } finally {
              points.unpersist();
              events.unpersist();
              reports.unpersist();
            }
          });
        });
  }

  /**
   * The points the weeks' amounts are computed from: those of the metrics the table reads, of every stream
   * and start with a point in the weeks, up to the end of the last week (the earlier ones give the first
   * point of a week its previous value).
   */
  private Dataset<Row> pointsFor(Dataset<Row> all, List<LocalDate> weeks) {
    Dataset<Row> read = all.filter(col("metric_name").isin(DailyOutcomes.METRICS.toArray()));
    Dataset<Row> streams = read.filter(within(col("point_time"), weeks))
        .select(col("temporality").as("_temporality"), col("stream_key").as("_stream_key"),
            col("start_time").as("_start_time"))
        .distinct();
    LocalDate last = weeks.get(weeks.size() - 1);
    return read.filter(col("point_time").lt(lit(Timestamp.from(calendar.endOfWeek(last)))))
        .join(streams, sameStream(read, streams), "left_semi");
  }

  /**
   * The daily report rows of the weeks: a row's UTC day is its reporting day, so the day alone selects them
   * (bounds on day itself, so Iceberg prunes months).
   */
  private static Dataset<Row> reportsFor(Dataset<Row> all, List<LocalDate> weeks) {
    return all.filter(col("day").between(java.sql.Date.valueOf(weeks.get(0)),
            java.sql.Date.valueOf(ReportingCalendar.weekEnd(weeks.get(weeks.size() - 1)))))
        .filter(AttributedEvents.weekStart(col("day")).isin(weeks.stream().map(java.sql.Date::valueOf).toArray()));
  }

  /** Daily report rows with their person resolved as engagement resolves them. */
  private static Dataset<Row> resolvedReports(Dataset<Row> daily, Dataset<Row> identities, Dataset<Row> directory) {
    return AttributedEvents.resolveDailyRows(daily, identities, directory, "source", "tool", "user_id", "person_keys",
            "day", "active", "suggestions", "acceptances", "lines_kept")
        .selectExpr(DailyOutcomes.REPORT_ROWS.fieldNames());
  }

  /** Same temporality, stream and start; a point without a start matches the other points without one. */
  private static Column sameStream(Dataset<Row> points, Dataset<Row> streams) {
    return points.col("temporality").equalTo(streams.col("_temporality"))
        .and(points.col("stream_key").equalTo(streams.col("_stream_key")))
        .and(points.col("start_time").eqNullSafe(streams.col("_start_time")));
  }

  /** A timestamp column falls in one of the weeks; bounds on the column itself, so Iceberg prunes to their days. */
  private Column within(Column time, List<LocalDate> weeks) {
    return weeks.stream()
        .map(w -> time.geq(lit(Timestamp.from(calendar.startOf(w))))
            .and(time.lt(lit(Timestamp.from(calendar.endOfWeek(w))))))
        .reduce(Column::or)
        .orElse(lit(false));
  }

  /**
   * Per reporting day: metric points read whose amount belongs to it, user_prompt events, and the kept lines of
   * the daily report rows read.
   */
  private Map<LocalDate, long[]> rawCounts(Dataset<Row> points, Dataset<Row> events, Dataset<Row> reports) {
    Map<LocalDate, long[]> byDay = new java.util.TreeMap<>();
    points.groupBy(AttributedEvents.localDate(col("point_time"), calendar.zone()).as("day")).agg(count(lit(1)))
        .collectAsList()
        .forEach(r -> byDay.computeIfAbsent(r.getDate(0).toLocalDate(), d -> new long[3])[0] = r.getLong(1));
    events.filter(col("kind").equalTo("user_prompt"))
        .groupBy(AttributedEvents.localDate(col("event_time"), calendar.zone()).as("day")).agg(count(lit(1)))
        .collectAsList()
        .forEach(r -> byDay.computeIfAbsent(r.getDate(0).toLocalDate(), d -> new long[3])[1] = r.getLong(1));
    reports.filter(col("lines_kept").gt(0)).groupBy(col("day")).agg(sum("lines_kept"))
        .collectAsList()
        .forEach(r -> byDay.computeIfAbsent(r.getDate(0).toLocalDate(), d -> new long[3])[2] = r.getLong(1));
    return byDay;
  }

  private static Audit audit(List<LocalDate> weeks, Map<LocalDate, long[]> raw) {
    return Audit.of(
            RowCheck.noNulls("no null keys", "day", "week_start", "user_id", "tool"),
            RowCheck.unique("one row per (day, user_id, tool)", "day", "user_id", "tool"),
            // A monotonic sum only grows within its start; a smaller running total under the same start means
            // the emitter restarted without saying so, and the day's figure is off by what it lost.
            RowCheck.noneWhere(CheckKind.RANGE, "no negative amount", DailyOutcomes.FIGURES.stream()
                .map(f -> col(f).lt(0)).reduce(Column::or).orElseThrow()).warning())
        .perScope("week_start", weeks, ReportingCalendar::weekLabel, List.of(
            reconcile("metric points", sum(col("metric_points")), raw, 0),
            reconcile("human turns", sum(col("human_turns")), raw, 1),
            reconcile("daily report kept lines", sum(col("report_lines_kept")), raw, 2)));
  }

  /** A week's staged figure equals the count in what the run read for that week's days. */
  private static ScopeCheck reconcile(String what, Column staged, Map<LocalDate, long[]> raw, int figure) {
    return ScopeCheck.reconcile("sum of " + what, week -> what + " of week " + ReportingCalendar.weekLabel(week),
        staged, week -> raw.entrySet().stream()
            .filter(e -> !e.getKey().isBefore(week) && !e.getKey().isAfter(ReportingCalendar.weekEnd(week)))
            .mapToLong(e -> e.getValue()[figure]).sum());
  }

  /** Points with their person resolved: resolution reads an id, a tool and a time, which points name their own way. */
  private static Dataset<Row> resolvedPoints(Dataset<Row> points, Dataset<Row> identities, Dataset<Row> directory) {
    Dataset<Row> named = points.withColumnRenamed("point_id", "event_id").withColumnRenamed("point_time", "event_time");
    return PersonResolution.resolve(named, identities, directory).drop(PersonResolution.RESOLVED_BY)
        .withColumnRenamed("event_id", "point_id").withColumnRenamed("event_time", "point_time");
  }

  /** The columns of {@code raw.usage_daily} that decide a report row's outcomes, its person and its day. */
  private static final String[] REPORT_COLUMNS = {"source", "tool", "user_id", "person_keys", "day", "active",
      "suggestions", "acceptances", "lines_kept"};

  Scope scope(LocalDate date) {
    Long points = tables.currentSnapshotId(tables.metricPoints());
    Long events = tables.currentSnapshotId(tables.interactionEvents());
    Long daily = tables.currentSnapshotId(tables.usageDaily());
    Long identities = tables.currentSnapshotId(tables.identities());
    Long directory = tables.currentSnapshotId(tables.developerDirectory());
    Map<String, Long> previous = new io.goodhart.runs.JobRunLog(spark, tables).lastInputSnapshots(NAME);
    TreeSet<LocalDate> weeks = new TreeSet<>();
    weeks.add(ReportingCalendar.weekStart(date));
    List<String> reasons = new ArrayList<>();
    reasons.add("week of " + date);
    boolean everything = previous.isEmpty() && (points != null || events != null || daily != null);
    if (!everything) {
      Long previousPoints = previous.get(tables.metricPoints());
      Long previousEvents = previous.get(tables.interactionEvents());
      if (!onlyAppendedSince(tables.metricPoints(), previousPoints, points)
          || !onlyAppendedSince(tables.interactionEvents(), previousEvents, events)) {
        everything = true;
      } else if (!java.util.Objects.equals(identities, previous.get(tables.identities()))
          || !java.util.Objects.equals(directory, previous.get(tables.developerDirectory()))) {
        // A new identities file or directory may resolve anyone's keys differently: every week is recomputed
        // (the table holds per-day sums, a small recomputation).
        everything = true;
        reasons.add("the identities or the directory changed since the last run");
      } else {
        TreeSet<LocalDate> changed = new TreeSet<>();
        if (points != null && !points.equals(previousPoints)) {
          changed.addAll(weeksChangedByPoints(previousPoints, points));
        }
        if (events != null && !events.equals(previousEvents)) {
          changed.addAll(distinctWeeks(appended(tables.interactionEvents(), previousEvents, events), "event_time"));
        }
        weeks.addAll(changed);
        reasons.add(changed.size() + " week(s) with metric points or events appended since the last run");
        if (daily != null && !daily.equals(previous.get(tables.usageDaily()))) {
          List<LocalDate> changedDaily = new IncrementalScope(spark, tables, calendar)
              .weeksOfChangedDailyRows(previous.get(tables.usageDaily()), daily, REPORT_COLUMNS);
          if (changedDaily == null) {
            everything = true;
            reasons.add("the daily rows read by the last run are no longer kept");
          } else {
            weeks.addAll(changedDaily);
            reasons.add(changedDaily.size() + " week(s) with daily report rows changed since the last run");
          }
        }
      }
    }
    if (everything) {
      TreeSet<LocalDate> all = new TreeSet<>();
      if (points != null) {
        all.addAll(distinctWeeks(at(tables.metricPoints(), points), "point_time"));
      }
      if (events != null) {
        all.addAll(distinctWeeks(at(tables.interactionEvents(), events), "event_time"));
      }
      if (daily != null) {
        all.addAll(at(tables.usageDaily(), daily).select(AttributedEvents.weekStart(col("day"))).distinct()
            .collectAsList().stream().map(r -> r.getDate(0).toLocalDate()).toList());
      }
      weeks.addAll(all);
      reasons.add("no usable watermark from an earlier run: all " + all.size()
          + " week(s) with metric points, events or daily report rows");
    }
    return new Scope(List.copyOf(weeks), points, events, daily, identities, directory, String.join("; ", reasons));
  }

  /**
   * Whether the table changed only by appends between the two snapshots: then the appended rows say what
   * changed. Compactions ({@code replace}) change no rows. A table empty at the last run (no snapshot then)
   * has had only appends since.
   */
  private boolean onlyAppendedSince(String tableName, Long previous, Long current) {
    if (current == null) {
      return previous == null;
    }
    if (previous == null || current.equals(previous)) {
      return true;
    }
    Table table = tables.iceberg(tableName);
    if (table.snapshot(previous) == null || !SnapshotUtil.isAncestorOf(table, current, previous)) {
      return false;
    }
    for (Snapshot snapshot : SnapshotUtil.ancestorsBetween(table, current, previous)) {
      if (!DataOperations.APPEND.equals(snapshot.operation()) && !DataOperations.REPLACE.equals(snapshot.operation())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Weeks of the appended points and, for each cumulative one, of the next point of its stream and start,
   * whose amount is now counted from it.
   */
  private List<LocalDate> weeksChangedByPoints(Long previous, long current) {
    Dataset<Row> added = appended(tables.metricPoints(), previous, current)
        .filter(col("metric_name").isin(DailyOutcomes.METRICS.toArray()))
        .select(col("point_id").as("_added"));
    Dataset<Row> next = at(tables.metricPoints(), current)
        .withColumn("_next_time", lead("point_time", 1).over(
            Window.partitionBy("temporality", "stream_key", "start_time").orderBy("point_time")));
    Dataset<Row> touched = next.join(added, next.col("point_id").equalTo(added.col("_added")), "left_semi");
    TreeSet<LocalDate> weeks = new TreeSet<>(distinctWeeks(touched, "point_time"));
    weeks.addAll(distinctWeeks(touched.filter(col("temporality").equalTo("cumulative")
        .and(col("_next_time").isNotNull())), "_next_time"));
    return List.copyOf(weeks);
  }

  /** The rows appended after {@code previous} up to {@code current}; all rows when there is no previous. */
  private Dataset<Row> appended(String table, Long previous, long current) {
    if (previous == null) {
      return at(table, current);
    }
    return spark.read().format("iceberg")
        .option("start-snapshot-id", previous)
        .option("end-snapshot-id", current)
        .load(table);
  }

  private Dataset<Row> at(String table, long snapshot) {
    return spark.read().format("iceberg").option("snapshot-id", snapshot).load(table);
  }

  private List<LocalDate> distinctWeeks(Dataset<Row> rows, String timeColumn) {
    return rows.select(AttributedEvents.weekStart(AttributedEvents.localDate(col(timeColumn), calendar.zone())))
        .distinct().collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate()).sorted().toList();
  }

}
