package io.goodhart.curated;

import static io.goodhart.curated.Fixtures.stint;
import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.lake.LakeConfig;
import io.goodhart.testing.TestLake;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * curated.user_weekly_features on hand-made weeks (mostly Mon 2026-11-16 .. Sun 2026-11-22, ISO 2026-W47):
 * every feature as its comment in sql/curated_private/user_weekly_features.sql defines it, including the value it
 * takes when it is undefined. Expected doubles are written with the same Java arithmetic Spark performs.
 */
class UserWeeklyFeaturesTest {
  private static final Date W = Date.valueOf("2026-11-16");
  private static final ZoneId UTC = ZoneId.of("UTC");
  private final SparkSession spark = TestLake.spark();

  /**
   * The raw columns the features read, with the ones Fixtures.EVENTS lacks (event_offset_minutes,
   * task_type, duration_ms).
   */
  private static final StructType EVENTS = new StructType()
      .add("event_id", DataTypes.StringType, false)
      .add("event_time", DataTypes.TimestampType, false)
      .add("event_offset_minutes", DataTypes.IntegerType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("input_tokens", DataTypes.LongType, false)
      .add("output_tokens", DataTypes.LongType, false)
      .add("cache_read_tokens", DataTypes.LongType, true)
      .add("session_id", DataTypes.StringType, true)
      .add("task_type", DataTypes.StringType, true)
      .add("trigger", DataTypes.StringType, false)
      .add("prompt_fingerprint", DataTypes.StringType, true)
      .add("duration_ms", DataTypes.LongType, true)
      .add("accepted", DataTypes.BooleanType, true)
      .add("lines_accepted", DataTypes.LongType, true)
      .add("artifact_id", DataTypes.StringType, true);

  /**
   * A request as the emitter wrote it: event_time with the UTC offset of the developer's clock, which
   * becomes event_offset_minutes as at ingestion. By default an interactive request of u1, 100 in and
   * 10 out, with no optional field.
   */
  private static Ev ev(String id, String time) {
    return new Ev(id, time);
  }

  private static final class Ev {
    private final String id;
    private final OffsetDateTime time;
    private String user = "u1";
    private long in = 100;
    private long out = 10;
    private String session;
    private String task;
    private String trigger = "interactive";
    private String prompt;
    private Boolean accepted;
    private Long lines;
    private String artifact;

    Ev(String id, String time) {
      this.id = id;
      this.time = OffsetDateTime.parse(time);
    }

    Ev user(String u) { user = u; return this; }
    Ev tokens(long i, long o) { in = i; out = o; return this; }
    Ev session(String s) { session = s; return this; }
    Ev task(String t) { task = t; return this; }
    Ev trigger(String t) { trigger = t; return this; }
    Ev prompt(String p) { prompt = p; return this; }
    Ev accepted(Boolean a) { accepted = a; return this; }
    Ev lines(long n) { lines = n; return this; }
    Ev artifact(String a) { artifact = a; return this; }

    Row row() {
      return RowFactory.create(id, Timestamp.from(time.toInstant()), time.getOffset().getTotalSeconds() / 60, user,
          "cursor", in, out, null, session, task, trigger, prompt, null, accepted, lines, artifact);
    }
  }

  private Dataset<Row> directory() {
    return Fixtures.directory(spark,
        stint("u1", "t1", "Payments", "A", true, "2026-01-01", null),
        stint("u2", "t2", "Search", "A", true, "2026-01-01", null),
        stint("u3", "t2", "Search", "A", true, "2026-01-01", "2026-11-17"),
        stint("u3", "t1", "Payments", "A", true, "2026-11-18", null));
  }

  private Dataset<Row> features(ZoneId zone, Ev... events) {
    Dataset<Row> raw = spark.createDataFrame(Arrays.stream(events).map(Ev::row).toList(), EVENTS);
    return UserWeeklyFeatures.compute(AttributedEvents.attribute(raw, directory(), zone), zone);
  }

  private Dataset<Row> features(Ev... events) {
    return features(UTC, events);
  }

  private static Dataset<Row> select(Dataset<Row> rows, String... names) {
    return rows.select(Arrays.stream(names).map(c -> col(c)).toArray(Column[]::new));
  }

  // ---------------------------------------------------------------------------------------------------
  // Shape

  @Test
  void theColumnsAreTheKeysVolumeAndTheSixteenFeaturesInOrder() {
    assertEquals(List.of("log_tokens_per_request", "output_input_ratio", "prompt_repeat_share",
        "distinct_prompt_ratio", "automated_share", "interval_cv", "off_hours_share", "weekend_share",
        "cutoff_token_share", "acceptance_rate", "feedback_share", "lines_per_1k_tokens", "artifacts_per_1k_tokens",
        "session_artifact_share", "low_value_task_share", "log_session_depth", "unkept_repeat_share"),
        UserWeeklyFeatures.FEATURES);
    StructType schema = features(ev("e1", "2026-11-17T10:00:00Z")).schema();
    List<String> names = new ArrayList<>(List.of("week_start", "iso_week", "user_id", "team_id", "events",
        "total_tokens"));
    names.addAll(UserWeeklyFeatures.FEATURES);
    assertEquals(names, Arrays.asList(schema.fieldNames()));
    List<String> types = new ArrayList<>(List.of("date", "string", "string", "string", "bigint", "bigint"));
    UserWeeklyFeatures.FEATURES.forEach(f -> types.add("double"));
    assertEquals(types, Arrays.stream(schema.fields()).map(f -> f.dataType().simpleString()).toList());
  }

  @Test
  void theRowsFitTheTableTheDdlCreates() throws Exception {
    String ddl;
    try (InputStream in = getClass().getResourceAsStream("/sql/curated_private/user_weekly_features.sql")) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    LakeConfig config = TestLake.freshConfig("user_weekly_features");
    String namespace = config.catalog() + "." + config.privateNamespace();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace);
    spark.sql(ddl.replace("${curated_private}", namespace).trim().replaceAll(";$", ""));
    String table = namespace + ".user_weekly_features";

    Dataset<Row> rows = features(
        ev("e1", "2026-11-17T10:00:00+01:00").prompt("p1").session("s1").accepted(true).lines(4).artifact("pr-1"),
        ev("e2", "2026-11-21T10:00:00Z").user("u2").tokens(0, 0));
    rows.writeTo(table).append();

    StructType written = spark.table(table).schema();
    assertEquals(Arrays.asList(rows.schema().fieldNames()), Arrays.asList(written.fieldNames()));
    assertEquals(Arrays.stream(rows.schema().fields()).map(f -> f.dataType()).toList(),
        Arrays.stream(written.fields()).map(StructField::dataType).toList());
    assertEquals(UserWeeklyFeatures.LOCAL_CLOCK,
        Arrays.stream(written.fields()).filter(StructField::nullable).map(StructField::name).toList(),
        "every column of the table is NOT NULL but those of the local clock, unknown when the local time is");
    assertEquals(2L, spark.table(table).count());
  }

