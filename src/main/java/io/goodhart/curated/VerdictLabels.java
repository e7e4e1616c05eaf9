package io.goodhart.curated;

/**
 * The labels a padding-model verdict gives a person-week, as {@code curated_private.usage_classification}
 * holds them: the model that names them and the figures that count them both read them from here.
 */
public final class VerdictLabels {
  public static final String PADDING = "padding";
  public static final String GENUINE = "genuine";

  private VerdictLabels() {}
}
