package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

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

/** {@code goodhart user-usage}: writes {@code curated.user_weekly_usage} ({@link UserWeeklyUsage}). */
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
