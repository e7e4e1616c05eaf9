package io.goodhart.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;

import io.goodhart.lake.LakeTables;
import io.goodhart.lake.SqlText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The peer comparison of {@code goodhart bench}: the lake's raw events, daily rows and directory exported as Parquet,
 * then one week's team engagement and raw leaderboard ({@code sql/bench/*.sql}) computed from that Parquet
 * by DuckDB (in-process, over JDBC) and by plain Spark SQL, each timed, and each checked row for row
 * against what goodhart's curated jobs published for the week. A difference fails the run: timings of
 * engines that disagree compare nothing.
 */
final class PeerComparison {
  static final String ENGAGEMENT_SQL = "sql/bench/team_engagement.sql";
  static final String LEADERBOARD_SQL = "sql/bench/raw_leaderboard.sql";

  /** Seconds per engine and query, and how many rows each engine's answer had to match. */
  record Timings(double exportSeconds, double duckdbEngagement, double duckdbLeaderboard, double sparkEngagement,
      double sparkLeaderboard, long rowsCompared) {}

  /** DuckDB or Spark SQL and goodhart disagree about the week: the comparison would be unfair, so the bench stops. */
  static final class PeerMismatchException extends IllegalStateException {
    PeerMismatchException(String message) {
      super(message);
    }
  }

  private final SparkSession spark;
  private final LakeTables tables;
  private final ZoneId zone;
  private final Path workDir;

  PeerComparison(SparkSession spark, LakeTables tables, ZoneId zone, Path workDir) {
    this.spark = spark;
    this.tables = tables;
    this.zone = zone;
    this.workDir = workDir.toAbsolutePath();
  }

  Timings run(LocalDate weekStart) {
    long start = System.nanoTime();
    Path events = workDir.resolve("usage_events");
    Path directory = workDir.resolve("developer_directory");
    Path daily = workDir.resolve("usage_daily");
    export(events, directory, daily);
    double exportSeconds = (System.nanoTime() - start) / 1e9;

    Map<String, String> week = Map.of("week_start", weekStart.toString(), "week_end", weekStart.plusDays(6).toString(),
        "next_week", weekStart.plusWeeks(1).toString());
    String engagementSql = SqlText.bind(resource(ENGAGEMENT_SQL), week);
    String leaderboardSql = SqlText.bind(resource(LEADERBOARD_SQL), week);
    Answer goodhartEngagement = goodhartEngagement(weekStart);
    Answer goodhartLeaderboard = goodhartLeaderboard(weekStart.plusDays(6));

    Answer duckEngagement;
    Answer duckLeaderboard;
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
      s.execute("CREATE VIEW bench_events AS SELECT * FROM read_parquet('" + glob(events) + "')");
      s.execute("CREATE VIEW bench_directory AS SELECT * FROM read_parquet('" + glob(directory) + "')");
      s.execute("CREATE VIEW bench_daily AS SELECT * FROM read_parquet('" + glob(daily) + "')");
      s.executeQuery("SELECT 1").close(); // loads the native library outside the timings
      duckEngagement = duck(s, engagementSql, Answer.ENGAGEMENT);
      duckLeaderboard = duck(s, leaderboardSql, Answer.LEADERBOARD);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed on the exported week: " + e.getMessage(), e);
    }

    spark.read().parquet(events.toString()).createOrReplaceTempView("bench_events");
    spark.read().parquet(directory.toString()).createOrReplaceTempView("bench_directory");
    spark.read().parquet(daily.toString()).createOrReplaceTempView("bench_daily");
    Answer sparkEngagement;
    Answer sparkLeaderboard;
    try {
      sparkEngagement = spark(engagementSql, Answer.ENGAGEMENT);
      sparkLeaderboard = spark(leaderboardSql, Answer.LEADERBOARD);
    } finally {
      spark.catalog().dropTempView("bench_events");
      spark.catalog().dropTempView("bench_directory");
      spark.catalog().dropTempView("bench_daily");
    }

