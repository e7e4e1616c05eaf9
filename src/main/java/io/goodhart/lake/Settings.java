package io.goodhart.lake;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The registry of every {@code goodhart.*} setting: each is declared here once, with its kind, default,
 * meaning and check, and read through it. {@code docs/configuration.md} is written from this list
 * ({@code ConfigurationDocs}); a test fails when it is stale. Secrets are never settings: keys come from the
 * environment or from owner-only files named here.
 */
public final class Settings {
  private Settings() {}

  // --- the lake ---
  public static final Setting<String> CATALOG = Setting.text("goodhart.catalog", "lake",
      "name of the Iceberg catalog in Spark");
  public static final Setting<String> RAW_NAMESPACE = Setting.text("goodhart.namespace.raw", "raw",
      "namespace of the raw tables");
  public static final Setting<String> CURATED_NAMESPACE = Setting.text("goodhart.namespace.curated", "curated",
      "namespace of the tables BI readers read");
  public static final Setting<String> PRIVATE_NAMESPACE = Setting.text("goodhart.namespace.private", null,
      "namespace of the per-person tables with real directory ids, for the data team only; default: the curated "
          + "namespace + `_private`");
  public static final Setting<String> LAKE_DIR = Setting.path("goodhart.lake.dir", ".lake",
      "folder of the embedded catalog (SQLite) and, by default, its warehouse; its key files live here");
  public static final Setting<String> WAREHOUSE = Setting.text("goodhart.warehouse", null,
      "warehouse of the embedded catalog: any Hadoop URI, e.g. `s3a://bucket/warehouse`; default "
          + "`<lake.dir>/warehouse` (see [Warehouse and input on S3](operations.md#warehouse-and-input-on-s3))");
  public static final Setting<ZoneId> REPORTING_TIME_ZONE = Setting.timeZone("goodhart.reporting.time-zone", "UTC",
      "time zone of the reporting calendar (ISO weeks, days of events)");

  // --- ingest ---
  public static final Setting<Integer> MAX_EVENT_AGE_DAYS = Setting.wholeNumber("goodhart.ingest.max-event-age-days",
      3650, 1, "events older than this many days before their delivery date are rejected on `event_time`");
  public static final Setting<Integer> LOOKBACK_DAYS = Setting.wholeNumber("goodhart.ingest.lookback-days", 7, 1,
      "delivery folders a dated ingest looks at, the date's own included; files the manifest lacks are read "
          + "(see [Ingestion](operations.md#ingestion))");
  public static final Setting<Boolean> INGEST_STRICT = Setting.bool("goodhart.ingest.strict", false,
      "`true`: a file of the input that is not an event file refuses the delivery (as `ingest --strict`)");

  public static final Setting<List<Setting.Pair>> INGEST_SOURCES = Setting.pairs("goodhart.ingest.sources",
      "the input sources, one ingest job each in the night: `name:format` pairs such as "
          + "`claude-code:otlp,cursor:cursor-events,events:goodhart`; each reads the delivery folders under "
          + "`<input>/<name>`. Unset: one `ingest` reads `<input>` in the native format "
          + "(see [Connect your telemetry](telemetry.md))");

  public static final Setting<Integer> SOURCE_HEALTH_BASELINE_DAYS = Setting.wholeNumber(
      "goodhart.source-health.baseline-days", 7, 1,
      "delivery days before a day whose median reject and unresolved shares that day is compared with "
          + "(see [Source health](operations.md#source-health))");
  public static final Setting<Double> SOURCE_HEALTH_REJECT_JUMP = Setting.share("goodhart.source-health.reject-jump",
      0.05, "a source's share of rejected records that exceeds the median of its baseline days by more than this is "
          + "an audit warning of the ingest run");
  public static final Setting<Double> SOURCE_HEALTH_UNRESOLVED_JUMP = Setting.share(
      "goodhart.source-health.unresolved-jump", 0.05, "a source's share of records whose person no key resolved "
          + "that exceeds the median of its baseline days by more than this is an audit warning of the ingest run");

  // --- engagement and privacy ---
  public static final Setting<Double> ENGAGEMENT_TARGET = Setting.share("goodhart.engagement.target", 0.80,
      "the adoption target, a share of eligible developers");
  public static final Setting<Integer> MIN_GROUP_SIZE = Setting.wholeNumber("goodhart.engagement.min-group-size", 5,
      Integer.MIN_VALUE, "groups with fewer eligible developers are suppressed for BI readers (and so are the groups that would "
          + "give them away, see [security.md](security.md)), as are a tool's unresolved figures from fewer source "
          + "keys; at least 2 while suppression is on");
  public static final Setting<Boolean> SUPPRESS_SMALL_GROUPS = Setting.bool("goodhart.privacy.suppress-small-groups",
      true, "`false` turns suppression off on purpose: every group's figures and every team name reach BI readers");
  public static final Setting<String> PSEUDONYM_KEY_FILE = Setting.path("goodhart.privacy.pseudonym-key-file", null,
      "file holding the key of the pseudonyms, owner-only, outside the warehouse (or `$GOODHART_PSEUDONYM_KEY`); "
          + "default for the embedded lake: `<lake.dir>/pseudonym.key`");
  public static final Setting<String> ERASURE_KEY_FILE = Setting.path("goodhart.privacy.erasure-key-file", null,
      "file holding the key of the erasure list's hashes, owner-only, never changed (or `$GOODHART_ERASURE_KEY`); "
          + "default for the embedded lake: `<lake.dir>/erasure.key` (see [Erasure](operations.md#erasure-goodhart-forget))");
  public static final Setting<String> PRICING_FILE = Setting.path("goodhart.pricing.file", "datasets/pricing.csv",
      "price per million tokens by model, for padding cost (the bundled file by default)");

