package io.goodhart.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The trend across the kept result files of a folder ({@code <date>-<machine>.csv}, oldest first): the
 * night's wall time and the ingest rate per size, and the night against history, one point per file, as
 * a self-contained SVG line chart. One file gives one point per series; the chart grows with the runs kept.
 */
final class BenchTrend {
  /** The name of a result file: {@code <date>-<machine>.csv}. */
  static final Pattern RESULT_FILE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}-[A-Za-z0-9._-]+\\.csv");

  private static final List<String> COLORS = List.of("#2f80ed", "#f2994a", "#9b51e0", "#219653", "#eb5757",
      "#56ccf2", "#bb6bd9", "#828282", "#f2c94c");
  private static final String INK = "#1f2933";
  private static final String MUTED = "#9aa5b1";
  private static final int WIDTH = 760;
  private static final int LEFT = 70;
  private static final int RIGHT = 120;
  private static final int PLOT_HEIGHT = 150;
  /** Up to this many runs, their labels (with the load) fit side by side under the plot; more are slanted, without it. */
  private static final int SIDE_BY_SIDE = 4;

  /** One kept run: its file's stem, its 1-minute load at start and end, and its CSV rows by column. */
  record Run(String name, String loadStart, String loadEnd, List<Map<String, String>> rows) {
    Optional<Double> value(String section, String size, String step, String metric) {
      return rows.stream()
          .filter(r -> section.equals(r.get("section")) && size.equals(r.get("size")) && step.equals(r.get("step")))
          .map(r -> r.getOrDefault(metric, ""))
          .filter(v -> !v.isEmpty())
          .map(Double::parseDouble)
          .reduce((a, b) -> b);
    }

    List<String> sizes(String section) {
      return rows.stream().filter(r -> section.equals(r.get("section"))).map(r -> r.get("size")).distinct().toList();
    }
  }

  /** What one panel plots: a metric of a step, one line per size label. */
  private record Panel(String title, String section, String step, String metric) {}

  private static final List<Panel> PANELS = List.of(
      new Panel("Nightly wall time per size (s)", Benchmark.SIZE, "nightly", "wall_s"),
      new Panel("Ingest rate per size (events/s)", Benchmark.SIZE, "ingest", "events_per_s"),
      new Panel("One night against weeks of history (s)", Benchmark.HISTORY, "nightly", "wall_s"));

  private BenchTrend() {}

  /** The kept result files of {@code folder}, oldest first (their names start with the date). */
  static List<Path> resultFiles(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> RESULT_FILE.matcher(f.getFileName().toString()).matches()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  static Run read(Path csv) {
    try {
      List<String> lines = Files.readAllLines(csv);
      String[] header = lines.get(0).split(",", -1);
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] cells = line.split(",", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length && i < cells.length; i++) {
          row.put(header[i], cells[i]);
        }
        rows.add(row);
      }
      String name = csv.getFileName().toString().replaceAll("\\.csv$", "");
      Map<String, String> first = rows.isEmpty() ? Map.of() : rows.get(0);
      return new Run(name, first.getOrDefault("load_1m_start", ""), first.getOrDefault("load_1m_end", ""), rows);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the bench results " + csv + ": " + e.getMessage(), e);
    }
  }

  /** The chart of every kept result file of {@code folder}. */
  static String svg(Path folder) {
    return svg(resultFiles(folder).stream().map(BenchTrend::read).toList());
  }

  static String svg(List<Run> runs) {
    StringBuilder body = new StringBuilder();
    int y = 10;
    body.append(text(10, y + 16, "goodhart bench: the kept results, oldest to newest (1-minute load at start→end)",
        14, INK, "bold", "start"));
    y += 30;
    for (Panel panel : PANELS) {
      List<String> series = runs.stream().flatMap(r -> r.sizes(panel.section()).stream()).distinct()
          .filter(s -> runs.stream().anyMatch(r -> r.value(panel.section(), s, panel.step(), panel.metric()).isPresent()))
          .toList();
      if (!series.isEmpty()) {
        y = panel(body, y, panel, series, runs);
      }
    }
    if (runs.isEmpty()) {
      body.append(text(10, y + 14, "no results kept yet", 12, MUTED, "normal", "start"));
      y += 24;
    }
    return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\"><rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%s</svg>\n",
        WIDTH, y + 10, WIDTH, y + 10, body);
  }

  private static int panel(StringBuilder body, int top, Panel panel, List<String> series, List<Run> runs) {
    body.append(text(10, top + 14, panel.title(), 13, INK, "bold", "start"));
    int plotTop = top + 26;
    int plotBottom = plotTop + PLOT_HEIGHT;
    int plotWidth = WIDTH - LEFT - RIGHT;
    double max = 0;
    for (Run run : runs) {
      for (String s : series) {
        max = Math.max(max, run.value(panel.section(), s, panel.step(), panel.metric()).orElse(0.0));
      }
    }
    double top0 = niceCeiling(max);
    for (double tick : List.of(0.0, top0 / 2, top0)) {
      double ty = plotBottom - PLOT_HEIGHT * tick / top0;
      body.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e7eb\"/>",
          LEFT, ty, LEFT + plotWidth, ty));
      body.append(text(LEFT - 6, (int) Math.round(ty) + 4, number(tick), 11, MUTED, "normal", "end"));
    }
    int n = runs.size();
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = n == 1 ? LEFT + plotWidth / 2.0 : LEFT + 10 + (plotWidth - 20) * i / (double) (n - 1);
      Run run = runs.get(i);
      String load = run.loadStart().isEmpty() || run.loadEnd().isEmpty() ? ""
          : String.format(Locale.ROOT, " (load %.1f→%.1f)", Double.parseDouble(run.loadStart()),
              Double.parseDouble(run.loadEnd()));
      int lx = (int) Math.round(xs[i]);
      if (n <= SIDE_BY_SIDE) {
        body.append(text(lx, plotBottom + 16, run.name() + load, 10, INK, "normal", "middle"));
      } else {
        body.append(String.format(Locale.ROOT, "<g transform=\"rotate(-30 %d %d)\">%s</g>", lx, plotBottom + 14,
            text(lx, plotBottom + 14, run.name(), 10, INK, "normal", "end")));
      }
    }
    for (int k = 0; k < series.size(); k++) {
      String s = series.get(k);
      String color = COLORS.get(k % COLORS.size());
      List<String> points = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Optional<Double> v = runs.get(i).value(panel.section(), s, panel.step(), panel.metric());
        if (v.isPresent()) {
          double py = plotBottom - PLOT_HEIGHT * v.get() / top0;
          points.add(String.format(Locale.ROOT, "%.1f,%.1f", xs[i], py));
          body.append(String.format(Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s: %s</title></circle>",
              xs[i], py, color, escape(runs.get(i).name()), escape(s), number(v.get())));
        }
      }
      if (points.size() > 1) {
        body.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>",
            String.join(" ", points), color));
      }
      int ly = plotTop + 12 + 16 * k;
      body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>",
          WIDTH - RIGHT + 14, ly - 10, color));
      body.append(text(WIDTH - RIGHT + 32, ly, s, 11, INK, "normal", "start"));
    }
    return plotBottom + (n <= SIDE_BY_SIDE ? 34 : 110);
  }

  /** The smallest of 1, 2 or 5 times a power of ten that holds {@code max}. */
  static double niceCeiling(double max) {
    if (max <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(max)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= max) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String number(double v) {
    return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String text(int x, int y, String s, int size, String fill, String weight, String anchor) {
    return String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"%s\" font-weight=\"%s\" text-anchor=\"%s\">%s</text>",
        x, y, size, fill, weight, anchor, escape(s));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
