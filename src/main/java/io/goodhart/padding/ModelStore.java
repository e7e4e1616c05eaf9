package io.goodhart.padding;

import static org.apache.spark.sql.functions.col;

import io.goodhart.curated.UserWeeklyFeatures;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.runs.PinnedReads;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * Keeps every trained padding model: the fitted MLlib pipeline in the model folder (under the
 * warehouse unless {@code goodhart.model.dir} says otherwise) and its description in
 * {@code curated.model_runs}, so any night's verdicts can be reproduced from its run id.
 */
public final class ModelStore {
  public static final String MODEL_DIR = io.goodhart.lake.Settings.MODEL_DIR.key();

  private final SparkSession spark;
  private final LakeTables tables;
  private final LakeConfig config;
  private final PinnedReads reads;

  /** The store as it is now: each lookup reads {@code model_runs}' current snapshot. */
  public ModelStore(SparkSession spark, LakeTables tables, LakeConfig config) {
    this(spark, tables, config, null);
  }

  /** The store as a run sees it: {@code model_runs} read at the run's snapshot of it, and recorded with the run. */
  public ModelStore(SparkSession spark, LakeTables tables, LakeConfig config, PinnedReads reads) {
    this.spark = spark;
    this.tables = tables;
    this.config = config;
    this.reads = reads;
  }

  private Dataset<Row> modelRuns() {
    return reads == null ? spark.table(tables.modelRuns()) : reads.read(tables.modelRuns());
  }

  /** Where models are saved: {@code goodhart.model.dir}, else {@code _models} in the catalog's warehouse. */
  String modelDir() {
    String dir = config.value(io.goodhart.lake.Settings.MODEL_DIR);
    if (dir == null) {
      String warehouse = config.sparkSettings().get("spark.sql.catalog." + config.catalog() + ".warehouse");
      if (warehouse == null) {
        throw new IllegalStateException("set " + MODEL_DIR + ": the catalog has no warehouse setting to keep models under");
      }
      dir = warehouse.replaceAll("/+$", "") + "/_models";
    }
    return dir;
  }

  /** Where a model was saved, and the snapshot of {@code model_runs} that records it. */
  public record Saved(String path, Long snapshotId) {}

  /** Saves the model of a run and records it. */
  public Saved save(PaddingModel.Trained model, String runId, LocalDate date, LocalDate windowStart,
      LocalDate windowEnd, long trainingRows) {
    String path = modelDir() + "/" + runId;
    try {
      savePipeline(model.pipeline(), path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the model to " + path, e);
    }
    List<Row> clusters = new ArrayList<>();
    for (PaddingModel.Cluster c : model.clusters()) {
      clusters.add(RowFactory.create(c.id(), c.size(), c.label(), c.valueIndex(), c.wasteIndex(), seq(c.centroid())));
    }
    PaddingModel.Settings s = model.settings();
    Row row = RowFactory.create(runId, Timestamp.from(Instant.now()), Date.valueOf(date), Date.valueOf(windowStart),
        Date.valueOf(windowEnd), trainingRows, model.k(), model.silhouette(),
        JavaConverters.asScalaBuffer(model.silhouetteByK()).toSeq(), s.minK(), s.maxK(), s.seed(), s.minEvents(),
        model.temperature(), JavaConverters.asScalaBuffer(UserWeeklyFeatures.FEATURES).toSeq(),
        seq(model.means()), seq(model.stds()), JavaConverters.asScalaBuffer(clusters).toSeq(), path);
    Long snapshot = tables.append(spark.createDataFrame(List.of(row), spark.table(tables.modelRuns()).schema()),
        tables.modelRuns(), runId);
    return new Saved(path, snapshot);
  }

  /**
   * MLlib saves a pipeline as a dozen small files, each through Hadoop's commit-by-rename, which on an
   * object store is a copy and a delete per file. When Spark runs in this process (local master), every file is written by
   * this JVM, so the model is saved to local disk and its files uploaded once each; on a cluster the
   * executors write the files, so it is saved in place, through the cluster's committer.
   */
  private void savePipeline(PipelineModel pipeline, String path) throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!spark.sparkContext().isLocal() || "file".equals(fs.getUri().getScheme())) {
      pipeline.write().overwrite().save(path);
      return;
    }
    Path local = Files.createTempDirectory("goodhart-model-");
    try {
      pipeline.write().overwrite().save(local.toUri().toString());
      fs.delete(target, true);
      List<Path> files;
      try (Stream<Path> walk = Files.walk(local)) {
        files = walk.filter(Files::isRegularFile)
            .filter(f -> !f.getFileName().toString().endsWith(".crc"))
            .toList();
      }
      for (Path file : files) {
        String relative = local.relativize(file).toString().replace(File.separatorChar, '/');
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(target, relative), true)) {
          Files.copy(file, out);
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(local)) {
        walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The model a run trained, as it scored then. */
  public PaddingModel.Trained load(String runId) {
    List<Row> rows = modelRuns().filter(col("run_id").equalTo(runId)).collectAsList();
    if (rows.isEmpty()) {
      throw new io.goodhart.lake.InputException("no model run " + runId + " in " + tables.modelRuns());
    }
    return fromRow(rows.get(0));
  }

  /** The latest model trained for a date in the given week, if any (for weekly retraining). */
  public String latestRunInWeek(LocalDate weekStart) {
    List<Row> rows = modelRuns()
        .filter(col("logical_date").between(Date.valueOf(weekStart), Date.valueOf(weekStart.plusDays(6))))
        .orderBy(col("trained_at").desc()).select("run_id").limit(1).collectAsList();
    return rows.isEmpty() ? null : rows.get(0).getString(0);
  }

  /** The latest model trained, if any. */
  public String latestRun() {
    List<Row> rows = modelRuns().orderBy(col("trained_at").desc()).select("run_id").limit(1)
        .collectAsList();
    return rows.isEmpty() ? null : rows.get(0).getString(0);
  }

  private static PaddingModel.Trained fromRow(Row r) {
    List<String> features = r.getList(r.fieldIndex("features"));
    if (!features.equals(UserWeeklyFeatures.FEATURES)) {
      throw new IllegalStateException("model run " + r.getAs("run_id") + " was trained on features " + features
          + ", this version computes " + UserWeeklyFeatures.FEATURES);
    }
    PipelineModel pipeline = PipelineModel.load(r.<String>getAs("model_path"));
    List<PaddingModel.Cluster> clusters = new ArrayList<>();
    for (Row c : r.<Row>getList(r.fieldIndex("clusters"))) {
      clusters.add(new PaddingModel.Cluster(c.getInt(0), c.getLong(1), doubles(c.getList(5)), c.getDouble(3),
          c.getDouble(4), c.getString(2)));
    }
    PaddingModel.Settings settings = new PaddingModel.Settings(r.<Long>getAs("seed"), r.<Integer>getAs("min_k"),
        r.<Integer>getAs("max_k"), r.<Integer>getAs("min_events"));
    return new PaddingModel.Trained(pipeline, settings, r.<Integer>getAs("k"), r.<Double>getAs("silhouette"),
        r.<Double>getAs("temperature"), clusters, doubles(r.getList(r.fieldIndex("feature_means"))),
        doubles(r.getList(r.fieldIndex("feature_stds"))), r.getList(r.fieldIndex("silhouette_by_k")));
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static scala.collection.Seq<Double> seq(double[] values) {
    return JavaConverters.asScalaBuffer(Arrays.stream(values).boxed().toList()).toSeq();
  }
}
