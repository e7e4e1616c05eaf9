package io.goodhart.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.goodhart.cli.ExitCodes;
import io.goodhart.cli.GoodhartCli;
import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.BadInputCorpus;
import io.goodhart.testing.TestLake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every bad developer directory of the corpus through the real load job: each is refused with every
 * problem named by file, line and column, and the table keeps the directory loaded before it (its
 * snapshot and its rows), because half a directory would silently change every engagement denominator.
 */
class BadDirectoryCorpusTest {
  private static final String HEADER = "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n";
  private static final String GOOD = HEADER + "u1,t1,Payments,org-a,,true,2026-01-01,\nu2,t1,Payments,org-a,,true,2026-01-01,\n";

  private static SparkSession spark;
  private static LakeConfig config;
  private static LakeTables tables;
  private static DirectoryLoadJob job;

  @TempDir static Path dir;

  @BeforeAll
  static void loadAGoodDirectoryFirst() {
    spark = TestLake.spark();
    config = TestLake.freshConfig("bad_directory");
    tables = new LakeTables(spark, config);
    job = new DirectoryLoadJob(spark, tables, line -> { });
    job.run(BadInputCorpus.write(dir.resolve("good.csv"), GOOD.getBytes(StandardCharsets.UTF_8)).toString());
  }

  /** The load of this file fails with an InputException; the table is as the good load left it. Returns the message. */
  private static String refused(Path input) {
    Long before = tables.currentSnapshotId(tables.developerDirectory());
    InputException e = assertThrows(InputException.class, () -> job.run(input.toString()));
    assertEquals(before, tables.currentSnapshotId(tables.developerDirectory()), "no new snapshot");
    assertEquals(List.of("u1", "u2"), spark.table(tables.developerDirectory()).orderBy("user_id")
        .select("user_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    return e.getMessage();
  }

  private static Path corpus(String name) {
    return BadInputCorpus.copy("directory/" + name, dir);
  }

  private static String problems(String... lines) {
    return "directory file rejected, table left unchanged; " + lines.length + " problem(s):\n  " + String.join("\n  ", lines);
  }

  @Test
  void aMissingColumnIsNamed() {
    Path file = corpus("missing-column.csv");
    assertEquals(problems(file + ":1: header lacks required column(s) is_developer (found: user_id, team_id, "
        + "team_name, org, manager_id, valid_from, valid_to)"), refused(file));
  }

  @Test
  void overlappingStintsNameThePersonAndBothLines() {
    Path file = corpus("overlapping-stints.csv");
    assertEquals(problems(file + ":4: stint of u1 from 2026-11-16 overlaps the stint on line 2 (2026-01-01 to 2026-11-30)"),
        refused(file));
  }

  @Test
  void anEmptyFileOrAHeaderAloneIsNoDirectory() {
    Path empty = corpus("empty.csv");
    assertEquals(problems(empty + ": file is empty (a header row is required)"), refused(empty));
    Path headerOnly = corpus("header-only.csv");
    assertEquals(problems(headerOnly + ": no rows after the header"), refused(headerOnly));
  }

  @Test
  void anEmptyFolderIsNoDirectoryFile() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("empty-folder"));
    assertEquals("directory input " + folder + " is not a file (expected a directory.csv)", refused(folder));
  }

  @Test
  void latin1IsRefusedNamingTheLineAndTheByte() {
    Path file = corpus("latin1.csv");
    assertEquals("directory file " + file + ":3: not valid UTF-8: byte 0xFC at byte offset 120; save the file as UTF-8",
        refused(file));
  }

  @Test
  void compressedOrUtf16FilesAreRefusedAsNotText() {
    Path gz = BadInputCorpus.write(dir.resolve("directory.csv.gz"), BadInputCorpus.gzip(GOOD.getBytes(StandardCharsets.UTF_8)));
    assertEquals("directory file " + gz + " is gzip-compressed; it must be plain UTF-8 CSV", refused(gz));
    Path utf16 = BadInputCorpus.write(dir.resolve("utf16.csv"), GOOD.getBytes(StandardCharsets.UTF_16LE));
    assertEquals("directory file " + utf16 + ":1: not a text file: a NUL byte at byte offset 1 (binary data, or UTF-16 "
        + "text; it must be UTF-8 CSV)", refused(utf16));
  }

  @Test
  void throughTheCommandLineARefusedDirectoryExitsWithTheBadInputCode() {
    Path file = corpus("overlapping-stints.csv");
    Long before = tables.currentSnapshotId(tables.developerDirectory());
    CommandLine cli = GoodhartCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("load-directory", "--input", file.toString(),
        "--conf", LakeConfig.LAKE_DIR + "=" + TestLake.lakeDir(),
        "--conf", LakeConfig.RAW_NAMESPACE + "=" + config.rawNamespace(),
        "--conf", LakeConfig.CURATED_NAMESPACE + "=" + config.curatedNamespace());
    assertEquals(ExitCodes.BAD_INPUT, code);
    assertEquals("goodhart load-directory: bad input: " + problems(file + ":4: stint of u1 from 2026-11-16 overlaps the "
        + "stint on line 2 (2026-01-01 to 2026-11-30)"), err.toString().trim());
    assertEquals(before, tables.currentSnapshotId(tables.developerDirectory()));
  }
}
