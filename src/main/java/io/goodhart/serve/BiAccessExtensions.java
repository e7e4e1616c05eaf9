package io.goodhart.serve;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.Function1;
import scala.Function2;
import scala.runtime.BoxedUnit;

/**
 * The Spark session extension that puts {@link BiAccess} into every session of {@code goodhart serve}:
 * the parser check, the check of each relation as the analyser resolves it, the listing narrowed to BI
 * objects, the check of resolved statements, and the row cap.
 * Configured in {@code spark.sql.extensions} by the serve command only; inert until {@link BiAccess#enable}.
 */
public final class BiAccessExtensions implements SparkSessionExtensionsProvider {
  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    Function2<SparkSession, ParserInterface, ParserInterface> parser = BiAccessParser::new;
    extensions.injectParser(parser);
    Function1<SparkSession, org.apache.spark.sql.catalyst.rules.Rule<LogicalPlan>> listing = BiListing::new;
    extensions.injectPostHocResolutionRule(listing);
    Function1<SparkSession, org.apache.spark.sql.catalyst.rules.Rule<LogicalPlan>> resolving = ResolvingCheck::new;
    extensions.injectResolutionRule(resolving);
    Function1<SparkSession, Function1<LogicalPlan, BoxedUnit>> check = session -> plan -> {
      BiAccess.checkAnalyzed(session, plan);
      return BoxedUnit.UNIT;
    };
    extensions.injectCheckRule(check);
    Function1<SparkSession, org.apache.spark.sql.catalyst.rules.Rule<LogicalPlan>> cap = session -> new RowCap();
    extensions.injectOptimizerRule(cap);
    return BoxedUnit.UNIT;
  }

  /** {@link BiAccess#checkResolving} as an analyser rule: it changes nothing, it refuses. */
  static final class ResolvingCheck extends org.apache.spark.sql.catalyst.rules.Rule<LogicalPlan> {
    private final SparkSession session;

    ResolvingCheck(SparkSession session) {
      this.session = session;
    }

    @Override
    public LogicalPlan apply(LogicalPlan plan) {
      BiAccess.checkResolving(session, plan);
      return plan;
    }
  }
}
