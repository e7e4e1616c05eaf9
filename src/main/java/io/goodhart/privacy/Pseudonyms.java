package io.goodhart.privacy;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Pseudonymous ids for BI-facing tables: {@code person_id = "p_" + the first 16 hex digits of
 * HMAC-SHA256(key, user_id)}. The same person has the same pseudonym in every table and every week
 * (trends and joins work), nobody without the key can compute it from a directory id, and 64 bits
 * keep collisions out of reach for any company's head count. Pseudonyms are computed on the driver
 * for the distinct ids at hand and joined in, so the key never travels inside a Spark plan or task.
 *
 * <p>A person-week can instead get a pseudonym of that week alone ({@link #ofWeek}): it cannot be linked to
 * the person's other weeks, which is what a row whose team is suppressed needs (see
 * {@code io.goodhart.publish.PublishedPerPerson}).
 */
public final class Pseudonyms {
  public static final String COLUMN = "person_id";
  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] key;

  public Pseudonyms(byte[] key) {
    this.key = key.clone();
  }

  /**
   * A short id of the key, stored with every publication of pseudonyms, so a changed key is noticed:
   * {@code k_} + the first 16 hex digits of HMAC-SHA256(key, a fixed text). It tells keys apart without
   * telling anything about them.
   */
  public String keyId() {
    return "k_" + of("goodhart pseudonym key id").substring(2);
  }

  public String of(String userId) {
    return hmac(userId);
  }

  /**
   * The person's pseudonym for one week only: HMAC of the week and the id, NUL-separated so that no user id
   * can be spelt to collide with it. It has the same form as {@link #of}, so a reader cannot tell which of
   * the two a row carries.
   */
  public String ofWeek(String userId, LocalDate week) {
    return hmac("\u0000week\u0000" + week + "\u0000" + userId);
  }

  private String hmac(String text) {
    return "p_" + HexFormat.of().formatHex(hmacSha256(key, text), 0, 8);
  }

  /** HMAC-SHA256 of the text's UTF-8 bytes under the key: the keyed hash of pseudonyms and of the erasure list. */
  public static byte[] hmacSha256(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    }
  }

  /** The rows with {@code user_id} replaced, in place, by {@code person_id}. */
  public Dataset<Row> replaceUserId(Dataset<Row> rows) {
    return replace(rows, lit(null).cast(DataTypes.DateType), null);
  }

  /**
   * The rows with {@code user_id} replaced, in place, by {@code person_id}: the person's pseudonym where
   * the boolean column {@code weekScoped} is false, and the pseudonym of the row's {@code week_start} alone
   * ({@link #ofWeek}) where it is true. The flag column is dropped.
   */
  public Dataset<Row> replaceUserId(Dataset<Row> rows, String weekScoped) {
    return replace(rows, when(col(weekScoped), col("week_start")), weekScoped);
  }

  private Dataset<Row> replace(Dataset<Row> rows, Column scope, String dropped) {
    SparkSession spark = rows.sparkSession();
    Dataset<Row> scoped = rows.withColumn("_scope", scope);
    List<Row> mapping = new ArrayList<>();
    for (Row r : scoped.select(col("user_id"), col("_scope")).distinct().collectAsList()) {
      if (!r.isNullAt(0)) {
        String user = r.getString(0);
        mapping.add(RowFactory.create(user, r.get(1),
            r.isNullAt(1) ? of(user) : ofWeek(user, r.getDate(1).toLocalDate())));
      }
    }
    StructType schema = new StructType()
        .add("_user_id", DataTypes.StringType, false)
        .add("_id_scope", DataTypes.DateType, true)
        .add(COLUMN, DataTypes.StringType, false);
    Dataset<Row> ids = spark.createDataFrame(mapping, schema);
    Column[] columns = Arrays.stream(rows.columns())
        .filter(c -> !c.equals(dropped))
        .map(c -> c.equals("user_id") ? col(COLUMN) : scoped.col(c))
        .toArray(Column[]::new);
    return scoped.join(broadcast(ids), scoped.col("user_id").equalTo(ids.col("_user_id"))
            .and(scoped.col("_scope").eqNullSafe(ids.col("_id_scope"))), "left")
        .select(columns);
  }
}
