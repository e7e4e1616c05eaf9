package io.goodhart.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a goodhart process uses, wired to the configured Iceberg catalog.
 * Spark runs {@code local[*]} unless a master is configured (by {@code --master} or
 * {@code spark.master}), so a laptop and a cluster take the same command.
 */
public final class LakeSession {
  private LakeSession() {}

  public static SparkSession open(LakeConfig config) {
    if (config.embeddedCatalog()) {
      try {
        Files.createDirectories(config.lakeDir());
        // A warehouse elsewhere (s3a://...) is written through Hadoop; only a local one needs its folder.
        String warehouse = config.warehouse();
        if (warehouse == null || warehouse.startsWith("file:")) {
          Files.createDirectories(config.lakeDir().resolve("warehouse"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the embedded lake under " + config.lakeDir(), e);
      }
    }
    boolean existing = SparkSession.getDefaultSession().isDefined();
    SparkSession.Builder builder = SparkSession.builder().appName("goodhart");
    if (config.get("spark.master") == null && System.getProperty("spark.master") == null) {
      builder.master("local[*]");
    }
    config.sparkSettings().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    if (existing) {
      // A new SparkContext copies spark.hadoop.* into its Hadoop configuration; an existing one (a test
      // JVM, a notebook) ignores them, so apply them here: without that, s3a:// settings given to a
      // command run inside a host process would silently not take effect.
      config.sparkSettings().forEach((k, v) -> {
        if (k.startsWith("spark.hadoop.")) {
          spark.sparkContext().hadoopConfiguration().set(k.substring("spark.hadoop.".length()), v);
        }
      });
    }
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
