package io.goodhart.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.functions;

/**
 * The lake's tables: their fully qualified names in one place, and their creation from the DDL files
 * under {@code sql/} (bundled into the jar), so the schema people read is the schema that runs.
 */
public final class LakeTables {
  /** Snapshot summary property that ties every commit to the job run that made it. */
  static final String RUN_ID_PROPERTY = "snapshot-property.goodhart.run-id";

  private final SparkSession spark;
  private final LakeConfig config;
  private boolean created;
  private final List<String> migrations = new ArrayList<>();

  public LakeTables(SparkSession spark, LakeConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /** The settings these tables were opened with (jobs read their own {@code goodhart.*} keys from it). */
  public LakeConfig config() {
    return config;
  }

  public String rawNamespace() {
    return config.catalog() + "." + config.rawNamespace();
  }

  public String curatedNamespace() {
    return config.catalog() + "." + config.curatedNamespace();
  }

  /** Per-person tables with real directory ids, for the data team only. */
  public String privateNamespace() {
    return config.catalog() + "." + config.privateNamespace();
  }

  public String usageEvents() {
    return rawNamespace() + ".usage_events";
  }

  public String usageEventsRejected() {
    return rawNamespace() + ".usage_events_rejected";
  }

  /** Telemetry events that are not requests: human turns, tool decisions and results, API errors. */
  public String interactionEvents() {
    return rawNamespace() + ".interaction_events";
  }

  /** Data points of the AI tools' sum metrics (tokens, cost, lines of code, commits, pull requests), as delivered. */
  public String metricPoints() {
    return rawNamespace() + ".metric_points";
  }

  /** The daily per-user reports of tools without per-request events: one row per source, person key and day. */
  public String usageDaily() {
    return rawNamespace() + ".usage_daily";
  }

  /** The file manifest of ingest: which files were read, when, and what became of their lines. */
  public String ingestedFiles() {
    return rawNamespace() + ".ingested_files";
  }

  /**
   * A table's name by its part in the lake, whatever the namespaces are configured to: {@code raw.x},
   * {@code curated.x} or {@code curated_private.x} (how jobs/nightly.yaml and the job registry name tables).
   */
  public String logicalName(String table) {
    for (String[] part : new String[][] {{privateNamespace(), "curated_private"}, {rawNamespace(), "raw"},
        {curatedNamespace(), "curated"}}) {
      if (table.startsWith(part[0] + ".")) {
        return part[1] + table.substring(part[0].length());
      }
    }
    return table;
  }

  /** Keyed hashes of the people {@code goodhart forget} erased. */
  public String erasedPeople() {
    return rawNamespace() + ".erased_people";
  }

  public String developerDirectory() {
    return rawNamespace() + ".developer_directory";
  }

  /** Which directory person each key a source names people by stands for, and when. */
  public String identities() {
    return rawNamespace() + ".identities";
  }

  public String jobRuns() {
    return curatedNamespace() + ".job_runs";
  }

  /** Every figure of every group, small ones included: the engagement job's table, for the data team. */
  public String teamWeeklyEngagement() {
    return privateNamespace() + ".team_weekly_engagement";
  }

  public String userWeeklyUsage() {
    return privateNamespace() + ".user_weekly_usage";
  }

  public String leaderboardSnapshots() {
    return privateNamespace() + ".leaderboard_snapshots";
  }

  /** Per person, day and tool: what the AI tool produced (lines, commits, pull requests) and how it was received. */
  public String dailyOutcomes() {
    return privateNamespace() + ".daily_outcomes";
  }

  public String userWeeklyFeatures() {
    return privateNamespace() + ".user_weekly_features";
  }

  public String usageClassification() {
    return privateNamespace() + ".usage_classification";
  }

  /**
   * Per week and tool, the requests no person key resolves to a directory person, beside all of the tool's:
   * counts only, written by the user-usage job beside {@link #userWeeklyUsage()}.
   */
  public String unresolvedWeeklyUsage() {
    return privateNamespace() + ".unresolved_weekly_usage";
  }

  /** Every data-quality check of every audited run, passed or failed (for the data team, not BI readers). */
  public String auditResults() {
    return privateNamespace() + ".audit_results";
  }

  /**
   * The table BI readers get in place of a private one (the same name in the curated namespace: person_id
   * in place of user_id, suppressed groups withheld), written by {@code goodhart bi-publish}; null when the
   * private table has none.
   */
  public String biCopyOf(String privateTable) {
    for (String published : List.of(teamWeeklyEngagement(), userWeeklyUsage(), leaderboardSnapshots(),
        usageClassification(), unresolvedWeeklyUsage())) {
      if (published.equals(privateTable)) {
        return curatedNamespace() + privateTable.substring(privateNamespace().length());
      }
    }
    return null;
  }

  public String modelRuns() {
    return curatedNamespace() + ".model_runs";
  }

  /** The part of model_runs BI readers may see, one row per run and cluster. */
  public String modelHealth() {
    return curatedNamespace() + ".model_health";
  }

  /**
   * Per input source and delivery day, the records ingest received, rejected, replaced and could not resolve, as
   * BI readers may see them: written by {@code goodhart bi-publish} from {@link #ingestedFiles()}.
   */
  public String sourceHealth() {
    return curatedNamespace() + ".source_health";
  }

  /** DDL scripts in creation order; each is idempotent ({@code IF NOT EXISTS}). */
  static final List<String> DDL = List.of(
      "sql/raw/usage_events.sql",
      "sql/raw/usage_events_rejected.sql",
      "sql/raw/interaction_events.sql",
      "sql/raw/metric_points.sql",
      "sql/raw/usage_daily.sql",
      "sql/raw/developer_directory.sql",
      "sql/raw/identities.sql",
      "sql/raw/ingested_files.sql",
      "sql/raw/erased_people.sql",
      "sql/curated/job_runs.sql",
      "sql/curated_private/team_weekly_engagement.sql",
      "sql/curated_private/user_weekly_usage.sql",
      "sql/curated_private/leaderboard_snapshots.sql",
      "sql/curated_private/user_weekly_features.sql",
      "sql/curated_private/usage_classification.sql",
      "sql/curated_private/audit_results.sql",
      "sql/curated_private/daily_outcomes.sql",
      "sql/curated_private/unresolved_weekly_usage.sql",
      "sql/curated/user_weekly_usage.sql",
      "sql/curated/leaderboard_snapshots.sql",
      "sql/curated/usage_classification.sql",
      "sql/curated/model_runs.sql",
      "sql/curated/team_weekly_engagement.sql",
      "sql/curated/model_health.sql",
      "sql/curated/unresolved_weekly_usage.sql",
      "sql/curated/source_health.sql");

  /**
   * Creates the namespaces and every table that does not exist yet, and brings every table that does
   * up to its DDL ({@link SchemaMigration}): a column added to a script reaches an existing lake as a
   * metadata-only change. A table whose schema already matches is only read, never committed to: its
   * scripts also alter table properties, and re-running those would commit a new metadata version on
   * every job run.
   */
  public void ensureCreated() {
    if (created) {
      return;
    }
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + rawNamespace());
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + curatedNamespace());
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + privateNamespace());
    new LakeUpgrade(spark, this).apply();
    for (String script : DDL) {
      List<String> statements = statements(script);
      String table = tableOf(statements.get(0));
      Table existing = loadIfExists(table);
      if (existing == null) {
        statements.forEach(spark::sql);
      } else {
        migrate(existing, table, script, statements.get(0));
      }
    }
    created = true;
  }

  /** The schema changes applied by {@link #ensureCreated()} in this process, as printed. */
  public List<String> migrations() {
    return List.copyOf(migrations);
  }

  private void migrate(Table existing, String table, String script, String createStatement) {
    List<SchemaMigration.Change> changes = SchemaMigration.plan(table, script,
        SchemaMigration.currentSchema(existing), SchemaMigration.declaredSchema(spark, createStatement));
    if (changes.isEmpty()) {
      return;
    }
    SchemaMigration.apply(existing, changes);
    String line = table + ": schema brought up to " + script + ": "
        + changes.stream().map(SchemaMigration.Change::describe).collect(Collectors.joining(", "))
        + " (metadata only, no data rewritten)";
    migrations.add(line);
    // stderr: stdout of some commands is data another program reads.
    System.err.println("goodhart: " + line);
  }

  /** Creates one table from its script when it does not exist yet (the upgrade needs one before the rest). */
  void createFromScript(String script) {
    List<String> statements = statements(script);
    if (loadIfExists(tableOf(statements.get(0))) == null) {
      statements.forEach(spark::sql);
    }
  }

  Table loadIfExists(String tableName) {
    try {
      Table table = Spark3Util.loadIcebergTable(spark, tableName);
      table.refresh();
      return table;
    } catch (NoSuchTableException e) {
      return null;
    } catch (Exception e) {
      throw new IllegalStateException("cannot load Iceberg table " + tableName + ": " + e.getMessage(), e);
    }
  }

  /** Every table of the lake, fully qualified, in creation order. */
  public List<String> all() {
    return DDL.stream().map(script -> tableOf(statements(script).get(0))).toList();
  }

  /** The table a {@code CREATE TABLE IF NOT EXISTS name (...)} statement creates. */
  static String tableOf(String createStatement) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("CREATE TABLE IF NOT EXISTS\\s+(\\S+)", java.util.regex.Pattern.CASE_INSENSITIVE)
        .matcher(createStatement);
    if (!m.find()) {
      throw new IllegalStateException("a DDL script must start with CREATE TABLE IF NOT EXISTS: " + createStatement);
    }
    return m.group(1);
  }

  /** The script's statements with {@code ${raw}} and {@code ${curated}} bound to this lake's namespaces. */
  List<String> statements(String resource) {
    return boundStatements(readResource(resource));
  }

  /** The statements of a DDL text with this lake's namespaces bound. */
  List<String> boundStatements(String script) {
    String text = script
        .replace("${raw}", rawNamespace())
        .replace("${curated_private}", privateNamespace())
        .replace("${curated}", curatedNamespace());
    return SqlText.statements(text);
  }

  static String readResource(String resource) {
    try (InputStream in = LakeTables.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("DDL " + resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends the rows in one Iceberg commit tagged with the run id; returns the new snapshot id. */
  public Long append(Dataset<Row> rows, String tableName, String runId) {
    try {
      rows.writeTo(tableName).option(RUN_ID_PROPERTY, runId).append();
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("table " + tableName + " vanished during the run", e);
    }
    return currentSnapshotId(tableName);
  }

  /**
   * Appends the rows to a table reference (a branch, {@code table.branch_name}) in one Iceberg commit tagged
   * with the run id.
   */
  public void appendTo(Dataset<Row> rows, String reference, String runId) {
    try {
      rows.writeTo(reference).option(RUN_ID_PROPERTY, runId).append();
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("table " + reference + " vanished during the run", e);
    }
  }

  /** Replaces the table's whole content in one Iceberg commit tagged with the run id. */
  public Long replaceAll(Dataset<Row> rows, String tableName, String runId) {
    return replaceWeeks(rows, tableName, functions.lit(true), runId);
  }

  /** Replaces the rows matching {@code which} (whole weeks, say) in one Iceberg commit tagged with the run id. */
  public Long replaceWeeks(Dataset<Row> rows, String tableName, org.apache.spark.sql.Column which, String runId) {
    return replaceWeeks(rows, tableName, which, runId, java.util.Map.of());
  }

  /**
   * Like {@link #replaceWeeks(Dataset, String, org.apache.spark.sql.Column, String)}, with more properties in
   * the snapshot summary of the commit (what the commit was written under, read back by later runs).
   */
  public Long replaceWeeks(Dataset<Row> rows, String tableName, org.apache.spark.sql.Column which, String runId,
      java.util.Map<String, String> summary) {
    overwriteIn(rows, tableName, which, runId, summary);
    return currentSnapshotId(tableName);
  }

  /**
   * Replaces the rows matching {@code which} of a table or a table reference (a branch, {@code table.branch_name})
   * in one Iceberg commit tagged with the run id, with more properties in its snapshot summary.
   */
  public void overwriteIn(Dataset<Row> rows, String reference, org.apache.spark.sql.Column which, String runId,
      java.util.Map<String, String> summary) {
    try {
      org.apache.spark.sql.DataFrameWriterV2<Row> writer = rows.writeTo(reference).option(RUN_ID_PROPERTY, runId);
      for (java.util.Map.Entry<String, String> p : summary.entrySet()) {
        writer = writer.option("snapshot-property." + p.getKey(), p.getValue());
      }
      writer.overwrite(which);
    } catch (NoSuchTableException e) {
      throw new IllegalStateException("table " + reference + " vanished during the run", e);
    }
  }

  /** True when the table does not exist yet or holds no rows: what a command that reads results checks first. */
  public boolean holdsNoRows(String tableName) {
    Table table = loadIfExists(tableName);
    return table == null || table.currentSnapshot() == null || spark.table(tableName).isEmpty();
  }

  public Table iceberg(String tableName) {
    Table table = loadIfExists(tableName);
    if (table == null) {
      throw new IllegalStateException("cannot load Iceberg table " + tableName + ": it does not exist");
    }
    return table;
  }

  /** The table's current snapshot id, or null for a table nothing was ever committed to. */
  public Long currentSnapshotId(String tableName) {
    Snapshot current = iceberg(tableName).currentSnapshot();
    return current == null ? null : current.snapshotId();
  }
}