  // ---------------------------------------------------------------------------------------------------
  // Keys and volume

  @Test
  void aWeekCarriesItsKeysTheTeamOfItsLastEventAndTokensPerRequest() {
    Dataset<Row> rows = features(
        // u3 moved from Search (t2) to Payments (t1) on Wednesday 18 November.
        ev("e1", "2026-11-16T09:00:00Z").user("u3").tokens(300, 60),
        ev("e2", "2026-11-19T09:00:00Z").user("u3").tokens(100, 40),
        // No input at all: the ratio divides by 1, not by 0.
        ev("e3", "2026-11-17T09:00:00Z").user("u2").tokens(0, 50));
    assertRows(select(rows, "week_start", "iso_week", "user_id", "team_id", "events", "total_tokens",
            "log_tokens_per_request", "output_input_ratio"),
        new Object[] {W, "2026-W47", "u3", "t1", 2L, 500L, Math.log1p(500 / 2.0), 100 / 400.0},
        new Object[] {W, "2026-W47", "u2", "t2", 1L, 50L, Math.log1p(50 / 1.0), 50 / 1.0});
  }

  @Test
  void eachWeekIsItsOwnRowAndNothingCarriesAcrossWeeks() {
    Dataset<Row> rows = features(
        // W46: two requests; p1 and s1 are used again in W47, which does not make them repeated there.
        ev("a1", "2026-11-12T09:00:00Z").prompt("p1").session("s1"),
        ev("a2", "2026-11-13T09:00:00Z").prompt("p2").session("s1"),
        // W47: two requests, so interval_cv stays 1.0 although the user made four in a row.
        ev("b1", "2026-11-16T09:00:00Z").prompt("p1").session("s1"),
        ev("b2", "2026-11-17T09:00:00Z").prompt("p3").session("s2"));
    assertRows(select(rows, "week_start", "iso_week", "events", "prompt_repeat_share", "distinct_prompt_ratio",
            "interval_cv", "log_session_depth"),
        new Object[] {Date.valueOf("2026-11-09"), "2026-W46", 2L, 0.0, 1.0, 1.0, Math.log1p(2 / 1.0)},
        new Object[] {W, "2026-W47", 2L, 0.0, 1.0, 1.0, Math.log1p(2 / 2.0)});
  }

