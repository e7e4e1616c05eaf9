package io.goodhart.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.goodhart.audit.CheckKind;
import io.goodhart.audit.CheckResult;
import io.goodhart.audit.Severity;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.Settings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How each input source's deliveries fare, day by day: from the file manifest ({@code raw.ingested_files}), per
 * source (the format the files were read as) and delivery day, the files read, the records they held, and of
 * those the records rejected, the daily rows that replaced stored ones, and the stored records whose person no key
 * resolved; and the warning a day gets when its share of rejected or unresolved records jumps above the median of
 * the days before it. The delivery day is the date of the folder the files were delivered in, so a file read late
 * by the lookback of a later night counts on the day its source delivered it; a file outside a delivery folder
 * counts on the UTC day of the run that read it.
 */
public final class SourceHealth {
  private SourceHealth() {}

  /** The manifest's outcome of a file that was read (not skipped). */
  static final String READ = "ingested";

  /**
   * Pure: manifest rows in; one row per (source, day) with files read out: {@code source, day, files, received,
   * rejected, replaced, unresolved, unresolved_keys_at_least}. A figure a file recorded by an earlier release did
   * not count is null for its day. {@code unresolved_keys_at_least} is the most distinct unresolved keys of any one
   * file of the day: the files do not tell how many keys they share, so the day has at least as many.
   */
  public static Dataset<Row> perSourceDay(Dataset<Row> manifest) {
    // The session time zone of every goodhart job is UTC (LakeConfig), so this is the UTC day of the run.
    Column day = coalesce(col("delivery_date"), to_date(col("recorded_at")));
    return manifest.filter(col("outcome").equalTo(lit(READ)))
        .groupBy(col("format").as("source"), day.as("day"))
        .agg(count(lit(1)).as("files"),
            sum(coalesce(col("records"), col("lines"), lit(0L))).as("received"),
            sum(coalesce(col("rejected"), lit(0L))).as("rejected"),
            whenEveryFileCounted("daily_replaced").as("replaced"),
            whenEveryFileCounted("unresolved").as("unresolved"),
            max(col("unresolved_keys")).as("unresolved_keys_at_least"));
  }

  /** The sum of a column over the files of a group, null when any file of it lacks the figure. */
  private static Column whenEveryFileCounted(String column) {
    return when(count(col(column)).equalTo(count(lit(1))), sum(col(column)));
  }

  /** A source's delivery day. */
  public record SourceDay(String source, LocalDate day) {}

  /** When a day's share is a jump: how many days before it make its baseline, and by how much it may exceed it. */
  public record Thresholds(int baselineDays, double rejectJump, double unresolvedJump) {
    public static Thresholds of(LakeConfig config) {
      return new Thresholds(config.value(Settings.SOURCE_HEALTH_BASELINE_DAYS),
          config.value(Settings.SOURCE_HEALTH_REJECT_JUMP), config.value(Settings.SOURCE_HEALTH_UNRESOLVED_JUMP));
    }
  }

  /**
   * The jump checks of the judged days, warnings: for each judged source and day with records, its share of
   * rejected records, and of unresolved ones, against the median share of the source's days with records among the
   * {@code baselineDays} days before it; a share above that median by more than the threshold fails. A day with no
   * earlier day to compare with is not judged. The staged figure is the day's records, the expected one what the
   * median share would make of the day's records received. Pure: rows of {@link #perSourceDay} holding the judged
   * days and their baseline days in, results out (scope: the day), by source and day.
   */
  public static List<CheckResult> jumps(List<Row> perSourceDay, Collection<SourceDay> judged, Thresholds thresholds) {
    Map<SourceDay, Row> byDay = new HashMap<>();
    for (Row r : perSourceDay) {
      byDay.put(new SourceDay(r.getString(r.fieldIndex("source")), r.getDate(r.fieldIndex("day")).toLocalDate()), r);
    }
    List<CheckResult> results = new ArrayList<>();
    for (SourceDay d : judged.stream().distinct()
        .sorted(Comparator.comparing(SourceDay::source).thenComparing(SourceDay::day)).toList()) {
      Row row = byDay.get(d);
      if (row == null || received(row) == 0) {
        continue;
      }
      List<Row> baseline = new ArrayList<>();
      for (int back = 1; back <= thresholds.baselineDays(); back++) {
        Row earlier = byDay.get(new SourceDay(d.source(), d.day().minusDays(back)));
        if (earlier != null && received(earlier) > 0) {
          baseline.add(earlier);
        }
      }
      judge(results, d, row, baseline, "rejected", r -> r.getLong(r.fieldIndex("rejected")),
          thresholds.rejectJump(), thresholds.baselineDays());
      if (!row.isNullAt(row.fieldIndex("unresolved"))) {
        judge(results, d, row, baseline.stream().filter(r -> !r.isNullAt(r.fieldIndex("unresolved"))).toList(),
            "unresolved", r -> r.getLong(r.fieldIndex("unresolved")), thresholds.unresolvedJump(),
            thresholds.baselineDays());
      }
    }
    return results;
  }

  private static void judge(List<CheckResult> results, SourceDay d, Row row, List<Row> baseline, String what,
      ToLongFunction<Row> figure, double jump, int baselineDays) {
    if (baseline.isEmpty()) {
      return;
    }
    double median = median(baseline.stream().mapToDouble(r -> (double) figure.applyAsLong(r) / received(r)).sorted()
        .toArray());
    long received = received(row);
    long records = figure.applyAsLong(row);
    double share = (double) records / received;
    boolean jumped = share - median > jump;
    results.add(new CheckResult(String.format("%s: share of %s records at most %s above the median of the %d days "
            + "before", d.source(), what, points(jump), baselineDays), CheckKind.RANGE, Severity.WARNING,
        d.day().toString(), null, records, Math.round(median * received), jumped
            ? String.format("%s delivered on %s: %s of %,d records %s, the median of the %d day(s) with records "
                + "before it is %s", d.source(), d.day(), percent(share), received, what, baseline.size(),
                percent(median))
            : null));
  }

  private static long received(Row r) {
    return r.getLong(r.fieldIndex("received"));
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String points(double share) {
    return String.format(java.util.Locale.ROOT, "%.1f percentage points", share * 100);
  }
}
