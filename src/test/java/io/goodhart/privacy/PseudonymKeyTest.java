package io.goodhart.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.ingest.InputException;
import io.goodhart.lake.LakeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the pseudonym key comes from, and that a lake without one refuses rather than guesses. */
class PseudonymKeyTest {
  @TempDir Path dir;

  private LakeConfig embedded() {
    return LakeConfig.resolve(null, Map.of(LakeConfig.LAKE_DIR, dir.toString()));
  }

  @Test
  void theEmbeddedLakeCreatesAnOwnerOnlyKeyOnceAndKeepsIt() throws Exception {
    byte[] first = PseudonymKey.resolve(embedded(), Map.of());
    Path file = dir.resolve("pseudonym.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(first, PseudonymKey.resolve(embedded(), Map.of()), "the same key on every run");
    assertEquals(44, first.length, "32 random bytes, base64");
  }

  @Test
  void theEnvironmentWinsOverAKeyFile() throws Exception {
    Path file = dir.resolve("k");
    Files.writeString(file, "file-key-0123456789\n");
    LakeConfig config = embedded().with(Map.of(LakeConfig.PSEUDONYM_KEY_FILE, file.toString()));
    assertArrayEquals("file-key-0123456789".getBytes(StandardCharsets.UTF_8), PseudonymKey.resolve(config, Map.of()));
    assertArrayEquals("env-key-0123456789".getBytes(StandardCharsets.UTF_8),
        PseudonymKey.resolve(config, Map.of(LakeConfig.PSEUDONYM_KEY_ENV, "env-key-0123456789")));
  }

  @Test
  void aProductionCatalogWithoutAKeyIsRefusedWithWhatToSet() {
    LakeConfig rest = embedded().with(Map.of("spark.sql.catalog.lake.type", "rest"));
    InputException e = assertThrows(InputException.class, () -> PseudonymKey.resolve(rest, Map.of()));
    assertTrue(e.getMessage().startsWith("no pseudonym key: BI-facing tables show keyed pseudonyms of user ids; set "
        + "$GOODHART_PSEUDONYM_KEY or goodhart.privacy.pseudonym-key-file=FILE"), e.getMessage());
  }

  @Test
  void aShortKeyIsRefused() {
    InputException e = assertThrows(InputException.class,
        () -> PseudonymKey.resolve(embedded(), Map.of(LakeConfig.PSEUDONYM_KEY_ENV, "short")));
    assertEquals("$GOODHART_PSEUDONYM_KEY holds a pseudonym key of 5 bytes; at least 16 are needed", e.getMessage());
  }
}
