package io.goodhart.lake;

import java.util.stream.Collectors;

/**
 * The table of every {@code goodhart.*} setting, as {@code docs/configuration.md} shows it between its
 * {@link #BEGIN} and {@link #END} markers, written from {@link Settings}, so the docs cannot drift from the
 * code ({@code SettingsReferenceTest} fails when they do).
 */
public final class SettingsReference {
  public static final String BEGIN = "<!-- settings reference: generated from io.goodhart.lake.Settings -->";
  public static final String END = "<!-- end of settings reference -->";

  private SettingsReference() {}

  public static String markdown() {
    return "| key | value | default | meaning |\n|---|---|---|---|\n" + Settings.ALL.stream()
        .map(s -> "| `" + s.key() + "` | " + s.kind().said + (s.choices().isEmpty() ? ""
            : " " + s.choices().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", ")))
            + " | " + (s.defaultValue() == null ? "–" : "`" + s.defaultValue() + "`") + " | " + s.description() + " |")
        .collect(Collectors.joining("\n")) + "\n";
  }
}
