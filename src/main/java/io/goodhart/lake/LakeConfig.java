package io.goodhart.lake;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting goodhart runs with, resolved once: built-in defaults, then a properties file, then
 * {@code --conf k=v} pairs, later ones winning. Keys starting with {@code spark.} go to Spark unchanged
 * (that is how a REST, Glue or Hive catalog and an {@code s3a://} warehouse are configured); keys
 * starting with {@code goodhart.} are ours. The embedded default is an Iceberg JDBC catalog on an SQLite
 * file under {@code .lake/}, which other engines (pyiceberg, DuckDB through pyiceberg) can open too.
 */
public final class LakeConfig {
  public static final String CATALOG = Settings.CATALOG.key();
  public static final String RAW_NAMESPACE = Settings.RAW_NAMESPACE.key();
  public static final String CURATED_NAMESPACE = Settings.CURATED_NAMESPACE.key();
  /** Per-person tables with real directory ids; default: the curated namespace + {@code _private}. */
  public static final String PRIVATE_NAMESPACE = Settings.PRIVATE_NAMESPACE.key();
  /** A file holding the key of the pseudonymous ids; default for the embedded lake: a key file in it. */
  public static final String PSEUDONYM_KEY_FILE = Settings.PSEUDONYM_KEY_FILE.key();
  /** The pseudonym key itself, from the environment only (never a setting that ends up in a command line). */
  public static final String PSEUDONYM_KEY_ENV = "GOODHART_PSEUDONYM_KEY";
  /** A file holding the key of the erasure list's hashes; default for the embedded lake: a key file in it. */
  public static final String ERASURE_KEY_FILE = Settings.ERASURE_KEY_FILE.key();
  /** The erasure key itself, from the environment only. */
  public static final String ERASURE_KEY_ENV = "GOODHART_ERASURE_KEY";
  public static final String LAKE_DIR = Settings.LAKE_DIR.key();
  /**
   * Where the embedded catalog keeps table data and metadata: any Hadoop URI ({@code s3a://bucket/warehouse},
   * {@code file:/...}); default {@code <lake.dir>/warehouse}. The SQLite catalog file stays local.
   */
  public static final String WAREHOUSE = Settings.WAREHOUSE.key();
  public static final String REPORTING_TIME_ZONE = Settings.REPORTING_TIME_ZONE.key();
  public static final String ENGAGEMENT_TARGET = Settings.ENGAGEMENT_TARGET.key();
  public static final String MIN_GROUP_SIZE = Settings.MIN_GROUP_SIZE.key();
  /**
   * {@code false} turns small-group suppression off on purpose: every group's figures and every team name
   * on per-person rows reach BI readers. Only then may the minimum group size be below 2.
   */
  public static final String SUPPRESS_SMALL_GROUPS = Settings.SUPPRESS_SMALL_GROUPS.key();
  /** Seconds a statement of a BI reader may run on {@code goodhart serve} before it is cancelled. */
  public static final String SERVE_STATEMENT_TIMEOUT = Settings.SERVE_STATEMENT_TIMEOUT.key();
  /** Rows a statement of a BI reader may return on {@code goodhart serve}; a larger result is an error. */
  public static final String SERVE_MAX_RESULT_ROWS = Settings.SERVE_MAX_RESULT_ROWS.key();

  private static final Map<String, String> DEFAULTS = Map.of(
      CATALOG, "lake",
      RAW_NAMESPACE, "raw",
      CURATED_NAMESPACE, "curated",
      LAKE_DIR, ".lake",
      REPORTING_TIME_ZONE, "UTC",
      ENGAGEMENT_TARGET, "0.80",
      MIN_GROUP_SIZE, "5",
      SUPPRESS_SMALL_GROUPS, "true",
      SERVE_STATEMENT_TIMEOUT, "300",
      SERVE_MAX_RESULT_ROWS, "100000");

  private final Map<String, String> settings;

  private LakeConfig(Map<String, String> settings) {
    this.settings = Collections.unmodifiableMap(settings);
  }

  /**
   * Defaults, then the Spark settings the process was started with, then the given file (may be null),
   * then the given overrides.
   */
  public static LakeConfig resolve(Path configFile, Map<String, String> overrides) {
    return resolve(configFile, overrides, startupSparkSettings());
  }

  static LakeConfig resolve(Path configFile, Map<String, String> overrides, Map<String, String> startup) {
    Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
    merged.putAll(startup);
    if (configFile != null) {
      merged.putAll(readProperties(configFile));
    }
    merged.putAll(overrides);
    return new LakeConfig(merged);
  }

  /**
   * spark-submit hands its {@code --conf spark.*} settings to the driver as system properties. Taking
   * them in means a catalog configured on the spark-submit line is seen as the user's catalog and not
   * replaced by the embedded one.
   */
  private static Map<String, String> startupSparkSettings() {
    Map<String, String> out = new LinkedHashMap<>();
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("spark."))
        .sorted()
        .forEach(k -> out.put(k, System.getProperty(k)));
    return out;
  }

  public static LakeConfig defaults() {
    return resolve(null, Map.of());
  }

  /** A copy with some settings replaced; tests use it to give each case its own namespaces. */
  public LakeConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(settings);
    merged.putAll(overrides);
    return new LakeConfig(merged);
  }

  private static Map<String, String> readProperties(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file " + file + " does not exist or is not a file");
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("config file " + file + " cannot be read: " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k).trim()));
    return out;
  }

  public String get(String key) {
    return settings.get(key);
  }

  /** A setting's value (its default when unset), checked: a bad value is a usage error naming the key. */
  public <T> T value(Setting<T> setting) {
    return setting.from(settings);
  }

  public String catalog() {
    return settings.get(CATALOG);
  }

  public String rawNamespace() {
    return settings.get(RAW_NAMESPACE);
  }

  public String curatedNamespace() {
    return settings.get(CURATED_NAMESPACE);
  }

  /** Namespace of the per-person tables that keep real directory ids, for the data team only. */
  public String privateNamespace() {
    String configured = settings.get(PRIVATE_NAMESPACE);
    return configured != null ? configured : curatedNamespace() + "_private";
  }

  public ZoneId reportingTimeZone() {
    return value(Settings.REPORTING_TIME_ZONE);
  }

  /** The adoption target, a share in [0, 1] (contract section 3: default 80%). */
  public double engagementTarget() {
    return value(Settings.ENGAGEMENT_TARGET);
  }

  /**
   * Groups with fewer eligible developers than this get no per-person figures in the private table, and
   * are suppressed for BI readers. At least 2 (a group of one is a person); with suppression turned off
   * ({@link #SUPPRESS_SMALL_GROUPS}) it is 1: no group with anybody in it is small.
   */
  public int minGroupSize() {
    if (!suppressSmallGroups()) {
      return 1;
    }
    int size = value(Settings.MIN_GROUP_SIZE);
    if (size < 2) {
      throw new SettingException(MIN_GROUP_SIZE, "must be at least 2 (a group of one is a person; to publish every "
          + "group on purpose, set " + SUPPRESS_SMALL_GROUPS + "=false instead)", settings.get(MIN_GROUP_SIZE));
    }
    return size;
  }

  /** The size below which BI readers get no figures of a group: {@link #minGroupSize()}, or 0 with suppression off. */
  public int biMinGroupSize() {
    return suppressSmallGroups() ? minGroupSize() : 0;
  }

  public boolean suppressSmallGroups() {
    return value(Settings.SUPPRESS_SMALL_GROUPS);
  }

  /** A whole-number setting; anything else is a usage error naming the key. */
  public int integer(String key) {
    String value = settings.get(key);
    try {
      return Integer.parseInt(value == null ? "" : value.trim());
    } catch (NumberFormatException e) {
      throw new SettingException(key, "must be a whole number", String.valueOf(value));
    }
  }

  /** A whole-number setting of at least {@code min}. */
  public int integerAtLeast(String key, int min) {
    int value = integer(key);
    if (value < min) {
      throw new SettingException(key, "must be at least " + min, settings.get(key));
    }
    return value;
  }

  /**
   * Checks every {@code goodhart.*} setting against the registry ({@link Settings}), and the rules between
   * settings, so a bad value or an unknown key stops a command before it starts.
   */
  public void validate() {
    Settings.check(settings);
    minGroupSize();
  }

  public Path lakeDir() {
    return Path.of(settings.get(LAKE_DIR)).toAbsolutePath().normalize();
  }

  /**
   * The Spark settings this config implies: the user's {@code spark.*} keys, plus the embedded JDBC
   * catalog unless the user configured the catalog's type or implementation themselves.
   */
  public Map<String, String> sparkSettings() {
    Map<String, String> spark = new LinkedHashMap<>();
    String prefix = "spark.sql.catalog." + catalog();
    spark.put("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    spark.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    boolean userCatalog = settings.containsKey(prefix + ".type") || settings.containsKey(prefix + ".catalog-impl");
    if (!userCatalog) {
      Path lake = lakeDir();
      spark.put(prefix + ".type", "jdbc");
      spark.put(prefix + ".uri", "jdbc:sqlite:" + lake.resolve("catalog.db"));
      spark.put(prefix + ".warehouse", embeddedWarehouse());
      spark.put(prefix + ".jdbc.schema-version", "V1");
      // Two processes on one lake (a scheduled night and a manual re-run) take turns on the SQLite
      // file; waiting up to 30 s for its lock beats the driver's 3 s default, after which a commit fails.
      spark.put(prefix + ".jdbc.busy_timeout", "30000");
    }
    spark.put("spark.sql.session.timeZone", "UTC");
    spark.put("spark.ui.enabled", "false");
    spark.put("spark.sql.shuffle.partitions", "16");
    spark.put("spark.sql.adaptive.enabled", "true");
    // Our event schema is wider than Spark's default plan-printing limit, which then warns on every job.
    spark.put("spark.sql.debug.maxToStringFields", "100");
    settings.forEach((k, v) -> {
      if (k.startsWith("spark.")) {
        spark.put(k, v);
      }
    });
    return spark;
  }

  /**
   * The embedded catalog's warehouse: {@code goodhart.warehouse} when set, else {@code <lake.dir>/warehouse}.
   * (A {@code spark.sql.catalog.<name>.warehouse} key, being a {@code spark.*} key, still wins over both.)
   */
  private String embeddedWarehouse() {
    String warehouse = settings.get(WAREHOUSE);
    return warehouse != null && !warehouse.isBlank()
        ? warehouse.trim().replaceAll("/+$", "")
        : lakeDir().resolve("warehouse").toUri().toString();
  }

  /** The warehouse the catalog writes to, as Spark gets it; null when a user catalog sets none. */
  public String warehouse() {
    return sparkSettings().get("spark.sql.catalog." + catalog() + ".warehouse");
  }

  /** Whether the catalog is the embedded SQLite one, whose folder goodhart must create itself. */
  public boolean embeddedCatalog() {
    String prefix = "spark.sql.catalog." + catalog();
    return !settings.containsKey(prefix + ".type") && !settings.containsKey(prefix + ".catalog-impl");
  }

  public Map<String, String> asMap() {
    return settings;
  }
}
