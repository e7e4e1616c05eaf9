package io.goodhart.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists exactly the settings of the registry. Run with
 * {@code -Dgoodhart.docs.write=true} to rewrite its generated part after changing a setting.
 */
class SettingsReferenceTest {
  private static final Path DOC = Path.of("docs/configuration.md");

  @Test
  void theConfigurationDocListsEverySettingOfTheRegistry() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(SettingsReference.BEGIN);
    int end = doc.indexOf(SettingsReference.END);
    assertTrue(begin >= 0 && end > begin, DOC + " must hold the markers " + SettingsReference.BEGIN + " and "
        + SettingsReference.END);
    String generated = SettingsReference.markdown();
    String current = doc.substring(begin + SettingsReference.BEGIN.length(), end).strip() + "\n";
    if (Boolean.getBoolean("goodhart.docs.write")) {
      Files.writeString(DOC, doc.substring(0, begin + SettingsReference.BEGIN.length()) + "\n" + generated
          + doc.substring(end), StandardCharsets.UTF_8);
      return;
    }
    assertEquals(generated, current, DOC + " is stale: run mvn -o test -Dtest=SettingsReferenceTest "
        + "-Dgoodhart.docs.write=true");
  }
}
