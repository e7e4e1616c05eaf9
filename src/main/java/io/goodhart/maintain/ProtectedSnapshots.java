package io.goodhart.maintain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.goodhart.curated.LeaderboardJob;
import io.goodhart.publish.BiPublishJob;
import io.goodhart.lake.LakeTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The snapshots that {@code curated.job_runs} still references, which table maintenance must never
 * expire, each under the Iceberg tag that holds it:
 * <ul>
 *   <li>{@code goodhart-watermark-<job>}: the snapshot each job's latest successful run read
 *       ({@code input_snapshot_ids}), where its next run starts its incremental scan. That scan walks
 *       every snapshot from there to the current one, so the table's history since the watermark is
 *       kept whole, not just the watermark;</li>
 *   <li>{@code goodhart-latest-<job>}: what each job's latest successful run published
 *       ({@code snapshot_ids}), so the figures a run reports stay readable as it wrote them;</li>
 *   <li>{@code goodhart-run-<run_id>}: what every successful run published to a leaderboard table (the
 *       leaderboard job to the private one, bi-publish to its BI copy), which is how
 *       "what the leaderboard showed that night" is read ({@code sql/examples/leaderboard_as_of.sql}).
 *       Those queries also travel by timestamp, which needs the table's snapshot log unbroken, so the
 *       leaderboard tables keep their whole history since the first such run.</li>
 * </ul>
 * Tags rather than ids passed to one expiry call: a tag is in the table's own metadata, so any other
 * maintenance (a hand-run {@code expire_snapshots}, a managed optimizer) keeps the snapshot too, and it
 * can be read as {@code VERSION AS OF 'goodhart-run-...'}. Earlier watermarks and earlier runs of the
 * other jobs are no longer read by anything and fall under the ordinary retention.
 */
public final class ProtectedSnapshots {
  /** Prefix of every tag maintenance manages; tags without it are never touched. */
  public static final String TAG_PREFIX = "goodhart-";

  /** What must stay of one table: tags (name to snapshot id) and snapshots from which history is kept whole, with why. */
  public record Protection(Map<String, Long> tags, Map<Long, String> historyFrom) {
    static final Protection NONE = new Protection(Map.of(), Map.of());
  }

  private final Map<String, Protection> byTable;

  private ProtectedSnapshots(Map<String, Protection> byTable) {
    this.byTable = byTable;
  }

  /** Reads the references from the successful runs in {@code curated.job_runs}. */
  public static ProtectedSnapshots read(SparkSession spark, LakeTables tables) {
    Map<String, Map<String, Long>> tags = new LinkedHashMap<>();
    Map<String, Map<Long, String>> history = new LinkedHashMap<>();
    var succeeded = spark.table(tables.jobRuns()).filter(col("status").equalTo("succeeded"));
    List<Row> latest = succeeded
        .withColumn("n", row_number().over(Window.partitionBy("job").orderBy(col("ended_at").desc(), col("run_id").desc())))
        .filter(col("n").equalTo(1))
        .select("job", "snapshot_ids", "input_snapshot_ids")
        .collectAsList();
    for (Row run : latest) {
      String job = run.getString(0);
      references(run, 1).forEach((table, id) ->
          tags.computeIfAbsent(table, t -> new TreeMap<>()).put(TAG_PREFIX + "latest-" + job, id));
      references(run, 2).forEach((table, id) -> {
        tags.computeIfAbsent(table, t -> new TreeMap<>()).put(TAG_PREFIX + "watermark-" + job, id);
        history.computeIfAbsent(table, t -> new TreeMap<>()).put(id, "watermark of " + job);
      });
    }
    // The private board is written by the leaderboard job, its BI copy by bi-publish: each keeps the
    // snapshot every one of their runs published.
    List<String> boards = List.of(tables.leaderboardSnapshots(), tables.biCopyOf(tables.leaderboardSnapshots()));
    List<Row> leaderboards = succeeded.filter(col("job").isin(LeaderboardJob.NAME, BiPublishJob.NAME))
        .select("run_id", "snapshot_ids").collectAsList();
    for (Row run : leaderboards) {
      String runId = run.getString(0);
      references(run, 1).entrySet().stream().filter(e -> boards.contains(e.getKey())).forEach(e -> {
        String table = e.getKey();
        Long id = e.getValue();
        tags.computeIfAbsent(table, t -> new TreeMap<>()).put(TAG_PREFIX + "run-" + runId, id);
        history.computeIfAbsent(table, t -> new TreeMap<>()).putIfAbsent(id, "leaderboard time travel");
      });
    }
    Map<String, Protection> byTable = new LinkedHashMap<>();
    for (String table : tables.all()) {
      byTable.put(table, new Protection(tags.getOrDefault(table, Map.of()), history.getOrDefault(table, Map.of())));
    }
    return new ProtectedSnapshots(byTable);
  }

  private static Map<String, Long> references(Row run, int field) {
    return run.isNullAt(field) ? Map.of() : run.getJavaMap(field);
  }

  public Protection of(String table) {
    return byTable.getOrDefault(table, Protection.NONE);
  }
}
