package io.goodhart.curated;

import static io.goodhart.testing.EventLines.event;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nightly deliveries to four people of two teams, on a real Iceberg catalog: Sunday's, Monday's, and
 * Tuesday's, which also brings u3's Sunday request two days late. Each test runs nights on lakes of its own.
 */
abstract class CuratedNights {
  static final LocalDate SUN = LocalDate.of(2026, 11, 15);
  static final LocalDate MON = LocalDate.of(2026, 11, 16);
  static final LocalDate TUE = LocalDate.of(2026, 11, 17);
  static final LocalDate WED = LocalDate.of(2026, 11, 18);

  @TempDir Path dir;
  final SparkSession spark = TestLake.spark();
  Path feed;
  Path directoryCsv;

  @BeforeEach
  void deliveries() throws IOException {
    feed = dir.resolve("events");
    directoryCsv = dir.resolve("directory.csv");
    Files.writeString(directoryCsv, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + "u1,t1,Payments,A,,true,2026-01-01,\n"
        + "u2,t1,Payments,A,,true,2026-01-01,\n"
        + "u3,t1,Payments,A,,true,2026-01-01,\n"
        + "u4,t2,Search,A,,true,2026-01-01,\n");
    deliver(SUN, event("s1", "2026-11-15T10:00:00Z", "u1", 100, 10));
    deliver(MON, event("m1", "2026-11-16T09:00:00Z", "u1", 200, 20), event("m2", "2026-11-16T10:00:00Z", "u4", 300, 30));
    // Tuesday's delivery also brings u3's Sunday request, two days late.
    deliver(TUE, event("t1", "2026-11-17T09:00:00Z", "u2", 400, 40), event("late", "2026-11-15T22:00:00Z", "u3", 500, 50));
  }

  void deliver(LocalDate day, String... lines) throws IOException {
    Path folder = feed.resolve("date=" + day);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("part-0.jsonl"), String.join("\n", lines) + "\n");
  }

  LakeTables lake(String label) {
    return new LakeTables(spark, TestLake.freshConfig(label));
  }

  LakeConfig config(LakeTables tables) {
    return TestLake.freshConfig("unused").with(java.util.Map.of(
        LakeConfig.RAW_NAMESPACE, tables.rawNamespace().substring(tables.rawNamespace().indexOf('.') + 1),
        LakeConfig.CURATED_NAMESPACE, tables.curatedNamespace().substring(tables.curatedNamespace().indexOf('.') + 1),
        LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
  }

  void nightly(LakeTables tables, LocalDate from, LocalDate to, boolean ingest) {
    new NightlyRunner(spark, tables, config(tables), line -> { })
        .run(new NightlyRunner.Options(from, to, ingest ? feed.toString() : null, directoryCsv.toString()));
  }

  /** A table's whole content as sorted text, to compare lakes and runs exactly. */
  static List<String> content(SparkSession spark, String table) {
    Dataset<Row> t = spark.table(table);
    return t.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  static Row teamWeek(SparkSession spark, LakeTables tables, LocalDate week, String team) {
    return spark.table(tables.teamWeeklyEngagement())
        .where("level = 'team' AND group_key = '" + team + "' AND week_start = DATE '" + week + "'").first();
  }
}