  // ---------------------------------------------------------------------------------------------------
  // Repetition

  @Test
  void promptRepetitionCountsOnlyRequestsThatHaveAFingerprint() {
    Dataset<Row> rows = features(
        // p1 three times, p2 once, one request without a fingerprint (left out of both ratios).
        ev("e1", "2026-11-16T09:00:00Z").prompt("p1"),
        ev("e2", "2026-11-16T10:00:00Z").prompt("p1"),
        ev("e3", "2026-11-17T09:00:00Z").prompt("p2"),
        ev("e4", "2026-11-18T09:00:00Z").prompt("p1"),
        ev("e5", "2026-11-18T10:00:00Z"),
        // u2 never sends a fingerprint: nothing repeated, every prompt (vacuously) distinct.
        ev("f1", "2026-11-16T09:00:00Z").user("u2"),
        ev("f2", "2026-11-16T10:00:00Z").user("u2"));
    assertRows(select(rows, "user_id", "prompt_repeat_share", "distinct_prompt_ratio"),
        new Object[] {"u1", 3 / 4.0, 2 / 4.0},
        new Object[] {"u2", 0.0, 1.0});
  }

  @Test
  void unkeptRepeatsAreRepeatedPromptsWhoseOutputWasNotKeptOverAllRequests() {
    Dataset<Row> rows = features(
        // p1 three times: kept once, rejected once, no feedback once (not kept); p2 once; one without a prompt.
        ev("e1", "2026-11-16T09:00:00Z").prompt("p1").accepted(true),
        ev("e2", "2026-11-16T10:00:00Z").prompt("p1").accepted(false),
        ev("e3", "2026-11-17T09:00:00Z").prompt("p1"),
        ev("e4", "2026-11-18T09:00:00Z").prompt("p2").accepted(false),
        ev("e5", "2026-11-18T10:00:00Z"));
    assertRows(select(rows, "user_id", "prompt_repeat_share", "unkept_repeat_share"),
        new Object[] {"u1", 3 / 4.0, 2 / 5.0});
  }

  @Test
  void automatedShareCountsScheduledAndAutomationTriggers() {
    Dataset<Row> rows = features(
        ev("e1", "2026-11-16T09:00:00Z").trigger("interactive"),
        ev("e2", "2026-11-16T10:00:00Z").trigger("scheduled"),
        ev("e3", "2026-11-16T11:00:00Z").trigger("automation"),
        ev("e4", "2026-11-16T12:00:00Z").trigger("interactive"),
        ev("e5", "2026-11-16T13:00:00Z").trigger("scheduled"),
        ev("f1", "2026-11-16T09:00:00Z").user("u2"));
    assertRows(select(rows, "user_id", "automated_share"),
        new Object[] {"u1", 3 / 5.0},
        new Object[] {"u2", 0.0});
  }

  // ---------------------------------------------------------------------------------------------------
  // Timers

  @Test
  void aTimerLoopHasNoVariationInItsGaps() {
    // Every 600 s exactly, delivered out of order: gaps are taken in event_time order.
    Dataset<Row> rows = features(
        ev("e3", "2026-11-17T02:20:00Z"),
        ev("e1", "2026-11-17T02:00:00Z"),
        ev("e4", "2026-11-17T02:30:00Z"),
        ev("e2", "2026-11-17T02:10:00Z"));
    assertRows(select(rows, "user_id", "interval_cv"), new Object[] {"u1", 0.0});
  }