    List<String> differences = new ArrayList<>();
    differences.addAll(goodhartEngagement.differences("DuckDB team engagement", duckEngagement));
    differences.addAll(goodhartLeaderboard.differences("DuckDB raw leaderboard", duckLeaderboard));
    differences.addAll(goodhartEngagement.differences("Spark SQL team engagement", sparkEngagement));
    differences.addAll(goodhartLeaderboard.differences("Spark SQL raw leaderboard", sparkLeaderboard));
    if (goodhartEngagement.rows().isEmpty() || goodhartLeaderboard.rows().isEmpty()) {
      differences.add("goodhart published no engagement or leaderboard rows for the week of " + weekStart);
    }
    if (!differences.isEmpty()) {
      throw new PeerMismatchException("the peer engines and goodhart disagree about the week of " + weekStart + ":\n  "
          + String.join("\n  ", differences));
    }
    return new Timings(exportSeconds, duckEngagement.seconds(), duckLeaderboard.seconds(), sparkEngagement.seconds(),
        sparkLeaderboard.seconds(), goodhartEngagement.rows().size() + goodhartLeaderboard.rows().size());
  }

  /**
   * The lake's raw rows as Parquet, as another engine would get them: every column of raw.usage_events,
   * with event_time as the reporting time zone's wall clock (a timestamp without zone, which both
   * engines read the same way), the directory's stints, and the daily rows (their UTC day is the reporting
   * day, so they need no zone).
   */
  private void export(Path events, Path directory, Path daily) {
    Dataset<Row> raw = spark.table(tables.usageEvents());
    Column[] columns = java.util.Arrays.stream(raw.columns())
        .map(c -> c.equals("event_time")
            ? from_utc_timestamp(col(c), zone.getId()).cast("timestamp_ntz").as(c)
            : c.equals("ingested_at") ? col(c).cast("timestamp_ntz").as(c) : col(c))
        .toArray(Column[]::new);
    raw.select(columns).write().mode("overwrite").parquet(events.toString());
    spark.table(tables.developerDirectory())
        .select("user_id", "team_id", "team_name", "org", "is_developer", "valid_from", "valid_to")
        .write().mode("overwrite").parquet(directory.toString());
    spark.table(tables.usageDaily()).select("user_id", "tool", "day", "active")
        .write().mode("overwrite").parquet(daily.toString());
  }

  private Answer goodhartEngagement(LocalDate weekStart) {
    List<Row> rows = spark.table(tables.teamWeeklyEngagement())
        .filter(col("week_start").equalTo(lit(java.sql.Date.valueOf(weekStart))).and(col("level").equalTo("team")))
        .select("team_id", "eligible_developers", "engaged_developers", "engagement_rate", "events", "total_tokens")
        .orderBy("team_id")
        .collectAsList();
    return Answer.of(Answer.ENGAGEMENT, rows.stream().map(Answer::cells).toList(), 0);
  }

  private Answer goodhartLeaderboard(LocalDate snapshotDate) {
    List<Row> rows = spark.table(tables.leaderboardSnapshots())
        .filter(col("snapshot_date").equalTo(lit(java.sql.Date.valueOf(snapshotDate))))
        .select("rank", "user_id", "total_tokens", "events")
        .orderBy("rank")
        .collectAsList();
    return Answer.of(Answer.LEADERBOARD, rows.stream().map(Answer::cells).toList(), 0);
  }

  private static Answer duck(Statement s, String sql, String kinds) throws SQLException {
    long start = System.nanoTime();
    List<List<Object>> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return Answer.of(kinds, rows, (System.nanoTime() - start) / 1e9);
  }

  private Answer spark(String sql, String kinds) {
    long start = System.nanoTime();
    List<Row> rows = spark.sql(sql).collectAsList();
    double seconds = (System.nanoTime() - start) / 1e9;
    return Answer.of(kinds, rows.stream().map(Answer::cells).toList(), seconds);
  }

  private static String glob(Path dir) {
    return dir.resolve("*.parquet").toString().replace("'", "''");
  }

  private static String resource(String name) {
    try (InputStream in = PeerComparison.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One engine's result, each row normalised to text by column kind ({@code s} string, {@code i}
   * integer of any width, {@code d} double to 12 significant digits), so answers of different engines and
   * JDBC types compare exactly.
   */
  record Answer(List<String> rows, double seconds) {
    static final String ENGAGEMENT = "siidii";
    static final String LEADERBOARD = "isii";

    static List<Object> cells(Row row) {
      List<Object> out = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        out.add(row.get(i));
      }
      return out;
    }

    static Answer of(String kinds, List<List<Object>> rows, double seconds) {
      List<String> text = new ArrayList<>(rows.size());
      for (List<Object> row : rows) {
        if (row.size() != kinds.length()) {
          throw new IllegalStateException("expected " + kinds.length() + " columns, got " + row.size() + ": " + row);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          b.append(i == 0 ? "" : " | ").append(normalise(kinds.charAt(i), row.get(i)));
        }
        text.add(b.toString());
      }
      return new Answer(text, seconds);
    }

    private static String normalise(char kind, Object value) {
      if (value == null) {
        return "null";
      }
      return switch (kind) {
        case 'i' -> new BigDecimal(value.toString()).toBigIntegerExact().toString();
        case 'd' -> String.format(Locale.ROOT, "%.12g", ((Number) value).doubleValue());
        default -> value.toString();
      };
    }

    /** What differs from the other engine's answer (this one being goodhart's), at most a few lines. */
    List<String> differences(String what, Answer other) {
      if (rows.equals(other.rows)) {
        return List.of();
      }
      Set<String> missing = new LinkedHashSet<>(rows);
      other.rows.forEach(missing::remove);
      Set<String> extra = new LinkedHashSet<>(other.rows);
      rows.forEach(extra::remove);
      List<String> out = new ArrayList<>();
      out.add(String.format("%s: %,d rows, goodhart has %,d; %,d of goodhart's rows missing, %,d rows goodhart lacks%s",
          what, other.rows.size(), rows.size(), missing.size(), extra.size(),
          missing.isEmpty() && extra.isEmpty() ? " (same rows, another order)" : ""));
      missing.stream().limit(3).forEach(r -> out.add("  goodhart only: " + r));
      extra.stream().limit(3).forEach(r -> out.add("  " + what.split(" ")[0] + " only: " + r));
      return out;
    }
  }
}
