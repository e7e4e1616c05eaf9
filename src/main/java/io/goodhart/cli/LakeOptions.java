package io.goodhart.cli;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeSession;
import io.goodhart.lake.LakeTables;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The options every command that touches the lake shares: where Spark runs and how the catalog is set. */
public final class LakeOptions {
  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "A spark.* or goodhart.* setting; repeatable; wins over --config.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--config", paramLabel = "FILE",
      description = "A properties file of spark.* and goodhart.* settings (default: $GOODHART_CONFIG when set).")
  Path configFile;

  public LakeConfig config() {
    return config(Map.of());
  }

  /** The config with a command's own settings on top of the user's (e.g. the folder {@code bench} owns). */
  public LakeConfig config(Map<String, String> commandSettings) {
    Map<String, String> overrides = new LinkedHashMap<>(conf);
    overrides.putAll(commandSettings);
    if (master != null) {
      overrides.put("spark.master", master);
    }
    Path file = configFile;
    if (file == null && System.getenv("GOODHART_CONFIG") != null) {
      file = Path.of(System.getenv("GOODHART_CONFIG"));
    }
    return LakeConfig.resolve(file, overrides);
  }

  /**
   * An open session and the lake's tables. Closing stops the session only when this command started
   * it, so commands run inside a host process (tests, a notebook) leave the host's session alone.
   */
  public record Lake(SparkSession spark, LakeConfig config, LakeTables tables, boolean ownsSession)
      implements AutoCloseable {
    @Override
    public void close() {
      if (ownsSession) {
        spark.stop();
      }
    }
  }

  public Lake open() {
    return open(Map.of());
  }

  /** Like {@link #open()}, with {@link #config(Map)}'s settings. */
  public Lake open(Map<String, String> commandSettings) {
    LakeConfig config = config(commandSettings);
    config.validate();
    io.goodhart.privacy.PseudonymKey.checkFile(config);
    boolean existing = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = LakeSession.open(config);
    return new Lake(spark, config, new LakeTables(spark, config), !existing);
  }
}
