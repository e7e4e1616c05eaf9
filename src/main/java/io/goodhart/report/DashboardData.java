package io.goodhart.report;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.lake.LakeTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the dashboard of one ISO week shows, read from the BI views and pseudonymous tables of the
 * curated namespace (never the private one): the same figures a BI tool gets.
 */
public record DashboardData(
    LocalDate week,
    LocalDate snapshotDate,
    String snapshotKind,
    List<Trend> trend,
    List<TeamWeek> teams,
    List<BoardRow> board,
    List<TeamPadding> padding,
    Model model) {

  /** Adoption of the company or an org in one week. */
  public record Trend(LocalDate week, String level, String group, Double rate, Double genuineRate, double target,
      boolean suppressed) {}

  public record TeamWeek(String team, String org, boolean suppressed, String suppression, Long eligible, Long engaged,
      Double rate, double target) {}

  public record BoardRow(int rank, String person, String team, long tokens, int honestRank, long honestTokens,
      int shift, String label, double paddingScore) {}

  public record TeamPadding(String team, String org, boolean suppressed, String suppression, Long tokens,
      Long paddingTokens, Double share, Double costUsd, Double paddingCostUsd) {}

  public record Cluster(int id, String label, long size) {}

  public record Model(String runId, LocalDate logicalDate, int k, double silhouette, long trainingRows,
      List<Cluster> clusters) {}

  static final int TREND_WEEKS = 12;
  static final int BOARD_SIZE = 15;

  /**
   * The statements the dashboard of a week runs, by what they fetch, on the BI views and tables of the
   * curated namespace {@code curated}: the same statements a BI tool may run through {@code goodhart serve}
   * (a test runs each of them there). {@code board} takes the snapshot date as {@code ${snapshot}}.
   */
  public static Map<String, String> queries(String curated, LocalDate week) {
    String w = "DATE '" + week + "'";
    Map<String, String> q = new LinkedHashMap<>();
    q.put("trend", "SELECT week_start, level, coalesce(org, 'company') AS grp, engagement_rate, "
        + "genuine_engagement_rate, target_rate, suppressed FROM " + curated + ".adoption_vs_target "
        + "WHERE level IN ('company', 'org') AND week_start <= " + w + " AND week_start > " + w + " - INTERVAL "
        + (7 * TREND_WEEKS) + " DAYS ORDER BY week_start, level, grp");
    q.put("teams", "SELECT coalesce(team_name, group_key), org, suppressed, suppression, eligible_developers, "
        + "engaged_developers, engagement_rate, target_rate FROM " + curated + ".adoption_vs_target "
        + "WHERE level = 'team' AND week_start = " + w + " ORDER BY org, 1");
    q.put("latest", "SELECT max(snapshot_date), max_by(snapshot_kind, snapshot_date) FROM " + curated
        + ".leaderboard_snapshots WHERE week_start = " + w);
    q.put("board", "SELECT rank, person_id, team_name, total_tokens, honest_rank, honest_tokens, "
        + "honest_rank_shift, label, padding_score FROM " + curated + ".leaderboard_snapshots "
        + "WHERE snapshot_date = DATE '${snapshot}' AND (rank <= " + BOARD_SIZE + " OR honest_rank <= "
        + BOARD_SIZE + ") ORDER BY rank");
    q.put("padding", "SELECT coalesce(team_name, team_id), org, suppressed, suppression, total_tokens, padding_tokens, "
        + "padding_share, estimated_cost_usd, padding_cost_usd FROM " + curated + ".padding_by_team "
        + "WHERE week_start = " + w + " ORDER BY padding_share DESC NULLS LAST, 1");
    q.put("model", "SELECT run_id, logical_date, k, silhouette, training_rows, cluster_id, cluster_label, "
        + "cluster_size FROM " + curated + ".model_health WHERE run_id = (SELECT max_by(run_id, trained_at) FROM "
        + curated + ".model_health WHERE logical_date <= DATE '" + ReportingCalendar.weekEnd(week) + "') "
        + "ORDER BY cluster_id");
    return q;
  }

  public static DashboardData load(SparkSession spark, LakeTables tables, LocalDate week) {
    Map<String, String> q = queries(tables.curatedNamespace(), week);
    List<Trend> trend = new ArrayList<>();
    for (Row r : spark.sql(q.get("trend")).collectAsList()) {
      trend.add(new Trend(r.getDate(0).toLocalDate(), r.getString(1), r.getString(2), dbl(r, 3), dbl(r, 4),
          r.getDouble(5), r.getBoolean(6)));
    }
    List<TeamWeek> teams = new ArrayList<>();
    for (Row r : spark.sql(q.get("teams")).collectAsList()) {
      teams.add(new TeamWeek(r.getString(0), r.getString(1), r.getBoolean(2), r.getString(3), lng(r, 4), lng(r, 5),
          dbl(r, 6), r.getDouble(7)));
    }
    Row latest = spark.sql(q.get("latest")).first();
    LocalDate snapshot = latest.isNullAt(0) ? null : latest.getDate(0).toLocalDate();
    List<BoardRow> board = new ArrayList<>();
    if (snapshot != null) {
      for (Row r : spark.sql(q.get("board").replace("${snapshot}", snapshot.toString())).collectAsList()) {
        board.add(new BoardRow(r.getInt(0), r.getString(1), r.getString(2), r.getLong(3), r.getInt(4), r.getLong(5),
            r.getInt(6), r.getString(7), r.getDouble(8)));
      }
    }
    List<TeamPadding> padding = new ArrayList<>();
    for (Row r : spark.sql(q.get("padding")).collectAsList()) {
      padding.add(new TeamPadding(r.getString(0), r.getString(1), r.getBoolean(2), r.getString(3), lng(r, 4),
          lng(r, 5), dbl(r, 6), dbl(r, 7), dbl(r, 8)));
    }
    return new DashboardData(week, snapshot, latest.isNullAt(1) ? null : latest.getString(1), trend, teams, board,
        padding, model(spark, q.get("model")));
  }

  /** The latest model run for a night up to the week's end. */
  private static Model model(SparkSession spark, String query) {
    List<Row> rows = spark.sql(query).collectAsList();
    if (rows.isEmpty()) {
      return null;
    }
    List<Cluster> clusters = new ArrayList<>();
    rows.forEach(r -> clusters.add(new Cluster(r.getInt(5), r.getString(6), r.getLong(7))));
    Row first = rows.get(0);
    return new Model(first.getString(0), first.getDate(1).toLocalDate(), first.getInt(2), first.getDouble(3),
        first.getLong(4), clusters);
  }

  private static Double dbl(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
  }

  private static Long lng(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).longValue();
  }
}
