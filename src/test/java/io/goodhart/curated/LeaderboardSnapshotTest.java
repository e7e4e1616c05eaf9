package io.goodhart.curated;

import static io.goodhart.curated.Fixtures.event;
import static io.goodhart.curated.Fixtures.stint;
import static io.goodhart.testing.FrameAssertions.assertRows;

import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The raw token leaderboard of contract section 4, as it stood on given nights of a hand-made week
 * (Mon 2026-11-16 .. Sun 2026-11-22, ISO 2026-W47) and the week before.
 */
class LeaderboardSnapshotTest {
  private static final LocalDate MON = LocalDate.of(2026, 11, 16);
  private static final LocalDate TUE = MON.plusDays(1);
  private static final LocalDate WED = MON.plusDays(2);
  private static final LocalDate FRI = MON.plusDays(4);
  private static final LocalDate SAT = MON.plusDays(5);
  private static final LocalDate SUN = MON.plusDays(6);
  private static final LocalDate PREVIOUS_SUN = MON.minusDays(1);
  private static final Date W = Date.valueOf(MON);
  private final SparkSession spark = TestLake.spark();

  private Dataset<Row> directory() {
    return Fixtures.directory(spark,
        stint("u1", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u2", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u3", "t1", "Payments", "A", true, "2026-01-01", "2026-11-17"),
        stint("u3", "t2", "Search", "A", true, "2026-11-18", null),
        stint("u4", "t2", "Search", "A", true, "2026-01-01", null),
        stint("m1", "t2", "Search", "A", false, "2026-01-01", null));
  }

  private Dataset<Row> leaderboard(Dataset<Row> events, ZoneId zone, LocalDate... snapshotDates) {
    return LeaderboardSnapshot.compute(AttributedEvents.attribute(events, directory(), zone), List.of(snapshotDates));
  }

  private Dataset<Row> leaderboard(Dataset<Row> events, LocalDate... snapshotDates) {
    return leaderboard(events, ZoneId.of("UTC"), snapshotDates);
  }

  private static Date d(LocalDate date) {
    return Date.valueOf(date);
  }

