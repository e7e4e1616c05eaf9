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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code goodhart features}: writes {@code curated.user_weekly_features} ({@link UserWeeklyFeatures}). */
public class FeaturesJob extends CuratedJob {
  public static final String NAME = "features";

  public FeaturesJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    super(spark, tables, config, progress, NAME, tables.userWeeklyFeatures());
  }

  @Override
  protected Dataset<Row> compute(Inputs in) {
    return UserWeeklyFeatures.compute(in.attributed(), calendar.zone());
  }

  @Override
  protected List<String> audit(Dataset<Row> staged, Inputs in) {
    List<String> findings = new ArrayList<>();
    Column nullFeature = lit(false);
    Column outOfRange = lit(false);
    for (String f : UserWeeklyFeatures.FEATURES) {
      nullFeature = nullFeature.or(col(f).isNull()).or(col(f).isNaN());
      if (f.endsWith("_share") || f.equals("acceptance_rate") || f.equals("distinct_prompt_ratio")) {
        outOfRange = outOfRange.or(col(f).lt(0)).or(col(f).gt(1));
      }
    }
    Row checks = staged.agg(
        sum(when(nullFeature, 1).otherwise(0)),
        sum(when(outOfRange, 1).otherwise(0)),
        count(lit(1)),
        countDistinct(col("week_start"), col("user_id"))).first();
    none(findings, "every feature is a number", checks.isNullAt(0) ? 0 : checks.getLong(0));
    none(findings, "shares within [0, 1]", checks.isNullAt(1) ? 0 : checks.getLong(1));
    none(findings, "one row per (week_start, user_id)", checks.getLong(2) - checks.getLong(3));
    reconcileWithRaw(findings, "feature-row", staged, in);
    return findings;
  }
}
