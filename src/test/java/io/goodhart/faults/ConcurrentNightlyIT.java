package io.goodhart.faults;

import static io.goodhart.faults.FaultLakes.NIGHT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.cli.ExitCodes;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Two {@code goodhart nightly} processes for the same date started at once on one lake (the scheduled
 * night and a person's manual run): Iceberg's optimistic concurrency lets one publish of each table
 * win; the other run either publishes on top of it or stops with exit 5 and one line saying why, and
 * after the loser is run again the tables are those of one clean night. And the embedded SQLite
 * catalog locked by another process for longer than its busy timeout: exit 5, one line, nothing done.
 */
class ConcurrentNightlyIT {
  private final SparkSession spark = FaultLakes.spark();

  @Test
  void twoNightsForTheSameDateStartedAtOnceEndInTheTablesOfOneCleanNight() {
    FaultLakes.prepare();
    FaultLakes.Lake lake = FaultLakes.lake("conclake");
    new IngestJob(spark, lake.tables(), line -> { }).run(new IngestJob.Config(FaultLakes.events().toString(), null));
    new DirectoryLoadJob(spark, lake.tables(), line -> { }).run(FaultLakes.directory().toString());

    long started = System.nanoTime();
    String[] night = {"nightly", "--date", NIGHT.toString()};
    Process a = FaultLakes.start(lake, "nightly-a", Map.of(), night);
    Process b = FaultLakes.start(lake, "nightly-b", Map.of(), night);
    List<FaultLakes.Run> runs = List.of(FaultLakes.finish(lake, "nightly-a", a, started),
        FaultLakes.finish(lake, "nightly-b", b, started));
    System.out.printf("fault tests: two nights at once: exits %d and %d, %.1f s and %.1f s%n",
        runs.get(0).exit(), runs.get(1).exit(), runs.get(0).seconds(), runs.get(1).seconds());

    assertTrue(runs.stream().anyMatch(r -> r.exit() == ExitCodes.OK), "one of the two runs wins: " + runs);
    List<String> losers = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      FaultLakes.Run run = runs.get(i);
      if (run.exit() == ExitCodes.OK) {
        continue;
      }
      assertEquals(ExitCodes.INFRASTRUCTURE, run.exit(), "a run that loses fails retryably:\n" + run.all());
      String said = FaultLakes.errorLine(run);
      assertTrue(said.startsWith("goodhart nightly: infrastructure error: concurrent run: ")
          || said.startsWith("goodhart nightly: infrastructure error: catalog busy: "), run.err());
      assertTrue(said.endsWith("re-running is safe"), said);
      System.out.println("fault tests: the losing run said: " + said);
      losers.add(i == 0 ? "nightly-a" : "nightly-b");
    }
    if (!losers.isEmpty()) {
      assertTrue(spark.table(lake.tables().jobRuns()).filter("status = 'failed'").count() >= 1,
          "the lost run is recorded as failed in job_runs");
    }
    // What a scheduler does with exit 5: run the loser again.
    for (String loser : losers) {
      FaultLakes.Run again = FaultLakes.run(lake, loser + "-again", night);
      assertEquals(ExitCodes.OK, again.exit(), again.all());
    }
    FaultLakes.assertSameAsReference(lake);
  }

  @Test
  void aCatalogLockedByAnotherProcessLongerThanTheBusyTimeoutIsExit5InOneLineWithNothingDone() throws Exception {
    FaultLakes.Lake lake = FaultLakes.lake("locklake");
    String catalogDb = "jdbc:sqlite:" + lake.dir().resolve("catalog.db");
    FaultLakes.Run run;
    try (Connection holder = DriverManager.getConnection(catalogDb); Statement s = holder.createStatement()) {
      s.execute("BEGIN EXCLUSIVE"); // what another process's long write transaction does to the file
      run = FaultLakes.run(lake, "nightly-locked", "nightly", "--date", NIGHT.toString(),
          "--conf", "spark.sql.catalog.locklake.jdbc.busy_timeout=1500");
      s.execute("ROLLBACK");
    }
    assertEquals(ExitCodes.INFRASTRUCTURE, run.exit(), run.all());
    String said = FaultLakes.errorLine(run);
    assertTrue(said.startsWith("goodhart nightly: infrastructure error: catalog busy: another process held the catalog "
        + "database locked for longer than its busy timeout ("), run.err());
    System.out.println("fault tests: the run on a locked catalog said: " + said);
    try (Connection c = DriverManager.getConnection(catalogDb);
        ResultSet tables = c.getMetaData().getTables(null, null, "%", null)) {
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        if (!tables.getString("TABLE_NAME").startsWith("sqlite_")) {
          names.add(tables.getString("TABLE_NAME"));
        }
      }
      assertEquals(List.of(), names, "the catalog was not even initialised");
    }
    assertFalse(Files.exists(lake.dir().resolve("warehouse/raw")), "no table was created");
  }
}
