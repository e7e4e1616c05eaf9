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
}
