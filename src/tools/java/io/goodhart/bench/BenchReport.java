package io.goodhart.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The figures of a run as people read them: text tables for the terminal and a self-contained SVG chart
 * (wall time per step and size, the peer comparison, the nightly against history).
 */
final class BenchReport {
  private static final List<String> COLORS = List.of("#2f80ed", "#f2994a", "#9b51e0", "#219653", "#eb5757",
      "#56ccf2", "#bb6bd9", "#828282", "#f2c94c");
  private static final String INK = "#1f2933";
  private static final String MUTED = "#9aa5b1";
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

  String svg() {
    List<Panel> panels = new ArrayList<>();
    List<String> sizes = labels(Benchmark.SIZE);
    if (!sizes.isEmpty()) {
      List<String> segments = new ArrayList<>(List.of("ingest"));
      segments.addAll(nightSteps(Benchmark.SIZE));
      List<Bar> bars = sizes.stream().map(s -> new Bar(s, segments.stream()
          .map(step -> figures.value(Benchmark.SIZE, s, step, "wall_s").orElse(0.0)).toList())).toList();
      panels.add(new Panel("Ingest and nightly steps by size (wall seconds)", segments, bars));
    }
    List<String> peers = labels(Benchmark.PEER);
    if (!peers.isEmpty()) {
      List<String> engines = List.of("goodhart", "spark-sql", "duckdb");
      List<Bar> bars = new ArrayList<>();
      for (String size : peers) {
        for (int i = 0; i < engines.size(); i++) {
          List<Double> values = new ArrayList<>(List.of(0.0, 0.0, 0.0));
          values.set(i, figures.value(Benchmark.PEER, size, engines.get(i), "total_s").orElse(0.0));
          bars.add(new Bar(size + " " + engines.get(i), values));
        }
      }
      panels.add(new Panel("Engagement + raw leaderboard of one week (wall seconds)", engines, bars));
    }
    List<String> histories = labels(Benchmark.HISTORY);
    if (!histories.isEmpty()) {
      List<String> segments = nightSteps(Benchmark.HISTORY);
      segments.add(0, "ingest");
      List<Bar> bars = histories.stream().map(h -> new Bar(h + " history", segments.stream()
          .map(step -> figures.value(Benchmark.HISTORY, h, step, "wall_s").orElse(0.0)).toList())).toList();
      panels.add(new Panel("One night against weeks of history (wall seconds)", segments, bars));
    }
    return render(panels);
  }

  private record Bar(String label, List<Double> values) {
    double total() {
      return values.stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private record Panel(String title, List<String> segments, List<Bar> bars) {}

  private static String render(List<Panel> panels) {
    int width = 960;
    int left = 130;
    int right = 70;
    int barHeight = 20;
    int gap = 6;
    StringBuilder body = new StringBuilder();
    int y = 10;
    for (Panel p : panels) {
      y += 20;
      body.append(text(10, y, p.title(), 15, INK, "bold"));
      y += 10;
      int x = 10;
      for (int i = 0; i < p.segments().size(); i++) {
        body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>",
            x, y, color(i)));
        body.append(text(x + 16, y + 11, p.segments().get(i), 12, INK, "normal"));
        x += 26 + 7 * p.segments().get(i).length();
      }
      y += 22;
      double max = p.bars().stream().mapToDouble(Bar::total).max().orElse(1.0);
      double scale = (width - left - right) / Math.max(max, 1e-9);
      for (Bar bar : p.bars()) {
        body.append(text(10, y + 14, bar.label(), 12, INK, "normal"));
        double bx = left;
        for (int i = 0; i < bar.values().size(); i++) {
          double w = bar.values().get(i) * scale;
          if (w > 0) {
            body.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %.2f s</title></rect>",
                bx, y, w, barHeight, color(i), escape(bar.label()), escape(p.segments().get(i)), bar.values().get(i)));
          }
          bx += w;
        }
        body.append(text((int) bx + 6, y + 14, String.format(Locale.ROOT, bar.total() < 10 ? "%.2f s" : "%.1f s", bar.total()), 12, MUTED, "normal"));
        y += barHeight + gap;
      }
      y += 10;
    }
    return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\"><rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%s</svg>\n",
        width, y + 10, width, y + 10, body);
  }

  private static String color(int i) {
    return COLORS.get(i % COLORS.size());
  }

  private static String text(int x, int y, String s, int size, String fill, String weight) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"%s\" font-weight=\"%s\">%s</text>",
        x, y, size, fill, weight, escape(s));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
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
        .filter(f -> f.section().equals(section) && f.metric().equals("wall_s") && !NOT_NIGHT_STEPS.contains(f.step()))
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
