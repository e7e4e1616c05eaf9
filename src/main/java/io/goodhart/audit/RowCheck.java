package io.goodhart.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import org.apache.spark.sql.Column;

/**
 * A check of every staged row, counted in the one aggregation all of a table's row checks share: it
 * passes when no row breaks it. {@code offending} is the aggregate that counts the rows that do.
 */
public record RowCheck(String name, CheckKind kind, Severity severity, Column offending) {

  /** Completeness: no row with a null in any of {@code columns}. */
  public static RowCheck noNulls(String name, String... columns) {
    Column anyNull = Arrays.stream(columns).map(c -> col(c).isNull()).reduce(Column::or).orElse(lit(false));
    return noneWhere(CheckKind.COMPLETENESS, name, anyNull);
  }

  /** Uniqueness: one row per {@code key}; the figure is the rows beyond one per key. */
  public static RowCheck unique(String name, String... key) {
    Column[] rest = Arrays.stream(key).skip(1).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return new RowCheck(name, CheckKind.UNIQUENESS, Severity.ERROR,
        count(lit(1)).minus(countDistinct(col(key[0]), rest)));
  }

  /** Range: {@code column} within {@code [low, high]} (a null is not counted: say so with {@link #noNulls}). */
  public static RowCheck within(String name, String column, double low, double high) {
    return noneWhere(CheckKind.RANGE, name, col(column).lt(low).or(col(column).gt(high)));
  }

  /** Range: {@code column} one of {@code values} (a null is not counted). */
  public static RowCheck oneOf(String name, String column, Object... values) {
    return noneWhere(CheckKind.RANGE, name, col(column).isin(values).unary_$bang());
  }

  /** A check of the given kind that no row satisfies {@code breaks}. */
  public static RowCheck noneWhere(CheckKind kind, String name, Column breaks) {
    return new RowCheck(name, kind, Severity.ERROR, sum(when(breaks, 1).otherwise(0)));
  }

  /** The same check, recorded and printed when it fails, without stopping the publish. */
  public RowCheck warning() {
    return new RowCheck(name, kind, Severity.WARNING, offending);
  }

  CheckResult result(long offendingRows) {
    return new CheckResult(name, kind, severity, null, offendingRows, null, null,
        offendingRows > 0 ? String.format("%s: %,d row(s) break it", name, offendingRows) : null);
  }
}
