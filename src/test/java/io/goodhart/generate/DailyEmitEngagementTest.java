package io.goodhart.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goodhart.curated.EngagementJob;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.directory.IdentitiesLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.IngestLedger;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator speaks the daily per-user report formats: the same population written as requests and as
 * Amazon Q, Copilot and Cursor daily reports, each ingested into a lake of its own with the UTC reporting zone,
 * gives the same engagement per team, org and company, week by week. The reports are shaped like the vendors'
 * documented files (the fixtures of {@code src/test/resources/formats/daily/}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DailyEmitEngagementTest {
  private static final LocalDate MONDAY = LocalDate.of(2026, 11, 2);
  private static final LocalDate LAST_SUNDAY = MONDAY.plusDays(13);
  private static final List<EmitFormat> DAILY =
      List.of(EmitFormat.Q_DEVELOPER_CSV, EmitFormat.COPILOT_USER_NDJSON, EmitFormat.CURSOR_DAILY);
  private static final Path FIXTURES = Path.of("src/test/resources/formats/daily");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark = TestLake.spark();
  private final Map<EmitFormat, LakeTables> lakes = new EnumMap<>(EmitFormat.class);
  private final Map<EmitFormat, Path> outputs = new EnumMap<>(EmitFormat.class);
  private final Map<EmitFormat, GenerationSummary> summaries = new EnumMap<>(EmitFormat.class);

  private static GeneratorConfig.Builder population(Path out, EmitFormat emit) {
    return GeneratorConfig.builder().out(out).seed(29).users(24).weeks(2).start(MONDAY).gzip(false).emit(emit);
  }

  @BeforeAll
  void deliverThePopulationAsRequestsAndAsEachDailyReport(@TempDir Path tmp) throws IOException {
    List<EmitFormat> formats = new ArrayList<>(List.of(EmitFormat.GOODHART));
    formats.addAll(DAILY);
    for (EmitFormat format : formats) {
      Path out = tmp.resolve(format.cliName());
      summaries.put(format, new UsageGenerator().generate(population(out, format).build()));
      outputs.put(format, out);
      LakeConfig config = TestLake.freshConfig("daily_emit_" + format.cliName())
          .with(Map.of(LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
      LakeTables tables = new LakeTables(spark, config);
      new DirectoryLoadJob(spark, tables, line -> { }).run(out.resolve(UsageGenerator.DIRECTORY_FILE).toString());
      Path identities = out.resolve(UsageGenerator.IDENTITIES_FILE);
      assertEquals(format == EmitFormat.Q_DEVELOPER_CSV || format == EmitFormat.COPILOT_USER_NDJSON,
          Files.exists(identities), format + ": identities.csv for the reports that name people by their own keys");
      if (Files.exists(identities)) {
        new IdentitiesLoadJob(spark, tables, line -> { }).run(identities.toString());
      }
      IngestLedger ledger = new IngestJob(spark, tables, line -> { }).run(new IngestJob.Config(
          out.resolve(UsageGenerator.EVENTS_DIR).toString(), null, false, false, format.cliName()));
      assertTrue(ledger.balances(), format + ": " + ledger.describe());
      new EngagementJob(spark, tables, config, line -> { }).run(LAST_SUNDAY);
      lakes.put(format, tables);
    }
  }

  private List<Row> rows(EmitFormat format, String sql) {
    LakeTables tables = lakes.get(format);
    return spark.sql(sql.replace("{engagement}", tables.teamWeeklyEngagement())
            .replace("{events}", tables.usageEvents()).replace("{daily}", tables.usageDaily()))
        .collectAsList();
  }

  @Test
  void engagementFromEachDailyReportEqualsEngagementFromTheRequests() {
    String sql = "SELECT week_start, level, group_key, eligible_developers, engaged_developers, active_people "
        + "FROM {engagement} ORDER BY week_start, level, group_key";
    List<Row> fromRequests = rows(EmitFormat.GOODHART, sql);
    assertEquals(List.of(MONDAY, MONDAY.plusWeeks(1)), fromRequests.stream()
        .map(r -> r.getDate(0).toLocalDate()).distinct().toList(), "both weeks are computed");
    assertTrue(fromRequests.stream().filter(r -> r.getString(1).equals("team")).count() > 3,
        "several teams: " + fromRequests);
    assertTrue(fromRequests.stream().anyMatch(r -> r.getLong(4) > 0 && r.getLong(4) < r.getLong(3)),
        "some teams engaged in part, so a person missing from the reports would show: " + fromRequests);
    for (EmitFormat format : DAILY) {
      assertEquals(fromRequests, rows(format, sql), "team_weekly_engagement from " + format.cliName());
    }
  }

  @Test
  void eachPersonsUtcDayWithARequestIsOneActiveDailyRow() {
    long personDays = rows(EmitFormat.GOODHART,
        "SELECT count(DISTINCT user_id, to_date(event_time)) FROM {events}").get(0).getLong(0);
    for (EmitFormat format : DAILY) {
      assertEquals(personDays, summaries.get(format).dailyRows(), format.cliName() + " rows written");
      assertEquals(summaries.get(EmitFormat.GOODHART).events(), summaries.get(format).events(),
          format.cliName() + ": the rows count the same requests");
      Row stored = rows(format, "SELECT count(*), count_if(active) FROM {daily}").get(0);
      assertEquals(personDays, stored.getLong(0), format.cliName() + " rows stored");
      assertEquals(personDays, stored.getLong(1), format.cliName() + " rows active");
    }
  }

  // --- the files (no Spark) ---

  private static List<Path> reports(Path out) throws IOException {
    try (Stream<Path> files = Files.walk(out.resolve(UsageGenerator.EVENTS_DIR))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void qReportsAreTheDocumentedCsvInTheS3LayoutWithIdentitiesForTheirUserIds() throws IOException {
    Path out = outputs.get(EmitFormat.Q_DEVELOPER_CSV);
    String documentedHeader = Files.readAllLines(FIXTURES.resolve("q/AWSLogs/111122223333/QDeveloperLogs/"
        + "by_user_analytic/us-east-1/2026/11/17/00/111122223333_by_user_analytic_20261118T000512Z_part_2.csv"))
        .get(0);
    List<Path> files = reports(out);
    assertTrue(files.size() >= 14, "a report a day of both weeks, in parts: " + files);
    for (Path file : files) {
      String name = out.resolve(UsageGenerator.EVENTS_DIR).relativize(file).toString();
      assertTrue(name.matches("AWSLogs/111122223333/QDeveloperLogs/by_user_analytic/us-east-1/(\\d{4})/(\\d{2})/"
          + "(\\d{2})/00/111122223333_by_user_analytic_\\d{8}T000512Z(_part_[12])?\\.csv"), name);
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertEquals(documentedHeader, lines.get(0), name);
      String day = name.replaceAll(".*/(\\d{4})/(\\d{2})/(\\d{2})/00/.*", "$1-$2-$3");
      for (String row : lines.subList(1, lines.size())) {
        String[] fields = row.split(",", -1);
        assertEquals(46, fields.length, row);
        assertTrue(fields[0].matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), row);
        assertEquals(day, fields[1], "a row of the folder's day: " + row);
      }
    }
    List<String> identities = Files.readAllLines(out.resolve(UsageGenerator.IDENTITIES_FILE));
    assertEquals("source,source_user_key,user_id,valid_from,valid_to", identities.get(0));
    assertEquals(24, identities.size() - 1, "a row per person of the directory");
    assertTrue(identities.get(1).matches("amazon-q,[0-9a-f-]{36},u00001,\\d{4}-\\d{2}-\\d{2},"), identities.get(1));
  }

  @Test
  void copilotReportsAreOneDayNdjsonWithTheDocumentedFields() throws IOException {
    Path out = outputs.get(EmitFormat.COPILOT_USER_NDJSON);
    JsonNode documented = JSON.readTree(Files.readAllLines(FIXTURES.resolve("copilot/users-1-day-2026-11-16.ndjson"))
        .get(0));
    List<Path> files = reports(out);
    assertEquals(14, files.size(), "a report a day: " + files);
    for (Path file : files) {
      String day = file.getParent().getFileName().toString().substring("date=".length());
      assertEquals("users-1-day-" + day + ".ndjson", file.getFileName().toString());
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode row = JSON.readTree(line);
        assertEquals(fieldNames(documented), fieldNames(row), line);
        assertEquals(day, row.get("day").asText());
        assertEquals(fieldNames(documented.get("totals_by_ide").get(0)), fieldNames(row.get("totals_by_ide").get(0)));
        assertEquals(fieldNames(documented.get("totals_by_feature").get(0)),
            fieldNames(row.get("totals_by_feature").get(0)));
        assertTrue(row.get("user_initiated_interaction_count").asLong() > 0, "active: " + line);
      }
    }
    List<String> identities = Files.readAllLines(out.resolve(UsageGenerator.IDENTITIES_FILE));
    assertTrue(identities.get(1).matches("copilot,u00001_example,u00001,\\d{4}-\\d{2}-\\d{2},"), identities.get(1));
  }

  @Test
  void cursorReportsAreOneDayDailyUsageDataResponsesWithTheDocumentedFields() throws IOException {
    Path out = outputs.get(EmitFormat.CURSOR_DAILY);
    JsonNode documented = JSON.readTree(FIXTURES.resolve("cursor/daily-usage-data-2026-11-17.json").toFile());
    List<Path> files = reports(out);
    assertEquals(14, files.size(), "a report a day: " + files);
    for (Path file : files) {
      LocalDate day = LocalDate.parse(file.getParent().getFileName().toString().substring("date=".length()));
      assertEquals("daily-usage-data-" + day + ".json", file.getFileName().toString());
      JsonNode response = JSON.readTree(file.toFile());
      assertEquals(fieldNames(documented), fieldNames(response));
      long midnight = day.toEpochDay() * 86_400_000L;
      assertEquals(midnight, response.get("period").get("startDate").asLong());
      assertEquals(midnight + 86_399_999L, response.get("period").get("endDate").asLong());
      for (JsonNode row : response.get("data")) {
        assertEquals(fieldNames(documented.get("data").get(0)), fieldNames(row), row.toString());
        assertEquals(midnight, row.get("date").asLong());
        assertTrue(row.get("isActive").asBoolean(), row.toString());
        assertTrue(row.get("email").asText().endsWith("@example.com"), row.toString());
      }
    }
    assertTrue(Files.notExists(out.resolve(UsageGenerator.IDENTITIES_FILE)), "emails resolve through the directory");
  }

  @Test
  void theSameSeedWritesTheSameReports(@TempDir Path tmp) throws IOException {
    for (EmitFormat format : DAILY) {
      Path again = tmp.resolve(format.cliName());
      new UsageGenerator().generate(population(again, format).build());
      List<Path> files = reports(outputs.get(format));
      List<Path> regenerated = reports(again);
      assertEquals(files.stream().map(f -> outputs.get(format).relativize(f).toString()).toList(),
          regenerated.stream().map(f -> again.relativize(f).toString()).toList(), format.cliName());
      for (int i = 0; i < files.size(); i++) {
        assertArrayEquals(Files.readAllBytes(files.get(i)), Files.readAllBytes(regenerated.get(i)), files.get(i)
            .toString());
      }
      for (String file : List.of(UsageGenerator.DIRECTORY_FILE, UsageGenerator.IDENTITIES_FILE)) {
        Path written = outputs.get(format).resolve(file);
        if (Files.exists(written)) {
          assertArrayEquals(Files.readAllBytes(written), Files.readAllBytes(again.resolve(file)), file);
        }
      }
    }
  }
}
