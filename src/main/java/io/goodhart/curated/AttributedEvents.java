package io.goodhart.curated;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_utc_timestamp;

import io.goodhart.ingest.PersonResolution;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Events with their reporting-calendar day and week and the team they count for (contract section 4:
 * the stint covering the event's day in the reporting time zone; no stint means team
 * {@value #UNASSIGNED}). Pure: raw events and directory rows in, one row per event out.
 */
public final class AttributedEvents {
  public static final String UNASSIGNED = "unassigned";
  static final LocalDate OPEN_END = LocalDate.of(9999, 12, 31);

  private AttributedEvents() {}

  /** The reporting-zone day of a UTC timestamp column. */
  public static Column localDate(Column utcTimestamp, ZoneId zone) {
    return to_date(from_utc_timestamp(utcTimestamp, zone.getId()));
  }

  /** Monday of the ISO week of a date column (dayofweek: Sunday = 1 ... Saturday = 7). */
  public static Column weekStart(Column date) {
    return date_sub(date, dayofweek(date).plus(5).mod(7));
  }

  /**
   * Adds {@code event_date}, {@code week_start}, {@code team_id}, {@code team_name}, {@code org},
   * {@code is_developer} and {@code time_zone} (the stint's, null when the directory gives none) to every event. Stints of one person never overlap (the directory load
   * rejects that), so each event matches at most one stint.
   */
  public static Dataset<Row> attribute(Dataset<Row> events, Dataset<Row> directory, ZoneId zone) {
    Dataset<Row> dated = events
        .withColumn("event_date", localDate(col("event_time"), zone))
        .withColumn("week_start", weekStart(col("event_date")));
    return toStints(dated, directory);
  }

  /**
   * A person's tokens of the days whose tokens come from the metrics only ({@link TokensCountedOnce} rows
   * with {@code tokens_from} metrics), attributed like events: {@code event_date} (the row's day),
   * {@code week_start}, {@code user_id}, {@code tool}, the tokens, {@code event_time} (the instant the day
   * starts in the reporting zone, so a day orders among the person's requests as its events would) and the
   * team columns of {@link #attribute}.
   */
  public static Dataset<Row> attributeMetricOnlyDays(Dataset<Row> tokensCountedOnce, Dataset<Row> directory,
      ZoneId zone) {
    Dataset<Row> days = tokensCountedOnce.filter(col("tokens_from").equalTo(TokensCountedOnce.METRICS))
        .select(col("day").as("event_date"), col("week_start"), col("user_id"), col("tool"),
            col("input_tokens"), col("output_tokens"), col("cache_read_tokens"),
            to_utc_timestamp(col("day").cast("timestamp"), zone.getId()).as("event_time"));
    return toStints(days, directory);
  }

  /** The columns of {@link #attributeMetricOnlyDays}' rows. */
  static final String[] METRIC_ONLY_COLUMNS = {"event_date", "week_start", "user_id", "tool", "input_tokens",
      "output_tokens", "cache_read_tokens", "event_time", "team_id", "team_name", "org", "is_developer", "time_zone"};

  /** No metric-only day, in the shape of {@link #attributeMetricOnlyDays}: for usage known from requests alone. */
  public static Dataset<Row> noMetricOnlyDays(Dataset<Row> attributed) {
    return attributed.selectExpr(METRIC_ONLY_COLUMNS).limit(0);
  }

  /**
   * The active rows of {@code raw.usage_daily} ({@code active} true), each resolved to its person as an event
   * of its UTC day would be ({@link PersonResolution}, contract section 6) and attributed like an event of
   * reporting day {@code day}: a daily row's UTC day D counts as reporting day D whatever the reporting zone
   * (contract section 4), as a UTC day cannot be split. Rows {@code event_date}, {@code week_start},
   * {@code user_id}, {@code tool}, {@code source} and the team columns of {@link #attribute}.
   */
  public static Dataset<Row> attributeActiveDailyRows(Dataset<Row> daily, Dataset<Row> identities,
      Dataset<Row> directory) {
    Dataset<Row> resolved = resolveDailyRows(daily.filter(col("active")), identities, directory,
        "source", "tool", "user_id", "person_keys", "day");
    return toStints(resolved.select(col("day").as("event_date"), weekStart(col("day")).as("week_start"),
        col("user_id"), col("tool"), col("source")), directory);
  }

  /**
   * Daily report rows, their {@code columns} kept, with their person resolved as a request's
   * ({@link PersonResolution#resolve}): resolution reads a request's id and instant, so the row's natural key and
   * the start of its UTC day stand in.
   */
  public static Dataset<Row> resolveDailyRows(Dataset<Row> daily, Dataset<Row> identities, Dataset<Row> directory,
      String... columns) {
    List<Column> selected = new java.util.ArrayList<>(List.of(
        concat_ws("|", col("source"), col("user_id"), col("day").cast("string")).as("event_id"),
        expr("timestamp_seconds(unix_date(day) * 86400)").as("event_time")));
    for (String c : columns) {
      selected.add(col(c));
    }
    return PersonResolution.resolve(daily.select(selected.toArray(Column[]::new)), identities, directory);
  }

  /** The columns of {@link #attributeActiveDailyRows}' rows. */
  static final String[] DAILY_COLUMNS = {"event_date", "week_start", "user_id", "tool", "source", "team_id",
      "team_name", "org", "is_developer", "time_zone"};

  /** No daily row, in the shape of {@link #attributeActiveDailyRows}: for usage known from requests alone. */
  public static Dataset<Row> noDailyRows(Dataset<Row> attributed) {
    return attributed.select(col("event_date"), col("week_start"), col("user_id"), col("tool"),
        lit(null).cast("string").as("source"), col("team_id"), col("team_name"), col("org"), col("is_developer"),
        col("time_zone")).limit(0);
  }

  private static Dataset<Row> toStints(Dataset<Row> dated, Dataset<Row> directory) {
    Column timeZone = java.util.Arrays.asList(directory.columns()).contains("time_zone")
        ? col("time_zone") : lit(null).cast("string");
    Dataset<Row> stints = directory.select(
        col("user_id").as("_stint_user"), col("team_id").as("_team_id"), col("team_name").as("_team_name"),
        col("org").as("_org"), col("is_developer").as("_is_developer"), col("valid_from").as("_from"),
        coalesce(col("valid_to"), lit(java.sql.Date.valueOf(OPEN_END))).as("_to"), timeZone.as("_time_zone"));
    Column covers = dated.col("user_id").equalTo(stints.col("_stint_user"))
        .and(dated.col("event_date").between(stints.col("_from"), stints.col("_to")));
    return dated.join(broadcast(stints), covers, "left")
        .withColumn("team_id", coalesce(col("_team_id"), lit(UNASSIGNED)))
        .withColumn("team_name", coalesce(col("_team_name"), lit("Unassigned")))
        .withColumn("org", coalesce(col("_org"), lit(UNASSIGNED)))
        .withColumn("is_developer", col("_is_developer"))
        .withColumn("time_zone", col("_time_zone"))
        .drop("_stint_user", "_team_id", "_team_name", "_org", "_is_developer", "_from", "_to", "_time_zone");
  }
}
