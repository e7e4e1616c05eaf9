package io.goodhart.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.goodhart.testing.GoodhartJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code goodhart serve} as a BI tool meets it: a real server process on 127.0.0.1 with a password
 * file, and the Hive JDBC driver (hive-jdbc 2.3.9, the one Spark 3.5 ships) connecting to it.
 */
class JdbcEndpointIT {
  private static final Path TARGET = GoodhartJar.TARGET;
  private static final String PASSWORD = "correct horse battery";
  private static Path lakeDir;
  private static Path passwords;
  private static Process server;
  private static int port;
  private static final StringBuilder serverOutput = new StringBuilder();

  @BeforeAll
  static void aLakeAndAServer() throws Exception {
    lakeDir = Files.createTempDirectory(TARGET, "serve-lake-");
    Path feed = lakeDir.resolve("feed");
    Path directory = feed.resolve("directory.csv");
    Files.createDirectories(feed.resolve("events/date=2026-11-17"));
    Files.writeString(directory, "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n"
        + "p1,t1,Payments,A,,true,2026-01-01,\n" + "p2,t1,Payments,A,,true,2026-01-01,\n"
        + "p3,t1,Payments,A,,true,2026-01-01,\n" + "p4,t1,Payments,A,,true,2026-01-01,\n"
        + "p5,t1,Payments,A,,true,2026-01-01,\n" + "s1,t2,Search,A,,true,2026-01-01,\n"
        + "s2,t2,Search,A,,true,2026-01-01,\n");
    List<String> lines = new ArrayList<>();
    String[] engaged = {"p1", "p2", "p3", "p4", "s1"};
    for (int i = 0; i < engaged.length; i++) {
      lines.add(String.format("{\"event_id\":\"e%d\",\"event_time\":\"2026-11-17T10:00:00Z\",\"user_id\":\"%s\","
          + "\"tool\":\"cursor\",\"operation\":\"chat\",\"input_tokens\":%d,\"output_tokens\":0}", i, engaged[i], 100 * (i + 1)));
    }
    Files.writeString(feed.resolve("events/date=2026-11-17/part-0.jsonl"), String.join("\n", lines) + "\n");
    Process nightly = goodhart("nightly", "--date", "2026-11-17", "--input", feed.resolve("events").toString(),
        "--directory", directory.toString()).redirectErrorStream(true)
        .redirectOutput(TARGET.resolve("serve-it-nightly.log").toFile()).start();
    assertTrue(nightly.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, nightly.exitValue(), Files.readString(TARGET.resolve("serve-it-nightly.log")));

    passwords = lakeDir.resolve("bi.passwords");
    PasswordFile.addUser(passwords, "analyst", PASSWORD);
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    server = goodhart("serve", "--port", String.valueOf(port), "--password-file", passwords.toString())
        .redirectErrorStream(true).start();
    CompletableFuture<Boolean> listening = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          synchronized (serverOutput) {
            serverOutput.append(line).append('\n');
          }
          if (line.startsWith("goodhart serve: listening on")) {
            // keep draining in the background so the server never blocks on a full pipe
            new Thread(() -> out.lines().forEach(l -> { })).start();
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    });
    boolean started;
    try {
      started = listening.get(3, TimeUnit.MINUTES);
    } catch (java.util.concurrent.TimeoutException e) {
      started = false;
    }
    synchronized (serverOutput) {
      assertTrue(started, "server did not start within 3 minutes; its output:\n" + serverOutput);
    }
  }

  @AfterAll
  static void stopTheServer() throws Exception {
    if (server != null) {
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private static ProcessBuilder goodhart(String... args) {
    return GoodhartJar.command(lakeDir, "2g", args);
  }

  private static Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:hive2://127.0.0.1:" + port + "/default", user, password);
  }

  private static List<String> rows(Statement statement, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(rs.getString(i));
        }
        out.add(String.join("|", values));
      }
    }
    return out;
  }

  @Test
  void anAnalystListsTheViewsAndQueriesOne() throws Exception {
    try (Connection c = connect("analyst", PASSWORD); Statement s = c.createStatement()) {
      List<String> views = rows(s, "SHOW VIEWS IN curated").stream().map(r -> r.split("\\|")[1]).sorted().toList();
      assertEquals(List.of("adoption_vs_target", "genuine_engagement_trend", "leaderboard_latest", "model_health",
          "padding_by_team", "top_movers"), views);
      assertEquals(List.of("team|Payments|false|4|0.8", "team|Search|true|null|null"),
          rows(s, "SELECT level, team_name, suppressed, engaged_developers, engagement_rate "
              + "FROM curated.adoption_vs_target WHERE level = 'team' ORDER BY team_name"));
      assertEquals(List.of("1|500", "2|400", "3|300", "4|200", "5|100"),
          rows(s, "SELECT rank, total_tokens FROM curated.leaderboard_latest ORDER BY rank"));
    }
  }

  @Test
  void aWrongPasswordAndAnUnknownUserAreRefused() {
    assertThrows(SQLException.class, () -> connect("analyst", "not the password").close());
    assertThrows(SQLException.class, () -> connect("mallory", PASSWORD).close());
  }

  @Test
  void theInteractiveShellRunsStatementsTypedOverSeveralLines() throws Exception {
    Process shell = goodhart("sql").redirectErrorStream(true).start();
    shell.getOutputStream().write(("SELECT team_name,\n  engaged_developers\nFROM curated.adoption_vs_target\n"
        + "WHERE level = 'team' AND NOT suppressed;\nquit;\n").getBytes(StandardCharsets.UTF_8));
    shell.getOutputStream().close();
    String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(shell.waitFor(3, TimeUnit.MINUTES));
    assertEquals(0, shell.exitValue(), output);
    assertTrue(output.contains("team_name\tengaged_developers"), output);
    assertTrue(output.contains("Payments\t4"), output);
  }

  @Test
  void aNonLoopbackAddressWithoutAuthenticationIsRefusedBeforeAnythingStarts() throws Exception {
    Process refused = goodhart("serve", "--host", "0.0.0.0", "--port", "1").redirectErrorStream(true).start();
    String output = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, refused.exitValue(), output);
    assertTrue(output.contains("refusing to serve on 0.0.0.0 without authentication"), output);
  }
}
