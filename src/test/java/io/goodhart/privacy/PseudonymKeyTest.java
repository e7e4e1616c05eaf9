package io.goodhart.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.InputException;
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
  void runsStartingOnANewLakeAtOnceAllGetTheOneKeyThatWasWritten() throws Exception {
    int runs = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    try {
      java.util.List<java.util.concurrent.Future<byte[]>> keys = new java.util.ArrayList<>();
      for (int i = 0; i < runs; i++) {
        keys.add(pool.submit(() -> {
          start.await();
          return PseudonymKey.resolve(embedded(), Map.of());
        }));
      }
      start.countDown();
      java.util.List<byte[]> got = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<byte[]> key : keys) {
        got.add(key.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      byte[] written = Files.readString(dir.resolve("pseudonym.key")).trim().getBytes(StandardCharsets.UTF_8);
      for (byte[] key : got) {
        assertArrayEquals(written, key);
      }
    } finally {
      pool.shutdownNow();
    }
    try (var files = Files.list(dir)) {
      assertEquals(java.util.List.of("pseudonym.key"), files.map(f -> f.getFileName().toString()).toList(),
          "no draft key file is left behind");
    }
  }

  @Test
  void theEnvironmentWinsOverAKeyFile() throws Exception {
    Path file = dir.resolve("k");
    Files.writeString(file, "file-key-0123456789\n");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    LakeConfig config = embedded().with(Map.of(LakeConfig.PSEUDONYM_KEY_FILE, file.toString()));
    assertArrayEquals("file-key-0123456789".getBytes(StandardCharsets.UTF_8), PseudonymKey.resolve(config, Map.of()));
    assertArrayEquals("env-key-0123456789".getBytes(StandardCharsets.UTF_8),
        PseudonymKey.resolve(config, Map.of(LakeConfig.PSEUDONYM_KEY_ENV, "env-key-0123456789")));
  }

  @Test
  void aKeyFileOthersCanReadIsRefusedWithTheChmodToRun() throws Exception {
    Path file = dir.resolve("shared.key");
    Files.writeString(file, "file-key-0123456789\n");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    LakeConfig config = embedded().with(Map.of(LakeConfig.PSEUDONYM_KEY_FILE, file.toString()));
    InputException e = assertThrows(InputException.class, () -> PseudonymKey.resolve(config, Map.of()));
    assertTrue(e.getMessage().endsWith("run: chmod 600 " + file), e.getMessage());
    InputException atStart = assertThrows(InputException.class, () -> PseudonymKey.checkFile(config));
    assertEquals(e.getMessage(), atStart.getMessage());
  }

  @Test
  void aKeyFileInsideTheWarehouseIsRefused() throws Exception {
    Path warehouse = dir.resolve("warehouse");
    Files.createDirectories(warehouse);
    Path file = warehouse.resolve("pseudonym.key");
    Files.writeString(file, "file-key-0123456789\n");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    InputException e = assertThrows(InputException.class,
        () -> PseudonymKey.checkOutsideWarehouse(file, warehouse.toUri().toString()));
    assertTrue(e.getMessage().contains("is inside the warehouse folder"), e.getMessage());
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
