package io.goodhart.ingest;

import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.goodhart.curated.Fixtures;
import io.goodhart.testing.TestLake;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Which directory person an event counts for (contract section 6): its keys tried in order (directory, email,
 * account, account_id, enduser, installation), each through the identities of its source or of any source valid on the
 * event's UTC day, an email also through the directory's email of that day; unresolved events keep their key.
 */
class PersonResolutionTest {
  private final SparkSession spark = TestLake.spark();

  private static final StructType EVENTS = new StructType()
      .add("event_id", DataTypes.StringType, false)
      .add("event_time", DataTypes.TimestampType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("input_tokens", DataTypes.LongType, false)
      .add("person_keys", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true);

  private static final StructType IDENTITIES = new StructType()
      .add("source", DataTypes.StringType, false)
      .add("source_user_key", DataTypes.StringType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("valid_from", DataTypes.DateType, false)
      .add("valid_to", DataTypes.DateType, true);

  /** An event as ingest stores it: user_id is the first key in order (a stored-before row has no keys: u7). */
  private static Row event(String id, String time, String tool, Map<String, String> keys) {
    String preferred = keys == null ? "u7"
        : List.of("directory", "email", "account", "account_id", "enduser", "installation").stream()
            .filter(keys::containsKey).map(keys::get).findFirst().orElseThrow();
    return RowFactory.create(id, Timestamp.from(Instant.parse(time)), preferred, tool, 10L, keys);
  }

  private static Row identity(String source, String key, String user, String from, String to) {
    return RowFactory.create(source, key, user, Date.valueOf(from), to == null ? null : Date.valueOf(to));
  }

  private Dataset<Row> events(Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), EVENTS);
  }