  @Test
  void intervalCvIsThePopulationStandardDeviationOfTheGapsOverTheirMean() {
    Dataset<Row> rows = features(
        // Gaps 60 s and 180 s: mean 120, deviations -60 and +60, population sd 60, cv 60 / 120.
        ev("e1", "2026-11-17T09:00:00Z"),
        ev("e2", "2026-11-17T09:01:00Z"),
        ev("e3", "2026-11-17T09:04:00Z"),
        // Gaps 60, 120, 300: mean 160, squared deviations 10000, 1600, 19600, variance 31200 / 3 = 10400.
        ev("f1", "2026-11-17T09:00:00Z").user("u2"),
        ev("f2", "2026-11-17T09:01:00Z").user("u2"),
        ev("f3", "2026-11-17T09:03:00Z").user("u2"),
        ev("f4", "2026-11-17T09:08:00Z").user("u2"),
        // Two requests at the same instant (ordered by event_id) make a gap of 0: gaps 0, 60, 60,
        // mean 40, squared deviations 1600, 400, 400, variance 2400 / 3 = 800.
        ev("g2", "2026-11-17T09:00:00Z").user("u3"),
        ev("g1", "2026-11-17T09:00:00Z").user("u3"),
        ev("g3", "2026-11-17T09:01:00Z").user("u3"),
        ev("g4", "2026-11-17T09:02:00Z").user("u3"));
    assertRows(select(rows, "user_id", "interval_cv"),
        new Object[] {"u1", 60 / 120.0},
        new Object[] {"u2", Math.sqrt(10400.0) / 160},
        new Object[] {"u3", Math.sqrt(800.0) / 40});
  }

  @Test
  void withoutEnoughGapsIntervalCvIsThatOfRandomArrivals() {
    Dataset<Row> rows = features(
        // Two requests: one gap, no variation to measure.
        ev("e1", "2026-11-17T09:00:00Z"),
        ev("e2", "2026-11-17T09:10:00Z"),
        // One request: no gap at all.
        ev("f1", "2026-11-17T09:00:00Z").user("u2"),
        // Three requests at one instant: mean gap 0.
        ev("g1", "2026-11-17T09:00:00Z").user("u3"),
        ev("g2", "2026-11-17T09:00:00Z").user("u3"),
        ev("g3", "2026-11-17T09:00:00Z").user("u3"));
    assertRows(select(rows, "user_id", "interval_cv"),
        new Object[] {"u1", 1.0},
        new Object[] {"u2", 1.0},
        new Object[] {"u3", 1.0});
  }

  // ---------------------------------------------------------------------------------------------------
  // Off-hours, weekend and the weekly cut-off

  @Test
  void offHoursAndWeekendFollowTheDevelopersLocalClock() {
    Dataset<Row> rows = features(
        ev("a", "2026-11-17T07:59:00+01:00"), // Tuesday 07:59 local: off-hours
        ev("b", "2026-11-17T08:00:00+01:00"), // 08:00: working hours (07:00 UTC would not be)
        ev("c", "2026-11-17T18:59:59+01:00"), // 18:59:59: working hours
        ev("d", "2026-11-17T19:00:00+01:00"), // 19:00: off-hours
        ev("e", "2026-11-20T22:00:00-05:00"), // Friday 22:00 local (Saturday in UTC): off-hours, not weekend
        ev("f", "2026-11-21T10:00:00+01:00"), // Saturday 10:00 local: weekend, so off-hours
        ev("g", "2026-11-22T01:00:00+09:00"), // Sunday 01:00 local (Saturday in UTC): weekend
        ev("h", "2026-11-18T16:00:00+09:00")); // Wednesday 16:00 local, 07:00 UTC: working hours
    assertRows(select(rows, "user_id", "events", "off_hours_share", "weekend_share"),
        new Object[] {"u1", 8L, 5 / 8.0, 2 / 8.0});
  }

