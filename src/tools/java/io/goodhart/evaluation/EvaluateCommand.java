package io.goodhart.evaluation;

import io.goodhart.cli.ExitCodes;
import io.goodhart.cli.LakeOptions;
import io.goodhart.lake.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import io.goodhart.lake.LakeTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Compare the verdicts in curated.usage_classification with ground-truth labels "
        + "(CSV: user_id,week_start,archetype,padding) and print precision, recall, F1, the confusion matrix "
        + "and the false-positive rate of each genuine archetype.")
public final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Ground truth, e.g. ground_truth.csv of goodhart generate.")
  Path labels;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(labels)) {
      throw new InputException("labels file " + labels + " does not exist");
    }
    try (LakeOptions.Lake open = lake.open()) {
      print(open.spark(), open.tables(), labels);
      return ExitCodes.OK;
    }
  }

  public void print(SparkSession spark, LakeTables tables, Path labelsFile) {
    Dataset<Row> truth = spark.read().option("header", true).option("mode", "FAILFAST")
        .schema("user_id STRING, week_start DATE, archetype STRING, padding BOOLEAN").csv(labelsFile.toString());
    if (tables.holdsNoRows(tables.usageClassification())) {
      throw new InputException("nothing to evaluate: " + tables.usageClassification()
          + " holds no verdicts yet; run goodhart train and classify --date D (or goodhart nightly) first");
    }
    Dataset<Row> verdicts = spark.table(tables.usageClassification());
    // Only the weeks that were classified: labels for weeks the lake has not reached say nothing.
    Dataset<Row> judged = truth.join(verdicts.select("week_start").distinct(), "week_start");
    System.out.print(PaddingEvaluation.evaluate(verdicts, judged).describe());
  }
}
