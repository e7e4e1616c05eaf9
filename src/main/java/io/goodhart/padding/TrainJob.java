package io.goodhart.padding;

import static org.apache.spark.sql.functions.col;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.curated.VerdictLabels;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.lake.Settings;
import io.goodhart.runs.JobRun;
import io.goodhart.runs.PinnedReads;
import io.goodhart.runs.RecordedRun;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart train}: trains the padding model on a rolling window of weeks of
 * {@code curated_private.user_weekly_features} ({@code goodhart.model.window-weeks}, ending with the week of
 * the date) and keeps it ({@link ModelStore}: the fitted pipeline in the model folder, its description in
 * {@code curated.model_runs}); {@link ClassifyJob} then scores with it. It trains nothing when
 * {@code goodhart.model.run} pins the model classify scores with, when {@code goodhart.model.retrain} is
 * {@code weekly} and a model was trained earlier in the week, or when the window holds too little behaviour;
 * its run in {@code curated.job_runs} says which: {@code models_trained} 0, and when the window held too little,
 * the figures of why ({@code training_rows}, {@code training_rows_needed}, {@code training_min_events}).
 */
public final class TrainJob {
  public static final String NAME = "train";

  /*
   * The metrics of a run in job_runs: models_trained (1 or 0) and training_rows (the window's person-weeks
   * with enough requests); when the window held too few, also training_rows_needed and training_min_events,
   * from which tooLittleData gives the reason back.
   */
  static final String MODELS_TRAINED = "models_trained";
  static final String TRAINING_ROWS = "training_rows";
  static final String ROWS_NEEDED = "training_rows_needed";
  static final String MIN_EVENTS = "training_min_events";

  private final SparkSession spark;
  private final LakeTables tables;
  private final LakeConfig config;
  private final Consumer<String> progress;

  public TrainJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.config = config;
    this.progress = progress;
  }

  /** What a run did: the model it trained and kept, or null and why not. */
  public record Result(String runId, String modelRun, String whyNone) {}

  public Result run(LocalDate date) {
    return RecordedRun.of(spark, tables, NAME, progress).forDate(date).run(run -> {
      PinnedReads reads = new PinnedReads(spark, tables);
      ModelStore store = new ModelStore(spark, tables, config, reads);
      Map<String, Long> metrics = new LinkedHashMap<>();
      metrics.put(MODELS_TRAINED, 0L);
      Map<String, Long> written = new LinkedHashMap<>();
      Map<String, Long> snapshots = new LinkedHashMap<>();
      Result result;
      String pinned = config.value(Settings.MODEL_RUN);
      String weekly = pinned == null && "weekly".equals(config.value(Settings.MODEL_RETRAIN))
          ? store.latestRunInWeek(ReportingCalendar.weekStart(date)) : null;
      if (pinned != null) {
        result = new Result(run.runId(), null, Settings.MODEL_RUN.key() + " is " + pinned + ": classify scores with it");
      } else if (weekly != null) {
        result = new Result(run.runId(), null, "model " + weekly + " was trained earlier in the week ("
            + Settings.MODEL_RETRAIN.key() + " is weekly)");
      } else {
        try {
          long clock = System.nanoTime();
          Trained trained = train(store, reads, run.runId(), date);
          metrics.put(MODELS_TRAINED, 1L);
          metrics.put(TRAINING_ROWS, trained.rows());
          written.put(tables.modelRuns(), 1L);
          if (trained.saved().snapshotId() != null) {
            snapshots.put(tables.modelRuns(), trained.saved().snapshotId());
          }
          PaddingModel.Trained model = trained.model();
          progress.accept(String.format("%s %s: trained on %,d person-weeks of %s..%s: k=%d, silhouette %.3f, "
                  + "%d padding cluster(s) [%.1f s], saved to %s", NAME, date, trained.rows(),
              ReportingCalendar.weekLabel(trained.windowStart()), ReportingCalendar.weekLabel(trained.windowEnd()),
              model.k(), model.silhouette(), model.labels().stream().filter(VerdictLabels.PADDING::equals).count(),
              (System.nanoTime() - clock) / 1e9, trained.saved().path()));
          result = new Result(run.runId(), run.runId(), null);
        } catch (PaddingModel.TooLittleData e) {
          metrics.put(TRAINING_ROWS, e.rows());
          metrics.put(ROWS_NEEDED, e.needed());
          metrics.put(MIN_EVENTS, (long) e.minEvents());
          result = new Result(run.runId(), null, e.getMessage());
        }
      }
      if (result.modelRun() == null) {
        progress.accept(String.format("%s %s: nothing trained: %s", NAME, date, result.whyNone()));
      }
      return run.done(result, run.succeeded().written(written).snapshots(snapshots)
          .inputSnapshots(reads.snapshots()).metrics(metrics));
    });
  }

  private record Trained(PaddingModel.Trained model, long rows, LocalDate windowStart, LocalDate windowEnd,
      ModelStore.Saved saved) {}

  private Trained train(ModelStore store, PinnedReads reads, String runId, LocalDate date) {
    int windowWeeks = config.value(Settings.MODEL_WINDOW_WEEKS);
    LocalDate windowEnd = ReportingCalendar.weekStart(date);
    LocalDate windowStart = windowEnd.minusWeeks(windowWeeks - 1L);
    Dataset<Row> window = reads.read(tables.userWeeklyFeatures())
        .filter(col("week_start").between(Date.valueOf(windowStart), Date.valueOf(windowEnd)));
    PaddingModel.Trained model = PaddingModel.train(window, PaddingModel.Settings.defaults());
    long rows = model.clusters().stream().mapToLong(PaddingModel.Cluster::size).sum();
    ModelStore.Saved saved = store.save(model, runId, date, windowStart, windowEnd, rows);
    return new Trained(model, rows, windowStart, windowEnd, saved);
  }

  /**
   * Why the latest successful train run for the date kept no model because the window held too little
   * behaviour, as that run found it; null when there is no such run or it did not find so.
   */
  static String tooLittleData(SparkSession spark, LakeTables tables, LocalDate date) {
    List<Row> runs = spark.table(tables.jobRuns())
        .filter(col("job").equalTo(NAME).and(col("status").equalTo(JobRun.SUCCEEDED))
            .and(col("logical_date").equalTo(Date.valueOf(date))))
        .orderBy(col("ended_at").desc(), col("run_id").desc()).select("metrics").limit(1).collectAsList();
    if (runs.isEmpty() || runs.get(0).isNullAt(0)) {
      return null;
    }
    Map<String, Long> metrics = runs.get(0).getJavaMap(0);
    if (!metrics.containsKey(ROWS_NEEDED)) {
      return null;
    }
    return new PaddingModel.TooLittleData(metrics.get(TRAINING_ROWS), metrics.get(MIN_EVENTS).intValue(),
        metrics.get(ROWS_NEEDED)).getMessage();
  }
}
