package io.goodhart.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.audit.Audit;
import io.goodhart.audit.AuditResults;
import io.goodhart.audit.CheckKind;
import io.goodhart.audit.CheckResult;
import io.goodhart.audit.Severity;
import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.privacy.GroupSuppression;
import io.goodhart.privacy.PseudonymKey;
import io.goodhart.privacy.Pseudonyms;
import io.goodhart.runs.FaultPoint;
import io.goodhart.runs.BranchPublish;
import io.goodhart.runs.JobRun;
import io.goodhart.runs.PinnedReads;
import io.goodhart.runs.RecordedRun;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart bi-publish}: writes every table BI readers may read ({@link BiObjects#TABLES}) from the
 * private tables, under the publication rules: groups suppressed as {@link GroupSuppression} decides
 * ({@link PublishedEngagement}), people under keyed pseudonyms with the team of a suppressed team withheld
 * ({@link PublishedPerPerson}), the unresolved usage of tools with too few unresolved keys withheld
 * ({@link PublishedUnresolvedUsage}), the model log cut to what a dashboard needs, and the health of each input
 * source per delivery day from the file manifest, unresolved records from too few keys withheld
 * ({@link PublishedSourceHealth}; whole, when the manifest changed). All BI tables are written
 * by this one job from one set of suppression decisions, so they never disagree on which group is hidden.
 *
 * <p>Incremental: the weeks written are those whose partitions changed in any private source since the
 * snapshots the last successful run read (files added or removed, whatever the operation), and for the
 * engagement table the week after each (its changes read the week before); for the unresolved usage, whose
 * suppression depends on its own rows alone, the weeks that changed in its private table. A BI table whose last
 * publication was written under other rules, another minimum group size or another pseudonym key (or
 * under none: a lake from before this job) is republished whole, in one commit, so old pseudonyms are
 * never left beside new ones. The private tables and the model log are read each at one snapshot, recorded
 * as the run's {@code input_snapshot_ids}. Each BI table is written in one commit to a write-audit-publish
 * branch ({@link BranchPublish}), whose snapshot summary records the publication
 * ({@value #PUBLICATION_PROPERTY}), audited there, and published by fast-forwarding {@code main}.
 */
public final class BiPublishJob {
  public static final String NAME = "bi-publish";
  /** Bumped when the publication rules change: every BI table is then republished whole. */
  static final int RULES = 3;
  static final String PUBLICATION_PROPERTY = "goodhart.bi-publication";

  private final SparkSession spark;
  private final LakeTables tables;
  private final LakeConfig config;
  private final Consumer<String> progress;

  public BiPublishJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.config = config;
    this.progress = progress;
  }

  /** What a run did: rows written per BI table, and the tables republished whole with why. */
  public record Result(String runId, Map<String, Long> rowsWritten, Map<String, String> republishedWhole) {}

  /** The weeks a table gets: every week, or these. */
  private record Weeks(boolean all, Set<LocalDate> some) {
    static Weeks every() {
      return new Weeks(true, Set.of());
    }

    boolean isEmpty() {
      return !all && some.isEmpty();
    }

    Column filter() {
      return all ? lit(true) : col("week_start").isin(some.stream().map(Date::valueOf).toArray());
    }

    String describe() {
      return all ? "every week" : some.size() + " week(s)";
    }
  }

  public Result run(LocalDate date) {
    List<String> biTables = new ArrayList<>();
    for (String source : List.of(tables.teamWeeklyEngagement(), tables.userWeeklyUsage(), tables.usageClassification(),
        tables.leaderboardSnapshots())) {
      biTables.add(tables.biCopyOf(source));
    }
    biTables.add(tables.modelHealth());
    biTables.add(tables.biCopyOf(tables.unresolvedWeeklyUsage()));
    biTables.add(tables.sourceHealth());
    return RecordedRun.of(spark, tables, NAME, progress).forDate(date).publishingTo(biTables).holdingBeforeItsRecord()
        .run(run -> {
          Map<String, List<CheckResult>> checked = new LinkedHashMap<>();
          return new AuditResults(spark, tables).keptAround(run.runId(), NAME, checked,
              () -> publishAll(run, date, checked));
        });
  }

  /** Publishes every BI table; each audit's results are added to {@code checked} whether it passes or not. */
  private RecordedRun.Done<Result> publishAll(RecordedRun.Run run, LocalDate date,
      Map<String, List<CheckResult>> checked) {
    String runId = run.runId();
    Pseudonyms pseudonyms = new Pseudonyms(PseudonymKey.resolve(config));
    int minGroupSize = config.biMinGroupSize();
    String publication = "rules=" + RULES + ";min-group-size=" + minGroupSize + ";key=" + pseudonyms.keyId();

    List<String> weekly = List.of(tables.teamWeeklyEngagement(), tables.userWeeklyUsage(),
        tables.usageClassification(), tables.leaderboardSnapshots());
    PinnedReads read = new PinnedReads(spark, tables);
    for (String source : weekly) {
      read.snapshotOf(source);
    }
    read.snapshotOf(tables.modelRuns());
    String unresolved = tables.unresolvedWeeklyUsage();
    read.snapshotOf(unresolved);
    String manifest = tables.ingestedFiles();
    read.snapshotOf(manifest);
    Map<String, Long> watermark = new io.goodhart.runs.JobRunLog(spark, tables).lastInputSnapshots(NAME);

    boolean everyWeek = false;
    Set<LocalDate> changed = new TreeSet<>();
    for (String source : weekly) {
      Set<LocalDate> weeks = changedWeeks(tables.iceberg(source), watermark.get(source), read.snapshotOf(source));
      if (weeks == null) {
        everyWeek = true;
      } else {
        changed.addAll(weeks);
      }
    }
    Map<String, String> republished = new LinkedHashMap<>();
    Map<String, Weeks> scope = new LinkedHashMap<>();
    for (String source : weekly) {
      String target = tables.biCopyOf(source);
      String previous = publicationOf(tables.iceberg(target));
      if (!publication.equals(previous)) {
        republished.put(target, why(previous, publication));
        scope.put(target, Weeks.every());
      } else if (everyWeek) {
        scope.put(target, Weeks.every());
      } else {
        Set<LocalDate> weeks = new TreeSet<>(changed);
        if (source.equals(tables.teamWeeklyEngagement())) {
          changed.forEach(w -> weeks.add(w.plusWeeks(1)));
        }
        scope.put(target, new Weeks(false, weeks));
      }
    }
    // The unresolved usage is suppressed on its own figures alone: its weeks are only those that changed in it.
    String unresolvedTarget = tables.biCopyOf(unresolved);
    String unresolvedPrevious = publicationOf(tables.iceberg(unresolvedTarget));
    Weeks unresolvedWeeks;
    if (!publication.equals(unresolvedPrevious)) {
      republished.put(unresolvedTarget, why(unresolvedPrevious, publication));
      unresolvedWeeks = Weeks.every();
    } else {
      Set<LocalDate> weeks = changedWeeks(tables.iceberg(unresolved), watermark.get(unresolved), read.snapshotOf(unresolved));
      unresolvedWeeks = weeks == null ? Weeks.every() : new Weeks(false, weeks);
    }
    String modelHealthPrevious = publicationOf(tables.iceberg(tables.modelHealth()));
    boolean modelHealth = !publication.equals(modelHealthPrevious)
        || !java.util.Objects.equals(watermark.get(tables.modelRuns()), read.snapshotOf(tables.modelRuns()));
    if (!publication.equals(modelHealthPrevious)) {
      republished.put(tables.modelHealth(), why(modelHealthPrevious, publication));
    }
    String sourceHealthPrevious = publicationOf(tables.iceberg(tables.sourceHealth()));
    boolean sourceHealth = !publication.equals(sourceHealthPrevious)
        || !java.util.Objects.equals(watermark.get(manifest), read.snapshotOf(manifest));
    if (!publication.equals(sourceHealthPrevious)) {
      republished.put(tables.sourceHealth(), why(sourceHealthPrevious, publication));
    }
    republished.forEach((table, why) -> progress.accept(String.format("%s %s: %s is republished whole: %s",
        NAME, date, table, why)));

    Map<String, Long> written = new LinkedHashMap<>();
    Map<String, Long> rowsRead = new LinkedHashMap<>();
    Map<String, Long> snapshots = new LinkedHashMap<>();
    Map<String, Long> metrics = new LinkedHashMap<>();
    Dataset<Row> engagement = read.read(tables.teamWeeklyEngagement());
    Weeks needed = decisionWeeks(scope);
    Dataset<Row> engagementNeeded = needed.isEmpty() ? engagement.limit(0) : engagement.filter(needed.filter());
    PublishedEngagement.Decisions decided = PublishedEngagement.decisions(engagementNeeded, minGroupSize);
    Dataset<Row> decisions = decided.suppressed();
    Dataset<Row> publishedTeams = decided.publishedTeams();
    scope.put(unresolvedTarget, unresolvedWeeks);
    for (String source : weekly) {
      String target = tables.biCopyOf(source);
      Weeks weeks = scope.get(target);
      if (weeks.isEmpty()) {
        continue;
      }
      Dataset<Row> privateRows = inCurrentSchema(read.read(source), source).filter(weeks.filter());
      Dataset<Row> rows;
      if (source.equals(tables.teamWeeklyEngagement())) {
        List<LocalDate> requested = weeks.all()
            ? weeksOf(privateRows) : List.copyOf(weeks.some());
        rows = PublishedEngagement.compute(engagementNeeded, decisions, requested, minGroupSize);
      } else {
        rows = PublishedPerPerson.compute(privateRows, publishedTeams, pseudonyms);
        if (source.equals(tables.leaderboardSnapshots())) {
          rows = PublishedLeaderboard.rerank(rows);
        }
      }
      long[] counts = publish(target, rows, privateRows, weeks, publishedTeams, runId, publication,
          minGroupSize, snapshots, checked);
      written.put(target, counts[0]);
      rowsRead.put(source, counts[1]);
    }
    if (!unresolvedWeeks.isEmpty()) {
      Dataset<Row> privateRows = inCurrentSchema(read.read(unresolved), unresolved).filter(unresolvedWeeks.filter());
      long[] counts = publish(unresolvedTarget, PublishedUnresolvedUsage.compute(privateRows, minGroupSize), privateRows,
          unresolvedWeeks, publishedTeams, runId, publication, minGroupSize, snapshots, checked);
      written.put(unresolvedTarget, counts[0]);
      rowsRead.put(unresolved, counts[1]);
    }
    if (modelHealth) {
      written.put(tables.modelHealth(), publishModelHealth(read, runId, publication, snapshots));
    }
    if (sourceHealth) {
      long[] counts = publishSourceHealth(read, runId, publication, minGroupSize, snapshots, checked);
      written.put(tables.sourceHealth(), counts[0]);
      rowsRead.put(manifest, counts[1]);
    }
    long small = decided.small();
    long protecting = decided.protecting();
    metrics.put("weeks_changed", (long) changed.size());
    metrics.put("every_week", everyWeek ? 1L : 0L);
    metrics.put("groups_suppressed_small", small);
    metrics.put("groups_suppressed_protecting", protecting);
    metrics.put("tables_republished_whole", (long) republished.size());
    JobRun.Builder record = run.succeeded().rowsRead(rowsRead).written(written).snapshots(snapshots)
        .inputSnapshots(read.snapshots()).metrics(metrics);
    return run.done(new Result(runId, written, republished), record, () -> String.format(
        "%s %s: %s; %,d group-week(s) suppressed (%,d small, %,d protecting another), audit passed, published [%.1f s]",
        NAME, date,
        written.isEmpty() ? "nothing changed since the last run"
            : written.entrySet().stream().map(e -> String.format("%,d rows to %s (%s)", e.getValue(), e.getKey(),
                e.getKey().equals(tables.modelHealth()) || e.getKey().equals(tables.sourceHealth()) ? "whole"
                    : scope.get(e.getKey()).describe()))
            .collect(Collectors.joining(", ")),
        small + protecting, small, protecting, run.seconds()));
  }

  private static String why(String previous, String now) {
    if (previous == null) {
      return "it was not written under any publication rules yet";
    }
    Map<String, String> was = parse(previous);
    Map<String, String> is = parse(now);
    List<String> reasons = new ArrayList<>();
    if (!java.util.Objects.equals(was.get("key"), is.get("key"))) {
      reasons.add("the pseudonym key changed (" + was.get("key") + " -> " + is.get("key")
          + "): every pseudonym is replaced, none of the old ones is left");
    }
    if (!java.util.Objects.equals(was.get("min-group-size"), is.get("min-group-size"))) {
      reasons.add("the minimum group size changed (" + was.get("min-group-size") + " -> " + is.get("min-group-size") + ")");
    }
    if (!java.util.Objects.equals(was.get("rules"), is.get("rules"))) {
      reasons.add("the publication rules changed (" + was.get("rules") + " -> " + is.get("rules") + ")");
    }
    return String.join("; ", reasons);
  }

  private static Map<String, String> parse(String publication) {
    Map<String, String> out = new HashMap<>();
    for (String part : publication.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return out;
  }

  /** The weeks the suppression decisions are needed for: each published week, and the week before each. */
  private static Weeks decisionWeeks(Map<String, Weeks> scope) {
    Set<LocalDate> weeks = new TreeSet<>();
    for (Weeks w : scope.values()) {
      if (w.all()) {
        return Weeks.every();
      }
      weeks.addAll(w.some());
    }
    Set<LocalDate> withPrevious = new TreeSet<>(weeks);
    weeks.forEach(w -> withPrevious.add(w.minusWeeks(1)));
    return new Weeks(false, withPrevious);
  }

  /**
   * Writes one BI table's weeks to a branch in one commit, audits them there and publishes them; returns the
   * rows written and the private rows behind them. The audit's results are added to {@code checked} whether it
   * passes or not.
   */
  private long[] publish(String target, Dataset<Row> rows, Dataset<Row> privateRows, Weeks weeks,
      Dataset<Row> publishedTeams, String runId, String publication, int minGroupSize, Map<String, Long> snapshots,
      Map<String, List<CheckResult>> checked) {
    Map<LocalDate, Long> expected = perWeek(privateRows);
    Map<LocalDate, Long> got = new LinkedHashMap<>();
    long snapshot = new BranchPublish(spark, tables, target, runId)
        .audit(branch -> {
          Dataset<Row> staged = branch.rows().filter(weeks.filter());
          List<CheckResult> results = new ArrayList<>();
          checked.put(target, results);
          got.clear();
          if (target.equals(tables.biCopyOf(tables.unresolvedWeeklyUsage()))) {
            // A row per tool and week: audited on the driver, in one read.
            List<Row> all = staged.collectAsList();
            for (Row r : all) {
              got.merge(r.getDate(r.fieldIndex("week_start")).toLocalDate(), 1L, Long::sum);
            }
            results.addAll(PublishedUnresolvedUsage.audit(all, minGroupSize));
          } else if (target.equals(tables.biCopyOf(tables.teamWeeklyEngagement()))) {
            // A few hundred rows a week: audited on the driver, in one read.
            List<Row> all = staged.collectAsList();
            for (Row r : all) {
              got.merge(r.getDate(r.fieldIndex("week_start")).toLocalDate(), 1L, Long::sum);
            }
            results.addAll(EngagementAudit.results(all, minGroupSize));
          } else {
            got.putAll(auditPerPerson(staged, publishedTeams, results));
          }
          for (LocalDate week : new TreeSet<>(union(expected.keySet(), got.keySet()))) {
            long e = expected.getOrDefault(week, 0L);
            long g = got.getOrDefault(week, 0L);
            results.add(new CheckResult("rows of the week equal the private table's", CheckKind.RECONCILIATION,
                Severity.ERROR, ReportingCalendar.weekLabel(week), null, g, e, e == g ? null
                    : String.format("week %s: %,d row(s) in %s, %,d in the private table",
                        ReportingCalendar.weekLabel(week), g, target, e)));
          }
          return new Audit.Outcome(results).errors();
        })
        .holdingAt(FaultPoint.BI_COPY, target)
        .publish(branch -> tables.overwriteIn(rows, branch.reference(), weeks.filter(), runId,
            Map.of(PUBLICATION_PROPERTY, publication)));
    snapshots.put(target, snapshot);
    return new long[] {got.values().stream().mapToLong(Long::longValue).sum(),
        expected.values().stream().mapToLong(Long::longValue).sum()};
  }

  /**
   * The per-person checks, in one aggregation of the rows to be written: no user_id column, a pseudonym on
   * every row, no row naming a team whose figures are suppressed that week. Returns the rows per week.
   */
  private static Map<LocalDate, Long> auditPerPerson(Dataset<Row> staged, Dataset<Row> publishedTeams,
      List<CheckResult> results) {
    boolean userIds = java.util.Arrays.asList(staged.columns()).contains("user_id");
    results.add(new CheckResult("the rows carry no user_id", CheckKind.RANGE, Severity.ERROR, null, null, null, null,
        userIds ? "the rows carry user_id" : null));
    Dataset<Row> teams = publishedTeams.select(col("week_start").as("_p_week"), col("team_id").as("_p_team"))
        .withColumn("_published", lit(true));
    List<Row> weeks = staged.join(org.apache.spark.sql.functions.broadcast(teams),
            col("week_start").equalTo(col("_p_week")).and(col("team_id").equalTo(col("_p_team"))), "left")
        .groupBy("week_start")
        .agg(count(lit(1)), sum(when(col(Pseudonyms.COLUMN).isNull(), 1L).otherwise(0L)),
            sum(when(col("team_id").isNotNull().and(col("_published").isNull()), 1L).otherwise(0L)))
        .collectAsList();
    Map<LocalDate, Long> rows = new LinkedHashMap<>();
    long withoutPseudonym = 0;
    long hiddenTeamsShown = 0;
    for (Row w : weeks) {
      rows.put(w.getDate(0).toLocalDate(), w.getLong(1));
      withoutPseudonym += w.getLong(2);
      hiddenTeamsShown += w.getLong(3);
    }
    results.add(new CheckResult("every row has a pseudonym", CheckKind.COMPLETENESS, Severity.ERROR, null,
        withoutPseudonym, null, null,
        withoutPseudonym > 0 ? String.format("%,d row(s) without a pseudonym", withoutPseudonym) : null));
    results.add(new CheckResult("no row names a team suppressed that week", CheckKind.RANGE, Severity.ERROR, null,
        hiddenTeamsShown, null, null, hiddenTeamsShown > 0
            ? String.format("%,d row(s) name a team whose figures are suppressed that week", hiddenTeamsShown) : null));
    return rows;
  }

  /**
   * Writes {@code curated.source_health} whole from the manifest at its pinned snapshot, audited on its branch
   * ({@link PublishedSourceHealth#audit}); returns the rows written and the manifest rows read. A few rows per
   * source and day: audited on the driver, in one read.
   */
  private long[] publishSourceHealth(PinnedReads read, String runId, String publication, int minGroupSize,
      Map<String, Long> snapshots, Map<String, List<CheckResult>> checked) {
    String manifest = tables.ingestedFiles();
    Dataset<Row> files = inCurrentSchema(read.read(manifest), manifest);
    Dataset<Row> health = io.goodhart.ingest.SourceHealth.perSourceDay(files);
    List<Row> perSourceDay = health.collectAsList();
    Dataset<Row> rows = PublishedSourceHealth.compute(spark.createDataFrame(perSourceDay, health.schema()),
        minGroupSize);
    long snapshot = new BranchPublish(spark, tables, tables.sourceHealth(), runId)
        .audit(branch -> {
          List<CheckResult> results = new ArrayList<>(PublishedSourceHealth.audit(branch.rows().collectAsList(),
              perSourceDay, minGroupSize));
          checked.put(tables.sourceHealth(), results);
          return new Audit.Outcome(results).errors();
        })
        .holdingAt(FaultPoint.BI_COPY, tables.sourceHealth())
        .publish(branch -> tables.overwriteIn(rows, branch.reference(), lit(true), runId,
            Map.of(PUBLICATION_PROPERTY, publication)));
    snapshots.put(tables.sourceHealth(), snapshot);
    return new long[] {perSourceDay.size(), files.count()};
  }

  private long publishModelHealth(PinnedReads read, String runId, String publication, Map<String, Long> snapshots) {
    // Every model run and cluster: a few rows a night, read once.
    List<Row> runs = read.read(tables.modelRuns())
        .select("run_id", "trained_at", "logical_date", "training_rows", "k", "silhouette", "clusters")
        .collectAsList();
    List<Row> rows = new ArrayList<>();
    for (Row run : runs) {
      for (Row c : run.<Row>getList(6)) {
        rows.add(org.apache.spark.sql.RowFactory.create(run.get(0), run.get(1), run.get(2), run.get(3), run.get(4),
            run.get(5), c.get(c.fieldIndex("id")), c.get(c.fieldIndex("label")), c.get(c.fieldIndex("size")),
            c.get(c.fieldIndex("value_index")), c.get(c.fieldIndex("waste_index"))));
      }
    }
    Dataset<Row> health = spark.createDataFrame(rows, spark.table(tables.modelHealth()).schema());
    long snapshot = new BranchPublish(spark, tables, tables.modelHealth(), runId)
        .audit(branch -> {
          long staged = branch.rows().count();
          return staged == rows.size() ? List.of()
              : List.of(String.format("%,d row(s) on the branch, %,d from %s", staged, rows.size(), tables.modelRuns()));
        })
        .holdingAt(FaultPoint.BI_COPY, tables.modelHealth())
        .publish(branch -> tables.overwriteIn(health, branch.reference(), lit(true), runId,
            Map.of(PUBLICATION_PROPERTY, publication)));
    snapshots.put(tables.modelHealth(), snapshot);
    return rows.size();
  }

  /**
   * Rows read at a snapshot, in the table's current schema: a snapshot written before a column was added has
   * no such column (Iceberg reads a snapshot in the schema it was written with), which its copy has; null there.
   */
  private Dataset<Row> inCurrentSchema(Dataset<Row> rows, String table) {
    List<String> have = List.of(rows.columns());
    Dataset<Row> out = rows;
    for (org.apache.spark.sql.types.StructField field : spark.table(table).schema().fields()) {
      if (!have.contains(field.name())) {
        out = out.withColumn(field.name(), lit(null).cast(field.dataType()));
      }
    }
    return out;
  }

  private static List<LocalDate> weeksOf(Dataset<Row> rows) {
    return rows.select("week_start").distinct().collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate()).sorted().toList();
  }

  private static Map<LocalDate, Long> perWeek(Dataset<Row> rows) {
    Map<LocalDate, Long> out = new LinkedHashMap<>();
    rows.groupBy("week_start").agg(count(lit(1))).collectAsList()
        .forEach(r -> out.put(r.getDate(0).toLocalDate(), r.getLong(1)));
    return out;
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * The publication the table's content was written under: the property of its latest commit that has one,
   * passing over the commits that only rewrite files (compaction). Null when there is none.
   */
  static String publicationOf(Table table) {
    Snapshot s = table.currentSnapshot();
    while (s != null) {
      String value = s.summary().get(PUBLICATION_PROPERTY);
      if (value != null) {
        return value;
      }
      if (!"replace".equals(s.operation())) {
        return null;
      }
      s = s.parentId() == null ? null : table.snapshot(s.parentId());
    }
    return null;
  }

  /**
   * The weeks whose partitions changed between two snapshots of a table partitioned by {@code week_start}:
   * the partitions of every data or delete file added or removed by the snapshots after {@code from} up to
   * {@code to}. Null when that cannot be told (no earlier snapshot, or {@code from} is no ancestor of
   * {@code to} any more): then every week counts as changed.
   */
  static Set<LocalDate> changedWeeks(Table table, Long from, Long to) {
    if (to == null) {
      return Set.of();
    }
    if (from == null || table.snapshot(from) == null || !SnapshotUtil.isAncestorOf(table, to, from)) {
      return null;
    }
    Types.NestedField weekStart = table.schema().findField("week_start");
    Set<LocalDate> weeks = new TreeSet<>();
    for (Snapshot s : SnapshotUtil.ancestorsBetween(table, to, from)) {
      List<ContentFile<?>> files = new ArrayList<>();
      s.addedDataFiles(table.io()).forEach(files::add);
      s.removedDataFiles(table.io()).forEach(files::add);
      s.addedDeleteFiles(table.io()).forEach(files::add);
      s.removedDeleteFiles(table.io()).forEach(files::add);
      for (ContentFile<?> f : files) {
        PartitionSpec spec = table.specs().get(f.specId());
        int position = -1;
        for (int i = 0; i < spec.fields().size(); i++) {
          PartitionField field = spec.fields().get(i);
          if (weekStart != null && field.sourceId() == weekStart.fieldId() && field.transform().isIdentity()) {
            position = i;
          }
        }
        if (position < 0) {
          return null;
        }
        Integer days = f.partition().get(position, Integer.class);
        if (days != null) {
          weeks.add(LocalDate.ofEpochDay(days));
        }
      }
    }
    return weeks;
  }
}
