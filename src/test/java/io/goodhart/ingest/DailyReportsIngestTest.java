package io.goodhart.ingest;

import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of the daily per-user reports (Amazon Q Developer CSV, GitHub Copilot per-user NDJSON, Cursor daily usage
 * data) into raw.usage_daily: one row per source, person key and day, the report covering the later days winning
 * whatever the order files come in, every replacement in the ledger, a broken row rejected with its file, line
 * and index while the rest is stored, and a file of another format refused naming what it looks like.
 */
class DailyReportsIngestTest {
  private static final Path FIXTURES = Path.of("src/test/resources/formats/daily");
  private static final String COPILOT_ROWS = "SELECT user_id, CAST(day AS STRING), active, interactions, suggestions, "
      + "acceptances, lines_suggested, lines_kept, CAST(report_end_day AS STRING), person_keys['account_id'] FROM ";

  @TempDir Path dir;
  private SparkSession spark;
  private LakeTables tables;
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void setUp(TestInfo info) {
    spark = TestLake.spark();
    tables = new LakeTables(spark, TestLake.freshConfig(info.getTestMethod().orElseThrow().getName()));
  }

  /** Copies fixture files (paths under the fixtures folder) into a fresh input folder, keeping their layout. */
  private Path input(String name, String... fixtures) throws IOException {
    Path root = dir.resolve(name);
    for (String fixture : fixtures) {
      Path target = root.resolve(fixture);
      Files.createDirectories(target.getParent());
      Files.copy(FIXTURES.resolve(fixture), target);
    }
    return root;
  }

  private IngestLedger ingest(Path input, String format) {
    return new IngestJob(spark, tables, progress::add).run(new IngestJob.Config(input.toString(), null, false, false,
        format));
  }

  private static final String OCTOBER = "copilot/users-28-day-2026-11-16.ndjson";
  private static final String NOVEMBER = "copilot/users-28-day-2026-11-23.ndjson";
  private static final String ONE_DAY = "copilot/users-1-day-2026-11-16.ndjson";

  /** The stored days once all three Copilot reports are in, whatever their order. */
  private static final Object[][] COPILOT_RESULT = {
      {"monalisa", "2026-11-16", false, 0L, 2L, 0L, 6L, 0L, "2026-11-16", "4421337"},
      {"octocat", "2026-10-20", true, 3L, 10L, 4L, 40L, 12L, "2026-11-16", "583231"},
      {"octocat", "2026-11-16", true, 7L, 24L, 9L, 70L, 55L, "2026-11-23", "583231"},
      {"octocat", "2026-11-23", true, 1L, 0L, 0L, 0L, 0L, "2026-11-23", "583231"}};

  @Test
  void overlapping28DayCopilotReportsKeepTheDayOfTheReportEndingLaterAndAnOldOneDayFileFlipsNothing()
      throws IOException {
    IngestLedger october = ingest(input("oct", OCTOBER), "copilot-user-ndjson");
    assertEquals(new IngestLedger(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, Map.of("copilot", 3L),
        Map.of("copilot", 2L)), october, october.describe());

    IngestLedger november = ingest(input("nov", NOVEMBER), "copilot-user-ndjson");
    assertEquals(new IngestLedger(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 1, 0, Map.of("copilot", 2L),
        Map.of("copilot", 1L)), november, "octocat's 2026-11-16 is replaced by the report ending 2026-11-23: "
            + november.describe());
    assertEquals(1L, november.asMetrics().get("daily_replaced"));

    IngestLedger late = ingest(input("late", ONE_DAY), "copilot-user-ndjson");
    assertEquals(new IngestLedger(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, Map.of(), Map.of()), late,
        "the one-day report of 2026-11-16, ingested last, loses to the stored day of a report ending later");
    assertTrue(late.balances());

    IngestLedger again = new IngestJob(spark, tables, progress::add).run(new IngestJob.Config(
        dir.resolve("nov").toString(), null, true, false, "copilot-user-ndjson"));
    assertEquals(2L, again.duplicatesAlreadyLoaded(), "a re-delivery of the same report: " + again.describe());

    assertRows(spark.sql(COPILOT_ROWS + tables.usageDaily()), COPILOT_RESULT);
    assertRows(spark.sql("SELECT source, tool, person_keys['account'], input_tokens, output_tokens, "
            + "CAST(report_start_day AS STRING), report_generated_at, source_columns['used_cli'], source_line FROM "
            + tables.usageDaily() + " WHERE day = DATE '2026-11-23'"),
        new Object[] {"copilot-user-ndjson", "copilot", "octocat", 52000L, 1800L, "2026-10-27", null, "true", 2L});
    assertTrue(spark.sql("SELECT source_columns['totals_by_ide'] FROM " + tables.usageDaily()
            + " WHERE day = DATE '2026-11-23'").first().getString(0).startsWith("[{\"ide\":\"vscode\""),
        "nested fields are kept as JSON text");
  }

