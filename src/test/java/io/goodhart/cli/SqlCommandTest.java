package io.goodhart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.LakeConfig;
import io.goodhart.testing.TestLake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `goodhart sql`: what an analyst sees, what a script parses, and the errors either gets. */
class SqlCommandTest {
  @TempDir Path dir;
  private LakeConfig config;

  private record Outcome(int code, String out, String err) {}

  @BeforeEach
  void aSmallTable() {
    SparkSession spark = TestLake.spark();
    config = TestLake.freshConfig("sql");
    String table = "lake." + config.curatedNamespace() + ".teams";
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake." + config.curatedNamespace());
    spark.sql("CREATE TABLE " + table + " (team STRING, engaged INT, rate DOUBLE, week DATE) USING iceberg");
    spark.sql("INSERT INTO " + table + " VALUES ('payments', 4, 0.8, DATE '2026-11-16'), "
        + "('search, ranking', 9, 0.45, DATE '2026-11-16'), ('say \"hi\"', NULL, NULL, DATE '2026-11-16')");
  }

  private Outcome run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--conf", LakeConfig.LAKE_DIR + "=" + TestLake.lakeDir(),
        "--conf", LakeConfig.RAW_NAMESPACE + "=" + config.rawNamespace(),
        "--conf", LakeConfig.CURATED_NAMESPACE + "=" + config.curatedNamespace()));
    CommandLine cli = GoodhartCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(all.toArray(String[]::new));
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void aTableForPeopleWithNullsShownAndTheRowCount() {
    Outcome o = run("sql", "-e", "SELECT team, engaged, rate FROM ${curated}.teams ORDER BY team");
    assertEquals(0, o.code(), o.err());
    assertEquals(String.join("\n",
        "team            | engaged | rate",
        "----------------+---------+-----",
        "payments        | 4       | 0.8",
        "say \"hi\"        | NULL    | NULL",
        "search, ranking | 9       | 0.45",
        "(3 rows)", ""), o.out());
  }

  @Test
  void theTableSaysWhenItStopsAtMaxRows() {
    Outcome o = run("sql", "-e", "SELECT team FROM ${curated}.teams ORDER BY team", "--max-rows", "1");
    assertEquals(String.join("\n", "team", "--------", "payments",
        "(first 1 rows shown; --max-rows N for more, or --format csv for all)", ""), o.out());
  }

  @Test
  void csvQuotesWhatNeedsQuotingAndLeavesNullsEmpty() {
    Outcome o = run("sql", "-e", "SELECT team, engaged, week FROM ${curated}.teams ORDER BY team", "--format", "csv");
    assertEquals(0, o.code(), o.err());
    assertEquals(String.join("\n",
        "team,engaged,week",
        "payments,4,2026-11-16",
        "\"say \"\"hi\"\"\",,2026-11-16",
        "\"search, ranking\",9,2026-11-16", ""), o.out());
  }

  @Test
  void jsonIsAnArrayOfObjectsWithTypedValuesAndExplicitNulls() {
    Outcome o = run("sql", "-e", "SELECT team, engaged, rate FROM ${curated}.teams ORDER BY team", "--format", "JSON");
    assertEquals(0, o.code(), o.err());
    assertEquals(String.join("\n",
        "[",
        "  {\"team\":\"payments\",\"engaged\":4,\"rate\":0.8},",
        "  {\"team\":\"say \\\"hi\\\"\",\"engaged\":null,\"rate\":null},",
        "  {\"team\":\"search, ranking\",\"engaged\":9,\"rate\":0.45}",
        "]", ""), o.out());
  }

  @Test
  void columnsOfTheSameNameArePrintedSideBySide() {
    Outcome o = run("sql", "-e", "SELECT (SELECT count(*) FROM ${curated}.teams), (SELECT max(engaged) FROM ${curated}.teams)",
        "--format", "csv");
    assertEquals(0, o.code(), o.err());
    assertEquals(String.join("\n", "scalarsubquery(),scalarsubquery()", "3,9", ""), o.out());
  }

  @Test
  void aScriptFileRunsEveryStatementWithVariablesBound() throws Exception {
    Path script = dir.resolve("compare.sql");
    Files.writeString(script, String.join("\n",
        "-- teams at or above a share; ${min_rate} comes from --var",
        "CREATE OR REPLACE TEMPORARY VIEW good AS",
        "  SELECT team FROM ${catalog}.${curated}.teams WHERE rate >= ${min_rate};",
        "SELECT count(*) AS teams FROM good;",
        "SELECT team FROM good ORDER BY team;", ""));
    Outcome o = run("sql", "-f", script.toString(), "--var", "min_rate=0.5", "--format", "csv");
    assertEquals(0, o.code(), o.err());
    assertEquals(String.join("\n", "teams", "1", "team", "payments", ""), o.out());
  }

  @Test
  void anUnboundVariableIsAUsageErrorNamingIt() {
    Outcome o = run("sql", "-e", "SELECT * FROM ${curated}.teams WHERE rate >= ${min_rate} AND week = ${week}");
    assertEquals(ExitCodes.USAGE, o.code());
    assertTrue(o.err().startsWith("no value for ${min_rate}, ${week} (pass --var NAME=VALUE; bound: catalog, curated, curated_private, raw)"),
        o.err());
  }

  @Test
  void aQueryOnAMissingTableIsBadInputWithSparksReason() {
    Outcome o = run("sql", "-e", "SELECT * FROM ${curated}.nope");
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().startsWith("goodhart sql: bad input: -e: [TABLE_OR_VIEW_NOT_FOUND]"), o.err());
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    Outcome o = run("sql", "-e", "SELECT 1", "--format", "xml");
    assertEquals(ExitCodes.USAGE, o.code());
    assertTrue(o.err().startsWith("--format must be table, csv or json, found xml"), o.err());
  }
}
