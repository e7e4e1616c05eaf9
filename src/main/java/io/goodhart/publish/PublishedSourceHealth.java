package io.goodhart.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.goodhart.audit.CheckKind;
import io.goodhart.audit.CheckResult;
import io.goodhart.audit.Severity;
import io.goodhart.ingest.SourceHealth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code curated.source_health} as BI readers see it, from the file manifest ({@link SourceHealth#perSourceDay}).
 * Records received, rejected and replaced are counts of records, published as they are. The unresolved records of
 * a source and day are the usage of keys no person resolved, each of which may be one person (emails are keys), so
 * they are withheld (null, {@code suppressed = true}, with why) when they come from more than none and fewer than
 * the minimum group size distinct keys, as far as the files tell ({@code unresolved_keys_at_least}, a lower
 * bound: it withholds more, never less). No published figure sums a day's unresolved records over sources, and the
 * resolved records are not published, so withholding one source's figure needs no other withheld beside it. No
 * key count is published. Pure: per-source-day rows and the minimum group size in (0: nothing is withheld), BI
 * rows out.
 */
public final class PublishedSourceHealth {
  /** Why a day's unresolved records are withheld. */
  static final String FEW_KEYS = "fewer distinct keys than the minimum group size";

  private PublishedSourceHealth() {}

  public static Dataset<Row> compute(Dataset<Row> perSourceDay, int minGroupSize) {
    Column keys = col("unresolved_keys_at_least");
    Column few = org.apache.spark.sql.functions.coalesce(col("unresolved").gt(0).and(keys.lt(minGroupSize)), lit(false));
    return perSourceDay.select(col("source"), col("day"), col("files"), col("received"), col("rejected"),
        col("replaced"), few.as("suppressed"), when(few, lit(FEW_KEYS)).as("suppression"),
        when(few.unary_$bang(), col("unresolved")).as("unresolved"));
  }

  /**
   * The checks the BI rows must pass before they are written, on exactly those rows beside the per-source-day rows
   * they come from: a withheld row shows no unresolved figure; a published unresolved figure comes from no keys or
   * at least the minimum; one BI row per source and day the manifest has.
   */
  static List<CheckResult> audit(List<Row> staged, List<Row> perSourceDay, int minGroupSize) {
    List<CheckResult> results = new ArrayList<>();
    long showing = staged.stream().filter(r -> r.getBoolean(r.fieldIndex("suppressed"))
        && !r.isNullAt(r.fieldIndex("unresolved"))).count();
    results.add(new CheckResult("a suppressed row shows no figure", CheckKind.RANGE, Severity.ERROR, null, showing,
        null, null, showing > 0 ? String.format("%,d suppressed row(s) show an unresolved figure", showing) : null));
    java.util.Map<String, Row> bySourceDay = new java.util.HashMap<>();
    perSourceDay.forEach(r -> bySourceDay.put(key(r), r));
    List<String> few = new ArrayList<>();
    for (Row r : staged) {
      Row from = bySourceDay.get(key(r));
      if (from == null || r.isNullAt(r.fieldIndex("unresolved")) || r.getLong(r.fieldIndex("unresolved")) == 0) {
        continue;
      }
      int keysAt = from.fieldIndex("unresolved_keys_at_least");
      long keys = from.isNullAt(keysAt) ? 0 : from.getLong(keysAt);
      if (keys < minGroupSize) {
        few.add(String.format("%s: %,d unresolved record(s) published from at least %d key(s), fewer than %d",
            key(r), r.getLong(r.fieldIndex("unresolved")), keys, minGroupSize));
      }
    }
    results.add(new CheckResult("no published unresolved figure from fewer keys than the minimum", CheckKind.RANGE,
        Severity.ERROR, null, (long) few.size(), null, null, few.isEmpty() ? null : String.join("\n", few)));
    long rows = staged.size();
    long expected = perSourceDay.size();
    results.add(new CheckResult("one row per source and day of the manifest", CheckKind.RECONCILIATION,
        Severity.ERROR, null, null, rows, expected, rows == expected ? null
            : String.format("%,d row(s) in the BI table, %,d source-days in the manifest", rows, expected)));
    return results;
  }

  private static String key(Row r) {
    return r.getString(r.fieldIndex("source")) + " " + r.getDate(r.fieldIndex("day"));
  }
}
