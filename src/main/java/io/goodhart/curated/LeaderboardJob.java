package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import io.goodhart.audit.Audit;
import io.goodhart.audit.ScopeCheck;
import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart leaderboard}: writes the run date's snapshot to {@code curated.leaderboard_snapshots}
 * ({@link LeaderboardSnapshot}). Every snapshot already kept for a recomputed week is recomputed too,
 * so late events and runs in any order converge on the same history.
 */
public class LeaderboardJob extends CuratedJob {
  public static final String NAME = "leaderboard";

  public LeaderboardJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    super(spark, tables, config, progress, NAME, tables.leaderboardSnapshots());
  }

  @Override
  protected boolean countsMetricOnlyTokens() {
    return true;
  }

  @Override
  protected Dataset<Row> compute(Inputs in) {
    Dataset<Row> verdicts = in.read(tables.usageClassification())
        .filter(col("week_start").isin(in.weeks().stream().map(Date::valueOf).toArray()));
    return LeaderboardSnapshot.compute(in.attributed(), in.metricOnlyDays(), snapshotDates(in), verdicts);
  }

  /** The snapshot dates of the weeks written: those kept already, and the run's own date. */
  private List<LocalDate> snapshotDates(Inputs in) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    in.read(tables.leaderboardSnapshots())
        .filter(col("week_start").isin(in.weeks().stream().map(Date::valueOf).toArray()))
        .select("snapshot_date").distinct().collectAsList()
        .forEach(r -> dates.add(r.getDate(0).toLocalDate()));
    dates.add(in.date());
    return List.copyOf(dates);
  }

  /**
   * Each snapshot staged, and the run date's when its week has events: one rank per user, ranks from 1 to
   * the number of users, and its tokens (counted once: requests' and metric-only days') and events those of raw
   * from the week's start to the snapshot date.
   */
  @Override
  protected Audit audit(Inputs in) {
    return Audit.of().perScope("snapshot_date", List.of(in.date()), LocalDate::toString, List.of(
        ScopeCheck.uniqueWithin("one rank per user", "user_id",
            (date, twice) -> "snapshot " + date + ": " + twice + " user(s) ranked twice"),
        ScopeCheck.ranks("ranks run from 1 to the number of users", "rank",
            (date, lowest, highest, rows) -> "snapshot " + date + ": ranks run from " + lowest + " to " + highest
                + " for " + rows + " users"),
        snapshotReconcile("total tokens", sum("total_tokens"), in.raw()::tokens),
        snapshotReconcile("events", sum("events"), in.raw()::events),
        ScopeCheck.present("the run date's snapshot is present",
            date -> date.equals(in.date()) && in.raw().events(ReportingCalendar.weekStart(date), date) > 0,
            date -> "snapshot " + date + " is missing although its week has events")));
  }

  /** A snapshot's figure equals raw's from its week's start to its date, when it has rows. */
  private static ScopeCheck snapshotReconcile(String what, org.apache.spark.sql.Column staged, RawFigure raw) {
    return ScopeCheck.reconcile(what,
        date -> "snapshot " + date + " " + what + " for week " + ReportingCalendar.weekLabel(ReportingCalendar.weekStart(date)),
        staged, date -> raw.between(ReportingCalendar.weekStart(date), date)).onlyWhereStaged();
  }
}
