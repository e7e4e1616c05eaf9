package io.goodhart.padding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.curated.UserWeeklyFeatures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The naming rule reads centroids, not cluster ids. */
class ClusterLabelsTest {
  private static final List<String> F = UserWeeklyFeatures.FEATURES;

  /** A centroid at the population mean except for the given standardised coordinates. */
  private static double[] centroid(Map<String, Double> z) {
    double[] c = new double[F.size()];
    z.forEach((feature, value) -> c[F.indexOf(feature)] = value);
    return c;
  }

  private static final double[] REPEATER = centroid(Map.of(
      "prompt_repeat_share", 2.0, "distinct_prompt_ratio", -1.5, "acceptance_rate", -1.2, "artifacts_per_1k_tokens", -1.0));
  private static final double[] DEPLOY_BOT = centroid(Map.of(
      "prompt_repeat_share", 1.8, "interval_cv", -1.5, "off_hours_share", 1.0, "artifacts_per_1k_tokens", 2.5,
      "session_artifact_share", 2.0));
  private static final double[] POWER_USER = centroid(Map.of(
      "acceptance_rate", 0.8, "lines_per_1k_tokens", 0.9, "artifacts_per_1k_tokens", 0.7, "distinct_prompt_ratio", 0.5));
  private static final double[] FLOODER = centroid(Map.of(
      "cutoff_token_share", 2.5, "off_hours_share", 1.5, "acceptance_rate", -0.8, "lines_per_1k_tokens", -0.9));

  @Test
  void belowAverageValueAndAboveAverageWasteIsPadding() {
    assertEquals(List.of("padding", "genuine", "genuine", "padding"),
        ClusterLabels.label(List.of(REPEATER, DEPLOY_BOT, POWER_USER, FLOODER), F));
  }

  @Test
  void theSameCentroidsInAnyOrderGetTheSameNames() {
    List<double[]> centroids = new ArrayList<>(List.of(REPEATER, DEPLOY_BOT, POWER_USER, FLOODER));
    List<String> names = ClusterLabels.label(centroids, F);
    for (long seed = 1; seed <= 5; seed++) {
      List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
      Collections.shuffle(order, new java.util.Random(seed));
      List<double[]> permuted = order.stream().map(centroids::get).toList();
      List<String> expected = order.stream().map(names::get).toList();
      assertEquals(expected, ClusterLabels.label(permuted, F), "permutation " + order);
    }
  }
}
