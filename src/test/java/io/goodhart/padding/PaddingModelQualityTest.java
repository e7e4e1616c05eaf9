package io.goodhart.padding;

import io.goodhart.evaluation.PaddingEvaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.curated.AttributedEvents;
import io.goodhart.curated.UserWeeklyFeatures;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.generate.GeneratorConfig;
import io.goodhart.generate.UsageGenerator;
import io.goodhart.ingest.IngestJob;
import io.goodhart.tools.LauncherCli;
import io.goodhart.curated.FeaturesJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.nio.file.Files;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import io.goodhart.testing.TestLake;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model on the generator's default mix, judged against its ground truth: padding F1 at least 0.90,
 * and at most 3% of power users' and deployment automation's weeks flagged.
 */
class PaddingModelQualityTest {
  @TempDir static Path dir;
  static Dataset<Row> features;
  static Dataset<Row> truth;
  static LakeConfig config;
  static LakeTables tables;

  @BeforeAll
  static void generatedFeed() throws Exception {
    SparkSession spark = TestLake.spark();
    new UsageGenerator().generate(GeneratorConfig.defaults(dir));
    config = TestLake.freshConfig("padding_quality");
    tables = new LakeTables(spark, config);
    new DirectoryLoadJob(spark, tables, line -> { }).run(dir.resolve("directory.csv").toString());
    new IngestJob(spark, tables, line -> { }).run(new IngestJob.Config(dir.resolve("events").toString(), null));
    ZoneId utc = ZoneId.of("UTC");
    features = UserWeeklyFeatures.compute(AttributedEvents.attribute(
        spark.table(tables.usageEvents()), spark.table(tables.developerDirectory()), utc), utc).cache();
    truth = spark.read().option("header", true).schema("user_id STRING, week_start DATE, archetype STRING, padding BOOLEAN")
        .csv(dir.resolve("ground_truth.csv").toString()).cache();
  }

  @Test
  void paddingIsFoundWithoutFlaggingPowerUsersOrDeploymentBots() {
    PaddingModel.Trained model = PaddingModel.train(features, PaddingModel.Settings.defaults());
    PaddingEvaluation.Report report = PaddingEvaluation.evaluate(PaddingModel.score(model, features), truth);
    String about = "k=" + model.k() + ", silhouette by k from " + model.settings().minK() + ": " + model.silhouetteByK()
        + ", labels " + model.labels() + "\n" + report.describe();
    System.out.println(about);
    assertTrue(report.f1() >= 0.90, about);
    assertTrue(report.falsePositiveRateByArchetype().get("POWER")[0] <= 0.03, about);
    assertTrue(report.falsePositiveRateByArchetype().get("DEPLOY_AUTOMATION")[0] <= 0.03, about);
  }

