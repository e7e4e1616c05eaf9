package io.goodhart.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Column;

/**
 * A check of each scope (a week, a day, a snapshot date) of the staged rows, computed in the one grouped
 * aggregation all of a table's scope checks share: {@code figures} are aggregates over a scope's rows,
 * and {@code judge} turns them into the scope's result.
 */
public record ScopeCheck(String name, CheckKind kind, Severity severity, List<Column> figures, Judge judge) {

  /** How a scope's figures are judged. */
  @FunctionalInterface
  public interface Judge {
    /**
     * The verdict on one scope; {@code figures} is null when no staged row falls in it. Null when the
     * check does not apply to that scope (nothing is recorded).
     */
    Verdict judge(LocalDate scope, long[] figures);
  }

  /** A scope's figures and, when the check failed, the finding saying by how much. */
  public record Verdict(Long offendingRows, Long stagedValue, Long expectedValue, String finding) {}

  /**
   * Reconciliation: the staged aggregate {@code staged} of each scope equals raw's figure for it; a scope
   * without staged rows counts 0. The finding reads "{@code what(scope)}: staged in the output, raw in raw
   * (off by the difference)".
   */
  public static ScopeCheck reconcile(String name, Function<LocalDate, String> what, Column staged,
      ToLongFunction<LocalDate> raw) {
    return new ScopeCheck(name, CheckKind.RECONCILIATION, Severity.ERROR, List.of(staged), (scope, f) -> {
      long s = f == null ? 0 : f[0];
      long r = raw.applyAsLong(scope);
      return new Verdict(null, s, r, s == r ? null
          : String.format("%s: %,d in the output, %,d in raw (off by %+,d)", what.apply(scope), s, r, s - r));
    });
  }

  /** Completeness: each scope that {@code required} holds for has staged rows; {@code missing} says which is not. */
  public static ScopeCheck present(String name, Predicate<LocalDate> required, Function<LocalDate, String> missing) {
    return new ScopeCheck(name, CheckKind.COMPLETENESS, Severity.ERROR, List.of(count(lit(1))), (scope, f) -> {
      if (!required.test(scope)) {
        return null;
      }
      long rows = f == null ? 0 : f[0];
      return new Verdict(null, rows, null, rows > 0 ? null : missing.apply(scope));
    });
  }

  /** What a failed check of a scope's figure says, given the scope and the figure. */
  @FunctionalInterface
  public interface Finding {
    String of(LocalDate scope, long figure);
  }

  /** Uniqueness within each scope that has rows: one row per {@code key}; the figure is the rows beyond one. */
  public static ScopeCheck uniqueWithin(String name, String key, Finding twice) {
    return new ScopeCheck(name, CheckKind.UNIQUENESS, Severity.ERROR, List.of(count(lit(1)).minus(countDistinct(col(key)))),
        (scope, f) -> f == null ? null : new Verdict(f[0], null, null, f[0] == 0 ? null : twice.of(scope, f[0])));
  }

  /** What a failed ranking check says, given the scope, the lowest and highest rank, and the rows. */
  @FunctionalInterface
  public interface RankFinding {
    String of(LocalDate scope, long lowest, long highest, long rows);
  }

  /**
   * Range within each scope that has rows: {@code rank} runs from 1 to the number of rows (staged: the
   * highest rank, expected: the rows).
   */
  public static ScopeCheck ranks(String name, String rank, RankFinding wrong) {
    return new ScopeCheck(name, CheckKind.RANGE, Severity.ERROR, List.of(min(rank), max(rank), count(lit(1))),
        (scope, f) -> f == null ? null : new Verdict(null, f[1], f[2],
            f[0] == 1 && f[1] == f[2] ? null : wrong.of(scope, f[0], f[1], f[2])));
  }

  /** The same check, judged only on the scopes that hold staged rows (an expected scope without any is skipped). */
  public ScopeCheck onlyWhereStaged() {
    return new ScopeCheck(name, kind, severity, figures, (scope, f) -> f == null ? null : judge.judge(scope, f));
  }

  /** The same check, recorded and printed when it fails, without stopping the publish. */
  public ScopeCheck warning() {
    return new ScopeCheck(name, kind, Severity.WARNING, figures, judge);
  }
}
