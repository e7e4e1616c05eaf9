package io.goodhart.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every figure a benchmark run measured, one per section, size, step and metric, and their CSV form
 * ({@value #HEADER}):
 * <ul>
 *   <li>{@code section}: {@code size} (a data set of that many events in one week), {@code peer} (the
 *       same week computed by DuckDB and by plain Spark SQL), or {@code history} (one night on a lake
 *       holding that many weeks);
 *   <li>{@code size}: the size's label ({@code 1M}) or the history's ({@code 4w});
 *   <li>{@code events}: events in the measured data (accepted into the lake);
 *   <li>{@code step}: a nightly job ({@code ingest}, {@code user-usage}, ...), {@code nightly} (the
 *       whole night), {@code re-ingest}, a table name (for {@code rows}), or a peer engine;
 *   <li>{@code metric}, {@code value}, {@code unit}: e.g. {@code wall_s} seconds, {@code events_per_s},
 *       {@code peak_heap_mb}, {@code rows}.
 * </ul>
 */
public final class Figures {
  public static final String HEADER = "section,size,events,step,metric,value,unit";

  /** One measured figure. */
  public record Figure(String section, String size, long events, String step, String metric, double value,
      String unit) {
    String csv() {
      return String.join(",", section, size, Long.toString(events), step, metric, format(value), unit);
    }
  }

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

  public synchronized void writeCsv(Path file) {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    figures.forEach(f -> lines.add(f.csv()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Integers without a fraction, everything else to three decimals: what a person and a spreadsheet read alike. */
  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