  @Test
  void ranksPeopleByInputPlusOutputTokensHighestFirstWithoutCacheReads() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            // u1's cache reads would put them first if they were added to the total.
            event("e1", "2026-11-16T09:00:00Z", "u1", "cursor", 100, 10, 5000L, null, "interactive", null, null, null, null),
            event("e2", "2026-11-17T09:00:00Z", "u2", 150, 20),
            event("e3", "2026-11-18T09:00:00Z", "u2", 50, 0),
            event("e4", "2026-11-18T10:00:00Z", "u4", 300, 30)),
        SUN);
    assertRows(rows.select("snapshot_date", "week_start", "iso_week", "snapshot_kind", "rank", "user_id", "team_id",
            "team_name", "total_tokens", "events", "previous_snapshot_date", "previous_rank", "rank_change"),
        new Object[] {d(SUN), W, "2026-W47", "final", 1, "u4", "t2", "Search", 330L, 1L, null, null, null},
        new Object[] {d(SUN), W, "2026-W47", "final", 2, "u2", "t1", "Payments", 220L, 2L, null, null, null},
        new Object[] {d(SUN), W, "2026-W47", "final", 3, "u1", "t1", "Payments", 110L, 1L, null, null, null});
  }

  @Test
  void equalTotalsAreRankedByUserIdAscending() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            event("e1", "2026-11-16T09:00:00Z", "u4", 100, 50),
            event("e2", "2026-11-16T10:00:00Z", "u2", 140, 10),
            event("e3", "2026-11-16T11:00:00Z", "u1", 200, 0)),
        SUN);
    assertRows(rows.select("rank", "user_id", "total_tokens"),
        new Object[] {1, "u1", 200L},
        new Object[] {2, "u2", 150L},
        new Object[] {3, "u4", 150L});
  }

  @Test
  void aWednesdaySnapshotCountsTheWeekFromMondayToTheEndOfWednesdayOnly() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            event("p1", "2026-11-15T23:59:59Z", "u1", 1000, 0),
            event("e1", "2026-11-16T00:00:00Z", "u1", 10, 1),
            event("e2", "2026-11-18T23:59:59.999Z", "u1", 20, 2),
            event("e3", "2026-11-19T00:00:00Z", "u1", 5000, 0),
            event("e4", "2026-11-19T09:00:00Z", "u2", 70, 7)),
        WED);
    // u2's first request is on Thursday: not on Wednesday's leaderboard at all.
    assertRows(rows.select("snapshot_date", "week_start", "iso_week", "snapshot_kind", "rank", "user_id",
            "total_tokens", "events", "previous_snapshot_date", "previous_rank", "rank_change"),
        new Object[] {d(WED), W, "2026-W47", "week_to_date", 1, "u1", 33L, 2L, null, null, null});
  }

  @Test
  void theEndOfTheSnapshotDayIsThatOfTheReportingTimeZone() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            // Sunday 15 November 22:00 in New York: the week before.
            event("e1", "2026-11-16T03:00:00Z", "u1", 1000, 0),
            event("e2", "2026-11-16T06:00:00Z", "u1", 10, 1),
            // Wednesday 18 November 22:00 in New York, already Thursday in UTC.
            event("e3", "2026-11-19T03:00:00Z", "u1", 20, 2),
            event("e4", "2026-11-19T06:00:00Z", "u1", 5000, 0)),
        ZoneId.of("America/New_York"), WED);
    assertRows(rows.select("snapshot_date", "week_start", "user_id", "total_tokens", "events"),
        new Object[] {d(WED), W, "u1", 33L, 2L});
  }

  @Test
  void rankChangeIsThePreviousRankMinusTheRankOnThePreviousSnapshotOfTheWeek() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            event("e1", "2026-11-16T09:00:00Z", "u1", 100, 0),
            event("e2", "2026-11-16T10:00:00Z", "u2", 50, 0),
            event("e3", "2026-11-17T09:00:00Z", "u2", 100, 0),
            event("e4", "2026-11-17T10:00:00Z", "u3", 120, 0)),
        MON, TUE);
    assertRows(rows.select("snapshot_date", "rank", "user_id", "total_tokens", "events", "previous_snapshot_date",
            "previous_rank", "rank_change"),
        new Object[] {d(MON), 1, "u1", 100L, 1L, null, null, null},
        new Object[] {d(MON), 2, "u2", 50L, 1L, null, null, null},
        new Object[] {d(TUE), 1, "u2", 150L, 2L, d(MON), 2, 1},
        // u3 was not ranked on Monday: no previous rank, no change.
        new Object[] {d(TUE), 2, "u3", 120L, 1L, d(MON), null, null},
        new Object[] {d(TUE), 3, "u1", 100L, 1L, d(MON), 1, -2});
  }

  @Test
  void theFirstSnapshotOfAWeekHasNoPreviousSnapshotEvenWhenTheWeekBeforeHasOne() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            event("p1", "2026-11-15T09:00:00Z", "u1", 500, 0),
            event("e1", "2026-11-16T09:00:00Z", "u1", 10, 0),
            event("e2", "2026-11-16T10:00:00Z", "u2", 20, 0)),
        PREVIOUS_SUN, MON);
    assertRows(rows.select("snapshot_date", "week_start", "iso_week", "snapshot_kind", "rank", "user_id",
            "total_tokens", "previous_snapshot_date", "previous_rank", "rank_change"),
        new Object[] {d(PREVIOUS_SUN), d(MON.minusWeeks(1)), "2026-W46", "final", 1, "u1", 500L, null, null, null},
        new Object[] {d(MON), W, "2026-W47", "week_to_date", 1, "u2", 20L, null, null, null},
        new Object[] {d(MON), W, "2026-W47", "week_to_date", 2, "u1", 10L, null, null, null});
  }

  @Test
  void aSkippedNightComparesWithTheLastSnapshotTakenThatWeek() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            event("e1", "2026-11-16T09:00:00Z", "u1", 100, 0),
            event("e2", "2026-11-16T10:00:00Z", "u2", 50, 0),
            event("e3", "2026-11-17T09:00:00Z", "u2", 200, 0),
            event("e4", "2026-11-18T09:00:00Z", "u1", 10, 0)),
        MON, WED);
    assertRows(rows.select("snapshot_date", "rank", "user_id", "total_tokens", "previous_snapshot_date",
            "previous_rank", "rank_change"),
        new Object[] {d(MON), 1, "u1", 100L, null, null, null},
        new Object[] {d(MON), 2, "u2", 50L, null, null, null},
        new Object[] {d(WED), 1, "u2", 250L, d(MON), 2, 1},
        new Object[] {d(WED), 2, "u1", 110L, d(MON), 1, -1});
  }

  @Test
  void onlyTheSundaySnapshotIsFinal() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark, event("e1", "2026-11-16T09:00:00Z", "u1", 100, 0)),
        MON, SAT, SUN);
    assertRows(rows.select("snapshot_date", "snapshot_kind", "user_id", "previous_snapshot_date"),
        new Object[] {d(MON), "week_to_date", "u1", null},
        new Object[] {d(SAT), "week_to_date", "u1", d(MON)},
        new Object[] {d(SUN), "final", "u1", d(SAT)});
  }

  @Test
  void theTeamShownIsThatOfThePersonsLastEventUpToTheSnapshotDate() {
    // u3 moved from Payments (t1) to Search (t2) on Wednesday.
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            event("e1", "2026-11-17T09:00:00Z", "u3", 100, 0),
            event("e2", "2026-11-19T09:00:00Z", "u3", 10, 0)),
        TUE, FRI);
    assertRows(rows.select("snapshot_date", "user_id", "team_id", "team_name", "total_tokens"),
        new Object[] {d(TUE), "u3", "t1", "Payments", 100L},
        new Object[] {d(FRI), "u3", "t2", "Search", 110L});
  }

  @Test
  void aPersonInNoStintIsRankedUnderUnassigned() {
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            event("e1", "2026-11-16T09:00:00Z", "x9", 80, 8),
            event("e2", "2026-11-16T10:00:00Z", "u1", 10, 1)),
        SUN);
    assertRows(rows.select("rank", "user_id", "team_id", "team_name", "total_tokens"),
        new Object[] {1, "x9", "unassigned", "Unassigned", 88L},
        new Object[] {2, "u1", "t1", "Payments", 11L});
  }

  @Test
  void aNonDeveloperWithEventsIsRankedLikeAnyoneElse() {
    // The raw leaderboard ranks everyone with events; is_developer only matters for engagement.
    Dataset<Row> rows = leaderboard(Fixtures.events(spark,
            event("e1", "2026-11-16T09:00:00Z", "m1", 900, 90),
            event("e2", "2026-11-16T10:00:00Z", "u1", 10, 1)),
        SUN);
    assertRows(rows.select("rank", "user_id", "team_id", "total_tokens"),
        new Object[] {1, "m1", "t2", 990L},
        new Object[] {2, "u1", "t1", 11L});
  }

  @Test
  void theHonestBoardDiscountsEachPersonsTokensByThePaddingScoreOfTheirWeek() {
    Dataset<Row> events = Fixtures.events(spark,
        event("a1", "2026-11-16T10:00:00Z", "u1", 9000, 1000),
        event("b1", "2026-11-16T11:00:00Z", "u2", 5000, 1000),
        event("c1", "2026-11-16T12:00:00Z", "u3", 3000, 0));
    Dataset<Row> verdicts = spark.createDataFrame(List.of(
            org.apache.spark.sql.RowFactory.create(W, "u1", "padding", 0.9),
            org.apache.spark.sql.RowFactory.create(W, "u2", "genuine", 0.1)),
        new org.apache.spark.sql.types.StructType()
            .add("week_start", org.apache.spark.sql.types.DataTypes.DateType)
            .add("user_id", org.apache.spark.sql.types.DataTypes.StringType)
            .add("label", org.apache.spark.sql.types.DataTypes.StringType)
            .add("padding_score", org.apache.spark.sql.types.DataTypes.DoubleType));
    Dataset<Row> board = LeaderboardSnapshot.compute(
        AttributedEvents.attribute(events, directory(), ZoneId.of("UTC")), List.of(MON), verdicts);
    // u1 leads on raw tokens but 90% of the week looks like padding: 10,000 x 0.1 = 1,000 honest tokens.
    // u3 has no verdict and counts in full.
    assertRows(board.select("user_id", "rank", "total_tokens", "label", "padding_score", "honest_tokens",
            "honest_rank", "honest_rank_shift"),
        new Object[] {"u1", 1, 10000L, "padding", 0.9, 1000L, 3, -2},
        new Object[] {"u2", 2, 6000L, "genuine", 0.1, 5400L, 1, 1},
        new Object[] {"u3", 3, 3000L, "genuine", 0.0, 3000L, 2, 1});
  }
}