  @Test
  void retrainingOnTheSameDataGivesTheSameVerdicts() {
    PaddingModel.Trained first = PaddingModel.train(features, PaddingModel.Settings.defaults());
    PaddingModel.Trained second = PaddingModel.train(features, PaddingModel.Settings.defaults());
    // Labels exactly; scores to 1e-9: Spark merges the partial sums of the scaler and of k-means in the
    // order tasks finish, so the last bits of a double may differ from one training to the next.
    List<String> a = verdicts(first);
    List<String> b = verdicts(second);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      String[] x = a.get(i).substring(1, a.get(i).length() - 1).split(",");
      String[] y = b.get(i).substring(1, b.get(i).length() - 1).split(",");
      assertEquals(List.of(x[0], x[1], x[2]), List.of(y[0], y[1], y[2]));
      assertEquals(Double.parseDouble(x[3]), Double.parseDouble(y[3]), 1e-9, a.get(i) + " vs " + b.get(i));
    }
  }

  @Test
  void theSameRowsSplitDifferentlyTrainTheSameModel() {
    // A night run again (after a crash, or losing a race to a concurrent run) reads the same person-weeks
    // from files written anew: the model and its verdicts must not depend on how the rows are split.
    PaddingModel.Trained manyParts = PaddingModel.train(features.repartition(7), PaddingModel.Settings.defaults());
    PaddingModel.Trained onePart = PaddingModel.train(features.orderBy(org.apache.spark.sql.functions.col("user_id").desc())
        .coalesce(1), PaddingModel.Settings.defaults());
    assertEquals(manyParts.k(), onePart.k());
    assertEquals(manyParts.silhouetteByK().size(), onePart.silhouetteByK().size());
    for (int i = 0; i < manyParts.silhouetteByK().size(); i++) {
      assertEquals(manyParts.silhouetteByK().get(i), onePart.silhouetteByK().get(i), 1e-9, "silhouette by k");
    }
    List<String> a = verdicts(manyParts);
    List<String> b = verdicts(onePart);
    for (int i = 0; i < a.size(); i++) {
      String[] x = a.get(i).substring(1, a.get(i).length() - 1).split(",");
      String[] y = b.get(i).substring(1, b.get(i).length() - 1).split(",");
      assertEquals(List.of(x[0], x[1], x[2]), List.of(y[0], y[1], y[2]));
    }
  }

  @Test
  void theNightlyJobKeepsItsModelAndAKeptModelReproducesItsVerdicts() {
    SparkSession spark = TestLake.spark();
    LocalDate lastDay = LocalDate.of(2026, 11, 1);
    new FeaturesJob(spark, tables, config, line -> { }).run(lastDay);
    new TrainJob(spark, tables, config, line -> { }).run(lastDay);
    new ClassifyJob(spark, tables, config, line -> { }).run(lastDay);

    Row run = spark.table(tables.modelRuns()).first();
    String runId = run.getAs("run_id");
    assertEquals(Date.valueOf("2026-09-07"), run.getAs("window_start"), "8 weeks ending with the week of the date");
    assertTrue(Files.isDirectory(Path.of(java.net.URI.create(run.<String>getAs("model_path")))));
    List<String> nightly = classification(spark);
    assertEquals(spark.table(tables.userWeeklyFeatures()).count(), nightly.size(), "one verdict per feature row");
    assertTrue(nightly.stream().allMatch(v -> v.contains(runId)));

    new ClassifyJob(spark, tables, config.with(Map.of(ClassifyJob.PINNED_RUN, runId)), line -> { }).run(lastDay);
    assertEquals(nightly, classification(spark), "re-scoring with the kept model gives the same verdicts");
    assertEquals(1L, spark.table(tables.modelRuns()).count(), "re-scoring trains nothing");

    // goodhart evaluate on the published verdicts, as a person would run it.
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream console = System.out;
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code = LauncherCli.commandLine().execute("evaluate", "--labels", dir.resolve("ground_truth.csv").toString(),
          "--conf", LakeConfig.LAKE_DIR + "=" + TestLake.lakeDir(),
          "--conf", LakeConfig.RAW_NAMESPACE + "=" + config.rawNamespace(),
          "--conf", LakeConfig.CURATED_NAMESPACE + "=" + config.curatedNamespace());
    } finally {
      System.setOut(console);
    }
    String report = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
    System.out.println(report);
    assertEquals(0, code, report);
    java.util.regex.Matcher f1 = java.util.regex.Pattern.compile("F1 ([0-9.]+)").matcher(report);
    assertTrue(f1.find(), report);
    assertTrue(Double.parseDouble(f1.group(1)) >= 0.90, report);
    assertTrue(report.contains("POWER                0.00%") && report.contains("DEPLOY_AUTOMATION    0.00%"), report);
  }
  @Test
  void aPersonWeekWhoseLocalTimeIsUnknownIsNotJudgedAndEveryOtherVerdictStays() {
    PaddingModel.Trained model = PaddingModel.train(features, PaddingModel.Settings.defaults());
    org.apache.spark.sql.Column enough = org.apache.spark.sql.functions.col("events")
        .geq(PaddingModel.Settings.defaults().minEvents());
    Row first = features.where(enough).orderBy("user_id", "week_start").first();
    org.apache.spark.sql.Column it = org.apache.spark.sql.functions.col("user_id").equalTo(first.<String>getAs("user_id"))
        .and(org.apache.spark.sql.functions.col("week_start").equalTo(first.<Date>getAs("week_start")));
    Dataset<Row> unknownClock = features;
    for (String f : UserWeeklyFeatures.LOCAL_CLOCK) {
      unknownClock = unknownClock.withColumn(f, org.apache.spark.sql.functions.when(it.unary_$bang(),
          org.apache.spark.sql.functions.col(f)));
    }
    Dataset<Row> scored = PaddingModel.score(model, unknownClock);
    Row judged = scored.where(it).select("cluster", "label", "padding_score", "reasons").first();
    assertEquals(java.util.Arrays.asList(null, "genuine", 0.0, List.of("not judged: " + PaddingModel.LOCAL_TIME_UNKNOWN)),
        java.util.Arrays.asList(judged.get(0), judged.getString(1), judged.getDouble(2), judged.getList(3)));
    assertEquals(sorted(PaddingModel.score(model, features).where(it.unary_$bang())),
        sorted(scored.where(it.unary_$bang())), "nobody else's verdict changes");
    assertEquals(features.where(enough).count() - 1, PaddingModel.train(unknownClock, PaddingModel.Settings.defaults())
        .clusters().stream().mapToLong(PaddingModel.Cluster::size).sum(), "training leaves the week out");
  }

  private static List<String> sorted(Dataset<Row> verdicts) {
    return verdicts.select("user_id", "week_start", "cluster", "label", "padding_score", "reasons")
        .collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static List<String> classification(SparkSession spark) {
    return spark.table(tables.usageClassification())
        .selectExpr("user_id", "week_start", "label", "padding_score", "reasons", "model_run_id")
        .collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static List<String> verdicts(PaddingModel.Trained model) {
    return PaddingModel.score(model, features).select("user_id", "week_start", "label", "padding_score")
        .collectAsList().stream().map(Row::toString).sorted().toList();
  }
}