  @Test
  void theOrderReportsAreReadInNeverDecides() throws IOException {
    IngestLedger all = ingest(input("all", ONE_DAY, NOVEMBER, OCTOBER), "copilot-user-ndjson");

    assertEquals(new IngestLedger(3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 4, 0, 2, Map.of("copilot", 4L),
        Map.of("copilot", 2L)), all, "two deliveries of octocat's 2026-11-16 lose to the one ending latest: "
            + all.describe());
    assertRows(spark.sql(COPILOT_ROWS + tables.usageDaily()), COPILOT_RESULT);
  }

  private static final String Q_FOLDER =
      "q/AWSLogs/111122223333/QDeveloperLogs/by_user_analytic/us-east-1/2026/11/17/00/";

  @Test
  void qPartFilesInTheS3LayoutAreReadRecursivelyWithTheirUnknownColumnAndABrokenRowRejected() throws IOException {
    Path q = input("q", Q_FOLDER + "111122223333_by_user_analytic_20261118T000512Z_part_1.csv",
        Q_FOLDER + "111122223333_by_user_analytic_20261118T000512Z_part_2.csv");

    IngestLedger ledger = ingest(q.resolve("q/AWSLogs/111122223333/QDeveloperLogs/by_user_analytic"),
        "q-developer-csv");

    assertEquals(new IngestLedger(2, 2, 0, 0, 0, 1, 0, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, Map.of("amazon-q", 3L),
        Map.of("amazon-q", 3L)), ledger, ledger.describe());
    assertRows(spark.sql("SELECT user_id, CAST(day AS STRING), active, interactions, suggestions, acceptances, "
            + "lines_suggested, lines_kept, source_columns['Agentic_SessionCount'], source_line FROM "
            + tables.usageDaily()),
        new Object[] {"94482488-3041-7026-18f0-3a8a1e5c0b11", "2026-11-17", true, 6L, 32L, 10L, 0L, 38L, "3", 2L},
        new Object[] {"e1a2b3c4-d5e6-7081-92a3-b4c5d6e7f833", "2026-11-17", true, 1L, 1L, 1L, 80L, 64L, "", 4L},
        new Object[] {"0a1b2c3d-4e5f-7061-8293-a4b5c6d7e844", "2026-11-17", false, 0L, 0L, 0L, 0L, 0L, null, 2L});
    assertRows(spark.sql("SELECT DISTINCT tool, person_keys['account'] IS NOT NULL, CAST(report_start_day AS STRING), "
            + "CAST(report_end_day AS STRING), CAST(report_generated_at AS STRING), CAST(delivery_date AS STRING), "
            + "size(source_columns) >= 46 FROM " + tables.usageDaily()),
        new Object[] {"amazon-q", true, "2026-11-17", "2026-11-17", "2026-11-18 00:05:12", "2026-11-17", true});
    assertRows(spark.sql("SELECT source_file LIKE '%_part_1.csv' AS first_part, source_line, record_index, source, field, reason, "
            + "raw_line LIKE 'c4d8e4b8-5011-70c3-5a61-0e9f7b2d4c22,2026-11-17,%' AS the_row FROM "
            + tables.usageEventsRejected()),
        new Object[] {true, 3L, 1, "q-developer-csv", "Inline_AcceptanceCount",
            "must be a whole number >= 0, found \"seven\"", true});
  }

  @Test
  void aDatedRunReadsTheQDayFolderOfItsDateAndThoseOfTheLookbackDaysBeforeIt() throws IOException {
    Path region = input("q", Q_FOLDER + "111122223333_by_user_analytic_20261118T000512Z_part_1.csv")
        .resolve("q/AWSLogs/111122223333/QDeveloperLogs/by_user_analytic/us-east-1");
    Path nextDay = region.resolve("2026/11/18/00/111122223333_by_user_analytic_20261119T000433Z.csv");
    Files.createDirectories(nextDay.getParent());
    Files.writeString(nextDay, "UserId,Date,Chat_MessagesSent\n94482488-3041-7026-18f0-3a8a1e5c0b11,2026-11-18,2\n");

    IngestLedger ledger = new IngestJob(spark, tables, progress::add).run(new IngestJob.Config(region.toString(),
        java.time.LocalDate.of(2026, 11, 18), false, false, "q-developer-csv"));

    assertEquals(2, ledger.files(), ledger.describe());
    assertRows(spark.sql("SELECT CAST(delivery_date AS STRING), count(*), CAST(max(report_generated_at) AS STRING) FROM "
            + tables.usageDaily() + " GROUP BY delivery_date"),
        new Object[] {"2026-11-17", 2L, "2026-11-18 00:05:12"}, new Object[] {"2026-11-18", 1L, "2026-11-19 00:04:33"});
  }

