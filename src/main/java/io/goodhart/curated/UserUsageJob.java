package io.goodhart.curated;

import static org.apache.spark.sql.functions.lit;

import io.goodhart.audit.Audit;
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
  protected Dataset<Row> compute(Inputs in) {
    return UserWeeklyUsage.compute(in.attributed());
  }

  @Override
  protected Audit audit(Inputs in) {
    return perWeek(in, List.of(
            RowCheck.noNulls("no null keys", "week_start", "user_id"),
            RowCheck.within("accepted_share within [0, 1]", "accepted_share", 0, 1),
            RowCheck.unique("one row per (week_start, user_id)", "week_start", "user_id")),
        reconcileWithRaw("user", lit(true), in));
  }
}
