package io.goodhart.testing;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the test JVM, on a real Iceberg JDBC catalog (SQLite) in a fresh folder
 * under target/. Each test gets its own raw and curated namespaces, so tests never see each other's
 * tables while sharing the expensive session.
 */
public final class TestLake {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static SparkSession spark;
  private static LakeConfig base;

  private TestLake() {}

  public static synchronized SparkSession spark() {
    if (spark == null) {
      try {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "test-lake-");
        base = LakeConfig.resolve(null, Map.of(
            LakeConfig.LAKE_DIR, dir.toString(),
            "spark.master", "local[2]",
            "spark.sql.shuffle.partitions", "2",
            "spark.default.parallelism", "2"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.setProperty("spark.master", "local[2]");
      spark = LakeSession.open(base);
    }
    return spark;
  }

  /** A config on the shared catalog with namespaces no other test uses. */
  public static LakeConfig freshConfig(String label) {
    spark();
    String suffix = label.replaceAll("[^A-Za-z0-9]", "_").toLowerCase() + "_" + COUNTER.incrementAndGet();
    return base.with(Map.of(
        LakeConfig.RAW_NAMESPACE, "raw_" + suffix,
        LakeConfig.CURATED_NAMESPACE, "curated_" + suffix));
  }

  /** The shared lake's folder, for commands that must point at the same catalog. */
  public static Path lakeDir() {
    spark();
    return base.lakeDir();
  }
}