  private Dataset<Row> identities(Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), IDENTITIES);
  }

  /** u1 has ana@corp.example until 2026-11-17 and then ana.b@corp.example; u2 has no email in the directory. */
  private Dataset<Row> directory() {
    return Fixtures.directory(spark,
            Fixtures.stint("u1", "t1", "Payments", "A", true, "2026-01-01", "2026-11-17"),
            Fixtures.stint("u1", "t1", "Payments", "A", true, "2026-11-18", null),
            Fixtures.stint("u2", "t2", "Search", "A", true, "2026-01-01", null))
        .withColumn("email", when(col("user_id").equalTo("u1").and(col("valid_to").isNotNull()),
                lit("Ana@Corp.example"))
            .when(col("user_id").equalTo("u1"), lit("ana.b@corp.example")));
  }

  private Dataset<Row> resolved(Dataset<Row> events, Dataset<Row> identities) {
    return PersonResolution.resolve(events, identities, directory()).select("event_id", "user_id", "resolved_by");
  }

  @Test
  void anEmailResolvesThroughTheDirectoryStintOfItsDayCaseInsensitively() {
    assertRows(resolved(events(
            event("e1", "2026-11-17T23:30:00Z", "cursor", Map.of("email", "ana@corp.example")),
            // The next UTC day the directory gives u1 another address: the old one no longer resolves.
            event("e2", "2026-11-18T00:30:00Z", "cursor", Map.of("email", "ana@corp.example")),
            event("e3", "2026-11-18T00:30:00Z", "cursor", Map.of("email", "ANA.B@corp.example"))),
            identities()),
        new Object[] {"e1", "u1", "email"},
        new Object[] {"e2", "ana@corp.example", null},
        new Object[] {"e3", "u1", "email"});
  }

  @Test
  void anyKeyResolvesThroughTheIdentitiesOfItsSourceOrOfAnySourceValidOnItsDay() {
    Dataset<Row> identities = identities(
        identity("*", "bo@corp.example", "u2", "2026-11-01", null),
        identity("claude-code", "acct-7", "u2", "2026-11-01", "2026-11-16"),
        identity("claude-code", "acct-7", "u1", "2026-11-17", null),
        // A row of the event's own source wins over one of any source.
        identity("*", "acct-9", "u1", "2026-11-01", null),
        identity("cursor", "acct-9", "u2", "2026-11-01", null),
        // Another source's row does not apply.
        identity("cursor", "acct-5", "u1", "2026-11-01", null));
    assertRows(resolved(events(
            event("e1", "2026-11-16T12:00:00Z", "claude-code", Map.of("email", "Bo@corp.example", "account", "acct-7")),
            event("e2", "2026-11-16T12:00:00Z", "claude-code", Map.of("account", "acct-7")),
            event("e3", "2026-11-17T00:00:00Z", "claude-code", Map.of("account", "acct-7")),
            event("e4", "2026-10-31T23:59:59Z", "claude-code", Map.of("email", "bo@corp.example")),
            event("e5", "2026-11-16T12:00:00Z", "cursor", Map.of("account", "acct-9")),
            event("e6", "2026-11-16T12:00:00Z", "claude-code", Map.of("account", "acct-9")),
            event("e7", "2026-11-16T12:00:00Z", "claude-code", Map.of("account", "acct-5"))),
            identities),
        new Object[] {"e1", "u2", "email"},
        new Object[] {"e2", "u2", "account"},
        new Object[] {"e3", "u1", "account"},
        new Object[] {"e4", "bo@corp.example", null},
        new Object[] {"e5", "u2", "account"},
        new Object[] {"e6", "u1", "account"},
        new Object[] {"e7", "acct-5", null});
  }

  @Test
  void theDailyReportsKeysResolveLikeAnyOtherQsIdentityCenterIdCopilotsLoginOrNumericIdCursorsEmail() {
    Dataset<Row> identities = identities(
        identity("amazon-q", "94482488-3041-7026-18f0-3a8a1e5c0b11", "u2", "2026-11-01", null),
        identity("copilot", "octocat", "u1", "2026-11-01", null),
        // Mapped by the numeric id alone: it stays when the person renames their login.
        identity("copilot", "4421337", "u2", "2026-11-01", null));
    // A daily row is resolved on its day, its time the start of that UTC day.
    assertRows(resolved(events(
            event("q1", "2026-11-17T00:00:00Z", "amazon-q", Map.of("account", "94482488-3041-7026-18f0-3a8a1e5c0b11")),
            event("c1", "2026-11-16T00:00:00Z", "copilot", Map.of("account", "octocat", "account_id", "583231")),
            event("c2", "2026-11-16T00:00:00Z", "copilot", Map.of("account", "mona-renamed", "account_id", "4421337")),
            event("c3", "2026-11-16T00:00:00Z", "copilot", Map.of("account", "hubot", "account_id", "1")),
            event("k1", "2026-11-17T00:00:00Z", "cursor", Map.of("email", "Ana@corp.example"))),
            identities),
        new Object[] {"q1", "u2", "account"},
        new Object[] {"c1", "u1", "account"},
        new Object[] {"c2", "u2", "account_id"},
        new Object[] {"c3", "hubot", null},
        new Object[] {"k1", "u1", "email"});
  }

  @Test
  void keysAreTriedInOrderAndAnInstallationResolvesOnlyThroughAnIdentity() {
    Dataset<Row> identities = identities(
        identity("claude-code", "acct-1", "u2", "2026-11-01", null),
        identity("claude-code", "install-1", "u2", "2026-11-01", null));
    assertRows(resolved(events(
            // The email (u1 through the directory) comes before the account (u2 through identities).
            event("e1", "2026-11-16T12:00:00Z", "claude-code", Map.of("email", "ana@corp.example",
                "account", "acct-1")),
            // An unknown email falls through to the installation's identity.
            event("e2", "2026-11-16T12:00:00Z", "claude-code", Map.of("email", "who@corp.example",
                "installation", "install-1")),
            // An installation id that is also someone's directory id resolves to nobody without an identity.
            event("e3", "2026-11-16T12:00:00Z", "claude-code", Map.of("installation", "u1")),
            event("e4", "2026-11-16T12:00:00Z", "claude-code", Map.of("enduser", "u1"))),
            identities),
        new Object[] {"e1", "u1", "email"},
        new Object[] {"e2", "u2", "installation"},
        new Object[] {"e3", "u1", null},
        new Object[] {"e4", "u1", null});
  }

  @Test
  void withNoIdentitiesAndNoDirectoryEmailNothingResolvesButTheDirectoryKeys() {
    Dataset<Row> out = PersonResolution.resolve(events(
            event("n1", "2026-11-16T12:00:00Z", "cursor", null),
            event("n2", "2026-11-16T12:00:00Z", "cursor", Map.of("directory", "u9", "email", "ana@corp.example")),
            event("e1", "2026-11-16T12:00:00Z", "cursor", Map.of("email", "ana@corp.example"))),
        identities(), Fixtures.directory(spark, Fixtures.stint("u1", "t1", "Payments", "A", true, "2026-01-01", null)));
    assertRows(out.select("event_id", "user_id", "resolved_by"),
        new Object[] {"n1", "u7", "directory"},
        new Object[] {"n2", "u9", "directory"},
        new Object[] {"e1", "ana@corp.example", null});
  }

  @Test
  void nativeEventsKeepTheirDirectoryIdAndEveryOtherColumn() {
    Dataset<Row> events = events(
        event("n1", "2026-11-16T12:00:00Z", "cursor", null),
        event("n2", "2026-11-16T12:00:00Z", "cursor", Map.of("directory", "u9")),
        // A directory key is the id as it is, whatever else the event carries.
        event("n3", "2026-11-16T12:00:00Z", "cursor", Map.of("directory", "u9", "email", "ana@corp.example")));
    Dataset<Row> out = PersonResolution.resolve(events,
        identities(identity("*", "u9", "u1", "2026-01-01", null)), directory());
    assertRows(out.select("event_id", "event_time", "user_id", "tool", "input_tokens", "resolved_by"),
        new Object[] {"n1", Timestamp.from(Instant.parse("2026-11-16T12:00:00Z")), "u7", "cursor", 10L, "directory"},
        new Object[] {"n2", Timestamp.from(Instant.parse("2026-11-16T12:00:00Z")), "u9", "cursor", 10L, "directory"},
        new Object[] {"n3", Timestamp.from(Instant.parse("2026-11-16T12:00:00Z")), "u9", "cursor", 10L, "directory"});
    org.junit.jupiter.api.Assertions.assertEquals(
        List.of("event_id", "event_time", "user_id", "tool", "input_tokens", "person_keys", "resolved_by"),
        Arrays.asList(out.columns()));
  }
}
