package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.util.ArrayList;
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
  protected List<String> audit(Dataset<Row> staged, Inputs in) {
    List<String> findings = new ArrayList<>();
    Row checks = staged.agg(
        sum(when(col("week_start").isNull().or(col("user_id").isNull()), 1).otherwise(0)),
        sum(when(col("accepted_share").lt(0).or(col("accepted_share").gt(1)), 1).otherwise(0)),
        count(lit(1)),
        countDistinct(col("week_start"), col("user_id"))).first();
    none(findings, "no null keys", checks.isNullAt(0) ? 0 : checks.getLong(0));
    none(findings, "accepted_share within [0, 1]", checks.isNullAt(1) ? 0 : checks.getLong(1));
    none(findings, "one row per (week_start, user_id)", checks.getLong(2) - checks.getLong(3));
    reconcileWithRaw(findings, "user", staged, in);
    return findings;
  }
}
