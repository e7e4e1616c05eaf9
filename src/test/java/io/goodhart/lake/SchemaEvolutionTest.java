package io.goodhart.lake;

import static io.goodhart.testing.EventLines.event;
import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.curated.EngagementJob;
import io.goodhart.curated.OutcomesJob;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution without rewriting history: a new optional field in the input, and a new column in
 * a curated table's DDL, both reach a lake that already holds data, while earlier snapshots stay
 * readable as they were.
 */
class SchemaEvolutionTest {
  private static final String ENGAGEMENT_DDL = "sql/curated_private/team_weekly_engagement.sql";
  private static final String OUTCOMES_DDL = "sql/curated_private/daily_outcomes.sql";

  @TempDir Path dir;
  private final SparkSession spark = TestLake.spark();

  private static String metadataFile(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private static Set<String> dataFiles(Table table, long snapshotId) {
    Set<String> files = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
      tasks.forEach(t -> files.add(t.file().location()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return files;
  }

  private Path delivery(String day, String... lines) throws IOException {
    Path folder = dir.resolve("events/date=" + day);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-0.jsonl"), String.join("\n", lines) + "\n");
    return folder;
  }

  @Test
  void everyTableAlreadyMatchesItsDdlSoStartingAJobCommitsNothing() {
    LakeConfig config = TestLake.freshConfig("ddl_noop");
    new LakeTables(spark, config).ensureCreated();
    LakeTables again = new LakeTables(spark, config);
    Map<String, String> before = new LinkedHashMap<>();
    again.all().forEach(t -> before.put(t, metadataFile(again.iceberg(t))));
    assertEquals(26, before.size(), "every table of the lake");

    again.ensureCreated();

    Map<String, String> after = new LinkedHashMap<>();
    again.all().forEach(t -> after.put(t, metadataFile(again.iceberg(t))));
    assertEquals(before, after, "no table got a new metadata version");
    assertEquals(List.of(), again.migrations());
  }

  @Test
  void aNewOptionalInputFieldIsKeptInExtraFieldsWithoutTouchingTheWeeksAlreadyLoaded() throws IOException {
    LakeTables tables = new LakeTables(spark, TestLake.freshConfig("new_field"));
    IngestJob ingest = new IngestJob(spark, tables, line -> { });
    ingest.run(new IngestJob.Config(delivery("2026-11-16",
        event("a1", "2026-11-16T09:00:00Z", "u1", 100, 10),
        event("a2", "2026-11-17T09:00:00Z", "u2", 200, 20)).toString(), null));
    Table events = tables.iceberg(tables.usageEvents());
    long firstWeek = events.currentSnapshot().snapshotId();
    int schemaId = events.schema().schemaId();
    Set<String> firstWeekFiles = dataFiles(events, firstWeek);

    // The emitters roll out a new optional field, reasoning_tokens, which the contract does not know yet.
    ingest.run(new IngestJob.Config(delivery("2026-11-23",
        event("b1", "2026-11-23T09:00:00Z", "u1", 300, 30).replace("}", ",\"reasoning_tokens\":512}"),
        event("b2", "2026-11-24T09:00:00Z", "u2", 400, 40).replace("}", ",\"reasoning_tokens\":{\"effort\":\"high\"}}"))
        .toString(), null));

    assertRows(spark.sql("SELECT event_id, input_tokens, extra_fields['reasoning_tokens'] FROM " + tables.usageEvents()),
        new Object[] {"a1", 100L, null},
        new Object[] {"a2", 200L, null},
        new Object[] {"b1", 300L, "512"},
        new Object[] {"b2", 400L, "{\"effort\":\"high\"}"});
    events.refresh();
    assertEquals(schemaId, events.schema().schemaId(), "the table's schema did not change");
    Set<String> now = dataFiles(events, events.currentSnapshot().snapshotId());
    assertTrue(now.containsAll(firstWeekFiles), "the first week's data files are still the ones read");
    assertEquals(firstWeekFiles.size() + 2, now.size(), "the second week added a file per day and rewrote none");
    assertRows(spark.sql("SELECT event_id FROM " + tables.usageEvents() + " VERSION AS OF " + firstWeek),
        new Object[] {"a1"}, new Object[] {"a2"});
  }

  @Test
  void aColumnAddedToACuratedDdlReachesAnExistingTableAsMetadataOnly() throws IOException {
    LakeConfig config = TestLake.freshConfig("new_column").with(Map.of(LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
    LakeTables older = new LakeTables(spark, config);
    // The lake was created by a release whose engagement table had no genuine_engagement_rate yet.
    String olderDdl = LakeTables.readResource(ENGAGEMENT_DDL).lines()
        .filter(line -> !line.contains("genuine_engagement_rate DOUBLE"))
        .reduce("", (a, b) -> a + b + "\n");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + older.privateNamespace());
    older.boundStatements(olderDdl).forEach(spark::sql);
    String table = older.teamWeeklyEngagement();
    spark.sql("INSERT INTO " + table + " VALUES (DATE '2026-10-05', '2026-W41', 'company', 'all', NULL, NULL, NULL, "
        + "10, 8, 8, CAST(NULL AS MAP<STRING, BIGINT>), 0.8, 0.8, true, 120, 1000, 500, 0, 1500, 5, false, 187.5, 15.0, "
        + "NULL, NULL, NULL, 8, 0, 0.0, 0.0, 'final')");
    Table iceberg = older.iceberg(table);
    long beforeChange = iceberg.currentSnapshot().snapshotId();
    Set<String> files = dataFiles(iceberg, beforeChange);
    assertFalse(List.of(spark.table(table).columns()).contains("genuine_engagement_rate"));

    LakeTables current = new LakeTables(spark, config);
    current.ensureCreated();

    assertEquals(List.of(table + ": schema brought up to " + ENGAGEMENT_DDL + ": add column genuine_engagement_rate DOUBLE"
        + " (metadata only, no data rewritten)"), current.migrations());
    iceberg.refresh();
    assertEquals(beforeChange, iceberg.currentSnapshot().snapshotId(), "a schema change commits no snapshot");
    assertEquals(files, dataFiles(iceberg, beforeChange));
    List<String> columns = List.of(spark.table(table).columns());
    assertEquals("genuine_engaged_developers", columns.get(columns.indexOf("genuine_engagement_rate") - 1),
        "the column sits where the DDL puts it");
    assertRows(spark.sql("SELECT iso_week, engaged_developers, genuine_engagement_rate FROM " + table),
        new Object[] {"2026-W41", 8L, null});
    assertFalse(List.of(spark.sql("SELECT * FROM " + table + " VERSION AS OF " + beforeChange).columns())
        .contains("genuine_engagement_rate"), "the snapshot before the change reads with its own schema");

    // The next run of the job writes the column.
    Path csv = dir.resolve("directory.csv");
    Files.writeString(csv, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + "u1,t1,Payments,A,,true,2026-01-01,\nu2,t1,Payments,A,,true,2026-01-01,\n");
    new DirectoryLoadJob(spark, current, line -> { }).run(csv.toString());
    new IngestJob(spark, current, line -> { }).run(new IngestJob.Config(delivery("2026-11-16",
        event("e1", "2026-11-16T09:00:00Z", "u1", 100, 10)).toString(), null));
    new EngagementJob(spark, current, config, line -> { }).run(LocalDate.of(2026, 11, 16));
    assertRows(spark.sql("SELECT iso_week, level, group_key, genuine_engagement_rate FROM " + table),
        new Object[] {"2026-W41", "company", "all", null},
        new Object[] {"2026-W47", "company", "all", 0.5},
        new Object[] {"2026-W47", "org", "A", 0.5},
        new Object[] {"2026-W47", "team", "t1", 0.5});
    iceberg.refresh();
    assertTrue(dataFiles(iceberg, iceberg.currentSnapshot().snapshotId()).containsAll(files),
        "the old week's file is still the one read, untouched");
  }

  @Test
  void theDailyReportOutcomesReachAnOutcomesTableOfAnEarlierReleaseAndItsNextRunFillsThem() {
    LakeConfig config = TestLake.freshConfig("report_outcomes");
    LakeTables older = new LakeTables(spark, config);
    // The lake was created by a release whose outcomes table had no report_* columns yet.
    String olderDdl = LakeTables.readResource(OUTCOMES_DDL).lines()
        .filter(line -> !line.contains("report_"))
        .map(line -> line.replace("'api_error events',", "'api_error events'"))
        .reduce("", (a, b) -> a + b + "\n");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + older.privateNamespace());
    older.boundStatements(olderDdl).forEach(spark::sql);
    String table = older.dailyOutcomes();
    spark.sql("INSERT INTO " + table + " VALUES (DATE '2026-10-06', DATE '2026-10-05', 'u1', 'claude-code', 5, 0, 0, "
        + "0, 0, 0.0, 0.0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)");

    LakeTables current = new LakeTables(spark, config);
    current.ensureCreated();
    assertEquals(List.of(table + ": schema brought up to " + OUTCOMES_DDL + ": add column report_suggestions BIGINT, "
        + "add column report_acceptances BIGINT, add column report_lines_kept BIGINT (metadata only, no data rewritten)"),
        current.migrations());

    spark.sql("INSERT INTO " + current.usageDaily() + " VALUES ('cursor-daily', 'cursor', 'u1', map('email', 'u1'), "
        + "DATE '2026-11-17', true, 2, 10, 4, CAST(NULL AS BIGINT), 30, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), "
        + "map(), DATE '2026-11-17', DATE '2026-11-17', CAST(NULL AS TIMESTAMP), CAST(NULL AS DATE), 'daily.json', 1, "
        + "'ingest-1', TIMESTAMP '2026-11-18 00:00:00')");
    new OutcomesJob(spark, current, config, line -> { }).run(LocalDate.of(2026, 11, 17));
    assertRows(spark.sql("SELECT day, tool, lines_added, report_suggestions, report_acceptances, report_lines_kept FROM "
            + table),
        new Object[] {java.sql.Date.valueOf("2026-10-06"), "claude-code", 5L, null, null, null},
        new Object[] {java.sql.Date.valueOf("2026-11-17"), "cursor", 0L, 10L, 4L, 30L});
  }

  @Test
  void aColumnDroppedFromTheDdlIsRefusedAndTheTableLeftAsItWas() {
    LakeConfig config = TestLake.freshConfig("dropped_column");
    LakeTables older = new LakeTables(spark, config);
    String olderDdl = LakeTables.readResource("sql/raw/developer_directory.sql")
        .replace("  source_file  STRING", "  legacy_cost_center STRING COMMENT 'no longer delivered',\n  source_file  STRING");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + older.rawNamespace());
    older.boundStatements(olderDdl).forEach(spark::sql);
    String before = metadataFile(older.iceberg(older.developerDirectory()));

    LakeTables current = new LakeTables(spark, config);
    SchemaMigration.IncompatibleSchemaException e =
        assertThrows(SchemaMigration.IncompatibleSchemaException.class, current::ensureCreated);

    assertEquals(List.of("column legacy_cost_center is in the table but no longer in the DDL (dropped or renamed?): "
        + "goodhart never drops or renames a column by itself; do it by hand with ALTER TABLE if it is meant"), e.reasons());
    assertTrue(e.getMessage().startsWith("table " + older.developerDirectory() + " cannot be brought up to "
        + "sql/raw/developer_directory.sql"), e.getMessage());
    assertEquals(before, metadataFile(current.iceberg(current.developerDirectory())));
  }
}
