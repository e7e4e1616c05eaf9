package io.goodhart.generate;

/**
 * Behaviour of one user in one ISO week, as written to {@code ground_truth.csv}.
 *
 * <p>The first five are genuine usage; the last three inflate token counts without producing
 * anything ({@link #padding()} is {@code true}). A user has one genuine base archetype; in a week
 * in which they pad, their label for that week is the padding archetype, although the week still
 * contains some genuine activity.
 */
public enum Archetype {
  /** Developer (or manager) who never uses an AI tool. */
  NON_USER(false),
  /** A few interactive requests on some days. */
  LIGHT(false),
  /** Daily interactive use during working hours. */
  REGULAR(false),
  /** Heavy interactive and agent use, varied prompts, high acceptance, many artifacts. */
  POWER(false),
  /** Legitimate scheduled/automated runs (deployments, test runs) plus some interactive use. */
  DEPLOY_AUTOMATION(false),
  /** Agent loop on a timer around the clock: repeated prompts, huge inputs, nothing kept. */
  LOOP_PADDER(true),
  /** Normal week, then a flood of huge requests from Friday evening to the weekly cut-off. */
  WEEKEND_FLOODER(true),
  /** Interactive-looking sessions that repeat the same prompts and keep nothing. */
  REPEATER(true);

  private final boolean padding;

  Archetype(boolean padding) {
    this.padding = padding;
  }

  /** {@code true} for archetypes that inflate token usage without producing work. */
  public boolean padding() {
    return padding;
  }
}
