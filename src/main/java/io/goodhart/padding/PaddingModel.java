package io.goodhart.padding;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.goodhart.curated.UserWeeklyFeatures;
import io.goodhart.curated.VerdictLabels;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * The padding model: standardised behaviour features ({@link UserWeeklyFeatures}) clustered with
 * MLlib KMeans, k chosen by silhouette, clusters named by {@link ClusterLabels}. Scoring gives each
 * person-week its nearest cluster, the label of that cluster, a padding score in [0, 1] (the soft
 * membership of the padding clusters) and up to three reasons in words. Seeded: the same data and
 * settings give the same model and the same verdicts.
 */
public final class PaddingModel {

  /**
   * The criterion for k: the best silhouette among k in [minK, maxK]. Silhouette alone prefers k = 2,
   * which splits "busy automation" from the rest and leaves padding that imitates interactive use inside
   * the genuine cluster. The behaviours to tell apart are at least five (interactive use, heavy use,
   * legitimate automation, timer loops, cut-off floods, prompt repeaters), so k starts at 5
   * (docs/padding-model.md shows the quality figures).
   *
   * @param seed KMeans seed
   * @param minK smallest k tried
   * @param maxK largest k tried
   * @param minEvents person-weeks with fewer requests are not clustered: too little behaviour to judge
   */
  public record Settings(long seed, int minK, int maxK, int minEvents) {
    public static Settings defaults() {
      return new Settings(7L, 5, 8, 10);
    }
  }

  /** A cluster: its id in the model, size, standardised centroid and the name the rule gave it. */
  public record Cluster(int id, long size, double[] centroid, double valueIndex, double wasteIndex, String label) {}

  /** A trained model with what is needed to score, explain and report it. */
  public record Trained(PipelineModel pipeline, Settings settings, int k, double silhouette, double temperature,
      List<Cluster> clusters, double[] means, double[] stds, List<Double> silhouetteByK) {

    public List<String> labels() {
      return clusters.stream().map(Cluster::label).toList();
    }
  }

  static final List<String> FEATURES = UserWeeklyFeatures.FEATURES;
  /** Partitions of the training rows: fixed, so the fit does not depend on how the input was split. */
  static final int TRAINING_PARTITIONS = 4;

  private PaddingModel() {}

  /**
   * Thrown when the window holds too little behaviour to cluster: {@code rows} person-weeks with at least
   * {@code minEvents} requests where {@code needed} are.
   */
  public static final class TooLittleData extends RuntimeException {
    private final long rows;
    private final int minEvents;
    private final long needed;

    public TooLittleData(long rows, int minEvents, long needed) {
      super("too few person-weeks to train on: " + rows + " with at least " + minEvents + " requests, " + needed
          + " needed");
      this.rows = rows;
      this.minEvents = minEvents;
      this.needed = needed;
    }

    public long rows() {
      return rows;
    }

    public int minEvents() {
      return minEvents;
    }

    public long needed() {
      return needed;
    }
  }

  public static Trained train(Dataset<Row> features, Settings settings) {
    // KMeans picks its first centres by sampling each partition in turn, so the same person-weeks split
    // into other partitions can train another model, even another k: a night run again after a
    // crash or a lost race, whose features table is the same rows in new files, would re-judge people.
    // A layout fixed by the rows themselves makes the model a function of its training rows.
    Dataset<Row> training = features.filter(col("events").geq(settings.minEvents()).and(localClockKnown()))
        .repartition(TRAINING_PARTITIONS, col("user_id"), col("week_start"))
        .sortWithinPartitions("user_id", "week_start")
        .cache();
    try {
      long rows = training.count();
      if (rows < settings.maxK() * 5L) {
        throw new TooLittleData(rows, settings.minEvents(), settings.maxK() * 5L);
      }
      ClusteringEvaluator silhouette = new ClusteringEvaluator().setFeaturesCol("features").setPredictionCol("cluster");
      PipelineModel best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      List<Double> byK = new ArrayList<>();
      for (int k = settings.minK(); k <= settings.maxK(); k++) {
        PipelineModel model = pipeline(k, settings.seed()).fit(training);
        double score = silhouette.evaluate(model.transform(training));
        byK.add(score);
        if (score > bestScore) {
          bestScore = score;
          best = model;
        }
      }
      return describe(best, settings, bestScore, byK, rows);
    } finally {
      training.unpersist();
    }
  }

