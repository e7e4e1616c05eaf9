package io.goodhart.padding;

import static io.goodhart.testing.EventLines.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.goodhart.curated.FeaturesJob;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train keeps no model when it should not or cannot train, and says so in job_runs; classify then judges
 * nothing and gives the reason. (A window with enough behaviour: {@link PaddingModelQualityTest}.)
 */
class TrainJobTest {
  private static final LocalDate MON = LocalDate.of(2026, 11, 16);

  @TempDir Path dir;

  @Test
  void aWindowWithTooLittleBehaviourKeepsNoModelAndClassifySaysWhyAsTrainFoundIt() throws Exception {
    SparkSession spark = TestLake.spark();
    LakeConfig config = TestLake.freshConfig("train_little");
    LakeTables tables = new LakeTables(spark, config);
    Path csv = dir.resolve("directory.csv");
    Files.writeString(csv, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + "u1,t1,Payments,A,,true,2026-01-01,\n");
    Path day = dir.resolve("events/date=" + MON);
    Files.createDirectories(day);
    Files.writeString(day.resolve("part-0.jsonl"), event("e1", "2026-11-16T09:00:00Z", "u1", 100, 10) + "\n"
        + event("e2", "2026-11-16T10:00:00Z", "u1", 200, 20) + "\n");
    new DirectoryLoadJob(spark, tables, line -> { }).run(csv.toString());
    new IngestJob(spark, tables, line -> { }).run(new IngestJob.Config(dir.resolve("events").toString(), null));
    new FeaturesJob(spark, tables, config, line -> { }).run(MON);

    new ClassifyJob(spark, tables, config, line -> { }).run(MON);
    assertEquals(List.of("[u1,none,not judged: no model was trained for 2026-W47 (goodhart train --date 2026-11-16 "
        + "trains one)]"), verdicts(spark, tables));

    TrainJob.Result result = new TrainJob(spark, tables, config, line -> { }).run(MON);
    String why = "too few person-weeks to train on: 0 with at least 10 requests, 40 needed";
    assertNull(result.modelRun());
    assertEquals(why, result.whyNone());
    Row run = spark.table(tables.jobRuns()).where("job = 'train'").first();
    assertEquals("succeeded", run.<String>getAs("status"));
    assertEquals(Map.of("models_trained", 0L, "training_rows", 0L, "training_rows_needed", 40L,
        "training_min_events", 10L), run.getJavaMap(run.fieldIndex("metrics")));
    assertEquals(Map.of(), run.getJavaMap(run.fieldIndex("snapshot_ids")));
    assertEquals(0L, spark.table(tables.modelRuns()).count());

    new ClassifyJob(spark, tables, config, line -> { }).run(MON);
    assertEquals(List.of("[u1,none,not judged: " + why + "]"), verdicts(spark, tables));
  }

  @Test
  void aPinnedModelRunTrainsNothing() {
    SparkSession spark = TestLake.spark();
    LakeConfig config = TestLake.freshConfig("train_pinned").with(Map.of(ClassifyJob.PINNED_RUN, ClassifyJob.AS_SCORED));
    LakeTables tables = new LakeTables(spark, config);
    TrainJob.Result result = new TrainJob(spark, tables, config, line -> { }).run(MON);
    assertNull(result.modelRun());
    assertEquals("goodhart.model.run is as-scored: classify scores with it", result.whyNone());
    Row run = spark.table(tables.jobRuns()).where("job = 'train'").first();
    assertEquals(Map.of("models_trained", 0L), run.getJavaMap(run.fieldIndex("metrics")));
    assertEquals(0L, spark.table(tables.modelRuns()).count());
  }

  private static List<String> verdicts(SparkSession spark, LakeTables tables) {
    return spark.table(tables.usageClassification()).selectExpr("user_id", "model_run_id", "concat_ws(' | ', reasons)")
        .collectAsList().stream().map(Row::toString).sorted().toList();
  }
}
