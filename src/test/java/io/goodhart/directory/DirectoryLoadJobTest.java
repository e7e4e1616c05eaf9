package io.goodhart.directory;

import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Loading the developer directory into a real Iceberg table: all rows or none. */
class DirectoryLoadJobTest {
  private static final String HEADER = "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n";
  @TempDir Path dir;
  private SparkSession spark;
  private LakeTables tables;
  private DirectoryLoadJob job;

  @BeforeEach
  void setUp(TestInfo info) {
    spark = TestLake.spark();
    tables = new LakeTables(spark, TestLake.freshConfig(info.getTestMethod().orElseThrow().getName()));
    job = new DirectoryLoadJob(spark, tables, line -> { });
  }

  private String file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toString();
  }

  @Test
  void eachLoadReplacesTheTableWithTheFilesStints() throws IOException {
    String first = file("v1.csv", HEADER
        + "u1,t1,\"Payments, EU\",org-a,m1,true,2026-01-01,2026-11-18\n"
        + "u1,t2,Search,org-a,,true,2026-11-19,\n");
    assertEquals(2, job.run(first));
    assertRows(spark.table(tables.developerDirectory())
            .select("user_id", "team_id", "team_name", "org", "manager_id", "is_developer", "valid_from", "valid_to", "source_line"),
        new Object[] {"u1", "t1", "Payments, EU", "org-a", "m1", true, Date.valueOf("2026-01-01"), Date.valueOf("2026-11-18"), 2L},
        new Object[] {"u1", "t2", "Search", "org-a", null, true, Date.valueOf("2026-11-19"), null, 3L});

    String second = file("v2.csv", HEADER + "u9,t9,Infra,org-b,,false,2026-02-01,\n");
    job.run(second);
    assertRows(spark.table(tables.developerDirectory()).select("user_id", "is_developer", "source_file"),
        new Object[] {"u9", false, second});
  }

  @Test
  void aBadFileFailsWithEveryProblemAndLeavesTheTableAsItWas() throws IOException {
    job.run(file("good.csv", HEADER + "u1,t1,T,o,,true,2026-01-01,\n"));
    Long before = tables.currentSnapshotId(tables.developerDirectory());

    String bad = file("bad.csv", HEADER + "u2,t1,T,o,,maybe,2026-01-01,\nu3,t1,T,o,,true,,\n");
    InputException e = assertThrows(InputException.class, () -> job.run(bad));
    assertEquals("directory file rejected, table left unchanged; 2 problem(s):\n"
        + "  " + bad + ":2: is_developer must be true or false, found \"maybe\"\n"
        + "  " + bad + ":3: valid_from is required but empty", e.getMessage());

    InputException missing = assertThrows(InputException.class, () -> job.run(dir.resolve("nope.csv").toString()));
    assertEquals("directory file " + dir.resolve("nope.csv") + " does not exist", missing.getMessage());

    assertEquals(before, tables.currentSnapshotId(tables.developerDirectory()));
    assertEquals(1L, spark.table(tables.developerDirectory()).count());
    assertEquals(2L, spark.table(tables.jobRuns()).where("status = 'failed'").count());
  }
}
