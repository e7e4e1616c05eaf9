package io.goodhart.report;

import java.util.List;
import java.util.Locale;

/**
 * The few SVG shapes the dashboard draws, written as text. Charts are drawn on the server so the page
 * needs no script and no chart library: it opens offline, prints, and a test can read its numbers.
 */
final class Svg {
  static final String INK = "#1f2933";
  static final String MUTED = "#9aa5b1";
  static final String GENUINE = "#2f80ed";
  static final String PADDING = "#eb5757";
  static final String TARGET = "#27ae60";
  static final List<String> SERIES = List.of("#2f80ed", "#f2994a", "#9b51e0", "#219653", "#eb5757", "#56ccf2",
      "#bb6bd9", "#6fcf97", "#f2c94c", "#828282");

  private final StringBuilder out = new StringBuilder();

  Svg(int width, int height, String label) {
    out.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "role=\"img\" aria-label=\"%s\">", width, height, width, height, escape(label)));
  }

  Svg rect(double x, double y, double w, double h, String fill, String title) {
    out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
        x, y, Math.max(0, w), Math.max(0, h), fill));
    if (title != null) {
      out.append("<title>").append(escape(title)).append("</title>");
    }
    out.append("</rect>");
    return this;
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed) {
    out.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>",
        x1, y1, x2, y2, stroke, width, dashed ? " stroke-dasharray=\"6 4\"" : ""));
    return this;
  }

  Svg polyline(List<double[]> points, String stroke, double width, String title) {
    StringBuilder p = new StringBuilder();
    for (double[] xy : points) {
      p.append(String.format(Locale.ROOT, "%.1f,%.1f ", xy[0], xy[1]));
    }
    out.append(String.format(Locale.ROOT,
        "<polyline class=\"series\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\">",
        p.toString().trim(), stroke, width));
    if (title != null) {
      out.append("<title>").append(escape(title)).append("</title>");
    }
    out.append("</polyline>");
    for (double[] xy : points) {
      out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", xy[0], xy[1], stroke));
    }
    return this;
  }

  Svg text(double x, double y, String text, String anchor, int size, String fill) {
    out.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\">%s</text>",
        x, y, anchor, size, fill, escape(text)));
    return this;
  }

  String end() {
    return out.append("</svg>").toString();
  }

  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