  @Test
  void theLocalClockIsThePersonsTimeZoneElseTheEventsOffsetElseUnknown() {
    Dataset<Row> raw = spark.createDataFrame(Stream.of(
            // u1 works in Paris (the directory says so): the zone wins over the offset the event carries.
            ev("a", "2026-11-17T18:30:00Z"), // Tuesday 19:30 in Paris: off-hours, though 18:30 UTC is not
            ev("b", "2026-11-17T10:00:00Z"), // Tuesday 11:00 in Paris: working hours
            // u2 has no time zone in the directory: the offset the emitter wrote is the clock.
            ev("c", "2026-11-20T22:00:00-05:00").user("u2"), // Friday 22:00 local: off-hours, not weekend
            // u3 has neither (a UTC-only source): unknown, not UTC, whose Saturday 10:00 would be weekend.
            ev("d", "2026-11-21T10:00:00Z").user("u3"))
        .map(Ev::row).toList(), EVENTS)
        .withColumn("event_offset_minutes", org.apache.spark.sql.functions.when(col("user_id").notEqual("u3"),
            col("event_offset_minutes")));
    Dataset<Row> zoned = directory().withColumn("time_zone",
        org.apache.spark.sql.functions.when(col("user_id").equalTo("u1"), "Europe/Paris"));
    Dataset<Row> rows = UserWeeklyFeatures.compute(AttributedEvents.attribute(raw, zoned, UTC), UTC);
    assertRows(select(rows, "user_id", "events", "off_hours_share", "weekend_share"),
        new Object[] {"u1", 2L, 1 / 2.0, 0.0},
        new Object[] {"u2", 1L, 1.0, 0.0},
        new Object[] {"u3", 1L, null, null});
  }

  @Test
  void cutoffTokenShareIsTheWeeksTokensFromSaturdayMidnightInTheReportingZone() {
    ZoneId newYork = ZoneId.of("America/New_York");
    Dataset<Row> rows = features(newYork,
        // Monday in New York: before the cut-off window.
        ev("e1", "2026-11-16T10:00:00-05:00").tokens(400, 0),
        // Friday 23:59:59 in New York, written by a developer whose clock says Saturday 05:59:59: outside.
        ev("e2", "2026-11-21T05:59:59+01:00").tokens(100, 0),
        // Saturday 00:00 in New York (same developer clock, 06:00): inside.
        ev("e3", "2026-11-21T06:00:00+01:00").tokens(250, 50),
        // Sunday 23:59 in New York (Monday 04:59 UTC): still this week, inside.
        ev("e4", "2026-11-22T23:59:00-05:00").tokens(150, 50),
        // No tokens at all in the week: 0.0, not undefined.
        ev("f1", "2026-11-21T12:00:00-05:00").user("u2").tokens(0, 0));
    assertRows(select(rows, "week_start", "user_id", "total_tokens", "cutoff_token_share"),
        new Object[] {W, "u1", 1000L, (300 + 200) / 1000.0},
        new Object[] {W, "u2", 0L, 0.0});
  }

  // ---------------------------------------------------------------------------------------------------
  // Output kept and artifacts

  @Test
  void acceptanceRateIsOverRequestsWithFeedbackAndFeedbackShareTellsNoFeedbackFromNothingKept() {
    Dataset<Row> rows = features(
        ev("e1", "2026-11-17T09:00:00Z").accepted(true),
        ev("e2", "2026-11-17T10:00:00Z").accepted(false),
        ev("e3", "2026-11-17T11:00:00Z").accepted(true),
        ev("e4", "2026-11-17T12:00:00Z"),
        // No feedback given at all.
        ev("f1", "2026-11-17T09:00:00Z").user("u2"),
        ev("f2", "2026-11-17T10:00:00Z").user("u2"),
        // Feedback given, nothing kept.
        ev("g1", "2026-11-17T09:00:00Z").user("u3").accepted(false),
        ev("g2", "2026-11-17T10:00:00Z").user("u3").accepted(false));
    assertRows(select(rows, "user_id", "acceptance_rate", "feedback_share"),
        new Object[] {"u1", 2 / 3.0, 3 / 4.0},
        new Object[] {"u2", 0.0, 0.0},
        new Object[] {"u3", 0.0, 1.0});
  }

  @Test
  void linesAndArtifactsArePerThousandTokensOnALogScale() {
    Dataset<Row> rows = features(
        // 2000 tokens, 15 lines kept, 2 distinct artifacts (pr-1 twice).
        ev("e1", "2026-11-17T09:00:00Z").tokens(900, 100).lines(12).artifact("pr-1"),
        ev("e2", "2026-11-17T10:00:00Z").tokens(400, 100).lines(3).artifact("pr-1"),
        ev("e3", "2026-11-17T11:00:00Z").tokens(450, 50).artifact("pr-2"),
        ev("e4", "2026-11-17T12:00:00Z").tokens(0, 0).lines(0),
        // 1100 tokens, nothing kept, no artifact.
        ev("f1", "2026-11-17T09:00:00Z").user("u2").tokens(1000, 100),
        // Lines and an artifact but no tokens: 0.0, not infinite.
        ev("g1", "2026-11-17T09:00:00Z").user("u3").tokens(0, 0).lines(5).artifact("pr-9"));
    assertRows(select(rows, "user_id", "total_tokens", "lines_per_1k_tokens", "artifacts_per_1k_tokens"),
        new Object[] {"u1", 2000L, Math.log1p(15 / (2000 / 1000.0)), Math.log1p(2 / (2000 / 1000.0))},
        new Object[] {"u2", 1100L, 0.0, 0.0},
        new Object[] {"u3", 0L, 0.0, 0.0});
  }

