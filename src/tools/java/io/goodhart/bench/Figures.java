package io.goodhart.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every figure a benchmark run measured, one per section, size, step and metric, and their CSV form: one
 * row per section, size and step, with the run's context first and one column per metric ({@link #HEADER}):
 * <ul>
 *   <li>{@code date}, {@code machine} (the file's label, e.g. {@code 2c-24g}), {@code cores},
 *       {@code memory_gb}, {@code java}, {@code load_1m_start}, {@code load_1m_end}: the run
 *       ({@link BenchRun}), the same on every row;
 *   <li>{@code section}: {@code size} (a data set of that many events in one week), {@code peer} (the
 *       same week computed by DuckDB and by plain Spark SQL), or {@code history} (one night on a lake
 *       holding that many weeks);
 *   <li>{@code size}: the size's label ({@code 1M}) or the history's ({@code 4w});
 *   <li>{@code events}: events in the measured data (accepted into the lake);
 *   <li>{@code step}: a nightly job ({@code ingest}, {@code user-usage}, ...), {@code nightly} (the
 *       whole night), {@code generate}, {@code re-ingest}, a table name (for {@code rows}), a peer engine,
 *       or {@code ratio}/{@code check}/{@code export} in the peer section;
 *   <li>then the metrics ({@link #METRICS}), empty where the step has none; the unit is in the name:
 *       {@code _s} seconds, {@code _per_s} per second, {@code _mb} MiB, {@code manifest_share} percent,
 *       {@code precision}/{@code recall}/{@code f1} shares, {@code _over_} ratios, the rest counts.
 * </ul>
 */
public final class Figures {
  /** The metrics a run measures, in the order of their CSV columns. */
  static final List<String> METRICS = List.of("wall_s", "events_per_s", "lines_per_s", "lines_read",
      "manifest_share", "peak_heap_mb", "pool_peak_heap_mb", "rows", "precision", "recall", "f1", "engagement_s",
      "leaderboard_s", "total_s", "goodhart_over_duckdb", "spark_sql_over_duckdb", "rows_agreed", "bytes_per_request",
      "rate_over_native", "bytes_over_native");
  public static final String HEADER = "date,machine,cores,memory_gb,java,load_1m_start,load_1m_end,section,size,"
      + "events,step," + String.join(",", METRICS);

  /** One measured figure. */
  public record Figure(String section, String size, long events, String step, String metric, double value,
      String unit) {}

  private final List<Figure> figures = new ArrayList<>();

  public synchronized void add(String section, String size, long events, String step, String metric, double value,
      String unit) {
    figures.add(new Figure(section, size, events, step, metric, value, unit));
  }

  public synchronized List<Figure> all() {
    return Collections.unmodifiableList(new ArrayList<>(figures));
  }

  /** The value of one figure, if measured. */
  public synchronized Optional<Double> value(String section, String size, String step, String metric) {
    return figures.stream()
        .filter(f -> f.section().equals(section) && f.size().equals(size) && f.step().equals(step)
            && f.metric().equals(metric))
        .map(Figure::value)
        .reduce((a, b) -> b);
  }

  /** Writes the CSV of {@link #HEADER}: one row per section, size and step, in the order they were measured. */
  public synchronized void writeCsv(Path file, BenchRun run) {
    Map<List<String>, Map<String, Figure>> rows = new LinkedHashMap<>();
    for (Figure f : figures) {
      if (!METRICS.contains(f.metric())) {
        throw new IllegalStateException("no CSV column for the metric " + f.metric() + ": add it to Figures.METRICS");
      }
      rows.computeIfAbsent(List.of(f.section(), f.size(), f.step()), k -> new LinkedHashMap<>()).put(f.metric(), f);
    }
    String context = String.join(",", run.date().toString(), run.machine().label(),
        Integer.toString(run.machine().cores()), Long.toString(run.machine().memoryGb()), run.machine().java(),
        format(run.loadAtStart().oneMinute()), format(run.loadAtEnd().oneMinute()));
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    rows.forEach((key, byMetric) -> {
      List<String> cells = new ArrayList<>(List.of(context, key.get(0), key.get(1),
          Long.toString(byMetric.values().stream().mapToLong(Figure::events).max().orElse(0)), key.get(2)));
      METRICS.forEach(m -> cells.add(byMetric.containsKey(m) ? format(byMetric.get(m).value()) : ""));
      lines.add(String.join(",", cells));
    });
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Integers without a fraction, everything else to three decimals: what a person and a spreadsheet read alike. */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
