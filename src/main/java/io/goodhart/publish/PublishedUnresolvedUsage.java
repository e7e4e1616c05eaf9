package io.goodhart.publish;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.audit.CheckKind;
import io.goodhart.audit.CheckResult;
import io.goodhart.audit.Severity;
import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.privacy.GroupSuppression;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code curated.unresolved_weekly_usage} as BI readers see it, from the private table of the same name. A
 * tool's unresolved figures of a week are the usage of its unresolved keys, each of which may be one person
 * (emails are keys), so they are withheld (null, {@code suppressed = true}, with why) when:
 * <ol>
 *   <li>their distinct keys are more than none and fewer than the minimum group size;</li>
 *   <li>exactly one tool of the week is withheld so, and this tool is the week's smallest other tool with
 *       unresolved keys (fewest keys, then the lowest tool): the unresolved requests of all tools of a week are
 *       the unassigned group's requests less those of people in no stint, so a single withheld tool would be
 *       that sum minus the published tools.</li>
 * </ol>
 * A tool's {@code events}, all of its requests, is always published; its resolved requests never are, so
 * {@code events} minus a published figure gives nothing withheld. No source key is published: the private
 * rows hold counts only. Pure: private rows and the minimum group size in (0: nothing is withheld), BI rows out.
 */
public final class PublishedUnresolvedUsage {
  /** Why a tool's figures are withheld when its own keys are too few. */
  static final String FEW_KEYS = "fewer distinct keys than the minimum group size";
  /** The figures a withheld row does not show. */
  static final List<String> FIGURES = List.of("unresolved_events", "unresolved_keys", "unresolved_share");

  private PublishedUnresolvedUsage() {}

  public static Dataset<Row> compute(Dataset<Row> privateRows, int minGroupSize) {
    WindowSpec week = Window.partitionBy("week_start");
    Column few = col("unresolved_keys").gt(0).and(col("unresolved_keys").lt(minGroupSize));
    Column other = few.unary_$bang().and(col("unresolved_keys").gt(0));
    Dataset<Row> flagged = privateRows
        .withColumn("_few", few)
        .withColumn("_few_in_week", sum(when(few, 1).otherwise(0)).over(week))
        .withColumn("_cover", min(when(other, struct(col("unresolved_keys"), col("tool")))).over(week));
    Column cover = coalesce(col("_few_in_week").equalTo(1).and(other).and(col("tool").equalTo(col("_cover.tool"))),
        lit(false));
    Column published = col("_few").unary_$bang().and(cover.unary_$bang());
    return flagged.select(col("week_start"), col("iso_week"), col("tool"),
        published.unary_$bang().as("suppressed"),
        when(col("_few"), lit(FEW_KEYS))
            .when(cover, lit(GroupSuppression.Reason.PROTECTS_ANOTHER.words())).as("suppression"),
        col("events"),
        when(published, col("unresolved_events")).as("unresolved_events"),
        when(published, col("unresolved_keys")).as("unresolved_keys"),
        when(published, col("unresolved_events").cast("double").divide(col("events"))).as("unresolved_share"));
  }

  /**
   * The checks the BI rows must pass before they are written, on exactly those rows: a withheld row shows no
   * figure; a published row has no keys or at least the minimum; no week has exactly one withheld tool while
   * another tool's unresolved figures are published.
   */
  static List<CheckResult> audit(List<Row> staged, int minGroupSize) {
    List<CheckResult> results = new ArrayList<>();
    long showing = staged.stream().filter(r -> r.getBoolean(r.fieldIndex("suppressed"))
        && FIGURES.stream().anyMatch(f -> !r.isNullAt(r.fieldIndex(f)))).count();
    results.add(new CheckResult("a suppressed row shows no figure", CheckKind.RANGE, Severity.ERROR, null, showing,
        null, null, showing > 0 ? String.format("%,d suppressed row(s) show a figure", showing) : null));
    Map<LocalDate, List<Row>> weeks = new TreeMap<>();
    staged.forEach(r -> weeks.computeIfAbsent(r.getDate(r.fieldIndex("week_start")).toLocalDate(),
        w -> new ArrayList<>()).add(r));
    weeks.forEach((week, rows) -> {
      String label = ReportingCalendar.weekLabel(week);
      List<String> few = new ArrayList<>();
      long withheld = 0;
      long publishedWithKeys = 0;
      for (Row r : rows) {
        if (r.getBoolean(r.fieldIndex("suppressed"))) {
          withheld++;
          continue;
        }
        long keys = r.getLong(r.fieldIndex("unresolved_keys"));
        publishedWithKeys += keys > 0 ? 1 : 0;
        if (keys > 0 && keys < minGroupSize) {
          few.add(String.format("week %s: tool %s is published with %d unresolved key(s), fewer than %d", label,
              r.getString(r.fieldIndex("tool")), keys, minGroupSize));
        }
      }
      results.add(new CheckResult("no published tool has fewer unresolved keys than the minimum", CheckKind.RANGE,
          Severity.ERROR, label, (long) few.size(), null, null, few.isEmpty() ? null : String.join("\n", few)));
      boolean alone = withheld == 1 && publishedWithKeys > 0;
      results.add(new CheckResult("no week has exactly one suppressed tool beside published ones", CheckKind.RANGE,
          Severity.ERROR, label, alone ? 1L : 0L, null, null, alone ? String.format("week %s: one tool's unresolved "
              + "figures are withheld and %d other tool(s)' published: their sum would give it away", label,
              publishedWithKeys) : null));
    });
    return results;
  }
}
