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
 * Contract section 4 on a hand-made week (Mon 2026-11-16 .. Sun 2026-11-22) and the week before:
 * a mid-week team change, non-developers, a leaver, a team with nobody eligible, unassigned people.
 */
class WeeklyEngagementTest {
  private static final LocalDate WEEK = LocalDate.of(2026, 11, 16);
  private static final Date W = Date.valueOf(WEEK);
  private final SparkSession spark = TestLake.spark();

  private Dataset<Row> directory() {
    return Fixtures.directory(spark,
        stint("u1", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u2", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("m1", "t1", "Payments", "A", false, "2026-01-01", null),
        stint("u3", "t1", "Payments", "A", true, "2026-01-01", "2026-11-17"),
        stint("u3", "t2", "Search", "A", true, "2026-11-18", null),
        stint("u4", "t2", "Search", "A", true, "2026-01-01", null),
        stint("u5", "t3", "Infra", "B", true, "2026-01-01", "2026-11-18"),
        stint("n1", "t4", "Ops", "B", false, "2026-01-01", null));
  }

  private Dataset<Row> events() {
    return Fixtures.events(spark,
        event("p1", "2026-11-10T10:00:00Z", "u1", 1000, 100),
        event("e1", "2026-11-16T09:00:00Z", "u1", 100, 10),
        event("e2", "2026-11-16T11:00:00Z", "u1", 200, 20),
        event("e3", "2026-11-17T09:00:00Z", "u3", "copilot", 300, 30, 5L, null, "interactive", null, null, null, null),
        event("e4", "2026-11-18T09:00:00Z", "m1", 50, 5),
        event("e5", "2026-11-19T09:00:00Z", "u3", 400, 40),
        event("e6", "2026-11-20T09:00:00Z", "u5", 60, 6),
        event("e7", "2026-11-20T10:00:00Z", "n1", 70, 7),
        event("e8", "2026-11-21T10:00:00Z", "x9", 80, 8));
  }

  private Dataset<Row> compute(ZoneId zone, LocalDate asOf) {
    Dataset<Row> attributed = AttributedEvents.attribute(events(), directory(), zone);
    return WeeklyEngagement.compute(attributed, directory(), List.of(WEEK),
        new WeeklyEngagement.Settings(0.5, 3, asOf));
  }

  @Test
  void teamsCountEligibleAndEngagedDevelopersExactlyAsTheContractDefines() {
    Dataset<Row> rows = compute(ZoneId.of("UTC"), LocalDate.of(2026, 11, 22)).where("level = 'team'");
    assertRows(rows.select("week_start", "iso_week", "group_key", "org", "team_id", "team_name",
            "eligible_developers", "engaged_developers", "engagement_rate", "target_rate", "target_met", "week_status"),
        // u3 moved from t1 to t2 on Wednesday: eligible and engaged in both teams.
        new Object[] {W, "2026-W47", "t1", "A", "t1", "Payments", 3L, 2L, 2.0 / 3, 0.5, true, "final"},
        new Object[] {W, "2026-W47", "t2", "A", "t2", "Search", 2L, 1L, 0.5, 0.5, true, "final"},
        // u5 left on Wednesday: eligible this week, but the Friday event has no stint and is unassigned.
        new Object[] {W, "2026-W47", "t3", "B", "t3", "Infra", 1L, 0L, 0.0, 0.5, false, "final"},
        // Only a non-developer: nobody eligible, so no rate and no verdict on the target.
        new Object[] {W, "2026-W47", "t4", "B", "t4", "Ops", 0L, 0L, null, 0.5, null, "final"},
        new Object[] {W, "2026-W47", "unassigned", "unassigned", "unassigned", "Unassigned", 0L, 0L, null, 0.5, null, "final"});
  }

  @Test
  void teamsCarryTheirEventsTokensActiveDaysAndWeekOverWeekChange() {
    Dataset<Row> rows = compute(ZoneId.of("UTC"), LocalDate.of(2026, 11, 22)).where("level = 'team'");
    assertRows(rows.select("team_id", "events", "input_tokens", "output_tokens", "cache_read_tokens", "total_tokens",
            "active_days", "below_min_group_size", "tokens_per_engaged_developer", "events_per_engaged_developer",
            "engagement_rate_change", "engaged_developers_change", "total_tokens_change"),
        // The non-developer m1's event counts in the team's events and tokens, not in engagement.
        new Object[] {"t1", 4L, 650L, 65L, 5L, 715L, 3, false, 715 / 2.0, 4 / 2.0, 2.0 / 3 - 1.0 / 3, 1L, 715L - 1100L},
        // Two eligible is below the minimum group size of 3: no per-person figures.
        new Object[] {"t2", 1L, 400L, 40L, 0L, 440L, 1, true, null, null, 0.5 - 0.0, 1L, 440L},
        new Object[] {"t3", 0L, 0L, 0L, 0L, 0L, 0, true, null, null, 0.0 - 0.0, 0L, 0L},
        new Object[] {"t4", 1L, 70L, 7L, 0L, 77L, 1, true, null, null, null, 0L, 77L},
        new Object[] {"unassigned", 2L, 140L, 14L, 0L, 154L, 2, true, null, null, null, 0L, 154L});
  }

  @Test
  void orgAndCompanyRollUpsCountEachPersonOnce() {
    Dataset<Row> rows = compute(ZoneId.of("UTC"), LocalDate.of(2026, 11, 22)).where("level <> 'team'");
    assertRows(rows.select("level", "group_key", "org", "team_id", "eligible_developers", "engaged_developers",
            "engagement_rate", "events", "total_tokens", "active_days", "below_min_group_size"),
        new Object[] {"org", "A", "A", null, 4L, 2L, 0.5, 5L, 1155L, 4, false},
        new Object[] {"org", "B", "B", null, 1L, 0L, 0.0, 1L, 77L, 1, true},
        new Object[] {"org", "unassigned", "unassigned", null, 0L, 0L, null, 2L, 154L, 2, true},
        new Object[] {"company", "all", null, null, 5L, 2L, 0.4, 8L, 1386L, 6, false});
  }

  @Test
  void theWeekIsWeekToDateUntilTheJobHasRunForItsLastDay() {
    Dataset<Row> rows = compute(ZoneId.of("UTC"), LocalDate.of(2026, 11, 21)).where("level = 'company'");
    assertRows(rows.select("group_key", "week_status"), new Object[] {"all", "week_to_date"});
  }

  @Test
  void daysAndWeeksFollowTheReportingTimeZone() {
    // 2026-11-16T03:00Z is still Sunday 15 November in New York: that event belongs to the week before.
    Dataset<Row> shifted = Fixtures.events(spark, event("z1", "2026-11-16T03:00:00Z", "u1", 10, 1),
        event("z2", "2026-11-16T06:00:00Z", "u1", 20, 2));
    Dataset<Row> attributed = AttributedEvents.attribute(shifted, directory(), ZoneId.of("America/New_York"));
    Dataset<Row> rows = WeeklyEngagement.compute(attributed, directory(), List.of(WEEK.minusWeeks(1), WEEK),
        new WeeklyEngagement.Settings(0.5, 3, WEEK)).where("level = 'team' AND group_key = 't1'");
    assertRows(rows.select("week_start", "events", "total_tokens", "engaged_developers", "week_status"),
        new Object[] {Date.valueOf(WEEK.minusWeeks(1)), 1L, 11L, 1L, "final"},
        new Object[] {W, 1L, 22L, 1L, "week_to_date"});
  }

  @Test
  void aWeekWithoutAnyEventStillReportsItsEligibleTeams() {
    LocalDate empty = LocalDate.of(2026, 12, 7);
    Dataset<Row> attributed = AttributedEvents.attribute(events(), directory(), ZoneId.of("UTC"));
    Dataset<Row> rows = WeeklyEngagement.compute(attributed, directory(), List.of(empty),
        new WeeklyEngagement.Settings(0.5, 3, empty.plusDays(6)));
    assertRows(rows.select("level", "group_key", "eligible_developers", "engaged_developers", "engagement_rate",
            "events", "total_tokens", "engaged_developers_change"),
        new Object[] {"team", "t1", 2L, 0L, 0.0, 0L, 0L, 0L},
        new Object[] {"team", "t2", 2L, 0L, 0.0, 0L, 0L, 0L},
        new Object[] {"org", "A", 4L, 0L, 0.0, 0L, 0L, 0L},
        new Object[] {"company", "all", 4L, 0L, 0.0, 0L, 0L, 0L});
  }
}
