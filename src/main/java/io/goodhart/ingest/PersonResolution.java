package io.goodhart.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Resolves the person of each event to a directory id (contract section 6). A source names people by its own
 * keys ({@code person_keys}: type -> key); they are tried in the order of {@link PersonKeys.Type}, and the first
 * that resolves on the event's UTC day decides:
 * <ul>
 *   <li>a {@code directory} key is the directory id itself;</li>
 *   <li>any key resolves through a {@code raw.identities} row of the event's source (its {@code tool}) or of
 *       source {@code *}, valid that day; a row of the source itself wins over a {@code *} one;</li>
 *   <li>an {@code email} key also resolves through the directory's {@code email} of the stint valid that day
 *       (case-insensitively, as email keys match identities too), after the identities;</li>
 *   <li>an {@code installation} key resolves only through an identities row: one person on three machines has
 *       three of them, and nothing else says whose a machine is.</li>
 * </ul>
 * An event no key resolves keeps the source's key as {@code user_id}: it counts under team {@code unassigned},
 * never dropped. Rows stored without {@code person_keys} are of the native contract: their {@code user_id} is
 * the directory id. Pure: events, identities and directory rows in; the events with {@code user_id} resolved
 * and {@code resolved_by} (the key type that resolved it, null when none did) out, one row per event.
 */
public final class PersonResolution {
  /** The column saying which kind of key resolved the person; null for an unresolved event. */
  public static final String RESOLVED_BY = "resolved_by";

  /** The end of a mapping or stint without {@code valid_to}. */
  private static final java.time.LocalDate OPEN_END = java.time.LocalDate.of(9999, 12, 31);

  private PersonResolution() {}

  public static Dataset<Row> resolve(Dataset<Row> events, Dataset<Row> identities, Dataset<Row> directory) {
    boolean hasKeys = Arrays.asList(events.columns()).contains("person_keys");
    if (!hasKeys) {
      return events.withColumn(RESOLVED_BY, lit(PersonKeys.Type.DIRECTORY.column()));
    }
    // Native rows name the directory id and need no lookup: they skip the joins, and so stay as they are.
    Column direct = col("person_keys").isNull()
        .or(element_at(col("person_keys"), lit(PersonKeys.Type.DIRECTORY.column())).isNotNull());
    boolean withEmails = Arrays.asList(directory.columns()).contains("email")
        && !directory.filter(col("email").isNotNull()).isEmpty();
    if (!withEmails && identities.isEmpty()) {
      // Nothing to resolve through (a lake of native events): one pass over the events, not a split and a join.
      return events
          .withColumn("user_id", coalesce(
              element_at(col("person_keys"), lit(PersonKeys.Type.DIRECTORY.column())), col("user_id")))
          .withColumn(RESOLVED_BY, when(direct, lit(PersonKeys.Type.DIRECTORY.column())));
    }
    Dataset<Row> native_ = events.filter(direct)
        .withColumn("user_id", coalesce(
            element_at(col("person_keys"), lit(PersonKeys.Type.DIRECTORY.column())), col("user_id")))
        .withColumn(RESOLVED_BY, lit(PersonKeys.Type.DIRECTORY.column()));
    Dataset<Row> keyed = events.filter(direct.unary_$bang());

    // One row per (event, key), with the key's place in the order and the event's UTC day.
    Column rank = lit(null).cast("int");
    PersonKeys.Type[] types = PersonKeys.Type.values();
    for (int i = types.length - 1; i >= 0; i--) {
      rank = when(col("_type").equalTo(types[i].column()), lit(i)).otherwise(rank);
    }
    Dataset<Row> keys = keyed
        .select(col("event_id").as("_event"), col("tool").as("_tool"), utcDay(col("event_time")).as("_day"),
            expr("explode(person_keys) AS (_type, _key)"))
        .withColumn("_rank", rank)
        .filter(col("_rank").isNotNull().and(col("_key").isNotNull()));

    Column emailType = col("_type").equalTo(PersonKeys.Type.EMAIL.column());
    Dataset<Row> mapped = identities.select(col("source").as("_source"), col("source_user_key").as("_skey"),
        col("user_id").as("_id"), col("valid_from").as("_from"),
        coalesce(col("valid_to"), lit(java.sql.Date.valueOf(OPEN_END))).as("_to"));
    Column keyMatches = when(emailType, lower(col("_key")).equalTo(lower(col("_skey"))))
        .otherwise(col("_key").equalTo(col("_skey")));
    // Specificity: 0 a row of the source itself, 1 a row of any source, 2 the directory's email.
    Dataset<Row> viaIdentities = keys.join(broadcast(mapped), keyMatches
            .and(col("_source").equalTo(col("_tool")).or(col("_source").equalTo(lit("*"))))
            .and(col("_day").between(col("_from"), col("_to"))))
        .select(col("_event"), col("_rank"), when(col("_source").equalTo(lit("*")), lit(1)).otherwise(lit(0))
            .as("_specificity"), col("_id"), col("_type"));

    List<Dataset<Row>> candidates = new ArrayList<>(List.of(viaIdentities));
    if (withEmails) {
      Dataset<Row> emails = directory.filter(col("email").isNotNull()).select(col("user_id").as("_id"),
          lower(col("email")).as("_email"), col("valid_from").as("_from"),
          coalesce(col("valid_to"), lit(java.sql.Date.valueOf(OPEN_END))).as("_to"));
      candidates.add(keys.filter(emailType).join(broadcast(emails), lower(col("_key")).equalTo(col("_email"))
              .and(col("_day").between(col("_from"), col("_to"))))
          .select(col("_event"), col("_rank"), lit(2).as("_specificity"), col("_id"), col("_type")));
    }
    Dataset<Row> all = candidates.stream().reduce(Dataset::unionByName).orElseThrow();
    // The first key in order that resolves, its most specific mapping; a tie (two people for one key, day
    // and specificity: one email in two people's stints, which the directory load does not refuse) goes to
    // the lowest id, so a rerun resolves alike.
    Dataset<Row> chosen = all.groupBy("_event")
        .agg(min(struct(col("_rank"), col("_specificity"), col("_id"), col("_type"))).as("_best"))
        .select(col("_event"), col("_best._id").as("_resolved"), col("_best._type").as("_resolved_by"));

    List<String> columns = Arrays.asList(events.columns());
    Dataset<Row> resolved = keyed.join(chosen, keyed.col("event_id").equalTo(chosen.col("_event")), "left")
        .withColumn("user_id", coalesce(col("_resolved"), col("user_id")))
        .withColumn(RESOLVED_BY, col("_resolved_by"))
        .drop("_event", "_resolved", "_resolved_by");
    List<Column> order = new ArrayList<>(columns.stream().map(org.apache.spark.sql.functions::col).toList());
    order.add(col(RESOLVED_BY));
    return native_.select(order.toArray(Column[]::new)).unionByName(resolved.select(order.toArray(Column[]::new)));
  }

  /** The UTC day of a timestamp, whatever the session time zone. */
  static Column utcDay(Column timestamp) {
    return call_function("date_from_unix_date", floor(unix_seconds(timestamp).divide(86_400)).cast("int"));
  }
}
