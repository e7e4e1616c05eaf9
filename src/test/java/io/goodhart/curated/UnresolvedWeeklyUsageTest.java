package io.goodhart.curated;

import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.goodhart.ingest.PersonResolution;
import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * curated_private.unresolved_weekly_usage on hand-made weeks (ISO 2026-W47 and W48): per week and tool, the
 * requests no person key resolved and their distinct keys, beside all of the tool's requests, with the people
 * resolved as every curated job resolves them ({@link PersonResolution}).
 */
class UnresolvedWeeklyUsageTest {
  private final SparkSession spark = TestLake.spark();

  private static final StructType EVENTS = new StructType()
      .add("event_id", DataTypes.StringType, false)
      .add("event_time", DataTypes.TimestampType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("person_keys", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true);

  private static final StructType IDENTITIES = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("source_user_key", DataTypes.StringType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("valid_from", DataTypes.DateType, false)
      .add("valid_to", DataTypes.DateType, true);

  /** A request as ingest stores it from a source that names people by a key: user_id is that key. */
  private static Row keyed(String id, String time, String tool, String type, String key) {
    return RowFactory.create(id, Timestamp.from(Instant.parse(time)), key, tool, Map.of(type, key));
  }

  /** A request of the native contract: user_id is the directory id, and there are no keys. */
  private static Row nativeRequest(String id, String time, String user) {
    return RowFactory.create(id, Timestamp.from(Instant.parse(time)), user, "goodhart", null);
  }

  /** u1 has ana@corp.example in the directory; u2 has no email there. */
  private Dataset<Row> directory() {
    return Fixtures.directory(spark,
            Fixtures.stint("u1", "t1", "Payments", "A", true, "2026-01-01", null),
            Fixtures.stint("u2", "t2", "Search", "A", true, "2026-01-01", null))
        .withColumn("email", when(col("user_id").equalTo("u1"), lit("ana@corp.example")));
  }

  private Dataset<Row> unresolvedUsage(Row... events) {
    Dataset<Row> identities = spark.createDataFrame(Arrays.asList(
        RowFactory.create("claude-code", "install-2", "u2", Date.valueOf("2026-01-01"), null)), IDENTITIES);
    Dataset<Row> resolved = PersonResolution.resolve(spark.createDataFrame(Arrays.asList(events), EVENTS), identities,
        directory());
    return UnresolvedWeeklyUsage.compute(AttributedEvents.attribute(resolved, directory(), ZoneId.of("UTC")));
  }

  @Test
  void eachToolsWeekCountsItsUnresolvedRequestsAndKeysBesideAllItsRequests() {
    Date w47 = Date.valueOf("2026-11-16");
    Date w48 = Date.valueOf("2026-11-23");
    assertRows(unresolvedUsage(
            // Resolved: an email the directory gives u1 (case-insensitively), an installation with an identity row.
            keyed("c1", "2026-11-16T09:00:00Z", "claude-code", "email", "Ana@corp.example"),
            keyed("c2", "2026-11-17T09:00:00Z", "claude-code", "installation", "install-2"),
            // Unresolved: an email nobody has (twice: one key), an installation user.id without an identity row.
            keyed("c3", "2026-11-17T10:00:00Z", "claude-code", "email", "contractor@vendor.example"),
            keyed("c4", "2026-11-18T10:00:00Z", "claude-code", "email", "contractor@vendor.example"),
            keyed("c5", "2026-11-18T11:00:00Z", "claude-code", "installation", "install-9"),
            // Native requests name the directory id: never unresolved, even for an id in no stint.
            nativeRequest("n1", "2026-11-17T09:00:00Z", "u1"),
            nativeRequest("n2", "2026-11-17T10:00:00Z", "left-the-company"),
            // The next week, the same unknown email from another tool counts there.
            keyed("k1", "2026-11-23T09:00:00Z", "cursor", "email", "contractor@vendor.example"),
            keyed("k2", "2026-11-24T09:00:00Z", "cursor", "email", "ana@corp.example")),
        new Object[] {w47, "2026-W47", "claude-code", 5L, 3L, 2L},
        new Object[] {w47, "2026-W47", "goodhart", 2L, 0L, 0L},
        new Object[] {w48, "2026-W48", "cursor", 2L, 1L, 1L});
  }
}
