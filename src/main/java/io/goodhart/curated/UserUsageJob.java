package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.goodhart.audit.Audit;
import io.goodhart.audit.CheckKind;
import io.goodhart.audit.RowCheck;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart user-usage}: writes {@code curated_private.user_weekly_usage} ({@link UserWeeklyUsage}) and,
 * from the same resolved events of the same weeks, {@code curated_private.unresolved_weekly_usage}
 * ({@link UnresolvedWeeklyUsage}).
 */
public class UserUsageJob extends CuratedJob {
  public static final String NAME = "user-usage";

  public UserUsageJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    super(spark, tables, config, progress, NAME, tables.userWeeklyUsage());
  }

  @Override
  protected boolean countsMetricOnlyTokens() {
    return true;
  }

  @Override
  protected Dataset<Row> compute(Inputs in) {
    return UserWeeklyUsage.compute(in.attributed(), in.metricOnlyDays());
  }

  @Override
  protected List<Companion> companions() {
    return List.of(new Companion(tables.unresolvedWeeklyUsage(), in -> UnresolvedWeeklyUsage.compute(in.attributed()),
        UserUsageJob::unresolvedAudit));
  }

  /** Every request of a week is in its tool's row, and no row has more unresolved requests or keys than requests. */
  private static Audit unresolvedAudit(Inputs in) {
    return perWeek(in, List.of(
            RowCheck.noNulls("no null keys", "week_start", "tool"),
            RowCheck.unique("one row per (week_start, tool)", "week_start", "tool"),
            RowCheck.noneWhere(CheckKind.RANGE, "unresolved_events <= events",
                col("unresolved_events").gt(col("events"))),
            RowCheck.noneWhere(CheckKind.RANGE, "unresolved_keys <= unresolved_events",
                col("unresolved_keys").gt(col("unresolved_events")))),
        List.of(reconcile("sum of tool events", sum(col("events")), in.raw()::events)));
  }

  @Override
  protected Audit audit(Inputs in) {
    return perWeek(in, List.of(
            RowCheck.noNulls("no null keys", "week_start", "user_id"),
            RowCheck.within("accepted_share within [0, 1]", "accepted_share", 0, 1),
            RowCheck.unique("one row per (week_start, user_id)", "week_start", "user_id"),
            // Usage of people the directory does not place is still counted (as unassigned), so this does not
            // stop the publish; it tells whoever loads the directory that it lags behind the events.
            RowCheck.noneWhere(CheckKind.COMPLETENESS, "every person-week is attributed to a team",
                col("team_id").equalTo(AttributedEvents.UNASSIGNED)).warning()),
        reconcileWithRaw("user", lit(true), in));
  }
}
