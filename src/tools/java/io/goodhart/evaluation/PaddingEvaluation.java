package io.goodhart.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.curated.VerdictLabels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Verdicts against ground truth (user_id, week_start, archetype, padding): precision, recall and F1 of
 * the padding label, the confusion matrix, and the false-positive rate of each genuine archetype
 * present (a heavy power user or a deployment bot flagged as padding is the costly mistake).
 * Person-weeks in the labels but without a verdict (no events) are genuine-predicted.
 */
public final class PaddingEvaluation {

  /** The figures {@code goodhart evaluate} prints. */
  public record Report(long truePositives, long falsePositives, long falseNegatives, long trueNegatives,
      Map<String, double[]> falsePositiveRateByArchetype, Map<String, double[]> recallByArchetype) {

    public double precision() {
      return ratio(truePositives, truePositives + falsePositives);
    }

    public double recall() {
      return ratio(truePositives, truePositives + falseNegatives);
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    private static double ratio(long a, long b) {
      return b == 0 ? 0 : (double) a / b;
    }

    public String describe() {
      StringBuilder out = new StringBuilder();
      out.append(String.format("padding precision %.3f, recall %.3f, F1 %.3f%n", precision(), recall(), f1()));
      out.append(String.format("confusion (rows = truth, columns = verdict):%n"));
      out.append(String.format("               padding   genuine%n"));
      out.append(String.format("  padding    %9d %9d%n", truePositives, falseNegatives));
      out.append(String.format("  genuine    %9d %9d%n", falsePositives, trueNegatives));
      out.append(String.format("false-positive rate by genuine archetype:%n"));
      falsePositiveRateByArchetype.forEach((archetype, v) ->
          out.append(String.format("  %-18s %6.2f%% (%d of %d person-weeks)%n", archetype, v[0] * 100, (long) v[1], (long) v[2])));
      out.append(String.format("recall by padding archetype:%n"));
      recallByArchetype.forEach((archetype, v) ->
          out.append(String.format("  %-18s %6.2f%% (%d of %d person-weeks)%n", archetype, v[0] * 100, (long) v[1], (long) v[2])));
      return out.toString();
    }
  }

  private PaddingEvaluation() {}

  /**
   * @param verdicts rows with user_id, week_start and label
   * @param truth rows with user_id, week_start (date), archetype and padding (boolean)
   */
  public static Report evaluate(Dataset<Row> verdicts, Dataset<Row> truth) {
    Dataset<Row> joined = truth.join(verdicts.select("user_id", "week_start", "label"),
            scala.collection.JavaConverters.asScalaBuffer(List.of("user_id", "week_start")).toSeq(), "left")
        .withColumn("predicted", col("label").equalTo(VerdictLabels.PADDING).and(col("label").isNotNull()));
    Row m = joined.agg(
        sum(when(col("padding").and(col("predicted")), 1L).otherwise(0L)),
        sum(when(col("padding").unary_$bang().and(col("predicted")), 1L).otherwise(0L)),
        sum(when(col("padding").and(col("predicted").unary_$bang()), 1L).otherwise(0L)),
        sum(when(col("padding").unary_$bang().and(col("predicted").unary_$bang()), 1L).otherwise(0L))).first();
    return new Report(m.getLong(0), m.getLong(1), m.getLong(2), m.getLong(3),
        flaggedByArchetype(joined.filter(col("padding").unary_$bang())),
        flaggedByArchetype(joined.filter(col("padding"))));
  }

  /** Per archetype: the share flagged as padding, how many flagged, of how many person-weeks. */
  private static Map<String, double[]> flaggedByArchetype(Dataset<Row> rows) {
    Map<String, double[]> byArchetype = new LinkedHashMap<>();
    rows.groupBy("archetype")
        .agg(sum(when(col("predicted"), 1L).otherwise(0L)).as("flagged"), sum(lit(1L)).as("n"))
        .orderBy("archetype").collectAsList()
        .forEach(r -> byArchetype.put(r.getString(0),
            new double[] {(double) r.getLong(1) / r.getLong(2), r.getLong(1), r.getLong(2)}));
    return byArchetype;
  }
}
