package io.goodhart.curated;

import static io.goodhart.curated.Fixtures.event;
import static io.goodhart.curated.Fixtures.stint;
import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.directory.IdentitiesLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engagement from every source (contract section 4): a developer with a request, a metric-only day or an
 * active daily row ({@code raw.usage_daily}) in a team's week is engaged there, once whatever the tools, and
 * each tool's engaged developers are counted apart. A daily row's UTC day is its reporting day.
 */
class DailyRowsEngagementTest {
  private static final LocalDate WEEK = LocalDate.of(2026, 11, 16);
  private static final Date W47 = Date.valueOf(WEEK);
  private static final Date W46 = Date.valueOf("2026-11-09");
  private final SparkSession spark = TestLake.spark();

  @TempDir Path dir;

  private static final StructType DAILY = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("person_keys", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true)
      .add("day", DataTypes.DateType, false)
      .add("active", DataTypes.BooleanType, false);

  private static final StructType IDENTITIES = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("source_user_key", DataTypes.StringType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("valid_from", DataTypes.DateType, false)
      .add("valid_to", DataTypes.DateType, true);

  /** A Copilot per-user row, keyed by the person's login. */
  private static Row copilot(String login, String day, boolean active) {
    return RowFactory.create("copilot-user-ndjson", "copilot", login, Map.of("account", login), Date.valueOf(day),
        active);
  }

  /** A Cursor daily-usage row, keyed by the person's email. */
  private static Row cursor(String email, String day, boolean active) {
    return RowFactory.create("cursor-daily", "cursor", email, Map.of("email", email), Date.valueOf(day), active);
  }

  private static Row identity(String source, String key, String user) {
    return RowFactory.create(source, key, user, Date.valueOf("2026-01-01"), null);
  }

  private Dataset<Row> directory() {
    return Fixtures.directory(spark,
        stint("u1", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u2", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u3", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u4", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u5", "t2", "Search", "A", true, "2026-01-01", null));
  }

  private Dataset<Row> identities() {
    return spark.createDataFrame(List.of(
        identity("copilot", "octo-u1", "u1"),
        identity("copilot", "octo-u3", "u3"),
        identity("copilot", "octo-u4", "u4"),
        identity("copilot", "octo-u5", "u5"),
        identity("cursor", "u2@corp.example", "u2")), IDENTITIES);
  }

  private Dataset<Row> compute(ZoneId zone, List<LocalDate> weeks, Dataset<Row> events, Row... daily) {
    Dataset<Row> attributed = AttributedEvents.attribute(events, directory(), zone)
        .withColumn("model", org.apache.spark.sql.functions.lit(null).cast("string"));
    Dataset<Row> dailyRows = AttributedEvents.attributeActiveDailyRows(
        spark.createDataFrame(Arrays.asList(daily), DAILY), identities(), directory());
    return WeeklyEngagement.compute(attributed, AttributedEvents.noMetricOnlyDays(attributed), dailyRows, directory(),
        spark.createDataFrame(List.of(), new StructType().add("week_start", DataTypes.DateType)
            .add("user_id", DataTypes.StringType).add("label", DataTypes.StringType)
            .add("padding_score", DataTypes.DoubleType)),
        ModelPrices.load(spark, ModelPrices.BUNDLED), weeks, new WeeklyEngagement.Settings(0.5, 3, WEEK.plusDays(6)));
  }

  private static Dataset<Row> figures(Dataset<Row> rows) {
    return rows.select(col("week_start"), col("level"), col("group_key"), col("eligible_developers"),
        col("engaged_developers"), col("active_people"), col("events"), col("total_tokens"), col("active_days"),
        to_json(col("engaged_by_tool")).as("engaged_by_tool"));
  }

  @Test
  void aDeveloperWithAnActiveDailyRowIsEngagedOnceWhateverTheToolsAndEachToolCountsItsOwn() {
    Dataset<Row> rows = compute(ZoneId.of("UTC"), List.of(WEEK),
        // u2 makes requests with Claude Code and has a Cursor daily row the same week: engaged once.
        Fixtures.events(spark, event("e1", "2026-11-17T09:00:00Z", "u2", "claude-code", 100, 10, null, null,
            "interactive", null, null, null, null)),
        // u1 is known only from a Copilot daily row; u4 too, another day.
        copilot("octo-u1", "2026-11-18", true),
        copilot("octo-u4", "2026-11-20", true),
        cursor("u2@corp.example", "2026-11-19", true),
        // u3's Copilot row says no activity: not engaged.
        copilot("octo-u3", "2026-11-18", false),
        // Nobody the identities know: an active person of the unassigned group, never an engaged developer.
        copilot("octo-ghost", "2026-11-18", true));

    assertRows(figures(rows),
        new Object[] {W47, "team", "t1", 4L, 3L, 3L, 1L, 110L, 1, "{\"claude-code\":1,\"copilot\":2,\"cursor\":1}"},
        new Object[] {W47, "team", "t2", 1L, 0L, 0L, 0L, 0L, 0, "{}"},
        new Object[] {W47, "team", "unassigned", 0L, 0L, 1L, 0L, 0L, 0, "{}"},
        new Object[] {W47, "org", "A", 5L, 3L, 3L, 1L, 110L, 1, "{\"claude-code\":1,\"copilot\":2,\"cursor\":1}"},
        new Object[] {W47, "org", "unassigned", 0L, 0L, 1L, 0L, 0L, 0, "{}"},
        new Object[] {W47, "company", "all", 5L, 3L, 4L, 1L, 110L, 1,
            "{\"claude-code\":1,\"copilot\":2,\"cursor\":1}"});
  }

  @Test
  void aDailyRowCountsInTheWeekOfItsUtcDayWhereAnEventOfThatUtcDayCanFallInTheWeekBefore() {
    // 03:00 UTC on Monday 16 November is Sunday evening in New York: the event is in the week before, while
    // the daily row of that UTC Monday is reporting day Monday.
    Dataset<Row> rows = compute(ZoneId.of("America/New_York"), List.of(W46.toLocalDate(), WEEK),
        Fixtures.events(spark, event("e1", "2026-11-16T03:00:00Z", "u5", 100, 10)),
        copilot("octo-u5", "2026-11-16", true));

    assertRows(figures(rows.where("level = 'team' AND group_key = 't2'")),
        new Object[] {W46, "team", "t2", 1L, 1L, 1L, 1L, 110L, 1, "{\"cursor\":1}"},
        new Object[] {W47, "team", "t2", 1L, 1L, 1L, 0L, 0L, 0, "{\"copilot\":1}"});
  }

  // --- the job on a lake ---

  /** A row of raw.usage_daily as ingest stores it, every count 1. */
  private static String dailyRow(String login, String day, boolean active) {
    return String.format("('copilot-user-ndjson', 'copilot', '%1$s', map('account', '%1$s'), DATE '%2$s', %3$s, "
        + "1, 1, 1, 1, 1, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), map('user_login', '%1$s'), DATE '%2$s', "
        + "DATE '%2$s', CAST(NULL AS TIMESTAMP), CAST(NULL AS DATE), 'copilot-1-day.ndjson', 1, 'r1', "
        + "TIMESTAMP '2026-11-19 00:00:00')", login, day, active);
  }

  private LakeTables lake() throws IOException {
    LakeTables tables = new LakeTables(spark, TestLake.freshConfig("daily-rows"));
    Path folder = dir.resolve("events").resolve("date=2026-11-18");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-0.jsonl"), "{\"event_id\":\"e1\",\"event_time\":\"2026-11-17T09:00:00Z\","
        + "\"user_id\":\"u2\",\"tool\":\"cursor\",\"operation\":\"chat\",\"input_tokens\":100,\"output_tokens\":10}\n");
    Path directory = dir.resolve("directory.csv");
    Files.writeString(directory, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + "u1,t1,Payments,A,,true,2026-01-01,\n"
        + "u2,t1,Payments,A,,true,2026-01-01,\n"
        + "u3,t1,Payments,A,,true,2026-01-01,\n");
    Path identities = dir.resolve("identities.csv");
    Files.writeString(identities, "source,source_user_key,user_id,valid_from,valid_to\n"
        + "copilot,octo-u1,u1,2026-01-01,\n"
        + "copilot,octo-u3,u3,2026-01-01,\n");
    new IngestJob(spark, tables, line -> { }).run(new IngestJob.Config(dir.resolve("events").toString(),
        LocalDate.of(2026, 11, 18)));
    new DirectoryLoadJob(spark, tables, line -> { }).run(directory.toString());
    new IdentitiesLoadJob(spark, tables, line -> { }).run(identities.toString());
    spark.sql("INSERT INTO " + tables.usageDaily() + " VALUES " + dailyRow("octo-u1", "2026-11-18", true) + ", "
        + dailyRow("octo-u3", "2026-11-10", false));
    return tables;
  }

  private static LakeConfig config(LakeTables tables) {
    return TestLake.freshConfig("unused").with(Map.of(
        LakeConfig.RAW_NAMESPACE, tables.rawNamespace().substring(tables.rawNamespace().indexOf('.') + 1),
        LakeConfig.CURATED_NAMESPACE, tables.curatedNamespace().substring(tables.curatedNamespace().indexOf('.') + 1),
        LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
  }

  @Test
  void theJobCountsDailyRowsAndRecomputesTheWeekOfADailyRowChangedSinceItsLastRun() throws IOException {
    LakeTables tables = lake();
    LakeConfig config = config(tables);
    new EngagementJob(spark, tables, config, line -> { }).run(LocalDate.of(2026, 11, 18));
    // A 28-day report replaces u3's row of the week before: that day u3 did use Copilot.
    spark.sql("UPDATE " + tables.usageDaily() + " SET active = true, report_start_day = DATE '2026-10-22', "
        + "report_end_day = DATE '2026-11-18' WHERE user_id = 'octo-u3'");
    List<String> progress = new ArrayList<>();
    CuratedJob.Result rerun = new EngagementJob(spark, tables, config, progress::add).run(LocalDate.of(2026, 11, 18));

    // The week after a recomputed week is recomputed too: its week-over-week figures read it.
    assertEquals(List.of(W46.toLocalDate(), WEEK), rerun.weeks());
    assertTrue(progress.get(0).contains("1 week(s) with daily rows changed since the last run"), progress.toString());
    assertRows(spark.table(tables.teamWeeklyEngagement()).where("level = 'team'")
            .select(col("week_start"), col("group_key"), col("eligible_developers"), col("engaged_developers"),
                col("events"), to_json(col("engaged_by_tool")), col("engaged_developers_change")),
        new Object[] {W46, "t1", 3L, 1L, 0L, "{\"copilot\":1}", 1L},
        new Object[] {W47, "t1", 3L, 2L, 1L, "{\"copilot\":1,\"cursor\":1}", 1L});
  }
}
