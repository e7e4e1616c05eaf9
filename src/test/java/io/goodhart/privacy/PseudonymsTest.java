package io.goodhart.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.goodhart.testing.TestLake;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** person_id is a keyed HMAC of user_id: stable for a key, unguessable without it, in user_id's place. */
class PseudonymsTest {
  @Test
  void thePseudonymIsTheFirst64BitsOfHmacSha256() {
    // RFC-style vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
    // = f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8
    Pseudonyms p = new Pseudonyms("key".getBytes(StandardCharsets.UTF_8));
    assertEquals("p_f7bc83f430538424", p.of("The quick brown fox jumps over the lazy dog"));
  }

  @Test
  void anotherKeyGivesOtherPseudonyms() {
    byte[] k1 = "0123456789abcdef-one".getBytes(StandardCharsets.UTF_8);
    byte[] k2 = "0123456789abcdef-two".getBytes(StandardCharsets.UTF_8);
    assertEquals(new Pseudonyms(k1).of("alice"), new Pseudonyms(k1).of("alice"));
    assertNotEquals(new Pseudonyms(k1).of("alice"), new Pseudonyms(k2).of("alice"));
  }

  @Test
  void userIdIsReplacedInPlaceAndEveryRowKept() {
    SparkSession spark = TestLake.spark();
    Pseudonyms p = new Pseudonyms("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    Dataset<Row> rows = spark.sql("SELECT * FROM VALUES (DATE '2026-11-16', 'alice', 10L), "
        + "(DATE '2026-11-16', 'bob', 20L), (DATE '2026-11-23', 'alice', 30L) AS t(week_start, user_id, tokens)");
    Dataset<Row> out = p.replaceUserId(rows);
    assertArrayEquals(new String[] {"week_start", "person_id", "tokens"}, out.columns());
    assertEquals(List.of(
            "[2026-11-16," + p.of("alice") + ",10]",
            "[2026-11-16," + p.of("bob") + ",20]",
            "[2026-11-23," + p.of("alice") + ",30]"),
        out.orderBy("tokens").collectAsList().stream().map(Row::toString).toList());
  }
}
