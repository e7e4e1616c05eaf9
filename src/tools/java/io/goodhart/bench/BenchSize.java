package io.goodhart.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark size: how many events the measured week should hold, written as people say it
 * ({@code 20k}, {@code 1M}, {@code 2.5M}, {@code 8000000}). The generator is sized by people, not events,
 * so {@link #users()} turns the target into a head count at the generator's rate; the events
 * actually generated are reported beside the label.
 */
public record BenchSize(String label, long events) {
  /**
   * Events one person makes in one generated week with the default mix and the leaderboard launched in
   * that week: the generator's calibration, so a size is approximate and its real count is reported.
   */
  static final double EVENTS_PER_USER_WEEK = 105.7;

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)([kKmM]?)");

  public static BenchSize parse(String text) {
    String t = text.trim();
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("a size is a number of events like 20k, 1M or 2.5M (got '" + text + "')");
    }
    double n = Double.parseDouble(m.group(1));
    long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 1_000L;
      case "m" -> 1_000_000L;
      default -> 1L;
    };
    long events = Math.round(n * factor);
    if (events < 1_000) {
      throw new IllegalArgumentException("a size must be at least 1k events (got '" + text + "')");
    }
    return new BenchSize(t.replace('m', 'M').replace('K', 'k'), events);
  }

  /** People to generate for about {@link #events()} events in one week. */
  public int users() {
    return (int) Math.max(10, Math.round(events / EVENTS_PER_USER_WEEK));
  }
}
