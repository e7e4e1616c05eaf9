package io.goodhart.padding;

import static io.goodhart.curated.VerdictLabels.GENUINE;
import static io.goodhart.curated.VerdictLabels.PADDING;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rule that names clusters, applied to their centroids in standardised feature space (each
 * coordinate is how many standard deviations the cluster sits above the population mean):
 * a cluster is {@code padding} when it is below average on value per token (output kept, accepted
 * lines, linked artifacts) and above average on waste (repeated prompts, low-value tasks, timer-like
 * regularity, off-hours and cut-off floods). Both conditions are needed: a deployment bot repeats
 * prompts on a timer but produces deployments; a power user burns tokens but keeps the output.
 * The rule reads coordinates, never cluster ids, so a retrain that numbers clusters differently
 * labels the same behaviour the same way.
 */
public final class ClusterLabels {
  /** Signals of value: a higher coordinate is more value. */
  static final List<String> VALUE = List.of(
      "acceptance_rate", "lines_per_1k_tokens", "artifacts_per_1k_tokens", "session_artifact_share");

  /** Signals of waste, with the direction in which they point to waste (-1: lower is more waste). */
  static final Map<String, Integer> WASTE = Map.of(
      "prompt_repeat_share", 1,
      "unkept_repeat_share", 1,
      "distinct_prompt_ratio", -1,
      "low_value_task_share", 1,
      "interval_cv", -1,
      "off_hours_share", 1,
      "cutoff_token_share", 1);

  private ClusterLabels() {}

  /** Mean standardised value signal of a centroid. */
  public static double valueIndex(double[] centroid, List<String> features) {
    return VALUE.stream().mapToDouble(f -> centroid[features.indexOf(f)]).average().orElse(0);
  }

  /** Mean standardised waste signal of a centroid, each signal turned to point toward waste. */
  public static double wasteIndex(double[] centroid, List<String> features) {
    return WASTE.entrySet().stream()
        .mapToDouble(e -> e.getValue() * centroid[features.indexOf(e.getKey())]).average().orElse(0);
  }

  /** The label of each centroid, in the order given. */
  public static List<String> label(List<double[]> centroids, List<String> features) {
    List<String> labels = new ArrayList<>();
    for (double[] c : centroids) {
      labels.add(valueIndex(c, features) < 0 && wasteIndex(c, features) > 0 ? PADDING : GENUINE);
    }
    return labels;
  }
}