  // --- the padding model ---
  public static final Setting<Integer> MODEL_WINDOW_WEEKS = Setting.wholeNumber("goodhart.model.window-weeks", 8, 1,
      "weeks of person-weeks the padding model trains on");
  public static final Setting<String> MODEL_RETRAIN = Setting.oneOf("goodhart.model.retrain", "nightly",
      List.of("nightly", "weekly"), "`weekly`: reuse the model trained earlier in the same week");
  public static final Setting<String> MODEL_DIR = Setting.path("goodhart.model.dir", null,
      "where fitted models are saved; default `<warehouse>/_models`");
  public static final Setting<String> MODEL_RUN = Setting.text("goodhart.model.run", null,
      "score with this kept model run instead of training (what `goodhart score` sets); `as-scored` re-scores "
          + "each week with the model that scored it (what `goodhart forget` sets)");

  // --- serve ---
  public static final Setting<Integer> SERVE_STATEMENT_TIMEOUT = Setting.wholeNumber(
      "goodhart.serve.statement-timeout-seconds", 300, 1,
      "a BI reader's statement on `goodhart serve` is cancelled after this long");
  public static final Setting<Integer> SERVE_MAX_RESULT_ROWS = Setting.wholeNumber("goodhart.serve.max-result-rows",
      100000, 1, "a BI reader's statement may return at most this many rows; a larger result is an error");

  // --- maintain ---
  /** The maintain settings' ranges are checked by {@code MaintainJob.Config}, which says why each bound holds. */
  private static final int MAINTAIN_CHECKS = Integer.MIN_VALUE;
  public static final Setting<Integer> RETAIN_DAYS = Setting.wholeNumber("goodhart.maintain.retain-days", 30, MAINTAIN_CHECKS,
      "snapshots younger than this are kept (0 or more)");
  public static final Setting<Integer> RETAIN_LAST = Setting.wholeNumber("goodhart.maintain.retain-last", 5, MAINTAIN_CHECKS,
      "this many snapshots of each table are kept whatever their age (at least 1)");
  public static final Setting<Integer> ORPHAN_AGE_HOURS = Setting.wholeNumber("goodhart.maintain.orphan-age-hours",
      72, MAINTAIN_CHECKS, "files no snapshot references are removed once older than this (at least 24: a younger one may "
          + "belong to a write in flight)");
  public static final Setting<Integer> COMPACT_MIN_FILES = Setting.wholeNumber("goodhart.maintain.compact-min-files",
      5, MAINTAIN_CHECKS, "a partition with at least this many small files is compacted (at least 2)");
  public static final Setting<Integer> TARGET_FILE_SIZE_MB = Setting.wholeNumber(
      "goodhart.maintain.target-file-size-mb", null, MAINTAIN_CHECKS,
      "size of the files compaction writes; default each table's `write.target-file-size-bytes`");

  /** Every setting, in the order the docs list them. */
  public static final List<Setting<?>> ALL = List.of(CATALOG, RAW_NAMESPACE, CURATED_NAMESPACE, PRIVATE_NAMESPACE,
      LAKE_DIR, WAREHOUSE, REPORTING_TIME_ZONE, MAX_EVENT_AGE_DAYS, LOOKBACK_DAYS, INGEST_STRICT, INGEST_SOURCES,
      SOURCE_HEALTH_BASELINE_DAYS, SOURCE_HEALTH_REJECT_JUMP, SOURCE_HEALTH_UNRESOLVED_JUMP, ENGAGEMENT_TARGET,
      MIN_GROUP_SIZE, SUPPRESS_SMALL_GROUPS, PSEUDONYM_KEY_FILE, ERASURE_KEY_FILE, PRICING_FILE, MODEL_WINDOW_WEEKS,
      MODEL_RETRAIN, MODEL_DIR, MODEL_RUN, SERVE_STATEMENT_TIMEOUT, SERVE_MAX_RESULT_ROWS, RETAIN_DAYS, RETAIN_LAST,
      ORPHAN_AGE_HOURS, COMPACT_MIN_FILES, TARGET_FILE_SIZE_MB);

  public static Optional<Setting<?>> byKey(String key) {
    return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
  }

  /**
   * Checks every {@code goodhart.*} key of these settings: a key the registry does not know (a typo) or a value
   * its setting refuses is a usage error naming the key.
   */
  static void check(Map<String, String> settings) {
    for (String key : new TreeSet<>(settings.keySet())) {
      if (key.startsWith("goodhart.") && byKey(key).isEmpty()) {
        throw new SettingException(key, "is not a goodhart setting (see docs/configuration.md)", settings.get(key));
      }
    }
    ALL.forEach(s -> s.check(settings));
  }
}
