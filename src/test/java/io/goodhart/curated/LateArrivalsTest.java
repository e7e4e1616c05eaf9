package io.goodhart.curated;

import static io.goodhart.testing.EventLines.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.lake.LakeTables;
import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Late data reopens the weeks it belongs to: a late event, a file landing in an old delivery folder, and raw
 * rows deleted by hand each end in the tables a night that had them on time would have written.
 */
class LateArrivalsTest extends CuratedNights {
  @Test
  void aLateEventRecomputesTheWeekItHappenedInAndTheSnapshotsOfThatWeek() {
    LakeTables tables = lake("late");
    nightly(tables, SUN, MON, true);
    LocalDate previousWeek = LocalDate.of(2026, 11, 9);
    assertEquals(1L, teamWeek(spark, tables, previousWeek, "t1").<Long>getAs("engaged_developers"));

    long mondayNight = spark.table(tables.jobRuns())
        .where("job = 'leaderboard' AND logical_date = DATE '2026-11-16' AND status = 'succeeded'")
        .first().<scala.collection.Map<String, Long>>getAs("snapshot_ids").apply(tables.leaderboardSnapshots());

    nightly(tables, TUE, TUE, true);
    // What the leaderboard showed on Monday night stays readable by time travel to that run's snapshot.
    assertEquals(List.of("u1"), spark.sql("SELECT user_id FROM " + tables.leaderboardSnapshots() + " VERSION AS OF "
            + mondayNight + " WHERE snapshot_date = DATE '2026-11-15' ORDER BY rank")
        .collectAsList().stream().map(r -> r.getString(0)).toList());
    Row week46 = teamWeek(spark, tables, previousWeek, "t1");
    assertEquals(2L, week46.<Long>getAs("engaged_developers"), "u3's late Sunday event makes u3 engaged that week");
    assertEquals(660L, week46.<Long>getAs("total_tokens"));
    Row week47 = teamWeek(spark, tables, MON, "t1");
    assertEquals(2L, week47.<Long>getAs("engaged_developers"));
    assertEquals(0.0, week47.<Double>getAs("engagement_rate_change"), 1e-12,
        "the change is measured against the corrected week before: 2/3 - 2/3");
    List<Row> sundayBoard = spark.table(tables.leaderboardSnapshots())
        .where("snapshot_date = DATE '2026-11-15'").orderBy("rank").collectAsList();
    assertEquals(List.of("u3", "u1"), sundayBoard.stream().map(r -> r.<String>getAs("user_id")).toList(),
        "Sunday's final snapshot is re-ranked with the late event");
    assertEquals(List.of(550L, 110L), sundayBoard.stream().map(r -> r.<Long>getAs("total_tokens")).toList());
  }

  @Test
  void aFileLandingInAnOldDeliveryFolderIsReadByTheNextNightAndItsWeekEndsAsIfItHadComeOnTime() throws IOException {
    LakeTables late = lake("late_file");
    nightly(late, SUN, TUE, true);
    // After Sunday's night ran, a second file lands in Sunday's folder; Wednesday's delivery comes as usual.
    Files.writeString(feed.resolve("date=" + SUN).resolve("part-1.jsonl"),
        event("s2", "2026-11-15T11:00:00Z", "u2", 700, 70) + "\n");
    deliver(WED, event("w1", "2026-11-18T09:00:00Z", "u1", 10, 1));
    nightly(late, WED, WED, true);

    LakeTables onTime = lake("late_file_on_time");
    nightly(onTime, SUN, WED, true);
    assertEquals(List.of("late", "m1", "m2", "s1", "s2", "t1", "w1"), spark.table(late.usageEvents())
        .select("event_id").orderBy("event_id").collectAsList().stream().map(r -> r.getString(0)).toList());
    assertEquals(content(spark, onTime.teamWeeklyEngagement()), content(spark, late.teamWeeklyEngagement()));
    assertEquals(content(spark, onTime.userWeeklyUsage()), content(spark, late.userWeeklyUsage()));
    assertEquals(content(spark, onTime.usageClassification()), content(spark, late.usageClassification()));
    assertEquals(3L, teamWeek(spark, late, LocalDate.of(2026, 11, 9), "t1").<Long>getAs("engaged_developers"),
        "u2's Sunday event, read three nights late, counts in week 46");
  }

  @Test
  void deletingRawRowsReopensTheirWeekOnTheNextRun() {
    LakeTables tables = lake("raw_delete");
    nightly(tables, SUN, TUE, true);
    LocalDate week46 = LocalDate.of(2026, 11, 9);
    assertEquals(2L, teamWeek(spark, tables, week46, "t1").<Long>getAs("engaged_developers"));

    spark.sql("DELETE FROM " + tables.usageEvents() + " WHERE event_id = 'late'");
    nightly(tables, TUE, TUE, false);
    Row after = teamWeek(spark, tables, week46, "t1");
    assertEquals(1L, after.<Long>getAs("engaged_developers"), "week 46 is outside Tuesday's week, yet recomputed");
    assertEquals(110L, after.<Long>getAs("total_tokens"));
    assertEquals(List.of("u1"), spark.table(tables.leaderboardSnapshots()).where("snapshot_date = DATE '2026-11-15'")
        .orderBy("rank").collectAsList().stream().map(r -> r.<String>getAs("user_id")).toList());
    assertEquals(0L, spark.table(tables.userWeeklyUsage()).where("user_id = 'u3'").count());
  }
}
