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
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Contract section 6: an identities file is loaded whole into raw.identities, or rejected with every problem named. */
class IdentitiesLoadJobTest {
  private static final String HEADER = "source,source_user_key,user_id,valid_from,valid_to\n";
  @TempDir Path dir;

  private static IdentitiesLoadJob.Parsed parse(String text) {
    return IdentitiesLoadJob.parse("ids.csv", text);
  }

  @Test
  void rowsAreReadWithOpenEndsAnySourceAndLineNumbers() {
    IdentitiesLoadJob.Parsed p = parse(HEADER
        + "claude-code,acct-7,u1,2026-01-01,2026-06-30\n"
        + "claude-code,acct-7,u2,2026-07-01,\n"
        + "*,\"ana@corp.example\",u1,2026-01-01,\n");
    assertEquals(List.of(), p.problems());
    assertEquals(List.of(
        new IdentitiesLoadJob.Identity("claude-code", "acct-7", "u1", LocalDate.of(2026, 1, 1),
            LocalDate.of(2026, 6, 30), 2),
        new IdentitiesLoadJob.Identity("claude-code", "acct-7", "u2", LocalDate.of(2026, 7, 1), null, 3),
        new IdentitiesLoadJob.Identity("*", "ana@corp.example", "u1", LocalDate.of(2026, 1, 1), null, 4)),
        p.identities());
  }

  @Test
  void everyBadRowIsReportedWithLineAndColumn() {
    IdentitiesLoadJob.Parsed p = parse(HEADER
        + "claude-code,,u1,2026-01-01,\n"
        + "Cursor,k1,u1,2026-01-01,\n"
        + "cursor,k2,u1,01/02/2026,\n"
        + "cursor,k3,u1,2026-03-01,2026-02-01\n"
        + "cursor,k4,u1\n"
        + "cursor,k5,u1,2026-01-01,2026-06-30\n"
        + "cursor,k5,u2,2026-06-30,\n");
    assertEquals(List.of(
        "ids.csv:2: source_user_key is required but empty",
        "ids.csv:3: source must be lower-case, as events' tool is, found \"Cursor\"",
        "ids.csv:4: valid_from must be a date YYYY-MM-DD, found \"01/02/2026\"",
        "ids.csv:5: valid_to 2026-02-01 is before valid_from 2026-03-01",
        "ids.csv:6: has 3 fields, the header has 5",
        "ids.csv:8: source_user_key k5 of source cursor from 2026-06-30 overlaps the row on line 7 "
            + "(2026-01-01 to 2026-06-30)"), p.problems());
    assertEquals(List.of(), p.identities(), "a file with problems yields no rows at all");
  }

  @Test
  void aMissingRequiredColumnRejectsTheFile() {
    IdentitiesLoadJob.Parsed p = parse("source,source_user_key,valid_from\ncursor,k1,2026-01-01\n");
    assertEquals(List.of("ids.csv:1: header lacks required column(s) user_id "
        + "(found: source, source_user_key, valid_from)"), p.problems());
  }

  @Test
  void eachLoadReplacesTheTableAndABadFileLeavesItAsItWas(TestInfo info) throws IOException {
    SparkSession spark = TestLake.spark();
    LakeTables tables = new LakeTables(spark, TestLake.freshConfig(info.getTestMethod().orElseThrow().getName()));
    IdentitiesLoadJob job = new IdentitiesLoadJob(spark, tables, line -> { });
    Path good = dir.resolve("identities.csv");
    Files.writeString(good, HEADER + "claude-code,acct-7,u1,2026-01-01,\n*,ana@corp.example,u1,2026-01-01,2026-06-30\n");
    assertEquals(2, job.run(good.toString()));
    assertRows(spark.table(tables.identities())
            .select("source", "source_user_key", "user_id", "valid_from", "valid_to", "source_file", "source_line"),
        new Object[] {"claude-code", "acct-7", "u1", Date.valueOf("2026-01-01"), null, good.toString(), 2L},
        new Object[] {"*", "ana@corp.example", "u1", Date.valueOf("2026-01-01"), Date.valueOf("2026-06-30"),
            good.toString(), 3L});
    Long loaded = tables.currentSnapshotId(tables.identities());

    job.run(good.toString());
    assertEquals(loaded, tables.currentSnapshotId(tables.identities()), "the same rows again commit nothing");

    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, HEADER + "cursor,k1,u2,2026-01-01,\ncursor,k2,,2026-01-01,\n");
    InputException e = assertThrows(InputException.class, () -> job.run(bad.toString()));
    assertEquals("identities file rejected, table left unchanged; 1 problem(s):\n"
        + "  " + bad + ":3: user_id is required but empty", e.getMessage());
    InputException missing = assertThrows(InputException.class, () -> job.run(dir.resolve("nope.csv").toString()));
    assertEquals("identities file " + dir.resolve("nope.csv") + " does not exist", missing.getMessage());
    assertEquals(loaded, tables.currentSnapshotId(tables.identities()));
    assertEquals(2L, spark.table(tables.identities()).count());
  }
}
