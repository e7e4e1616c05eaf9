package io.goodhart.curated;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Hand-made raw events and directory stints for the curated transformations' specifications. */
public final class Fixtures {
  private Fixtures() {}

  public static final StructType EVENTS = new StructType()
      .add("event_id", DataTypes.StringType, false)
      .add("event_time", DataTypes.TimestampType, false)
      .add("user_id", DataTypes.StringType, false)
      .add("tool", DataTypes.StringType, false)
      .add("input_tokens", DataTypes.LongType, false)
      .add("output_tokens", DataTypes.LongType, false)
      .add("cache_read_tokens", DataTypes.LongType, true)
      .add("session_id", DataTypes.StringType, true)
      .add("trigger", DataTypes.StringType, false)
      .add("prompt_fingerprint", DataTypes.StringType, true)
      .add("accepted", DataTypes.BooleanType, true)
      .add("lines_accepted", DataTypes.LongType, true)
      .add("artifact_id", DataTypes.StringType, true);

  public static final StructType DIRECTORY = new StructType()
      .add("user_id", DataTypes.StringType, false)
      .add("team_id", DataTypes.StringType, false)
      .add("team_name", DataTypes.StringType, false)
      .add("org", DataTypes.StringType, false)
      .add("manager_id", DataTypes.StringType, true)
      .add("is_developer", DataTypes.BooleanType, false)
      .add("valid_from", DataTypes.DateType, false)
      .add("valid_to", DataTypes.DateType, true);

  /** An interactive request with only the required fields. */
  public static Row event(String id, String time, String user, long in, long out) {
    return RowFactory.create(id, Timestamp.from(Instant.parse(time)), user, "cursor", in, out, null, null,
        "interactive", null, null, null, null);
  }

  /** A request with every optional field the transformations read. */
  public static Row event(String id, String time, String user, String tool, long in, long out, Long cache, String session,
      String trigger, String prompt, Boolean accepted, Long lines, String artifact) {
    return RowFactory.create(id, Timestamp.from(Instant.parse(time)), user, tool, in, out, cache, session, trigger,
        prompt, accepted, lines, artifact);
  }

  public static Row stint(String user, String team, String teamName, String org, boolean developer, String from, String to) {
    return RowFactory.create(user, team, teamName, org, null, developer, Date.valueOf(from),
        to == null ? null : Date.valueOf(to));
  }

  public static Dataset<Row> events(SparkSession spark, Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), EVENTS);
  }

  public static Dataset<Row> directory(SparkSession spark, Row... rows) {
    return spark.createDataFrame(List.of(rows), DIRECTORY);
  }
}
