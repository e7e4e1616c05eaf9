package io.goodhart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures caused by another process on the same lake are exit 5 in one line: a commit that lost the
 * race for a table, and the SQLite catalog locked for longer than its busy timeout (a real lock here,
 * taken through the driver the way the Iceberg JDBC catalog connects: a {@code busy_timeout} property).
 */
class ContentionMessageTest {
  @TempDir Path dir;

  @Test
  void aCatalogLockedLongerThanTheBusyTimeoutIsExit5InOneLine() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("catalog.db");
    try (Connection holder = DriverManager.getConnection(url); Statement s = holder.createStatement()) {
      s.execute("CREATE TABLE iceberg_tables (table_name TEXT)");
      s.execute("BEGIN EXCLUSIVE");
      Properties props = new Properties();
      props.setProperty("busy_timeout", "300");
      long start = System.nanoTime();
      SQLException locked;
      try (Connection waiter = DriverManager.getConnection(url, props)) {
        locked = assertThrows(SQLException.class,
            () -> waiter.createStatement().executeQuery("SELECT count(*) FROM iceberg_tables"));
      }
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMs >= 250, "the driver waits out its busy_timeout before giving up; waited " + waitedMs + " ms");
      // How the Iceberg JDBC catalog hands it on.
      RuntimeException failure = new UncheckedSQLException(locked, "Failed to get table %s from catalog %s", "raw.usage_events", "lake");
      assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(failure));
      String line = GoodhartCli.contention(failure);
      assertTrue(line.startsWith("catalog busy: another process held the catalog database locked for longer than its "
          + "busy timeout ([SQLITE_BUSY]"), line);
      assertTrue(line.endsWith("; nothing half-done was committed, re-running is safe"), line);
      assertEquals(1, line.lines().count());
      s.execute("ROLLBACK");
    }
  }

  @Test
  void aCommitThatLostTheRaceIsExit5InOneLine() {
    RuntimeException failure = new RuntimeException("Job aborted", new CommitFailedException(
        "Cannot commit curated.job_runs: metadata location a.json has changed from b.json"));
    assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(failure));
    assertEquals("concurrent run: another process committed to the same table first (Cannot commit curated.job_runs: "
        + "metadata location a.json has changed from b.json); nothing half-done was committed, re-running is safe",
        GoodhartCli.contention(failure));
  }

  @Test
  void otherInfrastructureFailuresAreNotTakenForContention() {
    assertNull(GoodhartCli.contention(new RuntimeException(new SQLException("disk I/O error"))));
  }
}