  static Pipeline pipeline(int k, long seed) {
    return new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(FEATURES.toArray(String[]::new)).setOutputCol("raw_features"),
        new StandardScaler().setInputCol("raw_features").setOutputCol("features").setWithMean(true).setWithStd(true),
        new KMeans().setK(k).setSeed(seed).setMaxIter(50).setFeaturesCol("features").setPredictionCol("cluster")});
  }

  /** Names the clusters of a fitted pipeline and keeps what scoring needs. */
  static Trained describe(PipelineModel pipeline, Settings settings, double silhouette, List<Double> byK, long rows) {
    StandardScalerModel scaler = (StandardScalerModel) pipeline.stages()[1];
    KMeansModel kmeans = (KMeansModel) pipeline.stages()[2];
    Vector[] centers = kmeans.clusterCenters();
    List<double[]> centroids = new ArrayList<>();
    for (Vector c : centers) {
      centroids.add(c.toArray());
    }
    List<String> labels = ClusterLabels.label(centroids, FEATURES);
    long[] sizes = kmeans.summary().clusterSizes();
    List<Cluster> clusters = new ArrayList<>();
    for (int i = 0; i < centers.length; i++) {
      double[] c = centroids.get(i);
      clusters.add(new Cluster(i, sizes[i], c, ClusterLabels.valueIndex(c, FEATURES),
          ClusterLabels.wasteIndex(c, FEATURES), labels.get(i)));
    }
    // The soft-membership temperature: the mean squared distance of a training point to its centroid.
    double temperature = Math.max(1e-9, kmeans.summary().trainingCost() / rows);
    return new Trained(pipeline, settings, centers.length, silhouette, temperature, clusters,
        scaler.mean().toArray(), scaler.std().toArray(), byK);
  }

  /**
   * The soft membership of the padding clusters: each cluster weighs exp(-d / T), d the squared
   * distance to its centroid and T the model's temperature (the mean squared distance of a training
   * point to its own centroid). A row deep inside a padding cluster scores near 1, one between a
   * padding and a genuine cluster near 0.5. A function over the vector rather than column arithmetic:
   * k x 15 distance terms, each used twice, exceed what Spark's code generation compiles.
   */
  static final class SoftPadding implements UDF1<Vector, Double> {
    private static final long serialVersionUID = 1L;
    private final double[][] centroids;
    private final boolean[] padding;
    private final double temperature;

    SoftPadding(Trained model) {
      this.centroids = model.clusters().stream().map(Cluster::centroid).toArray(double[][]::new);
      this.padding = new boolean[centroids.length];
      for (int c = 0; c < centroids.length; c++) {
        padding[c] = VerdictLabels.PADDING.equals(model.clusters().get(c).label());
      }
      this.temperature = model.temperature();
    }

    @Override
    public Double call(Vector z) {
      double[] d = new double[centroids.length];
      double nearest = Double.MAX_VALUE;
      for (int c = 0; c < centroids.length; c++) {
        double sum = 0;
        for (int i = 0; i < centroids[c].length; i++) {
          double diff = z.apply(i) - centroids[c][i];
          sum += diff * diff;
        }
        d[c] = sum;
        nearest = Math.min(nearest, sum);
      }
      double total = 0;
      double paddingWeight = 0;
      for (int c = 0; c < d.length; c++) {
        double w = Math.exp(-(d[c] - nearest) / temperature);
        total += w;
        if (padding[c]) {
          paddingWeight += w;
        }
      }
      return paddingWeight / total;
    }
  }

  /** Verdicts when there is no model to judge with: genuine, score 0, and why. */
  public static Dataset<Row> unjudged(Dataset<Row> features, String why) {
    return features
        .withColumn("cluster", lit(null).cast("int"))
        .withColumn("label", lit(VerdictLabels.GENUINE))
        .withColumn("padding_score", lit(0.0))
        .withColumn("reasons", org.apache.spark.sql.functions.array(lit("not judged: " + why)));
  }

  /**
   * Verdicts for every row of {@code features}: {@code cluster}, {@code label}, {@code padding_score},
   * {@code reasons}. Person-weeks below the model's minimum of requests are genuine, score 0, with
   * that reason; person-weeks whose local time is unknown are not judged (genuine, score 0, with that reason).
   */
  public static Dataset<Row> score(Trained model, Dataset<Row> features) {
    // A person-week whose local time is unknown has no off-hours or weekend share; the model measures
    // distances over every feature, so it does not judge such a week rather than guess the two.
    return scoreKnown(model, features.filter(localClockKnown()))
        .unionByName(unjudged(features.filter(localClockKnown().unary_$bang()), LOCAL_TIME_UNKNOWN));
  }

  /** Why a person-week is not judged when none of its requests has a known local time. */
  static final String LOCAL_TIME_UNKNOWN = "local time unknown (no time_zone in the directory, and the source "
      + "writes no UTC offset)";

  /** Whether the features of the local clock are known (never null itself). */
  static Column localClockKnown() {
    return UserWeeklyFeatures.LOCAL_CLOCK.stream().map(f -> col(f).isNotNull()).reduce(Column::and).orElseThrow();
  }

  private static Dataset<Row> scoreKnown(Trained model, Dataset<Row> features) {
    Dataset<Row> scored = model.pipeline().transform(features)
        .withColumn("_z", org.apache.spark.ml.functions.vector_to_array(col("features"), "float64"))
        .withColumn("_padding_score", org.apache.spark.sql.functions.udf(new SoftPadding(model), DataTypes.DoubleType)
            .apply(col("features")));
    Column label = lit(VerdictLabels.GENUINE);
    for (int c = model.k() - 1; c >= 0; c--) {
      label = when(col("cluster").equalTo(c), lit(model.clusters().get(c).label())).otherwise(label);
    }
    Column enough = col("events").geq(model.settings().minEvents());
    return scored
        .withColumn("label", when(enough, label).otherwise(lit(VerdictLabels.GENUINE)))
        .withColumn("padding_score", when(enough, col("_padding_score")).otherwise(lit(0.0)))
        .withColumn("reasons", when(enough, Reasons.forLabel(col("label"), col("_z")))
            .otherwise(org.apache.spark.sql.functions.array(org.apache.spark.sql.functions.format_string(
                "too few requests to judge (%d)", col("events")))))
        .withColumn("cluster", when(enough, col("cluster")))
        .drop("_z", "_padding_score", "raw_features", "features");
  }
}
