package io.goodhart.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * DataFrame equality from spark-testing-base, used from JUnit 5: its comparison methods live on a
 * JUnit 4 base class but need none of its session machinery, so one instance serves as a library.
 */
public final class FrameAssertions {
  private static final JavaDataFrameSuiteBase BASE = new JavaDataFrameSuiteBase();

  private FrameAssertions() {}

  /**
   * Same schema and same rows, in any order. Both sides are materialised first: the comparison runs
   * several Spark jobs, and re-planning a job's whole computation for each would dominate test time.
   */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    BASE.assertDataFrameNoOrderEquals(local(expected), local(actual));
  }

  private static Dataset<Row> local(Dataset<Row> frame) {
    return frame.sparkSession().createDataFrame(frame.collectAsList(), frame.schema());
  }

  /** The actual frame equals the hand-written rows (schema taken from the actual frame), in any order. */
  public static void assertRows(Dataset<Row> actual, Object[]... expectedRows) {
    StructType schema = actual.schema();
    List<Row> rows = java.util.Arrays.stream(expectedRows).map(RowFactory::create).toList();
    assertSameRows(actual.sparkSession().createDataFrame(rows, schema), actual);
  }

  /**
   * Tables given as sorted rows of cells ({@code table -> rows}) are equal: same tables, same row
   * counts, equal cells, doubles to a relative 1e-9 (sums over differently split files may differ in
   * their last digits). For comparing whole lakes, e.g. a re-run against a clean run.
   */
  public static void assertSameTables(java.util.Map<String, List<List<Object>>> expected,
      java.util.Map<String, List<List<Object>>> actual) {
    org.junit.jupiter.api.Assertions.assertEquals(expected.keySet(), actual.keySet());
    for (String table : expected.keySet()) {
      List<List<Object>> e = expected.get(table);
      List<List<Object>> a = actual.get(table);
      org.junit.jupiter.api.Assertions.assertEquals(e.size(), a.size(), table + ": row count");
      for (int i = 0; i < e.size(); i++) {
        List<Object> er = e.get(i);
        List<Object> ar = a.get(i);
        boolean same = er.size() == ar.size();
        for (int j = 0; same && j < er.size(); j++) {
          if (er.get(j) instanceof Double x && ar.get(j) instanceof Double y) {
            same = Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
          } else {
            same = java.util.Objects.equals(er.get(j), ar.get(j));
          }
        }
        org.junit.jupiter.api.Assertions.assertTrue(same,
            table + " differs:\n  expected " + er + "\n  actual   " + ar);
      }
    }
  }
}
