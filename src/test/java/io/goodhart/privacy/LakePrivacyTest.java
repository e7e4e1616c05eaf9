package io.goodhart.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import io.goodhart.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a company-wide reader can see after a nightly run: no directory id in any table of the curated
 * namespace (pseudonyms instead, the same ones the key gives), real ids only in the private namespace,
 * and no prompt or output text anywhere in the lake, whether the line carrying it was accepted or not.
 */
class LakePrivacyTest {
  private static final List<String> PEOPLE = List.of("alice.martin", "bruno.diaz", "chen.wei", "dana.okafor",
      "emil.novak", "farah.haddad");
  private static final String SECRET = "SECRET-PROMPT-TEXT";

  @TempDir static Path dir;
  private static final SparkSession spark = TestLake.spark();
  private static LakeTables tables;
  private static LakeConfig config;

  @BeforeAll
  static void aNightOfUsageWithPromptTextInIt() throws Exception {
    config = TestLake.freshConfig("privacy").with(Map.of(LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
    tables = new LakeTables(spark, config);
    StringBuilder csv = new StringBuilder("user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n");
    for (int i = 0; i < PEOPLE.size(); i++) {
      csv.append(PEOPLE.get(i)).append(i < 3 ? ",t1,Payments,A,," : ",t2,Search,A,,").append("true,2026-01-01,\n");
    }
    Path directory = dir.resolve("directory.csv");
    Files.writeString(directory, csv);
    List<String> lines = new ArrayList<>();
    int n = 0;
    for (String person : PEOPLE) {
      for (int h = 8; h < 12; h++) {
        lines.add(String.format("{\"event_id\":\"e%d\",\"event_time\":\"2026-11-17T%02d:00:00Z\",\"user_id\":\"%s\","
            + "\"tool\":\"cursor\",\"operation\":\"chat\",\"input_tokens\":%d,\"output_tokens\":50,"
            + "\"prompt_fingerprint\":\"fp%d\",\"prompt\":\"%s for %s\",\"gen_ai.output.messages\":[\"%s\"]}",
            n++, h, person, 100 * (h - 7), n, SECRET, person, SECRET));
      }
    }
    // Rejected lines carry the text too: one with a negative count, one that is not JSON at all.
    lines.add("{\"event_id\":\"bad1\",\"event_time\":\"2026-11-17T09:00:00Z\",\"user_id\":\"alice.martin\",\"tool\":\"cursor\","
        + "\"operation\":\"chat\",\"input_tokens\":-1,\"output_tokens\":1,\"completion\":\"" + SECRET + "\"}");
    lines.add("{\"event_id\":\"bad2\",\"prompt\":\"" + SECRET + " and a broken line");
    Path day = dir.resolve("events/date=2026-11-17");
    Files.createDirectories(day);
    Files.writeString(day.resolve("part-0.jsonl"), String.join("\n", lines) + "\n");
    new NightlyRunner(spark, tables, config, line -> { })
        .run(new NightlyRunner.Options(LocalDate.of(2026, 11, 17), LocalDate.of(2026, 11, 17),
            dir.resolve("events").toString(), directory.toString()));
  }

  private static List<String> tablesIn(String namespace) {
    return spark.sql("SHOW TABLES IN " + namespace).collectAsList().stream()
        .map(r -> namespace + "." + r.getString(1)).toList();
  }

  /** Every row of the table as JSON text: every string, map and array value a reader could see. */
  private static List<String> asText(String table) {
    return spark.table(table).select(to_json(struct(col("*")))).collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void noTableOfTheCuratedNamespaceHoldsADirectoryId() {
    List<String> curated = tablesIn(tables.curatedNamespace());
    assertTrue(curated.containsAll(List.of(tables.curatedNamespace() + ".leaderboard_snapshots",
        tables.curatedNamespace() + ".usage_classification", tables.curatedNamespace() + ".user_weekly_usage",
        tables.curatedNamespace() + ".team_weekly_engagement")), curated.toString());
    for (String table : curated) {
      assertFalse(Arrays.asList(spark.table(table).columns()).contains("user_id"), table + " has a user_id column");
      for (String row : asText(table)) {
        for (String person : PEOPLE) {
          assertFalse(row.contains(person), table + " shows " + person + ": " + row);
        }
      }
    }
  }

  @Test
  void theBiCopiesAreThePrivateTablesWithTheKeysPseudonyms() {
    Pseudonyms pseudonyms = new Pseudonyms(PseudonymKey.resolve(config));
    for (String privateTable : List.of(tables.leaderboardSnapshots(), tables.usageClassification(), tables.userWeeklyUsage())) {
      String copy = tables.biCopyOf(privateTable);
      // The ranks break ties by the real id in the private table and by the pseudonym in the BI copy: they are
      // compared below, the other columns here.
      String[] ranks = {"rank", "previous_rank", "rank_change", "honest_rank", "honest_rank_shift"};
      List<String> expected = spark.table(privateTable).drop(ranks).collectAsList().stream()
          .map(r -> r.toString().replace(r.<String>getAs("user_id"), pseudonyms.of(r.getAs("user_id")))).sorted().toList();
      List<String> actual = spark.table(copy).drop(ranks).collectAsList().stream().map(Row::toString).sorted().toList();
      assertFalse(expected.isEmpty(), privateTable + " is empty");
      assertEquals(expected, actual, copy);
    }
    assertEquals(6L, spark.table(tables.leaderboardSnapshots()).count(), "six people on the board");
    // Six people tied at 1,200 tokens: ranked in the order of their pseudonyms, not of their directory ids.
    List<String> board = spark.table(tables.biCopyOf(tables.leaderboardSnapshots())).orderBy("rank")
        .select("person_id").collectAsList().stream().map(r -> r.getString(0)).toList();
    assertEquals(board.stream().sorted().toList(), board);
    assertEquals(PEOPLE.stream().map(pseudonyms::of).sorted().toList(), board);
  }

  @Test
  void noPromptOrOutputTextExistsAnywhereInTheLake() {
    assertEquals(2L, spark.table(tables.usageEventsRejected()).count(), "both bad lines were kept, redacted");
    assertEquals(24L, spark.table(tables.usageEvents()).count());
    List<String> all = new ArrayList<>();
    for (String namespace : List.of(tables.rawNamespace(), tables.curatedNamespace(), tables.privateNamespace())) {
      all.addAll(tablesIn(namespace));
    }
    assertTrue(all.size() >= 12, all.toString());
    for (String table : all) {
      for (String row : asText(table)) {
        assertFalse(row.contains(SECRET), table + " holds prompt text: " + row);
      }
    }
    String fields = spark.table(tables.usageEvents()).where("event_id = 'e0'").first()
        .<scala.collection.Map<String, String>>getAs("extra_fields").toString();
    assertTrue(fields.contains("prompt -> \"" + io.goodhart.ingest.PromptText.REMOVED + "\""), fields);
  }
}
