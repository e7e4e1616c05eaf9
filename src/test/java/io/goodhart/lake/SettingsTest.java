package io.goodhart.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.cli.ExitCodes;
import io.goodhart.cli.GoodhartCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The settings registry: every goodhart.* key declared once, read typed, and a bad value is a usage error naming it. */
class SettingsTest {
  private static LakeConfig with(String key, String value) {
    return LakeConfig.resolve(null, Map.of(key, value));
  }

  @Test
  void unsetSettingsReadAsTheirDefaultsAndSetOnesAsTheirType() {
    LakeConfig defaults = LakeConfig.resolve(null, Map.of());
    assertEquals(7, defaults.value(Settings.LOOKBACK_DAYS));
    assertEquals(false, defaults.value(Settings.INGEST_STRICT));
    assertEquals(0.80, defaults.value(Settings.ENGAGEMENT_TARGET));
    assertEquals("nightly", defaults.value(Settings.MODEL_RETRAIN));
    assertEquals(null, defaults.value(Settings.TARGET_FILE_SIZE_MB));
    assertEquals(3, with("goodhart.ingest.lookback-days", " 3 ").value(Settings.LOOKBACK_DAYS));
    assertEquals(true, with("goodhart.ingest.strict", "TRUE").value(Settings.INGEST_STRICT));
    assertEquals(ZoneId.of("Europe/Berlin"), with("goodhart.reporting.time-zone", "Europe/Berlin").reportingTimeZone());
    assertEquals("weekly", with("goodhart.model.retrain", "Weekly").value(Settings.MODEL_RETRAIN));
  }

  @Test
  void aBadValueIsAUsageErrorNamingTheKeyWhatItTakesAndWhatWasFound() {
    Map<String, String> expected = Map.of(
        "goodhart.ingest.lookback-days", "goodhart.ingest.lookback-days must be a whole number, found \"a week\"",
        "goodhart.model.window-weeks", "goodhart.model.window-weeks must be at least 1, found \"0\"",
        "goodhart.engagement.target", "goodhart.engagement.target must be a share between 0 and 1, found \"80%\"",
        "goodhart.ingest.strict", "goodhart.ingest.strict must be true or false, found \"yes\"",
        "goodhart.model.retrain", "goodhart.model.retrain must be one of nightly, weekly, found \"hourly\"",
        "goodhart.reporting.time-zone", "goodhart.reporting.time-zone must be a time zone such as UTC or Europe/Berlin, "
            + "found \"CEST+\"",
        "goodhart.maintain.orphan-age-hours", "goodhart.maintain.orphan-age-hours must be a whole number, found \"2h\"");
    Map<String, String> bad = Map.of("goodhart.ingest.lookback-days", "a week", "goodhart.model.window-weeks", "0",
        "goodhart.engagement.target", "80%", "goodhart.ingest.strict", "yes", "goodhart.model.retrain", "hourly",
        "goodhart.reporting.time-zone", "CEST+", "goodhart.maintain.orphan-age-hours", "2h");
    bad.forEach((key, value) -> {
      SettingException e = assertThrows(SettingException.class, () -> with(key, value).validate(), key);
      assertEquals(expected.get(key), e.getMessage());
      assertEquals(ExitCodes.USAGE, GoodhartCli.exitCodeFor(new RuntimeException(e)));
    });
  }

  @Test
  void anUnknownGoodhartKeyIsRefusedSoATypoIsNotSilentlyIgnored() {
    SettingException e = assertThrows(SettingException.class,
        () -> with("goodhart.ingest.lookback-day", "3").validate());
    assertEquals("goodhart.ingest.lookback-day is not a goodhart setting (see docs/configuration.md), found \"3\"",
        e.getMessage());
  }

  @Test
  void everyGoodhartKeyTheCodeNamesIsDeclaredInTheRegistry() throws IOException {
    Set<String> declared = new HashSet<>();
    Settings.ALL.forEach(s -> assertTrue(declared.add(s.key()), "declared twice: " + s.key()));
    // Properties of snapshots and tables, and the serve command's channel to its authenticator, are not settings.
    Set<String> notSettings = Set.of("goodhart.bi-publication", "goodhart.run-id", "goodhart.source-sha256",
        "goodhart.serve.password-file");
    Set<String> named = new HashSet<>();
    try (var files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        var m = java.util.regex.Pattern.compile("\"(goodhart\\.[a-z0-9.-]+)\"").matcher(Files.readString(file));
        while (m.find()) {
          named.add(m.group(1));
        }
      }
    }
    named.removeAll(notSettings);
    named.removeAll(declared);
    assertEquals(Set.of(), named, "goodhart.* keys the code reads past the registry");
  }
}
