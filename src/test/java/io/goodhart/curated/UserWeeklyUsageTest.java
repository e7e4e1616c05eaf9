package io.goodhart.curated;

import static io.goodhart.curated.Fixtures.event;
import static io.goodhart.curated.Fixtures.stint;
import static io.goodhart.testing.FrameAssertions.assertRows;

import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * curated.user_weekly_usage on a hand-made week (Mon 2026-11-16 .. Sun 2026-11-22, ISO 2026-W47):
 * one row per person and week, every column as its comment in sql/curated_private/user_weekly_usage.sql says.
 */
class UserWeeklyUsageTest {
  private static final LocalDate WEEK = LocalDate.of(2026, 11, 16);
  private static final Date W = Date.valueOf(WEEK);
  private final SparkSession spark = TestLake.spark();

  private Dataset<Row> directory() {
    return Fixtures.directory(spark,
        stint("u1", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u3", "t2", "Search", "A", true, "2026-01-01", "2026-11-17"),
        stint("u3", "t1", "Payments", "A", true, "2026-11-18", null),
        stint("n1", "t4", "Ops", "B", false, "2026-01-01", null));
  }

  private Dataset<Row> usage(ZoneId zone, Row... events) {
    return UserWeeklyUsage.compute(AttributedEvents.attribute(Fixtures.events(spark, events), directory(), zone));
  }

  private Dataset<Row> usage(Row... events) {
    return usage(ZoneId.of("UTC"), events);
  }

  private static Timestamp at(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  @Test
  void aPersonsWeekCarriesVolumeBreadthAndValueSignals() {
    Dataset<Row> rows = usage(
        event("e1", "2026-11-16T09:00:00Z", "u1", "cursor", 100, 10, 50L, "s1", "interactive", "p1", true, 12L, "pr-1"),
        event("e2", "2026-11-16T23:30:00Z", "u1", "claude-code", 200, 20, null, "s1", "scheduled", "p1", false, null, "pr-1"),
        event("e3", "2026-11-18T10:00:00Z", "u1", "cursor", 300, 30, 25L, "s2", "automation", "p2", true, 3L, null),
        event("e4", "2026-11-19T08:00:00Z", "u1", "copilot", 400, 40, null, null, "interactive", null, null, null, "pr-2"));
    assertRows(rows.select("week_start", "iso_week", "user_id", "team_id", "team_name", "org", "is_developer",
            "events", "sessions", "input_tokens", "output_tokens", "cache_read_tokens", "total_tokens", "active_days",
            "tools_used", "interactive_events", "scheduled_events", "automation_events", "events_with_feedback",
            "accepted_events", "accepted_share", "lines_accepted", "artifacts_linked", "distinct_prompts",
            "first_event_at", "last_event_at"),
        // The request without a session_id is not a session; the one without accepted is not feedback;
        // missing artifact and prompt values are not counted as one more distinct value.
        new Object[] {W, "2026-W47", "u1", "t1", "Payments", "A", true,
            4L, 2L, 1000L, 100L, 75L, 1100L, 3,
            List.of("claude-code", "copilot", "cursor"), 2L, 1L, 1L, 3L,
            2L, 2.0 / 3, 15L, 2L, 2L,
            at("2026-11-16T09:00:00Z"), at("2026-11-19T08:00:00Z")});
  }

  @Test
  void aPersonInNoStintIsUnassignedWithNoDeveloperFlagAndNoAcceptedShare() {
    Dataset<Row> rows = usage(
        event("e1", "2026-11-17T09:00:00Z", "x9", 80, 8),
        event("e2", "2026-11-17T10:00:00Z", "x9", 20, 2));
    assertRows(rows.select("user_id", "team_id", "team_name", "org", "is_developer", "events", "sessions",
            "cache_read_tokens", "total_tokens", "active_days", "tools_used", "interactive_events",
            "events_with_feedback", "accepted_events", "accepted_share", "lines_accepted", "artifacts_linked",
            "distinct_prompts"),
        new Object[] {"x9", "unassigned", "Unassigned", "unassigned", null, 2L, 0L,
            0L, 110L, 1, List.of("cursor"), 2L,
            0L, 0L, null, 0L, 0L,
            0L});
  }

  @Test
  void aNonDeveloperIsListedWithTheFlagOfTheirStint() {
    Dataset<Row> rows = usage(event("e1", "2026-11-17T09:00:00Z", "n1", 70, 7));
    assertRows(rows.select("user_id", "team_id", "team_name", "org", "is_developer", "total_tokens"),
        new Object[] {"n1", "t4", "Ops", "B", false, 77L});
  }

  @Test
  void aPersonWhoChangedTeamMidWeekIsListedOnceUnderTheTeamOfTheirLastEvent() {
    // u3 moved from Search (t2) to Payments (t1) on Wednesday; the greater team_id is the old one.
    Dataset<Row> rows = usage(
        event("e1", "2026-11-16T09:00:00Z", "u3", 100, 10),
        event("e2", "2026-11-19T09:00:00Z", "u3", 200, 20),
        event("e3", "2026-11-17T09:00:00Z", "u3", 300, 30));
    assertRows(rows.select("week_start", "user_id", "team_id", "team_name", "org", "events", "total_tokens"),
        new Object[] {W, "u3", "t1", "Payments", "A", 3L, 660L});
  }

  @Test
  void activeDaysAndWeeksFollowTheReportingTimeZone() {
    Dataset<Row> rows = usage(ZoneId.of("America/New_York"),
        // Sunday 15 November 22:00 in New York: the week before.
        event("e1", "2026-11-16T03:00:00Z", "u1", 1, 0),
        event("e2", "2026-11-16T15:00:00Z", "u1", 10, 0),
        // Monday 16 November 21:00 in New York, Tuesday in UTC: the same active day as e2.
        event("e3", "2026-11-17T02:00:00Z", "u1", 20, 0));
    assertRows(rows.select("week_start", "iso_week", "user_id", "events", "total_tokens", "active_days",
            "first_event_at", "last_event_at"),
        new Object[] {Date.valueOf(WEEK.minusWeeks(1)), "2026-W46", "u1", 1L, 1L, 1,
            at("2026-11-16T03:00:00Z"), at("2026-11-16T03:00:00Z")},
        new Object[] {W, "2026-W47", "u1", 2L, 30L, 1,
            at("2026-11-16T15:00:00Z"), at("2026-11-17T02:00:00Z")});
  }

  @Test
  void thereIsOneRowPerWeekAndPerson() {
    Dataset<Row> rows = usage(
        event("p1", "2026-11-10T09:00:00Z", "u1", "copilot", 5, 1, 2L, "s1", "interactive", "p1", true, 4L, "pr-1"),
        event("e1", "2026-11-16T09:00:00Z", "u1", "cursor", 100, 10, null, "s1", "interactive", "p1", null, null, "pr-1"),
        event("e2", "2026-11-17T09:00:00Z", "u1", "cursor", 200, 20, null, "s2", "interactive", "p2", null, null, null),
        event("e3", "2026-11-17T10:00:00Z", "n1", 70, 7));
    // Sessions, prompts and artifacts are distinct within a week: s1, p1 and pr-1 count in both weeks.
    assertRows(rows.select("week_start", "iso_week", "user_id", "events", "sessions", "total_tokens",
            "cache_read_tokens", "tools_used", "events_with_feedback", "accepted_share", "lines_accepted",
            "artifacts_linked", "distinct_prompts"),
        new Object[] {Date.valueOf(WEEK.minusWeeks(1)), "2026-W46", "u1", 1L, 1L, 6L, 2L, List.of("copilot"), 1L, 1.0,
            4L, 1L, 1L},
        new Object[] {W, "2026-W47", "u1", 2L, 2L, 330L, 0L, List.of("cursor"), 0L, null, 0L, 1L, 2L},
        new Object[] {W, "2026-W47", "n1", 1L, 0L, 77L, 0L, List.of("cursor"), 0L, null, 0L, 0L, 0L});
  }

  @Test
  void theIsoWeekLabelTakesTheYearOfTheWeeksThursday() {
    Dataset<Row> rows = usage(
        // Tuesday 30 December 2025 is in 2026-W01; Friday 1 January 2027 is in 2026-W53.
        event("e1", "2025-12-30T09:00:00Z", "u1", 1, 0),
        event("e2", "2027-01-01T09:00:00Z", "u1", 2, 0),
        event("e3", "2027-01-04T09:00:00Z", "u1", 3, 0));
    assertRows(rows.select("week_start", "iso_week", "total_tokens"),
        new Object[] {Date.valueOf("2025-12-29"), "2026-W01", 1L},
        new Object[] {Date.valueOf("2026-12-28"), "2026-W53", 2L},
        new Object[] {Date.valueOf("2027-01-04"), "2027-W01", 3L});
  }
}
