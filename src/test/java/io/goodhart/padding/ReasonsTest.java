package io.goodhart.padding;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.curated.UserWeeklyFeatures;
import io.goodhart.testing.TestLake;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Reasons name the strongest signals toward the verdict, with the person-week's own figures. */
class ReasonsTest {
  private final SparkSession spark = TestLake.spark();

  /** The reasons for one person-week given its feature values and standardised coordinates. */
  private List<String> reasons(String label, Map<String, Double> values, Map<String, Double> z) {
    StructType schema = new StructType().add("label", DataTypes.StringType)
        .add("_z", DataTypes.createArrayType(DataTypes.DoubleType));
    List<Object> row = new ArrayList<>();
    row.add(label);
    row.add(UserWeeklyFeatures.FEATURES.stream().map(f -> z.getOrDefault(f, 0.0)).toList());
    for (String f : UserWeeklyFeatures.FEATURES) {
      schema = schema.add(f, DataTypes.DoubleType);
      row.add(values.getOrDefault(f, 0.0));
    }
    Row r = RowFactory.create(row.toArray());
    return spark.createDataFrame(List.of(r), schema)
        .select(Reasons.forLabel(col("label"), col("_z"))).first().getList(0);
  }

  @Test
  void paddingIsExplainedByItsThreeStrongestWasteSignals() {
    Map<String, Double> values = new HashMap<>(Map.of("prompt_repeat_share", 0.92, "unkept_repeat_share", 0.9,
        "interval_cv", 0.04, "acceptance_rate", 0.0, "off_hours_share", 0.3));
    Map<String, Double> z = Map.of("unkept_repeat_share", 3.0, "prompt_repeat_share", 2.5, "interval_cv", -2.0,
        "acceptance_rate", -1.0, "off_hours_share", 0.2);
    assertEquals(List.of(
        "90% of requests repeat a prompt and keep none of the output",
        "92% of requests repeat a prompt",
        "requests arrive like a timer (gap variation 0.04)"), reasons("padding", values, z));
  }

  @Test
  void genuineUseIsExplainedByWhatItKeptAndOnlySignalsThatStandOut() {
    Map<String, Double> values = Map.of("acceptance_rate", 0.85, "lines_per_1k_tokens", Math.log1p(12.5),
        "artifacts_per_1k_tokens", Math.log1p(0.4));
    Map<String, Double> z = Map.of("acceptance_rate", 1.5, "lines_per_1k_tokens", 1.2, "artifacts_per_1k_tokens", 0.3);
    assertEquals(List.of("85% of output kept", "12.5 accepted lines per 1k tokens"), reasons("genuine", values, z));
  }

  @Test
  void whenNothingStandsOutTheStrongestSignalIsStillGiven() {
    Map<String, Double> values = Map.of("acceptance_rate", 0.6);
    Map<String, Double> z = Map.of("acceptance_rate", 0.3, "distinct_prompt_ratio", 0.1);
    assertEquals(List.of("60% of output kept"), reasons("genuine", values, z));
  }
}
