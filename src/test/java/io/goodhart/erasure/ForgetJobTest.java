package io.goodhart.erasure;

import static io.goodhart.testing.EventLines.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.IngestLedger;
import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import io.goodhart.privacy.PseudonymKey;
import io.goodhart.privacy.Pseudonyms;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code goodhart forget}: after it, the lake is what it would be had the person never been delivered, in
 * every table and every data file, and a re-delivery does not bring them back.
 */
class ForgetJobTest {
  private static final LocalDate SUN = LocalDate.of(2026, 11, 15);
  private static final LocalDate TUE = LocalDate.of(2026, 11, 17);
  private static final String HEADER = "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n";

  @TempDir Path dir;
  private final SparkSession spark = TestLake.spark();

  private static final List<String> OTHERS_DIRECTORY = List.of(
      "u2,t1,Payments,A,,true,2026-01-01,",
      "u4,t2,Search,A,,true,2026-01-01,");
  private static final Map<LocalDate, List<String>> OTHERS_EVENTS = Map.of(
      SUN, List.of(event("s1", "2026-11-15T10:00:00Z", "u1", 100, 10)),
      SUN.plusDays(1), List.of(event("m1", "2026-11-16T09:00:00Z", "u1", 200, 20),
          event("m2", "2026-11-16T10:00:00Z", "u4", 300, 30)),
      TUE, List.of(event("t1", "2026-11-17T09:00:00Z", "u2", 400, 40),
          "{\"event_id\":\"bad1\",\"user_id\":\"u1\",\"event_time\":\"yesterday\"}"));
  // u3: events in two weeks, a rejected line, and the manager of u1.
  private static final Map<LocalDate, List<String>> U3_EVENTS = Map.of(
      SUN, List.of(event("s3", "2026-11-15T22:00:00Z", "u3", 500, 50)),
      TUE, List.of(event("t3", "2026-11-17T11:00:00Z", "u3", 700, 70),
          "{\"event_id\":\"bad3\",\"user_id\":\"u3\",\"event_time\":\"yesterday\"}"));

  private Path deliver(String name, boolean withU3) throws IOException {
    Path feed = dir.resolve(name).resolve("events");
    for (LocalDate day = SUN; !day.isAfter(TUE); day = day.plusDays(1)) {
      List<String> lines = new ArrayList<>(OTHERS_EVENTS.getOrDefault(day, List.of()));
      if (withU3) {
        lines.addAll(U3_EVENTS.getOrDefault(day, List.of()));
      }
      Files.createDirectories(feed.resolve("date=" + day));
      Files.writeString(feed.resolve("date=" + day).resolve("part-0.jsonl"), String.join("\n", lines) + "\n");
    }
    return feed;
  }

  private Path directory(String name, boolean withU3) throws IOException {
    Path csv = dir.resolve(name + "-directory.csv");
    Files.writeString(csv, HEADER + (withU3 ? "u1,t1,Payments,A,u3,true,2026-01-01,\nu3,t1,Payments,A,,true,2026-01-01,\n"
        : "u1,t1,Payments,A,,true,2026-01-01,\n") + String.join("\n", OTHERS_DIRECTORY) + "\n");
    return csv;
  }

