package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.curated.EngagementJob;
import io.goodhart.curated.LeaderboardJob;
import io.goodhart.curated.UserUsageJob;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.generate.EmitFormat;
import io.goodhart.generate.GeneratorConfig;
import io.goodhart.generate.UsageGenerator;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same synthetic population delivered in the native contract, as a Claude Code OpenTelemetry export and as
 * Cursor usage-event pages gives the same curated figures, to the unit, for every figure the formats carry:
 * engagement per team, org and company, each person's requests, tokens, active days and first and last request of
 * the week, and the raw leaderboard. What the vendor formats do not carry (task type, trigger, accepted, lines,
 * artifacts, prompt fingerprints, the local offset; sessions for Cursor; the native tool name) is not compared.
 * People the directory does not know keep their source key (an email) as their id, so the person-level
 * comparison is of the directory's people, and the team-level one covers everyone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveredFormatsTest {
  private static final LocalDate MONDAY = LocalDate.of(2026, 10, 5);
  private static final LocalDate SUNDAY = MONDAY.plusDays(6);
  private final SparkSession spark = TestLake.spark();
  private final Map<EmitFormat, LakeTables> lakes = new java.util.EnumMap<>(EmitFormat.class);

  @BeforeAll
  void deliverThePopulationInEachFormat(@TempDir Path tmp) throws IOException {
    for (EmitFormat format : EmitFormat.values()) {
      if (format.daily()) { // no requests: DailyEmitEngagementTest compares their engagement
        continue;
      }
      Path out = tmp.resolve(format.cliName());
      new UsageGenerator().generate(GeneratorConfig.builder().out(out).seed(23).users(40).weeks(1).start(MONDAY)
          .emit(format).build());
      LakeConfig config = TestLake.freshConfig("formats_" + format.cliName().replace('-', '_'))
          .with(Map.of(LakeConfig.SUPPRESS_SMALL_GROUPS, "false"));
      LakeTables tables = new LakeTables(spark, config);
      new DirectoryLoadJob(spark, tables, line -> { }).run(out.resolve(UsageGenerator.DIRECTORY_FILE).toString());
      IngestLedger ledger = new IngestJob(spark, tables, line -> { }).run(new IngestJob.Config(
          out.resolve(UsageGenerator.EVENTS_DIR).toString(), null, false, false, format.cliName()));
      assertTrue(ledger.balances(), format + ": " + ledger.describe());
      new UserUsageJob(spark, tables, config, line -> { }).run(SUNDAY);
      new EngagementJob(spark, tables, config, line -> { }).run(SUNDAY);
      new LeaderboardJob(spark, tables, config, line -> { }).run(SUNDAY);
      lakes.put(format, tables);
    }
  }

  private List<Row> rows(EmitFormat format, String sql) {
    LakeTables tables = lakes.get(format);
    return spark.sql(sql.replace("{usage}", tables.userWeeklyUsage())
            .replace("{engagement}", tables.teamWeeklyEngagement())
            .replace("{board}", tables.leaderboardSnapshots()))
        .collectAsList();
  }

  private void sameAsNative(String what, String sql, EmitFormat... formats) {
    List<Row> expected = rows(EmitFormat.GOODHART, sql);
    assertTrue(expected.size() > 5, what + ": the native lake has figures to compare (" + expected.size() + " rows)");
    for (EmitFormat format : formats) {
      assertEquals(expected, rows(format, sql), what + " delivered as " + format.cliName());
    }
  }

  @Test
  void engagementPerTeamOrgAndCompanyIsTheSameWhateverTheFormat() {
    sameAsNative("team_weekly_engagement", "SELECT week_start, level, group_key, eligible_developers, "
        + "engaged_developers, active_people, engagement_rate, events, input_tokens, output_tokens, "
        + "coalesce(cache_read_tokens, 0), total_tokens, active_days FROM {engagement} ORDER BY level, group_key",
        EmitFormat.OTLP, EmitFormat.CURSOR_EVENTS);
  }

  @Test
  void eachPersonsWeekIsTheSameWhateverTheFormat() {
    String columns = "week_start, user_id, team_id, events, input_tokens, output_tokens, total_tokens, "
        + "coalesce(cache_read_tokens, 0), active_days, first_event_at, last_event_at";
    sameAsNative("user_weekly_usage", "SELECT " + columns + " FROM {usage} WHERE team_id <> 'unassigned' "
        + "ORDER BY user_id", EmitFormat.OTLP, EmitFormat.CURSOR_EVENTS);
    sameAsNative("user_weekly_usage sessions", "SELECT user_id, sessions FROM {usage} WHERE team_id <> 'unassigned' "
        + "ORDER BY user_id", EmitFormat.OTLP);
  }

  @Test
  void theRawLeaderboardIsTheSameWhateverTheFormat() {
    sameAsNative("leaderboard_snapshots", "SELECT snapshot_date, rank, user_id, total_tokens, events FROM {board} "
        + "WHERE team_id <> 'unassigned' ORDER BY snapshot_date, rank", EmitFormat.OTLP, EmitFormat.CURSOR_EVENTS);
  }
}
