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
  protected Audit audit(Inputs in) {
    Column nullFeature = lit(false);
    Column outOfRange = lit(false);
    for (String f : UserWeeklyFeatures.FEATURES) {
      nullFeature = nullFeature.or(col(f).isNaN());
      if (!UserWeeklyFeatures.LOCAL_CLOCK.contains(f)) {
        nullFeature = nullFeature.or(col(f).isNull());
      }
      if (f.endsWith("_share") || f.equals("acceptance_rate") || f.equals("distinct_prompt_ratio")) {
        outOfRange = outOfRange.or(col(f).lt(0)).or(col(f).gt(1));
      }
    }
    return perWeek(in, List.of(
            RowCheck.noneWhere(CheckKind.COMPLETENESS, "every feature is a number (those of the local clock may be unknown)", nullFeature),
            RowCheck.noneWhere(CheckKind.RANGE, "shares within [0, 1]", outOfRange),
            RowCheck.unique("one row per (week_start, user_id)", "week_start", "user_id")),
        reconcileWithRaw("feature-row", lit(true), in));
  }
}