  private LakeConfig config(LakeTables tables) {
    return TestLake.freshConfig("unused").with(Map.of(
        LakeConfig.RAW_NAMESPACE, tables.rawNamespace().substring(tables.rawNamespace().indexOf('.') + 1),
        LakeConfig.CURATED_NAMESPACE, tables.curatedNamespace().substring(tables.curatedNamespace().indexOf('.') + 1),
        LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
  }

  private LakeTables lakeOf(String name, boolean withU3) throws IOException {
    LakeTables tables = new LakeTables(spark, TestLake.freshConfig(name));
    Path feed = deliver(name, withU3);
    // Two nights: Sunday's, then Tuesday's, which ingests Monday's folder too (the lookback).
    for (LocalDate night : List.of(SUN, TUE)) {
      new NightlyRunner(spark, tables, config(tables), line -> { })
          .run(new NightlyRunner.Options(night, night, feed.toString(), directory(name, withU3).toString()));
    }
    return tables;
  }

  /** A day of a Cursor daily report of the person named by this email. */
  private static String dailyRow(String email) {
    return "('cursor-daily', 'cursor', '" + email + "', map('email', '" + email + "'), DATE '2026-11-17', true, 3, 10, 4, "
        + "NULL, 12, NULL, NULL, map('email', '" + email + "'), DATE '2026-11-17', DATE '2026-11-17', NULL, NULL, "
        + "'daily.json', 1, 'run-0', TIMESTAMP '2026-11-18 06:00:00')";
  }

  private List<String> content(String table) {
    return spark.table(table).collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private List<String> contentWhere(String table, String condition) {
    return spark.table(table).where(condition).collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void aForgottenPersonLeavesEveryTableAndDataFileAndEveryoneElseIsAsIfTheyHadNeverBeenDelivered() throws Exception {
    LakeTables lake = lakeOf("forget", true);
    LakeConfig config = config(lake);
    // u3 also used a tool that names people by email, mapped to u3 by an identity row (any source).
    spark.sql("INSERT INTO " + lake.identities() + " VALUES ('*', 'u3@corp.example', 'u3', DATE '2026-01-01', NULL, "
        + "'identities.csv', 2, 'load')");
    spark.table(lake.usageEvents()).where("event_id = 't3'")
        .withColumn("event_id", org.apache.spark.sql.functions.lit("otlp-t3"))
        .withColumn("user_id", org.apache.spark.sql.functions.lit("U3@corp.example"))
        .withColumn("person_keys", org.apache.spark.sql.functions.expr("map('email', 'U3@corp.example')"))
        .writeTo(lake.usageEvents()).append();
    // And Cursor, whose daily report names people by email only: one day of u3's, one of someone else's.
    spark.sql("INSERT INTO " + lake.usageDaily() + " VALUES "
        + dailyRow("U3@corp.example") + ", " + dailyRow("ann@corp.example"));
    String pseudonym = new Pseudonyms(PseudonymKey.resolve(config)).of("u3");
    Map<String, List<String>> othersBefore = new java.util.LinkedHashMap<>();
    for (String t : List.of(lake.userWeeklyUsage(), lake.userWeeklyFeatures(), lake.usageClassification())) {
      othersBefore.put(t, contentWhere(t, "user_id <> 'u3'"));
    }
    assertEquals(List.of("u3", "u1"), spark.table(lake.leaderboardSnapshots()).where("snapshot_date = DATE '" + SUN + "'")
        .orderBy("rank").collectAsList().stream().map(r -> r.<String>getAs("user_id")).toList());
    List<String> searchTeam = contentWhere(lake.teamWeeklyEngagement(), "group_key = 't2'");

    List<String> progress = new ArrayList<>();
    ForgetJob.Result result = new ForgetJob(spark, lake, config, progress::add).run("u3", "request 42");

    // Gone from every table that holds people, private and BI.
    for (PersonData.Entry entry : PersonData.of(lake)) {
      switch (entry.holds()) {
        case ROWS_BY_USER_ID -> assertEquals(0L, spark.table(entry.table()).where(entry.column() + " = 'u3'").count(),
            entry.table());
        case ROWS_BY_PERSON_KEYS -> assertEquals(0L, spark.table(entry.table()).where(entry.column() + " = 'u3' OR "
            + "exists(map_values(person_keys), k -> lower(k) = 'u3@corp.example')").count(), entry.table());
        case ROWS_BY_PSEUDONYM -> assertEquals(0L, spark.table(entry.table())
            .where(entry.column() + " = '" + pseudonym + "'").count(), entry.table());
        default -> { }
      }
      if (entry.holds() != PersonData.Holds.NOTHING) {
        // job_runs then gets one more: forget's own record, written after the history was expired.
        int kept = entry.table().equals(lake.jobRuns()) ? 2 : 1;
        assertTrue(Iterables.size(lake.iceberg(entry.table()).snapshots()) <= kept,
            entry.table() + " keeps no snapshot but its current one");
        // A table no run has written yet (no telemetry delivered) has no ref at all.
        assertTrue(Set.of("main").containsAll(lake.iceberg(entry.table()).refs().keySet()),
            entry.table() + " keeps no tag: " + lake.iceberg(entry.table()).refs().keySet());
      }
    }
    assertEquals(List.of("bad1"), spark.table(lake.usageEventsRejected()).select("event_id").collectAsList().stream()
        .map(r -> r.getString(0)).toList());
    assertEquals(1L, spark.table(lake.developerDirectory()).where("user_id = 'u1' AND manager_id IS NULL").count(),
        "u3 no longer shows as u1's manager");
    assertTrue(result.rowsErased().getOrDefault(lake.leaderboardSnapshots(), 0L) > 0, result.rowsErased().toString());
    Map<String, Long> erased = withoutBiCopies(result.rowsErased(), lake);
    erased.remove(lake.leaderboardSnapshots());
    assertEquals(Map.of(lake.usageEvents(), 3L, lake.usageEventsRejected(), 1L, lake.identities(), 1L,
        lake.developerDirectory(), 2L, lake.userWeeklyUsage(), 2L, lake.userWeeklyFeatures(), 2L,
        lake.usageClassification(), 2L, lake.usageDaily(), 1L), erased,
        "three events (one under an email key), one rejected line, an identity, a stint and a manager_id, two "
            + "weeks of per-person rows, and a day of a daily report under an email key");
    assertEquals(List.of("ann@corp.example"), spark.table(lake.usageDaily()).select("user_id").collectAsList().stream()
        .map(r -> r.getString(0)).toList(), "someone else's day stays");
    assertEquals(TUE, result.nightRecomputed());

    // Everyone else's own rows are unchanged; the figures of the groups u3 counted in are those of a lake
    // that never had u3.
    othersBefore.forEach((table, rows) -> assertEquals(rows, content(table), table));
    assertEquals(searchTeam, contentWhere(lake.teamWeeklyEngagement(), "group_key = 't2'"));
    LakeTables never = lakeOf("never", false);
    // Someone else's daily row stays in the lake u3 left, so the lake that never had u3 has it too.
    spark.sql("INSERT INTO " + never.usageDaily() + " VALUES " + dailyRow("ann@corp.example"));
    new NightlyRunner(spark, never, config(never), line -> { }).run(new NightlyRunner.Options(TUE, TUE, null, null));
    for (String t : List.of(lake.teamWeeklyEngagement(), lake.leaderboardSnapshots(), lake.userWeeklyUsage())) {
      assertEquals(content(same(t, lake, never)), content(t), t);
      assertEquals(content(never.biCopyOf(same(t, lake, never))), content(lake.biCopyOf(t)), lake.biCopyOf(t));
    }

    // No data file of the lake holds the id or the pseudonym any more, nor does any job_runs text.
    for (String table : lake.all()) {
      List<Path> files = dataFiles(lake, table);
      if (!files.isEmpty()) {
        List<String> holding = spark.read().parquet(files.stream().map(Path::toString).toArray(String[]::new))
            .selectExpr("input_file_name() AS file", "to_json(struct(*)) AS j")
            .where("j LIKE '%\"u3\"%' OR lower(j) LIKE '%u3@corp.example%' OR j LIKE '%" + pseudonym + "%'")
            .select("file").distinct()
            .collectAsList().stream().map(r -> r.getString(0)).toList();
        assertEquals(List.of(), holding, "data files of " + table + " that still hold u3");
      }
    }
    assertFalse(progress.stream().anyMatch(line -> line.contains("u3")), String.join("\n", progress));
    Row logged = spark.table(lake.jobRuns()).where("job = 'forget'").first();
    assertEquals("succeeded", logged.<String>getAs("status"));
    assertFalse(logged.toString().contains("u3"));
    Row listed = spark.table(lake.erasedPeople()).first();
    assertEquals("request 42", listed.<String>getAs("reason"));
    assertNotEquals("u3", listed.<String>getAs("person_hash"));

    // A re-delivery of everything brings the person back nowhere.
    IngestLedger again = new IngestJob(spark, lake, line -> { })
        .run(new IngestJob.Config(dir.resolve("forget").resolve("events").toString(), null, true, false));
    assertEquals(3L, again.erased(), "u3's two events and rejected line");
    assertEquals(0L, again.accepted());
    new DirectoryLoadJob(spark, lake, line -> { }).run(directory("forget", true).toString());
    assertEquals(0L, spark.table(lake.usageEvents()).where("user_id = 'u3'").count());
    assertEquals(0L, spark.table(lake.developerDirectory()).where("user_id = 'u3' OR manager_id = 'u3'").count());
    assertEquals(0L, spark.table(lake.usageEventsRejected()).where("raw_line LIKE '%\"u3\"%'").count());
  }

  @Test
  void aReasonThatHoldsTheIdIsRefusedBeforeAnythingChanges() {
    LakeTables lake = new LakeTables(spark, TestLake.freshConfig("forget_reason"));
    InputException e = assertThrows(InputException.class,
        () -> new ForgetJob(spark, lake, config(lake), line -> { }).run("u3", "asked by u3 on 2026-11-20"));
    assertEquals("--reason holds the id being erased: it is stored in the erasure list, so give a request "
        + "reference instead", e.getMessage());
  }

  @Test
  void everyTableOfTheLakeSaysHowItHoldsAPerson() {
    LakeTables lake = new LakeTables(spark, TestLake.freshConfig("forget_registry"));
    assertEquals(new TreeSet<>(lake.all()),
        PersonData.of(lake).stream().map(PersonData.Entry::table).collect(Collectors.toCollection(TreeSet::new)),
        "a table added to the lake needs an entry in PersonData, so forget reaches it");
    assertEquals(PersonData.of(lake).size(), lake.all().size(), "one entry per table");
  }

  /** The table of the other lake that plays the same part. */
  private static String same(String table, LakeTables from, LakeTables to) {
    for (String t : from.all()) {
      if (t.equals(table)) {
        return to.all().get(from.all().indexOf(t));
      }
    }
    throw new IllegalArgumentException(table);
  }

  private static Map<String, Long> withoutBiCopies(Map<String, Long> erased, LakeTables lake) {
    Map<String, Long> out = new java.util.LinkedHashMap<>(erased);
    out.keySet().removeIf(t -> t.startsWith(lake.curatedNamespace() + ".") || t.equals(lake.jobRuns()));
    return out;
  }

  private static List<Path> dataFiles(LakeTables lake, String table) throws IOException {
    Path data = Path.of(java.net.URI.create(lake.iceberg(table).location() + "/data"));
    if (!Files.isDirectory(data)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(data)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).toList();
    }
  }

  /** Counting without Guava. */
  private static final class Iterables {
    static int size(Iterable<?> items) {
      int n = 0;
      for (Object ignored : items) {
        n++;
      }
      return n;
    }
  }
}
