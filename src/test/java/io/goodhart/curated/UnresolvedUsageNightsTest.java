package io.goodhart.curated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.lake.LakeTables;
import io.goodhart.nightly.NightlyRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Usage no person key resolves: a changed identity recomputes the weeks it spans, and a lake that never had
 * the unresolved usage gets every week of it on its next night.
 */
class UnresolvedUsageNightsTest extends CuratedNights {
  @Test
  void aChangedIdentityRecomputesTheWeeksItSpansThoughNoEventOrStintChanged() throws Exception {
    LakeTables tables = lake("identity_change");
    nightly(tables, SUN, MON, true);
    // A telemetry source that names people by email: its Sunday request resolves to nobody yet.
    spark.table(tables.usageEvents()).where("event_id = 's1'")
        .withColumn("event_id", org.apache.spark.sql.functions.lit("otlp-1"))
        .withColumn("tool", org.apache.spark.sql.functions.lit("claude-code"))
        .withColumn("user_id", org.apache.spark.sql.functions.lit("Dev@corp.example"))
        .withColumn("person_keys", org.apache.spark.sql.functions.expr("map('email', 'Dev@corp.example')"))
        .writeTo(tables.usageEvents()).append();
    nightly(tables, TUE, TUE, false);
    LocalDate week46 = LocalDate.of(2026, 11, 9);
    assertEquals(List.of("Dev@corp.example", "u1"), spark.table(tables.userWeeklyUsage())
        .where("week_start = DATE '" + week46 + "'").orderBy("user_id").collectAsList().stream()
        .map(r -> r.<String>getAs("user_id")).toList(), "unresolved, the request counts under its email");
    assertEquals(List.of("[claude-code,1,1,1]", "[copilot,1,0,0]"), unresolved(tables, week46));
    assertEquals(List.of("[claude-code,false,1,1,1]", "[copilot,false,1,0,0]"), spark.sql("SELECT tool, suppressed, "
            + "events, unresolved_events, unresolved_keys FROM " + tables.biCopyOf(tables.unresolvedWeeklyUsage())
            + " WHERE week_start = DATE '" + week46 + "' ORDER BY tool").collectAsList().stream().map(Row::toString)
        .toList(), "published as it is: suppression is off in these lakes");

    Path identities = dir.resolve("identities.csv");
    Files.writeString(identities, "source,source_user_key,user_id,valid_from,valid_to\n"
        + "claude-code,dev@corp.example,u4,2026-01-01,\n");
    new NightlyRunner(spark, tables, config(tables), line -> { })
        .run(new NightlyRunner.Options(WED, WED, null, directoryCsv.toString(), identities.toString()));
    assertEquals(List.of("u1", "u4"), spark.table(tables.userWeeklyUsage())
        .where("week_start = DATE '" + week46 + "'").orderBy("user_id").collectAsList().stream()
        .map(r -> r.<String>getAs("user_id")).toList(), "week 46 is outside Wednesday's week, yet recomputed");
    assertEquals(1L, teamWeek(spark, tables, week46, "t2").<Long>getAs("engaged_developers"),
        "u4 of Search now counts as engaged in week 46");
    assertEquals(List.of("[claude-code,1,0,0]", "[copilot,1,0,0]"), unresolved(tables, week46),
        "resolved as of the night that recomputed the week");
  }

  /** tool, events, unresolved_events and unresolved_keys of a week of the private unresolved usage. */
  private List<String> unresolved(LakeTables tables, LocalDate week) {
    return spark.sql("SELECT tool, events, unresolved_events, unresolved_keys FROM " + tables.unresolvedWeeklyUsage()
        + " WHERE week_start = DATE '" + week + "' ORDER BY tool").collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void aLakeWhoseUnresolvedUsageWasNeverWrittenGetsEveryWeekOfItOnTheNextRun() {
    LakeTables tables = lake("unresolved_new");
    nightly(tables, SUN, TUE, true);
    List<String> everyWeek = content(spark, tables.unresolvedWeeklyUsage());
    assertEquals(2, spark.table(tables.unresolvedWeeklyUsage()).select("week_start").distinct().count());
    // A lake of the release before the table: the table is created empty by the next job that opens the lake.
    spark.sql("DROP TABLE " + tables.unresolvedWeeklyUsage() + " PURGE");
    LakeTables upgraded = new LakeTables(spark, tables.config());
    upgraded.ensureCreated();
    assertEquals(0L, spark.table(upgraded.unresolvedWeeklyUsage()).count());

    nightly(upgraded, WED, WED, false);
    assertEquals(everyWeek, content(spark, upgraded.unresolvedWeeklyUsage()),
        "week 46 had no change since the last run, yet it is written");
  }
}
