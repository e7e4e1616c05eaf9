package io.goodhart.serve;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.GlobalLimit;
import org.apache.spark.sql.catalyst.plans.logical.LocalLimit;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Repartition;
import org.apache.spark.sql.catalyst.plans.logical.Subquery;
import org.apache.spark.sql.catalyst.rules.Rule;

/**
 * The endpoint's row cap: a BI reader's query returns at most {@code maxRows} rows, and a larger result is
 * an error saying so, never a silently cut one. The query's result is limited to one row more than the cap,
 * brought into one partition in order (a coalesce, which keeps the limit's order and, on the limit's few
 * rows, costs nothing; it also holds when the optimizer drops a limit it can prove redundant), and a filter
 * over that partition raises the error when it meets the row past the cap: there, a row's monotonically
 * increasing id is its index. Queries that cannot return more than the cap, commands and subqueries are left
 * alone.
 */
final class RowCap extends Rule<LogicalPlan> {
  static final String MARKER = "goodhart row cap";

  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    BiAccess.Policy p = BiAccess.policy();
    if (p == null || plan instanceof Subquery || plan instanceof Command || isCapped(plan)) {
      return plan;
    }
    scala.Option<Object> maxRows = plan.maxRows();
    if (maxRows.isDefined() && ((Long) maxRows.get()) <= p.maxRows()) {
      return plan;
    }
    int cap = p.maxRows();
    Expression limit = Literal.create(cap + 1, org.apache.spark.sql.types.DataTypes.IntegerType);
    LogicalPlan limited = new Repartition(1, false, new GlobalLimit(limit, new LocalLimit(limit, plan)));
    Expression condition = when(monotonically_increasing_id().geq(cap),
        raise_error(lit(MARKER + ": the result has more than " + cap + " rows, the endpoint's limit "
            + "(goodhart.serve.max-result-rows); aggregate, filter or add a LIMIT")).cast("boolean"))
        .otherwise(lit(true)).expr();
    return new Filter(condition, limited);
  }

  private static boolean isCapped(LogicalPlan plan) {
    return plan instanceof Filter f && f.condition().toString().contains(MARKER);
  }
}