  @Test
  void sessionFeaturesCountDistinctSessionsAndIgnoreRequestsWithoutOne() {
    Dataset<Row> rows = features(
        // Sessions s1 (an artifact on one request), s2 (none), s3 (an artifact); 5 requests in sessions.
        ev("e1", "2026-11-17T09:00:00Z").session("s1").artifact("pr-1"),
        ev("e2", "2026-11-17T09:05:00Z").session("s1"),
        ev("e3", "2026-11-17T10:00:00Z").session("s2"),
        ev("e4", "2026-11-17T11:00:00Z").session("s3"),
        ev("e5", "2026-11-17T11:05:00Z").session("s3").artifact("pr-2"),
        // Outside any session: its artifact makes no session productive, and it adds no depth.
        ev("e6", "2026-11-17T12:00:00Z").artifact("pr-3"),
        // No session at all.
        ev("f1", "2026-11-17T09:00:00Z").user("u2").artifact("pr-4"));
    assertRows(select(rows, "user_id", "session_artifact_share", "log_session_depth"),
        new Object[] {"u1", 2 / 3.0, Math.log1p(5 / 3.0)},
        new Object[] {"u2", 0.0, 0.0});
  }

  @Test
  void lowValueTasksAreEmailTriageSummarizationAndOther() {
    Dataset<Row> rows = features(
        ev("e1", "2026-11-17T09:00:00Z").task("email_triage"),
        ev("e2", "2026-11-17T10:00:00Z").task("summarization"),
        ev("e3", "2026-11-17T11:00:00Z").task("other"),
        ev("e4", "2026-11-17T12:00:00Z").task("code_generation"),
        ev("e5", "2026-11-17T13:00:00Z"),
        ev("e6", "2026-11-17T14:00:00Z").task("debugging"),
        // Only a missing task type: not low-value.
        ev("f1", "2026-11-17T09:00:00Z").user("u2"));
    assertRows(select(rows, "user_id", "low_value_task_share"),
        new Object[] {"u1", 3 / 6.0},
        new Object[] {"u2", 0.0});
  }

  // ---------------------------------------------------------------------------------------------------
  // Non-null

  @Test
  void everyFeatureHasAValueForASingleBareRequest() {
    // Only the required fields: no fingerprint, feedback, lines, artifact, session or task type.
    Dataset<Row> rows = features(ev("e1", "2026-11-17T10:00:00Z").tokens(120, 30));
    Column anyNull = UserWeeklyFeatures.FEATURES.stream().map(f -> col(f).isNull()).reduce(Column::or).orElseThrow();
    assertEquals(0L, rows.filter(anyNull).count());
    assertRows(select(rows, Stream.concat(Stream.of("user_id"), UserWeeklyFeatures.FEATURES.stream())
            .toArray(String[]::new)),
        new Object[] {"u1",
            Math.log1p(150 / 1.0), // log_tokens_per_request
            30 / 120.0,            // output_input_ratio
            0.0,                   // prompt_repeat_share: no fingerprint
            1.0,                   // distinct_prompt_ratio: no fingerprint
            0.0,                   // automated_share
            1.0,                   // interval_cv: fewer than 3 requests
            0.0,                   // off_hours_share: Tuesday 10:00
            0.0,                   // weekend_share
            0.0,                   // cutoff_token_share: Tuesday
            0.0,                   // acceptance_rate: no feedback
            0.0,                   // feedback_share
            0.0,                   // lines_per_1k_tokens: log1p(0)
            0.0,                   // artifacts_per_1k_tokens: log1p(0)
            0.0,                   // session_artifact_share: no session
            0.0,                   // low_value_task_share: no task type
            0.0,                   // log_session_depth: no session
            0.0});                 // unkept_repeat_share: no fingerprint
  }
}
