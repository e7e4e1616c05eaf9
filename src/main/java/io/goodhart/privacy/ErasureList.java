package io.goodhart.privacy;

import io.goodhart.lake.LakeTables;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The people {@code goodhart forget} erased, held as keyed hashes ({@code HMAC-SHA256(erasure key, user_id)})
 * in {@code raw.erased_people}: the list can tell whether an id at hand was erased, but nobody can read the
 * erased ids out of it. Hashes are computed on the driver for the distinct ids at hand, so the key never
 * travels inside a Spark plan or task.
 */
public final class ErasureList {
  private final byte[] key;
  private final Set<String> hashes;

  ErasureList(byte[] key, Set<String> hashes) {
    this.key = key.clone();
    this.hashes = Set.copyOf(hashes);
  }

  /** The lake's erasure list; empty when nobody was erased (and then the key is not even read). */
  public static ErasureList read(SparkSession spark, LakeTables tables, java.util.function.Supplier<byte[]> key) {
    Set<String> hashes = new HashSet<>();
    if (tables.currentSnapshotId(tables.erasedPeople()) == null) {
      return new ErasureList(new byte[0], hashes);
    }
    for (Row r : spark.table(tables.erasedPeople()).select("person_hash").collectAsList()) {
      hashes.add(r.getString(0));
    }
    return new ErasureList(hashes.isEmpty() ? new byte[0] : key.get(), hashes);
  }

  public boolean isEmpty() {
    return hashes.isEmpty();
  }

  /** The ids among these that were erased, sorted. */
  public List<String> erasedAmong(Collection<String> userIds) {
    if (hashes.isEmpty()) {
      return List.of();
    }
    Set<String> erased = new TreeSet<>();
    for (String id : userIds) {
      if (id != null && hashes.contains(hash(key, id))) {
        erased.add(id);
      }
    }
    return List.copyOf(erased);
  }

  public static String hash(byte[] key, String userId) {
    return HexFormat.of().formatHex(io.goodhart.privacy.Pseudonyms.hmacSha256(key, userId));
  }
}