  @Test
  void aCursorDailyResponseIsStoredAsOneRowPerPersonAndDayOfItsPeriod() throws IOException {
    IngestLedger ledger = ingest(input("cursor", "cursor/daily-usage-data-2026-11-17.json"), "cursor-daily");

    assertEquals(3L, ledger.dailyRows(), ledger.describe());
    assertRows(spark.sql("SELECT user_id, CAST(day AS STRING), active, interactions, suggestions, acceptances, "
            + "lines_suggested, lines_kept, CAST(report_start_day AS STRING), CAST(report_end_day AS STRING), "
            + "source_columns['totalLinesAdded'], source_columns['mostUsedModel'] FROM " + tables.usageDaily()),
        new Object[] {"ana.souza@example.com", "2026-11-17", true, 10L, 86L, 36L, null, 120L, "2026-11-17", "2026-11-18",
            "310", "claude-4.5-sonnet"},
        new Object[] {"ana.souza@example.com", "2026-11-18", false, 0L, 0L, 0L, null, 0L, "2026-11-17", "2026-11-18",
            "0", "null"},
        new Object[] {"bo.li@example.com", "2026-11-17", false, 0L, 4L, 0L, null, 0L, "2026-11-17", "2026-11-18", "0",
            "null"});
    assertRows(spark.sql("SELECT DISTINCT source, tool, person_keys['email'] = user_id FROM " + tables.usageDaily()),
        new Object[] {"cursor-daily", "cursor", true});
  }

  @Test
  void aForgottenPersonsDaysAreErasedAndDroppedWhenTheirReportComesAgain() throws IOException {
    Path directory = dir.resolve("directory.csv");
    Files.writeString(directory, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to,email\n"
        + "u-ana,t1,Payments,A,,true,2026-01-01,,Ana.Souza@example.com\n");
    new io.goodhart.directory.DirectoryLoadJob(spark, tables, progress::add).run(directory.toString());
    Path cursor = input("cursor", "cursor/daily-usage-data-2026-11-17.json");
    IngestLedger first = ingest(cursor, "cursor-daily");
    assertEquals(Map.of("cursor", 1L), first.unresolvedRecords(), "ana's email resolves through the directory, bo's "
        + "does not: " + first.describe());

    new io.goodhart.erasure.ForgetJob(spark, tables, tables.config(), progress::add).run("u-ana", "request 9");
    assertRows(spark.sql("SELECT user_id FROM " + tables.usageDaily()), new Object[] {"bo.li@example.com"});

    IngestLedger again = new IngestJob(spark, tables, progress::add).run(new IngestJob.Config(cursor.toString(), null,
        true, false, "cursor-daily"));
    assertEquals(2L, again.erased(), "the response names her by email only: " + again.describe());
    assertEquals(1L, again.duplicatesAlreadyLoaded());
    assertRows(spark.sql("SELECT user_id FROM " + tables.usageDaily()), new Object[] {"bo.li@example.com"});
  }

  @Test
  void autoTellsTheThreeDailyFormatsApartAndAFileOfAnotherFormatIsRefusedNamingWhatItLooksLike() throws IOException {
    Path feed = input("feed", ONE_DAY, "cursor/daily-usage-data-2026-11-17.json",
        Q_FOLDER + "111122223333_by_user_analytic_20261118T000512Z_part_2.csv");
    IngestLedger ledger = ingest(feed, "auto");

    assertEquals(5L, ledger.dailyRows(), ledger.describe());
    assertTrue(progress.stream().anyMatch(p -> p.contains("--format auto read 1 file(s) as copilot-user-ndjson, "
        + "1 file(s) as cursor-daily, 1 file(s) as q-developer-csv")), String.join("\n", progress));
    assertRows(spark.sql("SELECT source, count(*) FROM " + tables.usageDaily() + " GROUP BY source"),
        new Object[] {"copilot-user-ndjson", 1L}, new Object[] {"cursor-daily", 3L}, new Object[] {"q-developer-csv", 1L});

    Path wrong = input("wrong", "cursor/daily-usage-data-2026-11-17.json");
    Long before = tables.currentSnapshotId(tables.usageDaily());
    InputException refused = assertThrows(InputException.class, () -> ingest(wrong, "copilot-user-ndjson"));
    assertTrue(refused.getMessage().matches(".*daily-usage-data-2026-11-17\\.json: not a GitHub Copilot per-user usage "
        + "report \\(NDJSON, one user-day per line\\): it looks like cursor-daily \\(a JSON object with \"data\" rows .*"
        + "--format auto -- the whole input was refused.*"), refused.getMessage());
    assertEquals(before, tables.currentSnapshotId(tables.usageDaily()), "nothing written");

    InputException csv = assertThrows(InputException.class, () -> ingest(input("csv", ONE_DAY), "q-developer-csv"));
    assertTrue(csv.getMessage().startsWith("no event files (*.csv or *.csv.gz) under "), csv.getMessage());
    Path renamed = dir.resolve("renamed/report.csv");
    Files.createDirectories(renamed.getParent());
    Files.copy(FIXTURES.resolve(ONE_DAY), renamed);
    InputException named = assertThrows(InputException.class, () -> ingest(renamed.getParent(), "q-developer-csv"));
    assertTrue(named.getMessage().contains("report.csv: not an Amazon Q Developer user activity report (CSV with UserId "
        + "and Date): it looks like copilot-user-ndjson"), named.getMessage());
  }
}
