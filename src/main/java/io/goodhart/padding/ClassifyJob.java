package io.goodhart.padding;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import io.goodhart.audit.Audit;
import io.goodhart.audit.CheckKind;
import io.goodhart.audit.RowCheck;
import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.curated.CuratedJob;
import io.goodhart.curated.VerdictLabels;
import io.goodhart.curated.WeeklyEngagement;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart classify}: writes the padding model's verdicts for the weeks that need them to
 * {@code curated.usage_classification}, scored with the model {@link TrainJob} kept for the week of the date.
 * With {@code goodhart.model.run} set it scores with that kept model instead ({@code goodhart score
 * --model-run}). With no model for the week it scores with the latest kept model, or, when none was ever
 * kept, judges nothing and says why.
 */
public class ClassifyJob extends CuratedJob {
  public static final String NAME = "classify";
  public static final String PINNED_RUN = io.goodhart.lake.Settings.MODEL_RUN.key();
  /**
   * The value of {@link #PINNED_RUN} that re-scores each week with the model its verdicts already carry
   * (what {@code goodhart forget} needs: the others' verdicts of a reopened week must come out the same).
   */
  public static final String AS_SCORED = "as-scored";
  /** model_run_id of verdicts given without a model. */
  public static final String NO_MODEL = "none";

  private final Consumer<String> progress;

  public ClassifyJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    super(spark, tables, config, progress, NAME, tables.usageClassification());
    this.progress = progress;
  }

  @Override
  protected Dataset<Row> compute(Inputs in) {
    ModelStore store = new ModelStore(spark, tables, config, in.reads());
    String modelRun = config.value(io.goodhart.lake.Settings.MODEL_RUN);
    Dataset<Row> features = in.read(tables.userWeeklyFeatures())
        .filter(col("week_start").isin(in.weeks().stream().map(Date::valueOf).toArray()));
    Dataset<Row> verdicts;
    if (AS_SCORED.equals(modelRun)) {
      return asScored(store, in, features);
    }
    if (modelRun != null) {
      PaddingModel.Trained model = store.load(modelRun);
      progress.accept(String.format("%s %s: scoring with kept model %s (k=%d)", NAME, in.date(), modelRun, model.k()));
      verdicts = PaddingModel.score(model, features);
    } else {
      LocalDate week = ReportingCalendar.weekStart(in.date());
      modelRun = store.latestRunInWeek(week);
      if (modelRun != null) {
        PaddingModel.Trained model = store.load(modelRun);
        progress.accept(String.format("%s %s: scoring with model %s, trained for %s (k=%d)", NAME, in.date(), modelRun,
            ReportingCalendar.weekLabel(week), model.k()));
        verdicts = PaddingModel.score(model, features);
      } else {
        // Early in a lake's life: judge with the latest kept model if there is one, else not at all.
        String why = TrainJob.tooLittleData(spark, tables, in.date());
        if (why == null) {
          why = "no model was trained for " + ReportingCalendar.weekLabel(week) + " (goodhart " + TrainJob.NAME
              + " --date " + in.date() + " trains one)";
        }
        modelRun = store.latestRun();
        progress.accept(String.format("%s %s: %s; %s", NAME, in.date(), why,
            modelRun == null ? "verdicts are 'not judged'" : "scoring with the latest kept model " + modelRun));
        verdicts = modelRun == null
            ? PaddingModel.unjudged(features, why)
            : PaddingModel.score(store.load(modelRun), features);
        modelRun = modelRun == null ? NO_MODEL : modelRun;
      }
    }
    return verdictColumns(verdicts, lit(modelRun));
  }

  /**
   * Each week scored with the model run its current verdicts carry; a week without verdicts with the latest
   * kept model (or not judged when there is none), a week judged by no model stays so, with its reason.
   */
  private Dataset<Row> asScored(ModelStore store, Inputs in, Dataset<Row> features) {
    Map<String, List<Date>> weeksByRun = new java.util.TreeMap<>();
    Map<Date, String> unjudgedWhy = new java.util.HashMap<>();
    List<Date> weeks = in.weeks().stream().map(Date::valueOf).toList();
    for (Row r : in.read(tables.usageClassification()).filter(col("week_start").isin(weeks.toArray()))
        .groupBy("week_start", "model_run_id").agg(org.apache.spark.sql.functions.first(col("reasons")))
        .collectAsList()) {
      weeksByRun.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getDate(0));
      if (NO_MODEL.equals(r.getString(1)) && !r.isNullAt(2) && !r.getList(2).isEmpty()) {
        unjudgedWhy.put(r.getDate(0), String.valueOf(r.getList(2).get(0)).replaceFirst("^not judged: ", ""));
      }
    }
    List<Date> unscored = new ArrayList<>(weeks);
    weeksByRun.values().forEach(unscored::removeAll);
    if (!unscored.isEmpty()) {
      String latest = store.latestRun();
      weeksByRun.computeIfAbsent(latest == null ? NO_MODEL : latest, k -> new ArrayList<>()).addAll(unscored);
    }
    Dataset<Row> out = null;
    for (Map.Entry<String, List<Date>> run : weeksByRun.entrySet()) {
      progress.accept(String.format("%s %s: re-scoring %d week(s) with the model that scored them, %s", NAME, in.date(),
          run.getValue().size(), run.getKey()));
      List<Dataset<Row>> parts = new ArrayList<>();
      if (NO_MODEL.equals(run.getKey())) {
        for (Date week : run.getValue()) {
          parts.add(PaddingModel.unjudged(features.filter(col("week_start").equalTo(week)),
              unjudgedWhy.getOrDefault(week, "no model was kept to judge this week")));
        }
      } else {
        parts.add(PaddingModel.score(store.load(run.getKey()), features.filter(col("week_start").isin(run.getValue().toArray()))));
      }
      for (Dataset<Row> part : parts) {
        Dataset<Row> scored = verdictColumns(part, lit(run.getKey()));
        out = out == null ? scored : out.unionByName(scored);
      }
    }
    return out == null ? verdictColumns(PaddingModel.unjudged(features, "no week to score"), lit(NO_MODEL)) : out;
  }

  private static Dataset<Row> verdictColumns(Dataset<Row> verdicts, org.apache.spark.sql.Column modelRun) {
    return verdicts.select(
        col("week_start"), WeeklyEngagement.isoWeekLabel(col("week_start")).as("iso_week"), col("user_id"),
        col("team_id"), col("events"), col("total_tokens"), col("cluster"), col("label"), col("padding_score"),
        col("reasons"), modelRun.as("model_run_id"));
  }

  @Override
  protected Audit audit(Inputs in) {
    return perWeek(in, List.of(
            RowCheck.noNulls("no null keys", "week_start", "user_id"),
            RowCheck.noneWhere(CheckKind.RANGE, "padding_score within [0, 1]",
                col("padding_score").lt(0).or(col("padding_score").gt(1)).or(col("padding_score").isNaN())),
            RowCheck.oneOf("label is genuine or padding", "label", VerdictLabels.GENUINE, VerdictLabels.PADDING),
            RowCheck.noneWhere(CheckKind.COMPLETENESS, "every verdict has a reason", size(col("reasons")).lt(1)),
            RowCheck.unique("one row per (week_start, user_id)", "week_start", "user_id")),
        // Verdicts must cover every raw event of the week: a stale features table shows up here.
        List.of(reconcile("events behind the verdicts", sum("events"), in.raw()::events)));
  }
}
