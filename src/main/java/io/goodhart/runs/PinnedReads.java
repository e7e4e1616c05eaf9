package io.goodhart.runs;

import io.goodhart.lake.LakeTables;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The tables a run reads, each at one snapshot: the first read of a table fixes its snapshot, every later
 * read of it in the run sees the same rows, and {@link #snapshots()} is what the run records as its
 * {@code input_snapshot_ids}, so what is recorded is what was read. A table nothing was committed to yet is
 * read as empty and recorded as nothing.
 */
public final class PinnedReads {
  private final SparkSession spark;
  private final LakeTables tables;
  private final Map<String, Long> pinned = new LinkedHashMap<>();

  public PinnedReads(SparkSession spark, LakeTables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /** The table at its snapshot in this run: the current one when the run first reads it. */
  public Dataset<Row> read(String table) {
    return at(table, snapshotOf(table));
  }

  /** The table at a snapshot the run decided on before reading it (its scope's), from now on the run's. */
  public Dataset<Row> read(String table, Long snapshot) {
    if (!pinned.containsKey(table)) {
      pinned.put(table, snapshot);
    } else if (!java.util.Objects.equals(pinned.get(table), snapshot)) {
      throw new IllegalStateException(table + " is read at snapshot " + pinned.get(table) + " in this run, not "
          + snapshot);
    }
    return at(table, snapshot);
  }

  /** The table's snapshot in this run, fixed now if the run has not read it yet; null when it has none. */
  public Long snapshotOf(String table) {
    if (!pinned.containsKey(table)) {
      pinned.put(table, tables.currentSnapshotId(table));
    }
    return pinned.get(table);
  }

  /** Table to snapshot id of every table read that has a snapshot, in the order first read. */
  public Map<String, Long> snapshots() {
    Map<String, Long> out = new LinkedHashMap<>();
    pinned.forEach((table, id) -> {
      if (id != null) {
        out.put(table, id);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  private Dataset<Row> at(String table, Long snapshot) {
    return snapshot == null ? spark.table(table).limit(0)
        : spark.read().format("iceberg").option("snapshot-id", snapshot).load(table);
  }
}
