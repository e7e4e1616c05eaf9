package io.goodhart.audit;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A table's data-quality checks, declared as data, and their evaluation on the rows staged for a publish.
 * All the row checks are computed in one aggregation of the staged rows, all the scope checks in one
 * aggregation grouped by the scope column: an audit costs at most two Spark jobs whatever its checks.
 * The scopes judged are the expected ones (in their order), then any other the staged rows hold.
 */
public final class Audit {
  private final List<RowCheck> rowChecks;
  private final String scopeColumn;
  private final List<LocalDate> expectedScopes;
  private final Function<LocalDate, String> scopeLabel;
  private final List<ScopeCheck> scopeChecks;

  private Audit(List<RowCheck> rowChecks, String scopeColumn, List<LocalDate> expectedScopes,
      Function<LocalDate, String> scopeLabel, List<ScopeCheck> scopeChecks) {
    this.rowChecks = List.copyOf(rowChecks);
    this.scopeColumn = scopeColumn;
    this.expectedScopes = List.copyOf(expectedScopes);
    this.scopeLabel = scopeLabel;
    this.scopeChecks = List.copyOf(scopeChecks);
  }

  /** An audit of the given row checks only. */
  public static Audit of(RowCheck... rowChecks) {
    return new Audit(List.of(rowChecks), null, List.of(), LocalDate::toString, List.of());
  }

  /**
   * These checks, and {@code checks} of each scope: the values of the date column {@code column}, the
   * {@code expected} ones judged even when no staged row falls in them; {@code label} names a scope in
   * {@code audit_results} and in findings.
   */
  public Audit perScope(String column, List<LocalDate> expected, Function<LocalDate, String> label,
      List<ScopeCheck> checks) {
    if (scopeColumn != null) {
      throw new IllegalStateException("an audit has one scope column; it has " + scopeColumn);
    }
    return new Audit(rowChecks, column, expected, label, checks);
  }

  /** These checks and more row checks, evaluated in the same aggregation. */
  public Audit and(RowCheck... more) {
    List<RowCheck> all = new ArrayList<>(rowChecks);
    all.addAll(List.of(more));
    return new Audit(all, scopeColumn, expectedScopes, scopeLabel, scopeChecks);
  }

  /** These checks and more scope checks, evaluated in the same grouped aggregation. */
  public Audit and(ScopeCheck... more) {
    if (scopeColumn == null) {
      throw new IllegalStateException("scope checks need a scope column: declare it with perScope");
    }
    List<ScopeCheck> all = new ArrayList<>(scopeChecks);
    all.addAll(List.of(more));
    return new Audit(rowChecks, scopeColumn, expectedScopes, scopeLabel, all);
  }

  /** Every check's results: row checks first, as declared, then scope by scope, each scope's checks as declared. */
  public Outcome evaluate(Dataset<Row> staged) {
    List<CheckResult> results = new ArrayList<>();
    if (!rowChecks.isEmpty()) {
      Column[] rest = rowChecks.stream().skip(1).map(RowCheck::offending).toArray(Column[]::new);
      Row figures = staged.agg(rowChecks.get(0).offending(), rest).first();
      for (int i = 0; i < rowChecks.size(); i++) {
        results.add(rowChecks.get(i).result(figures.isNullAt(i) ? 0 : ((Number) figures.get(i)).longValue()));
      }
    }
    if (!scopeChecks.isEmpty()) {
      List<Column> aggregates = new ArrayList<>();
      scopeChecks.forEach(c -> aggregates.addAll(c.figures()));
      Map<LocalDate, long[]> byScope = new HashMap<>();
      for (Row r : staged.groupBy(col(scopeColumn)).agg(aggregates.get(0), aggregates.stream().skip(1)
          .toArray(Column[]::new)).collectAsList()) {
        if (r.isNullAt(0)) {
          continue; // a null scope is a completeness finding of the row checks
        }
        long[] values = new long[aggregates.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.isNullAt(i + 1) ? 0 : ((Number) r.get(i + 1)).longValue();
        }
        byScope.put(r.getDate(0).toLocalDate(), values);
      }
      Set<LocalDate> scopes = new LinkedHashSet<>(expectedScopes);
      scopes.addAll(new TreeSet<>(byScope.keySet()));
      for (LocalDate scope : scopes) {
        long[] all = byScope.get(scope);
        int offset = 0;
        for (ScopeCheck check : scopeChecks) {
          int n = check.figures().size();
          long[] figures = all == null ? null : java.util.Arrays.copyOfRange(all, offset, offset + n);
          offset += n;
          ScopeCheck.Verdict v = check.judge().judge(scope, figures);
          if (v != null) {
            results.add(new CheckResult(check.name(), check.kind(), check.severity(), scopeLabel.apply(scope),
                v.offendingRows(), v.stagedValue(), v.expectedValue(), v.finding()));
          }
        }
      }
    }
    return new Outcome(results);
  }

  /** The results of one evaluation. */
  public record Outcome(List<CheckResult> results) {
    public Outcome {
      results = List.copyOf(results);
    }

    /** The findings of failed error checks: any one stops the publish. */
    public List<String> errors() {
      return findings(Severity.ERROR);
    }

    /** The findings of failed warning checks: recorded, the publish goes on. */
    public List<String> warnings() {
      return findings(Severity.WARNING);
    }

    private List<String> findings(Severity severity) {
      return results.stream().filter(r -> !r.passed() && r.severity() == severity)
          .flatMap(r -> r.finding().lines()).toList();
    }
  }
}
