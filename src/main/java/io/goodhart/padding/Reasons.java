package io.goodhart.padding;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expm1;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.goodhart.curated.UserWeeklyFeatures;
import io.goodhart.curated.VerdictLabels;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import scala.Function1;

/**
 * The reasons behind a verdict, in words a person can check against the raw events: each signal that
 * pulls the person-week toward its label is weighed by how far (in standard deviations) it sits from the
 * population, and the strongest three are stated with the person's own figures, e.g. "92% of requests
 * repeat a prompt", "0% of output kept", "requests arrive like a timer (gap variation 0.04)".
 */
final class Reasons {
  /** A signal must stand this many standard deviations out to be named. */
  static final double MIN_WEIGHT = 0.5;

  private Reasons() {}

  /** Up to three reasons for the label in {@code label}, from the standardised features in {@code z}. */
  static Column forLabel(Column label, Column z) {
    Column padding = array(
        reason(z("prompt_repeat_share", z), format_string("%d%% of requests repeat a prompt", percent("prompt_repeat_share"))),
        reason(z("unkept_repeat_share", z),
            format_string("%d%% of requests repeat a prompt and keep none of the output", percent("unkept_repeat_share"))),
        reason(z("low_value_task_share", z),
            format_string("%d%% of requests are email triage, summaries or other low-value tasks", percent("low_value_task_share"))),
        reason(z("interval_cv", z).multiply(-1),
            format_string("requests arrive like a timer (gap variation %.2f)", col("interval_cv"))),
        reason(z("off_hours_share", z), format_string("%d%% of requests outside working hours", percent("off_hours_share"))),
        reason(z("cutoff_token_share", z),
            format_string("%d%% of the week's tokens in the 48 hours before the weekly cut-off", percent("cutoff_token_share"))),
        reason(z("acceptance_rate", z).multiply(-1), format_string("%d%% of output kept", percent("acceptance_rate"))),
        reason(z("artifacts_per_1k_tokens", z).multiply(-1),
            when(col("artifacts_per_1k_tokens").equalTo(0), lit("no commit, pull request or deployment linked"))
                .otherwise(format_string("only %.3f linked artifacts per 1k tokens", expm1(col("artifacts_per_1k_tokens"))))));
    Column genuine = array(
        reason(z("acceptance_rate", z), format_string("%d%% of output kept", percent("acceptance_rate"))),
        reason(z("lines_per_1k_tokens", z),
            format_string("%.1f accepted lines per 1k tokens", expm1(col("lines_per_1k_tokens")))),
        reason(z("artifacts_per_1k_tokens", z),
            format_string("%.2f commits, pull requests or deployments per 1k tokens", expm1(col("artifacts_per_1k_tokens")))),
        reason(z("session_artifact_share", z),
            format_string("%d%% of sessions led to a commit, pull request or deployment", percent("session_artifact_share"))),
        reason(z("distinct_prompt_ratio", z), format_string("%d%% of prompts are distinct", percent("distinct_prompt_ratio"))),
        reason(z("interval_cv", z), lit("requests come at an irregular, human pace")),
        reason(z("off_hours_share", z).multiply(-1),
            format_string("%d%% of requests in working hours", lit(100).minus(percent("off_hours_share")))));
    return when(label.equalTo(VerdictLabels.PADDING), top(padding)).otherwise(top(genuine));
  }

  private static Column reason(Column weight, Column text) {
    return struct(weight.as("w"), text.as("t"));
  }

  /** The three heaviest reasons above the threshold; the heaviest one alone when none is. */
  private static Column top(Column reasons) {
    Column sorted = functions.sort_array(reasons, false);
    Column strong = functions.filter(sorted, (Function1<Column, Column>) x -> x.getField("w").gt(MIN_WEIGHT));
    Column chosen = when(functions.size(strong).gt(0), strong).otherwise(functions.slice(sorted, 1, 1));
    return functions.transform(functions.slice(chosen, 1, 3), (Function1<Column, Column>) x -> x.getField("t"));
  }

  private static Column z(String feature, Column z) {
    return z.getItem(UserWeeklyFeatures.FEATURES.indexOf(feature));
  }

  private static Column percent(String share) {
    return round(greatest(lit(0.0), least(lit(1.0), col(share))).multiply(100)).cast("int");
  }
}
