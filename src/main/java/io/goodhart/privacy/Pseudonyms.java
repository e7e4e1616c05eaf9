package io.goodhart.privacy;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
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
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      byte[] digest = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
      return "p_" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    }
  }

  /** The rows with {@code user_id} replaced, in place, by {@code person_id}. */
  public Dataset<Row> replaceUserId(Dataset<Row> rows) {
    SparkSession spark = rows.sparkSession();
    List<Row> mapping = new ArrayList<>();
    for (Row r : rows.select("user_id").distinct().collectAsList()) {
      if (!r.isNullAt(0)) {
        mapping.add(RowFactory.create(r.getString(0), of(r.getString(0))));
      }
    }
    StructType schema = new StructType()
        .add("_user_id", DataTypes.StringType, false)
        .add(COLUMN, DataTypes.StringType, false);
    Dataset<Row> ids = spark.createDataFrame(mapping, schema);
    Column[] columns = Arrays.stream(rows.columns())
        .map(c -> c.equals("user_id") ? col(COLUMN) : rows.col(c))
        .toArray(Column[]::new);
    return rows.join(broadcast(ids), rows.col("user_id").equalTo(ids.col("_user_id")), "left").select(columns);
  }
}
