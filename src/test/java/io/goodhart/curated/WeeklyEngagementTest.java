package io.goodhart.curated;

import static io.goodhart.curated.Fixtures.event;
import static io.goodhart.curated.Fixtures.stint;
import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Contract section 4 on a hand-made week (Mon 2026-11-16 .. Sun 2026-11-22) and the week before:
 * a mid-week team change, non-developers, a leaver, a team with nobody eligible, unassigned people;
 * then padding verdicts and model prices on the same people.
 */
class WeeklyEngagementTest {
  private static final LocalDate WEEK = LocalDate.of(2026, 11, 16);
  private static final Date W = Date.valueOf(WEEK);
  private final SparkSession spark = TestLake.spark();

  private static final StructType VERDICTS = new StructType()
      .add("week_start", DataTypes.DateType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("label", DataTypes.StringType, false)
      .add("padding_score", DataTypes.DoubleType, false);

  private Dataset<Row> verdicts(Row... rows) {
    return spark.createDataFrame(List.of(rows), VERDICTS);
  }

  private static Row verdict(LocalDate week, String user, String label, double score) {
    return RowFactory.create(Date.valueOf(week), user, label, score);
  }

  /** The fixtures' events carry no model: unpriced, so the default price applies. */
  private static Dataset<Row> withoutModel(Dataset<Row> events) {
    return events.withColumn("model", lit(null).cast("string"));
  }

  private Dataset<Row> bundledPrices() {
    return ModelPrices.load(spark, ModelPrices.BUNDLED);
  }

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
    Dataset<Row> attributed = AttributedEvents.attribute(withoutModel(events()), directory(), zone);
    return WeeklyEngagement.compute(attributed, directory(), verdicts(), bundledPrices(), List.of(WEEK),
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
  void activePeopleCountEveryoneWithAnEventDevelopersOrNotAndAreTheSizeOfTheUnassignedGroup() {
    Dataset<Row> rows = compute(ZoneId.of("UTC"), LocalDate.of(2026, 11, 22));
    assertRows(rows.select("level", "group_key", "active_people"),
        // t1: u1, u3 (before the move) and the non-developer m1; unassigned: u5 after leaving, and x9.
        new Object[] {"team", "t1", 3L},
        new Object[] {"team", "t2", 1L},
        new Object[] {"team", "t3", 0L},
        new Object[] {"team", "t4", 1L},
        new Object[] {"team", "unassigned", 2L},
        new Object[] {"org", "A", 3L},
        new Object[] {"org", "B", 1L},
        new Object[] {"org", "unassigned", 2L},
        new Object[] {"company", "all", 6L});
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
    Dataset<Row> attributed = AttributedEvents.attribute(withoutModel(shifted), directory(),
        ZoneId.of("America/New_York"));
    Dataset<Row> rows = WeeklyEngagement.compute(attributed, directory(), verdicts(), bundledPrices(),
        List.of(WEEK.minusWeeks(1), WEEK),
        new WeeklyEngagement.Settings(0.5, 3, WEEK)).where("level = 'team' AND group_key = 't1'");
    assertRows(rows.select("week_start", "events", "total_tokens", "engaged_developers", "week_status"),
        new Object[] {Date.valueOf(WEEK.minusWeeks(1)), 1L, 11L, 1L, "final"},
        new Object[] {W, 1L, 22L, 1L, "week_to_date"});
  }

  @Test
  void aWeekWithoutAnyEventStillReportsItsEligibleTeams() {
    LocalDate empty = LocalDate.of(2026, 12, 7);
    Dataset<Row> attributed = AttributedEvents.attribute(withoutModel(events()), directory(), ZoneId.of("UTC"));
    Dataset<Row> rows = WeeklyEngagement.compute(attributed, directory(), verdicts(), bundledPrices(), List.of(empty),
        new WeeklyEngagement.Settings(0.5, 3, empty.plusDays(6)));
    assertRows(rows.select("level", "group_key", "eligible_developers", "engaged_developers", "engagement_rate",
            "events", "total_tokens", "engaged_developers_change"),
        new Object[] {"team", "t1", 2L, 0L, 0.0, 0L, 0L, 0L},
        new Object[] {"team", "t2", 2L, 0L, 0.0, 0L, 0L, 0L},
        new Object[] {"org", "A", 4L, 0L, 0.0, 0L, 0L, 0L},
        new Object[] {"company", "all", 4L, 0L, 0.0, 0L, 0L, 0L});
  }

  @Test
  void withoutVerdictsEveryEngagedDeveloperIsGenuineAndNothingIsPadding() {
    Dataset<Row> rows = compute(ZoneId.of("UTC"), LocalDate.of(2026, 11, 22));
    assertRows(rows.select("level", "group_key", "genuine_engaged_developers", "genuine_engagement_rate",
            "padding_tokens", "padding_cost_usd"),
        new Object[] {"team", "t1", 2L, 2.0 / 3, 0L, 0.0},
        new Object[] {"team", "t2", 1L, 0.5, 0L, 0.0},
        new Object[] {"team", "t3", 0L, 0.0, 0L, 0.0},
        new Object[] {"team", "t4", 0L, null, 0L, 0.0},
        new Object[] {"team", "unassigned", 0L, null, 0L, 0.0},
        new Object[] {"org", "A", 2L, 0.5, 0L, 0.0},
        new Object[] {"org", "B", 0L, 0.0, 0L, 0.0},
        new Object[] {"org", "unassigned", 0L, null, 0L, 0.0},
        new Object[] {"company", "all", 2L, 0.4, 0L, 0.0});
  }

  // Padding and cost. Prices per million tokens (in, out, cache read), chosen so that the unweighted
  // costs are exact in binary: big 4 / 8 / 1, small 0.5 / 1 / 0.25, default 1 / 2 / 0.5.
  private static final StructType PRICES = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("input_usd_per_mtok", DataTypes.DoubleType, false)
      .add("output_usd_per_mtok", DataTypes.DoubleType, false)
      .add("cache_read_usd_per_mtok", DataTypes.DoubleType, false);

  private Dataset<Row> prices() {
    return spark.createDataFrame(List.of(
        RowFactory.create("default", 1.0, 2.0, 0.5),
        RowFactory.create("big", 4.0, 8.0, 1.0),
        RowFactory.create("small", 0.5, 1.0, 0.25)), PRICES);
  }

  /**
   * u1 pads (0.9), u3 is genuine (0.1) and changes team on Wednesday, u2 has no verdict this week (a
   * padding verdict of the week before must not count), u4 has a padding verdict but no events.
   * Event cost in millionths of a dollar = in x price + out x price + cache x price:
   * a1 1000x4 + 100x8 + 400x1 = 5200; a2 (unlisted model, default) 2x1 + 1x2 = 4; a2b (null model,
   * default) 1x1 + 2x2 = 5; a3 (null) 200x1 + 20x2 + 100x0.5 = 290; a5 100x0.5 + 10x1 + 8x0.25 = 62;
   * a4 30x4 + 3x8 = 144; a6 (unlisted, default) 10x1 = 10. Nobody has an event in t4 and nobody there is
   * eligible, so t4 has no row.
   */
  private Dataset<Row> paddingWeek() {
    Dataset<Row> events = Fixtures.events(spark,
        event("a1", "2026-11-16T09:00:00Z", "u1", "cursor", 1000, 100, 400L, null, "interactive", null, null, null,
            null),
        event("a2", "2026-11-17T09:00:00Z", "u1", 2, 1),
        event("a2b", "2026-11-17T09:30:00Z", "u1", 1, 2),
        event("a3", "2026-11-17T10:00:00Z", "u3", "cursor", 200, 20, 100L, null, "interactive", null, null, null, null),
        event("a5", "2026-11-18T09:00:00Z", "u2", "cursor", 100, 10, 8L, null, "interactive", null, null, null, null),
        event("a4", "2026-11-19T09:00:00Z", "u3", 30, 3),
        event("a6", "2026-11-21T09:00:00Z", "x9", 10, 0));
    Dataset<Row> withModel = events.withColumn("model",
        when(col("event_id").isin("a1", "a4"), lit("big"))
            .when(col("event_id").equalTo("a5"), lit("small"))
            .when(col("event_id").isin("a2", "a6"), lit("not-in-the-price-list"))
            .otherwise(lit(null).cast("string")));
    Dataset<Row> attributed = AttributedEvents.attribute(withModel, directory(), ZoneId.of("UTC"));
    Dataset<Row> verdicts = verdicts(
        verdict(WEEK, "u1", "padding", 0.9),
        verdict(WEEK, "u3", "genuine", 0.1),
        verdict(WEEK, "u4", "padding", 0.8),
        verdict(WEEK.minusWeeks(1), "u2", "padding", 1.0));
    return WeeklyEngagement.compute(attributed, directory(), verdicts, prices(), List.of(WEEK),
        new WeeklyEngagement.Settings(0.5, 3, LocalDate.of(2026, 11, 22)));
  }

  @Test
  void genuineEngagedDevelopersLeaveOutPaddedPersonWeeksAndCountEachPersonOnce() {
    assertRows(paddingWeek().select("level", "group_key", "eligible_developers", "engaged_developers",
            "genuine_engaged_developers", "genuine_engagement_rate"),
        // u1 padded; u2 has no verdict this week (the week before does not count) and is genuine; so is u3.
        new Object[] {"team", "t1", 3L, 3L, 2L, 2.0 / 3},
        // u4's padding verdict changes nothing: u4 has no event, so is not engaged at all.
        new Object[] {"team", "t2", 2L, 1L, 1L, 0.5},
        new Object[] {"team", "t3", 1L, 0L, 0L, 0.0},
        new Object[] {"team", "unassigned", 0L, 0L, 0L, null},
        // u3 is genuine in both t1 and t2 and counts once in org A and the company.
        new Object[] {"org", "A", 4L, 3L, 2L, 0.5},
        new Object[] {"org", "B", 1L, 0L, 0L, 0.0},
        new Object[] {"org", "unassigned", 0L, 0L, 0L, null},
        new Object[] {"company", "all", 5L, 3L, 2L, 0.4});
  }

  @Test
  void paddingTokensAndCostsWeighEachEventByItsPersonWeekScore() {
    // padding_tokens is the rounded sum: t1 = round(1100 x 0.9 + 3 x 0.9 + 3 x 0.9 + 220 x 0.1 + 110 x 0)
    // = round(1017.4) = 1017 (rounding each event would give 1018); t2 = round(33 x 0.1) = 3; org A and
    // the company round their own sum 1020.7 to 1021, one more than t1 + t2.
    // padding_cost_usd is compared to 9 decimals: weights like 0.9 are not exact in binary.
    assertRows(paddingWeek().select(col("level"), col("group_key"), col("padding_tokens"),
            col("estimated_cost_usd"), functions.round(col("padding_cost_usd"), 9).as("padding_cost_usd")),
        // cost 5200 + 4 + 5 + 290 + 62 = 5561; padding 0.9 x (5200 + 4 + 5) + 0.1 x 290 = 4717.1
        new Object[] {"team", "t1", 1017L, 0.005561, 0.0047171},
        // cost 144; padding 0.1 x 144 = 14.4
        new Object[] {"team", "t2", 3L, 0.000144, 0.0000144},
        new Object[] {"team", "t3", 0L, 0.0, 0.0},
        // x9 is in no stint and has no verdict: priced at the default, no padding.
        new Object[] {"team", "unassigned", 0L, 0.00001, 0.0},
        new Object[] {"org", "A", 1021L, 0.005705, 0.0047315},
        new Object[] {"org", "B", 0L, 0.0, 0.0},
        new Object[] {"org", "unassigned", 0L, 0.00001, 0.0},
        new Object[] {"company", "all", 1021L, 0.005715, 0.0047315});
  }

  @Test
  void paddingColumnsSitBetweenTheWeekOverWeekChangesAndTheWeekStatus() {
    List<String> columns = List.of(paddingWeek().columns());
    int at = columns.indexOf("total_tokens_change");
    org.junit.jupiter.api.Assertions.assertEquals(List.of("total_tokens_change", "genuine_engaged_developers",
        "genuine_engagement_rate", "padding_tokens", "estimated_cost_usd", "padding_cost_usd", "week_status"),
        columns.subList(at, columns.size()));
  }
}
