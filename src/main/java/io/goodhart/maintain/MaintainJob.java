package io.goodhart.maintain;

import io.goodhart.lake.Branches;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.lake.Settings;
import io.goodhart.runs.RecordedRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart maintain}: keeps every goodhart table cheap to read and to store. For each table, in
 * this order:
 * <ol>
 *   <li>protects the snapshots {@code job_runs} still references with tags ({@link ProtectedSnapshots}),
 *       drops the tags it set earlier that nothing references any more, and drops write-audit-publish
 *       branches a crashed run left behind;</li>
 *   <li>compacts small data files: every partition with at least {@code compactMinFiles} files smaller
 *       than 75% of the target size is rewritten into target-size files (sorted by the table's sort
 *       order where it has one), as a {@code replace} snapshot that incremental reads skip;</li>
 *   <li>expires snapshots older than the retention, keeping the last {@code retainLast}, the tagged
 *       ones, and the whole history since a watermark or a leaderboard run, and deletes the files only
 *       the expired snapshots used;</li>
 *   <li>removes orphan files (in the table's folder but in no snapshot or metadata) older than
 *       {@code orphanAge}: a writer puts its data files in the folder before it commits them, so a file
 *       younger than the longest write could belong to a commit in flight.</li>
 * </ol>
 * The run is recorded in {@code job_runs} like any job. It is not part of the nightly graph: schedule
 * it weekly, outside the nightly window (a compaction commit racing a job's publish makes one of them
 * retry).
 */
public final class MaintainJob {
  public static final String NAME = "maintain";
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  /**
   * What maintenance keeps and when it compacts. {@code clock} is "now" for every age (injectable, so
   * retention is tested without waiting); {@code targetFileSizeBytes} null means each table's own
   * {@code write.target-file-size-bytes}; {@code only} limits the run to some tables (empty: all).
   */
  public record Config(int retainDays, int retainLast, Duration orphanAge, int compactMinFiles,
      Long targetFileSizeBytes, List<String> only, Clock clock) {
    public static final String RETAIN_DAYS = Settings.RETAIN_DAYS.key();
    public static final String RETAIN_LAST = Settings.RETAIN_LAST.key();
    public static final String ORPHAN_AGE_HOURS = Settings.ORPHAN_AGE_HOURS.key();
    public static final String COMPACT_MIN_FILES = Settings.COMPACT_MIN_FILES.key();
    public static final String TARGET_FILE_SIZE_MB = Settings.TARGET_FILE_SIZE_MB.key();
    /** Shorter windows risk deleting the files of a write in flight (ingest alone may run 2 hours). */
    static final Duration MIN_ORPHAN_AGE = Duration.ofHours(24);

    public Config {
      if (retainDays < 0) {
        throw new IllegalArgumentException("retain-days must be 0 or more, found " + retainDays);
      }
      if (retainLast < 1) {
        throw new IllegalArgumentException("retain-last must be at least 1 (the current snapshot), found " + retainLast);
      }
      if (orphanAge.compareTo(MIN_ORPHAN_AGE) < 0) {
        throw new IllegalArgumentException("orphan-age-hours must be at least " + MIN_ORPHAN_AGE.toHours()
            + ": a younger file may belong to a write that has not committed yet, found " + orphanAge.toHours());
      }
      if (compactMinFiles < 2) {
        throw new IllegalArgumentException("compact-min-files must be at least 2, found " + compactMinFiles);
      }
      if (targetFileSizeBytes != null && targetFileSizeBytes <= 0) {
        throw new IllegalArgumentException("the target file size must be positive, found " + targetFileSizeBytes + " bytes");
      }
      only = List.copyOf(only);
    }

    /** From the lake's settings, defaults where unset: 30 days, last 5, orphans after 72 hours, 5 files. */
    public static Config from(LakeConfig lake, List<String> only, Clock clock) {
      Integer targetMb = lake.value(Settings.TARGET_FILE_SIZE_MB);
      return new Config(lake.value(Settings.RETAIN_DAYS), lake.value(Settings.RETAIN_LAST),
          Duration.ofHours(lake.value(Settings.ORPHAN_AGE_HOURS)), lake.value(Settings.COMPACT_MIN_FILES),
          targetMb == null ? null : targetMb * 1024L * 1024L, only, clock);
    }
  }

  /** What maintenance did to one table. */
  public record TableReport(String table, int tagsSet, int tagsDropped, int branchesDropped, int referencesGone,
      int snapshotsExpired, int snapshotsKept, Instant historyKeptSince, String historyReason,
      long filesDeleted, long bytesDeleted, int dataFilesRewritten, int dataFilesAdded, long bytesRewritten,
      Long compactionSnapshot, long orphansRemoved, long orphanBytes, double seconds) {

    /** One line for a person. */
    public String describe() {
      StringBuilder s = new StringBuilder(String.format("maintain %s: kept %d snapshot(s)", table, snapshotsKept));
      if (historyKeptSince != null) {
        s.append(" (history since ").append(historyKeptSince).append(": ").append(historyReason).append(")");
      }
      s.append(String.format(", expired %d (%d file(s), %s deleted)", snapshotsExpired, filesDeleted, bytes(bytesDeleted)));
      s.append(dataFilesRewritten == 0 ? "; nothing to compact"
          : String.format("; compacted %d data file(s) (%s) into %d", dataFilesRewritten, bytes(bytesRewritten), dataFilesAdded));
      s.append(String.format("; %d orphan file(s) removed (%s)", orphansRemoved, bytes(orphanBytes)));
      if (tagsSet + tagsDropped + branchesDropped + referencesGone > 0) {
        s.append(String.format("; tags: %d set, %d dropped", tagsSet, tagsDropped));
        if (branchesDropped > 0) {
          s.append(String.format("; %d abandoned write-audit-publish branch(es) dropped", branchesDropped));
        }
        if (referencesGone > 0) {
          s.append(String.format("; %d referenced snapshot(s) were already gone", referencesGone));
        }
      }
      return s.append(String.format(" [%.1f s]", seconds)).toString();
    }

    static String bytes(long n) {
      if (n < 1024) {
        return n + " B";
      }
      if (n < 1024 * 1024) {
        return String.format("%.1f KB", n / 1024.0);
      }
      return String.format("%.1f MB", n / (1024.0 * 1024));
    }
  }

  /** The run's id and what it did to each table. */
  public record Result(String runId, List<TableReport> tables) {}

  private final SparkSession spark;
  private final LakeTables tables;
  private final Config config;
  private final Consumer<String> progress;

  public MaintainJob(SparkSession spark, LakeTables tables, Config config, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.config = config;
    this.progress = progress;
  }

  public Result run() {
    ExecutorService deletes = Executors.newFixedThreadPool(4);
    try {
      return RecordedRun.of(spark, tables, NAME, progress).run(run -> {
        List<String> all = tables.all();
        List<String> names = config.only().isEmpty() ? all : config.only();
        for (String name : names) {
          if (!all.contains(name)) {
            throw new IllegalArgumentException(name + " is not a goodhart table; they are " + String.join(", ", all));
          }
        }
        ProtectedSnapshots protectedSnapshots = ProtectedSnapshots.read(spark, tables);
        long now = config.clock().millis();
        List<TableReport> reports = new ArrayList<>();
        for (String name : names) {
          TableReport report = maintain(name, protectedSnapshots.of(name), run.runId(), now, deletes);
          progress.accept(report.describe());
          reports.add(report);
        }
        return run.done(new Result(run.runId(), reports),
            run.succeeded().snapshots(compactions(reports)).metrics(metrics(reports)));
      });
    } finally {
      deletes.shutdown();
    }
  }

  private TableReport maintain(String name, ProtectedSnapshots.Protection protection, String runId, long now,
      ExecutorService deletes) {
    long startedNanos = System.nanoTime();
    Table table = tables.iceberg(name);

    // 1. Tags first: the expiry below must already see them.
    int[] refs = protect(table, protection, now);

    // 2. Compaction, before expiry, so that files it replaces go with the snapshots that expire today.
    RewriteDataFiles.Result compaction = null;
    Long compactionSnapshot = null;
    if (table.currentSnapshot() != null) {
      RewriteDataFiles rewrite = SparkActions.get(spark).rewriteDataFiles(table)
          .option("min-input-files", String.valueOf(config.compactMinFiles()))
          .snapshotProperty("goodhart.run-id", runId);
      if (config.targetFileSizeBytes() != null) {
        rewrite = rewrite.option("target-file-size-bytes", String.valueOf(config.targetFileSizeBytes()));
      }
      // Sorted tables (raw.usage_events) stay clustered the way their readers rely on.
      rewrite = table.sortOrder().isSorted() ? rewrite.sort() : rewrite.binPack();
      compaction = rewrite.execute();
      table.refresh();
      if (compaction.rewrittenDataFilesCount() > 0) {
        compactionSnapshot = table.currentSnapshot().snapshotId();
      }
    }

    // 3. Expiry.
    long cutoff = now - config.retainDays() * DAY_MS;
    Snapshot historyFrom = null;
    for (Map.Entry<Long, String> from : protection.historyFrom().entrySet()) {
      Snapshot s = table.snapshot(from.getKey());
      if (s != null && (historyFrom == null || s.timestampMillis() < historyFrom.timestampMillis())) {
        historyFrom = s;
      }
    }
    String historyReason = historyFrom == null ? null : protection.historyFrom().get(historyFrom.snapshotId());
    if (historyFrom != null && historyFrom.timestampMillis() < cutoff) {
      cutoff = historyFrom.timestampMillis();
    }
    Set<Long> before = snapshotIds(table);
    Deletions expired = new Deletions(table.io());
    boolean anyOld = false;
    for (Snapshot s : table.snapshots()) {
      anyOld |= s.timestampMillis() < cutoff;
    }
    // The action plans Spark jobs even when it has nothing to do; skip it when nothing is old enough.
    if (anyOld && before.size() > config.retainLast()) {
      SparkActions.get(spark).expireSnapshots(table)
          .expireOlderThan(cutoff)
          .retainLast(config.retainLast())
          .deleteWith(expired)
          .executeDeleteWith(deletes)
          .execute();
      table.refresh();
    }
    Set<Long> after = snapshotIds(table);

    // 4. Orphans. A table nothing was ever committed to is skipped: listing it is the whole cost, and
    // whatever a failed first write left there is found once the table has a snapshot.
    Deletions orphans = new Deletions(table.io());
    if (table.currentSnapshot() != null) {
      SparkActions.get(spark).deleteOrphanFiles(table)
          .olderThan(now - config.orphanAge().toMillis())
          .deleteWith(orphans)
          .executeDeleteWith(deletes)
          .execute();
    }

    Set<Long> gone = new HashSet<>(before);
    gone.removeAll(after);
    return new TableReport(name, refs[0], refs[1], refs[2], refs[3], gone.size(), after.size(),
        historyFrom == null ? null : Instant.ofEpochMilli(historyFrom.timestampMillis()), historyReason,
        expired.files.sum(), expired.bytes.sum(),
        compaction == null ? 0 : compaction.rewrittenDataFilesCount(),
        compaction == null ? 0 : compaction.addedDataFilesCount(),
        compaction == null ? 0 : compaction.rewrittenBytesCount(), compactionSnapshot,
        orphans.files.sum(), orphans.bytes.sum(), (System.nanoTime() - startedNanos) / 1e9);
  }

  /**
   * Brings the table's goodhart tags to exactly the protection's, and drops abandoned write-audit-publish
   * branches, in one commit; none when nothing changes. Returns tags set, tags dropped, branches dropped, references already gone.
   */
  private int[] protect(Table table, ProtectedSnapshots.Protection protection, long now) {
    Map<String, SnapshotRef> refs = table.refs();
    ManageSnapshots manage = table.manageSnapshots();
    int set = 0;
    int dropped = 0;
    int branches = 0;
    int gone = 0;
    for (Map.Entry<String, Long> tag : protection.tags().entrySet()) {
      if (table.snapshot(tag.getValue()) == null) {
        gone++;
        continue;
      }
      SnapshotRef ref = refs.get(tag.getKey());
      if (ref == null) {
        manage.createTag(tag.getKey(), tag.getValue());
        set++;
      } else if (ref.isTag() && ref.snapshotId() != tag.getValue()) {
        manage.replaceTag(tag.getKey(), tag.getValue());
        set++;
      }
    }
    for (Map.Entry<String, SnapshotRef> ref : refs.entrySet()) {
      String refName = ref.getKey();
      if (ref.getValue().isTag() && refName.startsWith(ProtectedSnapshots.TAG_PREFIX)
          && (!protection.tags().containsKey(refName) || table.snapshot(protection.tags().get(refName)) == null)) {
        manage.removeTag(refName);
        dropped++;
      }
      if (ref.getValue().isBranch() && Branches.isWriteAuditPublish(refName) && abandoned(table, ref.getValue(), now)) {
        manage.removeBranch(refName);
        branches++;
      }
    }
    if (set + dropped + branches > 0) {
      manage.commit();
      table.refresh();
    }
    return new int[] {set, dropped, branches, gone};
  }

  /**
   * A write-audit-publish branch older than the orphan window that holds a staged write (a snapshot main
   * never reached), or that still points at an earlier snapshot of main (its run died before writing):
   * no run lasts that long, so nothing will audit or publish it, and it would keep its snapshot from
   * expiring. A branch at main's current snapshot may have just been created by a running job, so it is
   * left alone.
   */
  private boolean abandoned(Table table, SnapshotRef branch, long now) {
    Snapshot head = table.snapshot(branch.snapshotId());
    Snapshot current = table.currentSnapshot();
    boolean atCurrent = current != null && current.snapshotId() == head.snapshotId();
    return !atCurrent && head.timestampMillis() < now - config.orphanAge().toMillis();
  }

  private static Set<Long> snapshotIds(Table table) {
    Set<Long> ids = new HashSet<>();
    table.snapshots().forEach(s -> ids.add(s.snapshotId()));
    return ids;
  }

  /** Deletes files through the table's FileIO, counting them and their bytes. */
  private static final class Deletions implements Consumer<String> {
    private final FileIO io;
    final LongAdder files = new LongAdder();
    final LongAdder bytes = new LongAdder();

    Deletions(FileIO io) {
      this.io = io;
    }

    @Override
    public void accept(String path) {
      long size;
      try {
        size = io.newInputFile(path).getLength();
      } catch (RuntimeException alreadyGone) {
        size = 0;
      }
      io.deleteFile(path);
      files.increment();
      bytes.add(size);
    }
  }

  private static Map<String, Long> compactions(List<TableReport> reports) {
    Map<String, Long> out = new LinkedHashMap<>();
    reports.stream().filter(r -> r.compactionSnapshot() != null).forEach(r -> out.put(r.table(), r.compactionSnapshot()));
    return out;
  }

  /** Totals, then each table's non-zero figures under {@code <table>.<figure>}. */
  private static Map<String, Long> metrics(List<TableReport> reports) {
    Map<String, Long> totals = new LinkedHashMap<>();
    Map<String, Long> perTable = new LinkedHashMap<>();
    for (TableReport r : reports) {
      Map<String, Long> figures = new LinkedHashMap<>();
      figures.put("snapshots_expired", (long) r.snapshotsExpired());
      figures.put("files_deleted", r.filesDeleted());
      figures.put("bytes_deleted", r.bytesDeleted());
      figures.put("data_files_rewritten", (long) r.dataFilesRewritten());
      figures.put("data_files_added", (long) r.dataFilesAdded());
      figures.put("bytes_rewritten", r.bytesRewritten());
      figures.put("orphan_files_removed", r.orphansRemoved());
      figures.put("orphan_bytes_removed", r.orphanBytes());
      figures.put("tags_set", (long) r.tagsSet());
      figures.put("tags_dropped", (long) r.tagsDropped());
      figures.put("branches_dropped", (long) r.branchesDropped());
      figures.forEach((k, v) -> {
        totals.merge(k, v, Long::sum);
        if (v != 0) {
          perTable.put(r.table() + "." + k, v);
        }
      });
    }
    totals.put("tables", (long) reports.size());
    totals.putAll(perTable);
    return totals;
  }
}
