package io.goodhart.curated;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.directory.DirectoryStint;
import io.goodhart.directory.IdentitiesLoadJob;
import io.goodhart.lake.LakeTables;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which weeks a curated job must recompute on a run for date D, so that a run reads only the raw
 * partitions it needs and yet every figure ends equal to a from-scratch computation:
 * the week of D; the weeks of every event appended to {@code raw.usage_events} since the job's last
 * successful run (late arrivals included), read with an Iceberg incremental scan; the weeks of the
 * partitions any other change to raw touched since then (a delete, an overwrite, an erasure); and the
 * weeks that changed directory stints span, and those that changed identity rows span (a change of whom
 * a key resolves to moves events between people); for a job that counts metric-only tokens, the weeks whose
 * tokens in {@code curated_private.daily_outcomes} changed; for a job that counts daily rows, the weeks whose
 * rows in {@code raw.usage_daily} changed (a daily row's UTC day is its reporting day, contract section 4).
 * The snapshot ids of the two raw tables (and of {@code daily_outcomes} and {@code usage_daily}) that the
 * job's last successful run recorded ({@code input_snapshot_ids}, which also holds the other tables it read)
 * are the watermark this run starts from. Without a usable watermark (first run, or its snapshot expired)
 * every week with events, or with metric tokens or active daily rows, is recomputed.
 */
public final class IncrementalScope {

  /** The weeks to recompute, the raw snapshots they are computed from, and why, for the progress line. */
  public record Scope(List<LocalDate> weeks, Long eventsSnapshot, Long directorySnapshot, Long identitiesSnapshot,
      Long outcomesSnapshot, Long dailySnapshot, String reason) {}

  private final SparkSession spark;
  private final LakeTables tables;
  private final ReportingCalendar calendar;
  /** The snapshot of {@code usage_daily} the scope being determined counts, null when it counts no daily rows. */
  private Long dailyBound;

  public IncrementalScope(SparkSession spark, LakeTables tables, ReportingCalendar calendar) {
    this.spark = spark;
    this.tables = tables;
    this.calendar = calendar;
  }

  public Scope determine(String job, LocalDate date) {
    return determine(job, date, false);
  }

  /**
   * @param metricTokens whether the job counts the tokens of metric-only days ({@link TokensCountedOnce}), so
   *     that a change to {@code daily_outcomes}' tokens changes its figures
   */
  public Scope determine(String job, LocalDate date, boolean metricTokens) {
    return determine(job, date, metricTokens, false);
  }

  /**
   * @param metricTokens as above
   * @param dailyRows whether the job counts the active rows of {@code raw.usage_daily}, so that a change to
   *     them changes its figures
   */
  public Scope determine(String job, LocalDate date, boolean metricTokens, boolean dailyRows) {
    Long outcomes = metricTokens ? tables.currentSnapshotId(tables.dailyOutcomes()) : null;
    Long daily = dailyRows ? tables.currentSnapshotId(tables.usageDaily()) : null;
    dailyBound = daily;
    Long events = tables.currentSnapshotId(tables.usageEvents());
    Long directory = tables.currentSnapshotId(tables.developerDirectory());
    Long identities = tables.currentSnapshotId(tables.identities());
    TreeSet<LocalDate> weeks = new TreeSet<>();
    weeks.add(ReportingCalendar.weekStart(date));
    List<String> reasons = new ArrayList<>();
    reasons.add("week of " + date);

    Map<String, Long> previous = new io.goodhart.runs.JobRunLog(spark, tables).lastInputSnapshots(job);
    Long previousEvents = previous.get(tables.usageEvents());
    Long previousDirectory = previous.get(tables.developerDirectory());
    Long previousIdentities = previous.get(tables.identities());
    // The other tables the last run read (curated ones) are not raw input: they do not decide the scope,
    // daily_outcomes' metric tokens aside (below).
    boolean full = previousEvents == null && previousDirectory == null;
    if (!full && events != null && !events.equals(previousEvents)) {
      Table table = tables.iceberg(tables.usageEvents());
      if (previousEvents == null || !SnapshotUtil.isAncestorOf(table, events, previousEvents)) {
        full = true;
      } else {
        List<LocalDate> late = newEventWeeks(previousEvents, events);
        weeks.addAll(late);
        reasons.add(late.size() + " week(s) with events appended since the last run");
        List<LocalDate> rewritten = rewrittenEventWeeks(table, previousEvents, events);
        if (rewritten == null) {
          full = true;
        } else if (!rewritten.isEmpty()) {
          weeks.addAll(rewritten);
          reasons.add(rewritten.size() + " week(s) with events deleted or overwritten since the last run");
        }
      }
    }
    if (!full && directory != null && !directory.equals(previousDirectory)) {
      if (previousDirectory == null || tables.iceberg(tables.developerDirectory()).snapshot(previousDirectory) == null) {
        full = true;
      } else {
        List<LocalDate> changed = changedStintWeeks(previousDirectory, directory, date);
        weeks.addAll(changed);
        reasons.add(changed.size() + " week(s) spanned by changed directory stints");
      }
    }
    if (!full && !java.util.Objects.equals(identities, previousIdentities)) {
      Table table = tables.iceberg(tables.identities());
      if (previousIdentities != null && table.snapshot(previousIdentities) == null) {
        full = true;
      } else {
        List<LocalDate> changed = changedIdentityWeeks(previousIdentities, identities, date);
        weeks.addAll(changed);
        reasons.add(changed.size() + " week(s) spanned by changed identities");
      }
    }
    if (!full && outcomes != null && !outcomes.equals(previous.get(tables.dailyOutcomes()))) {
      List<LocalDate> changed = changedTokenWeeks(previous.get(tables.dailyOutcomes()), outcomes);
      if (changed == null) {
        full = true;
      } else {
        weeks.addAll(changed);
        reasons.add(changed.size() + " week(s) with metric tokens changed since the last run");
      }
    }
    if (!full && daily != null && !daily.equals(previous.get(tables.usageDaily()))) {
      List<LocalDate> changed = changedDailyWeeks(previous.get(tables.usageDaily()), daily);
      if (changed == null) {
        full = true;
      } else {
        weeks.addAll(changed);
        reasons.add(changed.size() + " week(s) with daily rows changed since the last run");
      }
    }
    if (full) {
      TreeSet<LocalDate> all = new TreeSet<>(weeksWithUsage(outcomes, daily));
      weeks.addAll(all);
      reasons.add("no usable watermark from an earlier run: all " + all.size() + " week(s) with events"
          + (metricTokens ? " or metric tokens" : "") + (dailyRows ? " or active daily rows" : ""));
    }
    return new Scope(List.copyOf(weeks), events, directory, identities, outcomes, daily,
        String.join("; ", reasons));
  }

  /** The columns of {@code daily_outcomes} that decide the tokens a job counts for a person, day and tool. */
  private static final String[] TOKEN_COLUMNS = {"week_start", "day", "user_id", "tool", "metric_input_tokens",
      "metric_output_tokens", "metric_cache_read_tokens", "metric_cache_creation_tokens"};

  /**
   * Weeks whose metric tokens differ between two snapshots of {@code daily_outcomes} (rows added, removed or
   * changed; its other figures do not count): the table is rewritten a week at a time, so its appends are no
   * guide. {@code before} null (the last run did not read it): every week with metric tokens. Null when
   * {@code before} has expired.
   */
  private List<LocalDate> changedTokenWeeks(Long before, long after) {
    Dataset<Row> now = outcomesAt(after).selectExpr(TOKEN_COLUMNS);
    if (before == null) {
      return tokenWeeks(after);
    }
    if (tables.iceberg(tables.dailyOutcomes()).snapshot(before) == null) {
      return null;
    }
    Dataset<Row> old = outcomesAt(before).selectExpr(TOKEN_COLUMNS);
    return distinctWeeks(old.exceptAll(now).unionByName(now.exceptAll(old)).select("week_start"));
  }

  /** Weeks of {@code daily_outcomes} at a snapshot with metric tokens. */
  private List<LocalDate> tokenWeeks(long snapshot) {
    return distinctWeeks(outcomesAt(snapshot)
        .filter("metric_input_tokens + metric_output_tokens + metric_cache_read_tokens"
            + " + metric_cache_creation_tokens > 0")
        .select("week_start"));
  }

  /** The columns of {@code usage_daily} that decide whether, where and with which tool a row engages its person. */
  private static final String[] DAILY_COLUMNS = {"source", "tool", "user_id", "person_keys", "day", "active"};

  /**
   * Weeks of the daily rows that differ between two snapshots of {@code raw.usage_daily} (added, removed,
   * replaced by a later report): a replacement rewrites rows, so appends alone are no guide. The week of a
   * row is the reporting week of its UTC day. {@code before} null (the last run did not read it): every week
   * with active daily rows. Null when {@code before} has expired.
   */
  private List<LocalDate> changedDailyWeeks(Long before, long after) {
    if (before == null) {
      return dailyWeeks(after);
    }
    return weeksOfChangedDailyRows(before, after, DAILY_COLUMNS);
  }

  /**
   * Weeks of the daily rows whose {@code columns} (which hold {@code day}) differ between two snapshots of
   * {@code raw.usage_daily}: rows added, removed or replaced by a later report. {@code before} null (the table
   * was not read then): every week with a row. Null when {@code before} has expired.
   */
  List<LocalDate> weeksOfChangedDailyRows(Long before, long after, String[] columns) {
    if (before != null && tables.iceberg(tables.usageDaily()).snapshot(before) == null) {
      return null;
    }
    // Maps cannot be compared by set operations: the keys as sorted text stand for them.
    String[] comparable = java.util.Arrays.stream(columns)
        .map(c -> c.equals("person_keys") ? "to_json(array_sort(map_entries(person_keys))) AS person_keys" : c)
        .toArray(String[]::new);
    Dataset<Row> now = dailyAt(after).selectExpr(comparable);
    Dataset<Row> old = before == null ? now.limit(0) : dailyAt(before).selectExpr(comparable);
    return distinctWeeks(old.exceptAll(now).unionByName(now.exceptAll(old))
        .select(AttributedEvents.weekStart(col("day")).as("w")));
  }

  /** Weeks of {@code raw.usage_daily} at a snapshot with an active row. */
  private List<LocalDate> dailyWeeks(long snapshot) {
    return distinctWeeks(dailyAt(snapshot).filter(col("active"))
        .select(AttributedEvents.weekStart(col("day")).as("w")));
  }

  private Dataset<Row> dailyAt(long snapshot) {
    return spark.read().format("iceberg").option("snapshot-id", snapshot).load(tables.usageDaily());
  }

  private Dataset<Row> outcomesAt(long snapshot) {
    return spark.read().format("iceberg").option("snapshot-id", snapshot).load(tables.dailyOutcomes());
  }

  private Map<String, Long> lastWatermark(String job) {
    List<Row> rows = spark.table(tables.jobRuns())
        .filter(col("job").equalTo(job).and(col("status").equalTo("succeeded")))
        .orderBy(col("ended_at").desc())
        .select("input_snapshot_ids").limit(1).collectAsList();
    if (rows.isEmpty() || rows.get(0).isNullAt(0)) {
      return Map.of();
    }
    return rows.get(0).getJavaMap(0);
  }

  /** Weeks of the events appended between two snapshots (an incremental scan: only the new files). */
  private List<LocalDate> newEventWeeks(long fromExclusive, long toInclusive) {
    Dataset<Row> appended = spark.read().format("iceberg")
        .option("start-snapshot-id", fromExclusive)
        .option("end-snapshot-id", toInclusive)
        .load(tables.usageEvents());
    return distinctWeeks(appended.select(
        AttributedEvents.weekStart(AttributedEvents.localDate(col("event_time"), calendar.zone())).as("w")));
  }

  /**
   * Weeks of the partitions that deletes and overwrites changed between two snapshots (a {@code DELETE},
   * {@code MERGE} or overwrite of raw rows, {@code goodhart forget}): the incremental scan above reads appends
   * only. Read from the files each such snapshot added or removed, data and delete files alike, so no data
   * is read. Compactions ({@code replace}) change no rows and are skipped. Null when a changed file's
   * partition does not say its UTC day (the table was repartitioned): then every week is recomputed.
   */
  private List<LocalDate> rewrittenEventWeeks(Table table, long fromExclusive, long toInclusive) {
    TreeSet<LocalDate> weeks = new TreeSet<>();
    for (Snapshot snapshot : SnapshotUtil.ancestorsBetween(table, toInclusive, fromExclusive)) {
      String operation = snapshot.operation();
      if (DataOperations.APPEND.equals(operation) || DataOperations.REPLACE.equals(operation)) {
        continue;
      }
      List<ContentFile<?>> changed = new ArrayList<>();
      snapshot.addedDataFiles(table.io()).forEach(changed::add);
      snapshot.removedDataFiles(table.io()).forEach(changed::add);
      snapshot.addedDeleteFiles(table.io()).forEach(changed::add);
      snapshot.removedDeleteFiles(table.io()).forEach(changed::add);
      for (ContentFile<?> file : changed) {
        LocalDate utcDay = utcDay(table.specs().get(file.specId()), file.partition());
        if (utcDay == null) {
          return null;
        }
        weeks.addAll(weeksOfUtcDay(utcDay));
      }
    }
    return List.copyOf(weeks);
  }

  /** The UTC day a file's partition holds, when the spec partitions by {@code days(event_time)}. */
  private static LocalDate utcDay(PartitionSpec spec, StructLike partition) {
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField field = fields.get(i);
      if (field.transform().toString().equals("day")
          && spec.schema().findColumnName(field.sourceId()).equals("event_time")) {
        Integer day = partition.get(i, Integer.class);
        return day == null ? null : LocalDate.ofEpochDay(day);
      }
    }
    return null;
  }

  /** The reporting weeks a UTC day touches: the zone can put its two ends on different reporting days. */
  private List<LocalDate> weeksOfUtcDay(LocalDate utcDay) {
    Instant start = utcDay.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    return List.of(ReportingCalendar.weekStart(calendar.dayOf(start)),
        ReportingCalendar.weekStart(calendar.dayOf(start.plusSeconds(86_399))));
  }

  /**
   * Weeks overlapped by stints that differ between two directory versions (added, removed or changed),
   * bounded by the weeks that can have figures: from the first week with events (or active daily rows, for a
   * job that counts them) to the later of the week of the run date and the last such week.
   */
  private List<LocalDate> changedStintWeeks(long before, long after, LocalDate date) {
    return changedRowWeeks(tables.developerDirectory(), before, after, DirectoryStint.COLUMNS, date);
  }

  /**
   * Weeks overlapped by identity rows that differ between two versions of {@code raw.identities} (a null
   * {@code before}: the table had no rows), bounded as {@link #changedStintWeeks}. An identity's days are UTC
   * days, which can fall in the reporting week before or after: the weeks either way are included.
   */
  private List<LocalDate> changedIdentityWeeks(Long before, Long after, LocalDate date) {
    List<LocalDate> weeks = changedRowWeeks(tables.identities(), before, after, IdentitiesLoadJob.COLUMNS, date);
    TreeSet<LocalDate> widened = new TreeSet<>(weeks);
    List<LocalDate> eventWeeks = figureWeeks();
    for (LocalDate w : weeks) {
      for (LocalDate n : List.of(w.minusWeeks(1), w.plusWeeks(1))) {
        if (eventWeeks.contains(n)) {
          widened.add(n);
        }
      }
    }
    return List.copyOf(widened);
  }

  /**
   * Weeks overlapped by the rows ({@code valid_from} to {@code valid_to}) that differ between two versions of a
   * table (added, removed or changed), bounded as {@link #changedStintWeeks}. A column the older
   * version did not have yet reads as null.
   */
  private List<LocalDate> changedRowWeeks(String table, Long before, Long after, String[] columns, LocalDate date) {
    Dataset<Row> old = version(table, before, columns);
    Dataset<Row> now = version(table, after, columns);
    List<Row> changed = old.exceptAll(now).unionByName(now.exceptAll(old))
        .select(col("valid_from"), coalesce(col("valid_to"), lit(Date.valueOf(AttributedEvents.OPEN_END))))
        .collectAsList();
    List<LocalDate> eventWeeks = figureWeeks();
    if (changed.isEmpty() || eventWeeks.isEmpty()) {
      return List.of();
    }
    LocalDate first = eventWeeks.get(0);
    LocalDate last = ReportingCalendar.weekStart(date).isAfter(eventWeeks.get(eventWeeks.size() - 1))
        ? ReportingCalendar.weekStart(date) : eventWeeks.get(eventWeeks.size() - 1);
    TreeSet<LocalDate> weeks = new TreeSet<>();
    for (Row r : changed) {
      LocalDate from = ReportingCalendar.weekStart(r.getDate(0).toLocalDate());
      LocalDate to = r.getDate(1).toLocalDate();
      for (LocalDate w = from.isBefore(first) ? first : from; !w.isAfter(last) && !w.isAfter(to); w = w.plusWeeks(1)) {
        weeks.add(w);
      }
    }
    return List.copyOf(weeks);
  }

  /**
   * The weeks whose figures a change of stints or identities can move: those with events and, for a job that
   * counts daily rows, those with active daily rows (a person known only from daily rows has no events).
   */
  private List<LocalDate> figureWeeks() {
    return dailyBound == null ? weeksWithEvents() : weeksWithUsage(null, dailyBound);
  }

  /** The columns of a table at a snapshot (none: no rows), those it lacked then as nulls of today's type. */
  private Dataset<Row> version(String table, Long snapshot, String[] columns) {
    org.apache.spark.sql.types.StructType current = spark.table(table).schema();
    Dataset<Row> rows = snapshot == null ? spark.table(table).limit(0)
        : spark.read().format("iceberg").option("snapshot-id", snapshot).load(table);
    List<String> had = java.util.Arrays.asList(rows.columns());
    return rows.select(java.util.Arrays.stream(columns)
        .map(c -> had.contains(c) ? col(c) : lit(null).cast(current.apply(c).dataType()).as(c))
        .toArray(org.apache.spark.sql.Column[]::new));
  }

  /**
   * Every reporting week that holds events, read from the table's partition metadata (one row per UTC
   * day) rather than its data: a UTC day can touch two reporting days, so both of their weeks count.
   */
  public List<LocalDate> weeksWithEvents() {
    List<Row> days = spark.sql("SELECT partition.event_time_day FROM " + tables.usageEvents() + ".partitions")
        .collectAsList();
    TreeSet<LocalDate> weeks = new TreeSet<>();
    for (Row r : days) {
      weeks.addAll(weeksOfUtcDay(r.getDate(0).toLocalDate()));
    }
    return List.copyOf(weeks);
  }

  /**
   * Every reporting week with usage: the weeks with events; given a snapshot of {@code daily_outcomes}, the
   * weeks with metric tokens there; given one of {@code raw.usage_daily}, the weeks with active daily rows there
   * (a week of metric-only days or daily rows has usage but no events).
   */
  public List<LocalDate> weeksWithUsage(Long outcomesSnapshot, Long dailySnapshot) {
    TreeSet<LocalDate> weeks = new TreeSet<>(weeksWithEvents());
    if (outcomesSnapshot != null) {
      weeks.addAll(tokenWeeks(outcomesSnapshot));
    }
    if (dailySnapshot != null) {
      weeks.addAll(dailyWeeks(dailySnapshot));
    }
    return List.copyOf(weeks);
  }

  private static List<LocalDate> distinctWeeks(Dataset<Row> weeks) {
    return weeks.distinct().collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate()).sorted().toList();
  }
}
