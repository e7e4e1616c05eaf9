package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
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
  protected Dataset<Row> compute(Inputs in) {
    Dataset<Row> verdicts = in.read(tables.usageClassification())
        .filter(col("week_start").isin(in.weeks().stream().map(Date::valueOf).toArray()));
    return LeaderboardSnapshot.compute(in.attributed(), snapshotDates(in), verdicts);
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

  @Override
  protected List<String> audit(Dataset<Row> staged, Inputs in) {
    List<String> findings = new ArrayList<>();
    List<Row> snapshots = staged.groupBy("snapshot_date", "week_start").agg(
        count(lit(1)), countDistinct("user_id"), min("rank"), max("rank"), sum("total_tokens"), sum("events"))
        .collectAsList();
    for (Row s : snapshots) {
      LocalDate date = s.getDate(0).toLocalDate();
      LocalDate week = s.getDate(1).toLocalDate();
      String label = "snapshot " + date;
      long rows = s.getLong(2);
      if (rows != s.getLong(3)) {
        findings.add(label + ": " + (rows - s.getLong(3)) + " user(s) ranked twice");
      }
      if (s.getInt(4) != 1 || s.getInt(5) != rows) {
        findings.add(label + ": ranks run from " + s.getInt(4) + " to " + s.getInt(5) + " for " + rows + " users");
      }
      reconcile(findings, label + " total tokens", week, s.getLong(6), in.raw().tokens(week, date));
      reconcile(findings, label + " events", week, s.getLong(7), in.raw().events(week, date));
    }
    if (in.raw().events(ReportingCalendar.weekStart(in.date()), in.date()) > 0
        && snapshots.stream().noneMatch(s -> s.getDate(0).toLocalDate().equals(in.date()))) {
      findings.add("snapshot " + in.date() + " is missing although its week has events");
    }
    return findings;
  }
}
