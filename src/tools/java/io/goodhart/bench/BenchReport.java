package io.goodhart.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The figures of a run as people read them: text tables, printed and kept in the run's {@code .txt} file
 * (the chart across runs is {@link BenchTrend}'s).
 */
final class BenchReport {
  /** Steps reported as their own columns, not as steps of the night. */
  private static final Set<String> NOT_NIGHT_STEPS = Set.of("generate", "ingest", "re-ingest", "nightly");

  private final Figures figures;

  BenchReport(Figures figures) {
    this.figures = figures;
  }

  String text() {
    StringBuilder out = new StringBuilder();
    List<String> sizes = labels(Benchmark.SIZE);
    if (!sizes.isEmpty()) {
      List<String> steps = nightSteps(Benchmark.SIZE);
      List<String> header = new ArrayList<>(List.of("size", "events", "ingest s", "events/s", "manifest % of ingest"));
      steps.forEach(s -> header.add(s + " s"));
      header.addAll(List.of("nightly s", "peak heap MiB", "re-ingest lines/s"));
      List<List<String>> rows = new ArrayList<>();
      for (String size : sizes) {
        List<String> row = new ArrayList<>(List.of(size, count(events(Benchmark.SIZE, size)),
            seconds(Benchmark.SIZE, size, "ingest"), whole(Benchmark.SIZE, size, "ingest", "events_per_s"),
            value(Benchmark.SIZE, size, "ingest", "manifest_share", "%.1f")));
        steps.forEach(s -> row.add(seconds(Benchmark.SIZE, size, s)));
        row.add(seconds(Benchmark.SIZE, size, "nightly"));
        row.add(whole(Benchmark.SIZE, size, "nightly", "peak_heap_mb"));
        row.add(whole(Benchmark.SIZE, size, "re-ingest", "lines_per_s"));
        rows.add(row);
      }
      out.append("Ingest and one night per size (the nightly's first run computes the generated week)\n");
      out.append(table(header, rows));
    }
    List<String> formats = deliveredFormats();
    if (!formats.isEmpty()) {
      List<String> header = List.of("size", "format", "requests", "ingest s", "requests/s", "rate / native",
          "bytes per request", "bytes / native");
      List<List<String>> rows = new ArrayList<>();
      for (String size : sizes) {
        rows.add(List.of(size, "goodhart", count(events(Benchmark.SIZE, size)), seconds(Benchmark.SIZE, size, "ingest"),
            whole(Benchmark.SIZE, size, "ingest", "events_per_s"), "1.00",
            whole(Benchmark.SIZE, size, "ingest", "bytes_per_request"), "1.00"));
        for (String format : formats) {
          String step = "ingest " + format;
          if (figures.value(Benchmark.SIZE, size, step, "wall_s").isEmpty()) {
            continue;
          }
          rows.add(List.of(size, format, count(stepEvents(size, step)), seconds(Benchmark.SIZE, size, step),
              whole(Benchmark.SIZE, size, step, "events_per_s"),
              value(Benchmark.SIZE, size, step, "rate_over_native", "%.2f"),
              whole(Benchmark.SIZE, size, step, "bytes_per_request"),
              value(Benchmark.SIZE, size, step, "bytes_over_native", "%.2f")));
        }
      }
      out.append("\nIngest of the same population delivered in each format (a request is one event of the contract)\n");
      out.append(table(header, rows));
    }
    List<String> peers = labels(Benchmark.PEER);
    if (!peers.isEmpty()) {
      List<String> header = List.of("size", "goodhart s", "Spark SQL s", "DuckDB s", "goodhart/DuckDB",
          "Spark SQL/DuckDB", "rows agreed");
      List<List<String>> rows = new ArrayList<>();
      for (String size : peers) {
        rows.add(List.of(size, value(Benchmark.PEER, size, "goodhart", "total_s", "%.1f"),
            value(Benchmark.PEER, size, "spark-sql", "total_s", "%.1f"),
            value(Benchmark.PEER, size, "duckdb", "total_s", "%.2f"),
            value(Benchmark.PEER, size, "ratio", "goodhart_over_duckdb", "%.1fx"),
            value(Benchmark.PEER, size, "ratio", "spark_sql_over_duckdb", "%.1fx"),
            whole(Benchmark.PEER, size, "check", "rows_agreed")));
      }
      out.append("\nEngagement + raw leaderboard of the week: goodhart's jobs against the same SQL on the same data as Parquet\n");
      out.append(table(header, rows));
    }
    List<String> histories = labels(Benchmark.HISTORY);
    if (!histories.isEmpty()) {
      List<String> steps = nightSteps(Benchmark.HISTORY);
      List<String> header = new ArrayList<>(List.of("history", "events in lake", "ingest s"));
      steps.forEach(s -> header.add(s + " s"));
      header.addAll(List.of("nightly s", "peak heap MiB"));
      List<List<String>> rows = new ArrayList<>();
      for (String h : histories) {
        List<String> row = new ArrayList<>(List.of(h, count(events(Benchmark.HISTORY, h)),
            seconds(Benchmark.HISTORY, h, "ingest")));
        steps.forEach(s -> row.add(seconds(Benchmark.HISTORY, h, s)));
        row.add(seconds(Benchmark.HISTORY, h, "nightly"));
        row.add(whole(Benchmark.HISTORY, h, "nightly", "peak_heap_mb"));
        rows.add(row);
      }
      out.append("\nOne night (a Wednesday: its delivery, the directory, the curated jobs) against weeks of history\n");
      out.append(table(header, rows));
    }
    return out.toString();
  }

  /** The formats other than the native one that a run ingested, in the order measured. */
  private List<String> deliveredFormats() {
    Set<String> out = new LinkedHashSet<>();
    figures.all().stream().filter(f -> f.section().equals(Benchmark.SIZE) && f.step().startsWith("ingest "))
        .forEach(f -> out.add(f.step().substring("ingest ".length())));
    return new ArrayList<>(out);
  }

  private long stepEvents(String size, String step) {
    return figures.all().stream().filter(f -> f.section().equals(Benchmark.SIZE) && f.size().equals(size)
        && f.step().equals(step)).mapToLong(Figures.Figure::events).max().orElse(0);
  }

  private List<String> labels(String section) {
    Set<String> out = new LinkedHashSet<>();
    figures.all().stream().filter(f -> f.section().equals(section)).forEach(f -> out.add(f.size()));
    return new ArrayList<>(out);
  }

  /** The night's steps of a section, in the order they ran. */
  private List<String> nightSteps(String section) {
    Set<String> out = new LinkedHashSet<>();
    figures.all().stream()
        .filter(f -> f.section().equals(section) && f.metric().equals("wall_s") && !NOT_NIGHT_STEPS.contains(f.step())
            && !f.step().startsWith("ingest ") && !f.step().startsWith("generate "))
        .forEach(f -> out.add(f.step()));
    return new ArrayList<>(out);
  }

  private long events(String section, String size) {
    return figures.all().stream().filter(f -> f.section().equals(section) && f.size().equals(size))
        .mapToLong(Figures.Figure::events).max().orElse(0);
  }

  private String seconds(String section, String size, String step) {
    return value(section, size, step, "wall_s", "%.1f");
  }

  private String whole(String section, String size, String step, String metric) {
    return value(section, size, step, metric, "%,.0f");
  }

  private String value(String section, String size, String step, String metric, String format) {
    return figures.value(section, size, step, metric).map(v -> String.format(Locale.ROOT, format, v)).orElse("-");
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String table(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, header, widths);
    List<String> rule = new ArrayList<>();
    for (int w : widths) {
      rule.add("-".repeat(w));
    }
    line(b, rule, widths);
    rows.forEach(r -> line(b, r, widths));
    return b.toString();
  }

  private static void line(StringBuilder b, List<String> cells, int[] widths) {
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      b.append(i == 0 ? String.format("%-" + widths[i] + "s", c) : "  " + String.format("%" + widths[i] + "s", c));
    }
    b.append('\n');
  }
}
