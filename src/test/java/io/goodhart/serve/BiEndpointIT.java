package io.goodhart.serve;

import static io.goodhart.serve.BiScenario.W46;
import static io.goodhart.serve.BiScenario.W47;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.privacy.Pseudonyms;
import io.goodhart.publish.BiObjects;
import io.goodhart.report.DashboardData;
import io.goodhart.testing.GoodhartJar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code goodhart serve} as a BI reader meets it, and as someone trying to read more than BI may: a real
 * server process on 127.0.0.1 with a password file and TLS, reached with the Hive JDBC driver (hive-jdbc
 * 2.3.9, the one Spark 3.5 ships), on a lake holding {@link BiScenario}'s two weeks. Every refusal is
 * asserted by the rule its one line names, and found in the server's access log with the user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BiEndpointIT {
  private static final Path TARGET = GoodhartJar.TARGET;
  private static final String PASSWORD = "correct horse battery";
  private static final String STORE_PASSWORD = "keystore-secret-42";
  private static final int MAX_ROWS = 500;
  private Path lakeDir;
  private Path feed;
  private Path passwords;
  private Path truststore;
  private Process server;
  private int port;
  private final StringBuilder serverOutput = new StringBuilder();

  @BeforeAll
  void aLakeAndAServer() throws Exception {
    lakeDir = Files.createTempDirectory(TARGET, "bi-endpoint-");
    feed = lakeDir.resolve("feed");
    BiScenario.write(feed);
    Run night = run(Map.of(), "nightly", "--date", BiScenario.NIGHT, "--input", feed.resolve("events").toString(),
        "--directory", feed.resolve("directory.csv").toString());
    assertEquals(0, night.exit(), night.output());

    passwords = lakeDir.resolve("bi.passwords");
    PasswordFile.addUser(passwords, "analyst", PASSWORD);
    Path keystore = lakeDir.resolve("server.p12");
    truststore = lakeDir.resolve("trust.jks");
    keytool("-genkeypair", "-alias", "goodhart", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "3", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
    Path cert = lakeDir.resolve("server.pem");
    keytool("-exportcert", "-rfc", "-alias", "goodhart", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "goodhart", "-file", cert.toString(), "-storetype", "JKS",
        "-keystore", truststore.toString(), "-storepass", "truststore");
    Path storePassword = ownerOnly(lakeDir.resolve("keystore.password"), STORE_PASSWORD);
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    server = GoodhartJar.command(lakeDir, "2g", "serve", "--port", String.valueOf(port), "--password-file",
            passwords.toString(), "--tls-keystore", keystore.toString(), "--tls-keystore-password-file",
            storePassword.toString(), "--conf", "goodhart.serve.max-result-rows=" + MAX_ROWS,
            "--conf", "goodhart.serve.statement-timeout-seconds=12")
        .redirectErrorStream(true).start();
    // The server's output is read for as long as it runs: the access log is asserted on, and a full pipe
    // would block the server.
    CompletableFuture<Boolean> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          synchronized (serverOutput) {
            serverOutput.append(line).append('\n');
          }
          if (line.startsWith("goodhart serve: listening on")) {
            listening.complete(true);
          }
        }
      } catch (IOException e) {
        // the server ended
      }
      listening.complete(false);
    }, "serve-output");
    reader.setDaemon(true);
    reader.start();
    boolean started;
    try {
      started = listening.get(4, TimeUnit.MINUTES);
    } catch (java.util.concurrent.TimeoutException e) {
      started = false;
    }
    assertTrue(started, "server did not start within 4 minutes; its output:\n" + output());
  }

  @AfterAll
  void stopTheServer() throws Exception {
    if (server != null) {
      server.destroy();
      server.waitFor(60, TimeUnit.SECONDS);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------

  record Run(int exit, String output) {}

  private Run run(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = GoodhartJar.command(lakeDir, "2g", args).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), String.join(" ", args));
    return new Run(p.exitValue(), out);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
  }

  private static Path ownerOnly(Path file, String content) throws IOException {
    Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private String output() {
    synchronized (serverOutput) {
      return serverOutput.toString();
    }
  }

  private String url(String extra) {
    return "jdbc:hive2://127.0.0.1:" + port + "/default;ssl=true;sslTrustStore=" + truststore
        + ";trustStorePassword=truststore" + extra;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url(""), "analyst", PASSWORD);
  }

  private static List<List<String>> rows(Statement s, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /** The one line the refusal says; asserts it names the rule and was logged with the user. */
  private String refused(Statement s, String sql, String rule) {
    SQLException e = assertThrows(SQLException.class, () -> rows(s, sql), sql);
    String message = e.getMessage();
    assertTrue(message.contains("access denied [" + rule + "]"), sql + " -> " + message);
    String reason = message.substring(message.indexOf("access denied")).strip();
    assertFalse(reason.contains("\n"), "one line, no stack trace: " + message);
    String logged = "refused user=analyst from=127.0.0.1 rule=" + rule;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!output().contains(logged) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(output().contains(logged), "the access log names the user and rule for " + sql);
    return reason;
  }

  // ---- 1. authorization ------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void aBiReaderListsOnlyWhatIsPublished() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      assertEquals(BiObjects.TABLES.stream().sorted().toList(),
          rows(s, "SHOW TABLES IN curated").stream().map(r -> r.get(1)).toList());
      assertEquals(BiObjects.views().stream().sorted().toList(),
          rows(s, "SHOW VIEWS IN curated").stream().map(r -> r.get(1)).toList());
      assertEquals(List.of("curated", "default"), rows(s, "SHOW NAMESPACES").stream().map(r -> r.get(0)).sorted().toList());
      assertEquals(List.of(), rows(s, "SHOW TABLES"));
      refused(s, "SHOW TABLES IN raw", "not-published-for-bi");
      refused(s, "SHOW TABLES IN curated_private", "not-published-for-bi");
      // JDBC's own metadata calls list Spark's built-in catalog, which holds nothing of the lake.
      try (ResultSet tables = c.getMetaData().getTables(null, null, "%", null)) {
        assertFalse(tables.next(), "the JDBC metadata lists no table");
      }
    }
  }

  @Test
  @Order(2)
  void rawPrivateAndOperationalTablesAreRefusedHoweverTheyAreReached() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : List.of("SELECT * FROM raw.usage_events", "SELECT * FROM lake.raw.developer_directory",
          "SELECT * FROM curated_private.user_weekly_usage", "SELECT * FROM curated_private.team_weekly_engagement",
          "SELECT * FROM curated.job_runs", "SELECT * FROM curated.model_runs",
          "WITH e AS (SELECT * FROM raw.usage_events) SELECT count(*) FROM e",
          "SELECT * FROM curated.user_weekly_usage WHERE person_id IN (SELECT user_id FROM raw.usage_events)",
          "SELECT * FROM curated.adoption_vs_target a JOIN curated_private.usage_classification p ON a.team_name = p.team_id")) {
        refused(s, sql, "not-published-for-bi");
      }
      // IDENTIFIER() takes a literal name, checked like any other; an expression is refused.
      assertTrue(refused(s, "SELECT * FROM IDENTIFIER('raw.usage_events')", "not-published-for-bi")
          .startsWith("access denied [not-published-for-bi]: raw.usage_events is not published for BI: BI readers see only "));
      assertEquals(refused(s, "SELECT * FROM IDENTIFIER('lake.raw.usage_events')", "not-published-for-bi"),
          refused(s, "SELECT * FROM IDENTIFIER('lake.raw.usage_events')", "not-published-for-bi"));
      refused(s, "SELECT * FROM IDENTIFIER(concat('raw.', 'usage_events'))", "not-published-for-bi");
      // A refused table never answers with its columns, and a missing one is refused with the same words.
      String unknownColumn = refused(s, "SELECT no_such_column FROM IDENTIFIER('lake.raw.usage_events')", "not-published-for-bi");
      assertFalse(unknownColumn.contains("user_id") || unknownColumn.contains("event_time"), unknownColumn);
      assertEquals(refused(s, "SELECT no_such_column FROM lake.raw.usage_events", "not-published-for-bi")
              .replace("usage_events", "NAME"),
          refused(s, "SELECT no_such_column FROM lake.raw.no_such_table", "not-published-for-bi").replace("no_such_table", "NAME"));
      // USE of any namespace but the BI one (or default) is refused, existing or not, in the same words.
      for (String namespace : List.of("raw", "lake.curated_private", "lake.no_such_namespace", "spark_catalog.default")) {
        assertEquals("access denied [not-published-for-bi]: USE " + namespace + ": BI readers may use only lake.curated "
            + "(or default)", refused(s, "USE " + namespace, "not-published-for-bi"));
      }
      // A plain name is a BI object's only in the BI namespace: in default it is refused, not looked up.
      refused(s, "SELECT no_such_column FROM user_weekly_usage", "not-published-for-bi");
      refused(s, "SELECT * FROM curated.team_weekly_engagement.snapshots", "not-published-for-bi");
      s.execute("USE lake.curated");
      assertFalse(rows(s, "SELECT * FROM adoption_vs_target").isEmpty(), "plain names of BI objects after USE curated");
      refused(s, "SELECT * FROM job_runs", "not-published-for-bi");
      assertFalse(rows(s, "WITH job_runs AS (SELECT 1 AS x) SELECT * FROM job_runs").isEmpty(), "a CTE is no table");
    }
  }

  @Test
  @Order(3)
  void filesTheKeyAndTheServersEnvironmentAreOutOfReach() throws Exception {
    Path key = lakeDir.resolve("pseudonym.key");
    assertTrue(Files.exists(key));
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String format : List.of("text", "csv", "json", "parquet", "binaryFile")) {
        refused(s, "SELECT * FROM " + format + ".`" + key + "`", "no-files-or-metadata");
      }
      refused(s, "SELECT reflect('java.lang.System', 'getenv', 'HOME')", "no-reflection");
      refused(s, "SELECT java_method('java.lang.System', 'getProperty', 'hive.server2.keystore.password')", "no-reflection");
      refused(s, "SELECT input_file_name() FROM curated.model_health", "no-reflection");
      refused(s, "SELECT _file FROM curated.user_weekly_usage", "no-files-or-metadata");
      // ${env:...} is not substituted: the text stays text.
      assertEquals(List.of(List.of("${env:HOME}")), rows(s, "SELECT '${env:HOME}'"));
    }
  }

  @Test
  @Order(4)
  void nothingCanBeWrittenCalledLoadedOrReconfigured() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : List.of("DROP TABLE curated.user_weekly_usage",
          "INSERT INTO curated.model_health SELECT * FROM curated.model_health",
          "INSERT OVERWRITE DIRECTORY '/tmp/goodhart-out' SELECT * FROM curated.user_weekly_usage",
          "DELETE FROM curated.user_weekly_usage", "CALL lake.system.expire_snapshots('curated.user_weekly_usage')",
          "CALL lake.system.rollback_to_snapshot('curated.team_weekly_engagement', 1)",
          "ADD JAR /tmp/evil.jar", "CREATE FUNCTION evil AS 'com.example.Evil'",
          "CREATE TEMPORARY VIEW mine AS SELECT * FROM curated.user_weekly_usage",
          "CREATE OR REPLACE VIEW curated.adoption_vs_target AS SELECT * FROM raw.usage_events",
          "ALTER TABLE curated.user_weekly_usage SET TBLPROPERTIES ('x' = 'y')",
          "CACHE TABLE curated.user_weekly_usage", "EXPLAIN SELECT * FROM curated.user_weekly_usage",
          "DESCRIBE EXTENDED curated.user_weekly_usage", "SHOW CREATE TABLE curated.user_weekly_usage",
          "SHOW TBLPROPERTIES curated.user_weekly_usage")) {
        refused(s, sql, "read-only");
      }
      refused(s, "SET spark.sql.catalog.other=org.apache.iceberg.spark.SparkCatalog", "endpoint-settings");
      refused(s, "SET spark.sql.runSQLOnFiles=true", "endpoint-settings");
      refused(s, "SET", "endpoint-settings");
      refused(s, "SET -v", "endpoint-settings");
      assertEquals(List.of(List.of("spark.sql.session.timeZone", "Europe/Paris")),
          rows(s, "SET spark.sql.session.timeZone=Europe/Paris"), "a harmless setting");
      assertFalse(rows(s, "DESCRIBE curated.user_weekly_usage").isEmpty());
    }
    // Settings sent when connecting never pass the parser: the session is refused as it opens.
    Map<String, String> refusals = new HashMap<>();
    // Whatever the value: one equal to the server's own (its port, its keystore password) is refused too, so
    // a connection cannot test a guess.
    for (String extra : List.of("?spark.sql.runSQLOnFiles=true", "?spark.sql.catalog.lake.uri=jdbc:sqlite:/tmp/other.db",
        "?spark.sql.variable.substitute=true", "?hive.server2.thrift.port=" + port,
        "?hive.server2.keystore.password=" + STORE_PASSWORD, "?hive.server2.keystore.password=wrong-guess",
        "#var=1")) {
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url(extra), "analyst", PASSWORD).close());
      assertTrue(e.getMessage().contains("access denied [endpoint-settings]"), extra + " -> " + e.getMessage());
      refusals.put(extra, e.getMessage().substring(e.getMessage().indexOf("access denied")));
    }
    assertEquals("access denied [endpoint-settings]: settings sent when connecting belong to the endpoint "
        + "(hiveconf:hive.server2.keystore.password); reconnect without them",
        refusals.get("?hive.server2.keystore.password=" + STORE_PASSWORD));
    assertEquals(refusals.get("?hive.server2.keystore.password=wrong-guess"),
        refusals.get("?hive.server2.keystore.password=" + STORE_PASSWORD), "the right password is told from no other");
    assertTrue(output().contains("rule=endpoint-settings reason=\"settings sent when connecting belong to the endpoint "
        + "(hivevar:var); reconnect without them\" statement=\"(connecting)\""), "the refused connection is logged");
  }

  @Test
  @Order(5)
  void historyBranchesAndMetadataTablesAreRefused() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      refused(s, "SELECT * FROM curated.leaderboard_snapshots VERSION AS OF 1", "no-time-travel");
      refused(s, "SELECT * FROM curated.leaderboard_snapshots TIMESTAMP AS OF '2026-11-20 00:00:00'", "no-time-travel");
      refused(s, "SELECT * FROM curated.leaderboard_snapshots.branch_main", "not-published-for-bi");
      refused(s, "SELECT * FROM curated.leaderboard_snapshots.tag_x", "not-published-for-bi");
      for (String metadata : List.of("snapshots", "files", "history", "manifests", "refs", "partitions")) {
        refused(s, "SELECT * FROM curated.user_weekly_usage." + metadata, "not-published-for-bi");
      }
    }
  }

  @Test
  @Order(6)
  void everyViewAndEveryDashboardQueryWorksThroughTheEndpoint() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String view : BiObjects.views()) {
        rows(s, "SELECT * FROM curated." + view);
      }
      for (String table : BiObjects.TABLES) {
        if (!table.equals("model_health")) {
          assertFalse(rows(s, "SELECT * FROM curated." + table).isEmpty(), table + " is empty");
        }
      }
      Map<String, String> queries = DashboardData.queries("curated", W47);
      List<List<String>> latest = rows(s, queries.get("latest"));
      assertEquals(BiScenario.NIGHT, latest.get(0).get(0));
      for (Map.Entry<String, String> q : queries.entrySet()) {
        List<List<String>> result = rows(s, q.getValue().replace("${snapshot}", BiScenario.NIGHT));
        if (!q.getKey().equals("model")) {
          assertFalse(result.isEmpty(), "dashboard query " + q.getKey() + " returned nothing");
        }
      }
    }
    assertTrue(output().contains("granted user=analyst from=127.0.0.1 read=curated.team_weekly_engagement"),
        "accepted reads are logged with the user and the objects read");
  }

  @Test
  @Order(7)
  void resultsAreCappedAndLongStatementsTimeOut() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      assertEquals(MAX_ROWS, rows(s, "SELECT * FROM range(" + MAX_ROWS + ")").size());
      SQLException tooMany = assertThrows(SQLException.class, () -> rows(s, "SELECT * FROM range(" + (MAX_ROWS + 1) + ")"));
      assertTrue(tooMany.getMessage().contains("more than " + MAX_ROWS + " rows"), tooMany.getMessage());
      long start = System.nanoTime();
      SQLException timeout = assertThrows(SQLException.class, () -> rows(s,
          "SELECT sum(id % 7) FROM range(0, 200000000000)"));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(timeout.getMessage().toLowerCase().contains("timed out") || timeout.getMessage().contains("cancel"),
          timeout.getMessage());
      assertTrue(seconds < 120, "cancelled after " + seconds + " s");
    }
  }

  @Test
  @Order(8)
  void aWrongPasswordAnUnknownUserAndAConnectionWithoutTlsAreRefused() {
    assertThrows(SQLException.class, () -> DriverManager.getConnection(url(""), "analyst", "not the password").close());
    assertThrows(SQLException.class, () -> DriverManager.getConnection(url(""), "mallory", PASSWORD).close());
    assertThrows(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:hive2://127.0.0.1:" + port + "/default", "analyst", PASSWORD).close());
  }

  // ---- 3. suppression that survives differencing ------------------------------------------------------------

  /** Figures of the BI engagement table, keyed by week, level and group. */
  private Map<String, Map<String, String>> engagement(Statement s) throws SQLException {
    Map<String, Map<String, String>> out = new HashMap<>();
    List<String> columns = List.of("week_start", "level", "group_key", "suppressed", "eligible_developers",
        "engaged_developers", "engagement_rate", "events", "total_tokens", "engagement_rate_change",
        "engaged_developers_change", "total_tokens_change", "org");
    for (List<String> r : rows(s, "SELECT " + String.join(", ", columns) + " FROM curated.team_weekly_engagement")) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        row.put(columns.get(i), r.get(i));
      }
      out.put(r.get(0) + "/" + r.get(1) + "/" + r.get(2), row);
    }
    return out;
  }

  private static Long num(String value) {
    return value == null ? null : Long.valueOf(value);
  }

  @Test
  @Order(9)
  void noDifferenceOfPublishedFiguresRecoversASuppressedOne() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      Map<String, Map<String, String>> bi = engagement(s);
      Map<String, String> teamOrg = BiScenario.MEMBERS.stream()
          .collect(Collectors.toMap(BiScenario.Member::team, BiScenario.Member::org, (a, b) -> a));
      // The scenario's suppression, as the rules decide it.
      Set<String> hidden46 = Set.of("team/a1", "team/a2", "team/b1", "team/b2", "team/c1", "team/d1", "org/Data", "org/Edge");
      Set<String> hidden47 = Set.of("team/b1", "team/b2", "team/c1", "team/d1", "org/Data", "org/Edge");
      for (LocalDate week : List.of(W46, W47)) {
        Set<String> hidden = week.equals(W46) ? hidden46 : hidden47;
        for (Map<String, String> row : bi.values()) {
          if (!row.get("week_start").equals(week.toString()) || row.get("level").equals("company")) {
            continue;
          }
          String id = row.get("level") + "/" + row.get("group_key");
          assertEquals(hidden.contains(id), Boolean.parseBoolean(row.get("suppressed")), week + " " + id);
          if (hidden.contains(id)) {
            assertNull(row.get("events"), id + " shows a figure");
          }
        }
      }
      // (a) a team that grew past the threshold: rate, engaged and tokens minus their change would be last
      // week's -- the change is withheld.
      Map<String, String> atlas = bi.get(W47 + "/team/a1");
      assertEquals("false", atlas.get("suppressed"));
      assertNull(atlas.get("engagement_rate_change"));
      assertNull(atlas.get("engaged_developers_change"));
      assertNull(atlas.get("total_tokens_change"));
      assertNull(bi.get(W47 + "/team/a2").get("total_tokens_change"), "Beacon was withheld the week before");
      // (b) an org minus its published teams, and the company minus its published orgs, is never one hidden
      // group's figure: it is the sum of two or more.
      for (LocalDate week : List.of(W46, W47)) {
        Map<String, BiScenario.Truth> teams = BiScenario.teams(week);
        Map<String, BiScenario.Truth> orgs = BiScenario.orgs(week);
        for (String org : orgs.keySet()) {
          Map<String, String> orgRow = bi.get(week + "/org/" + org);
          if (Boolean.parseBoolean(orgRow.get("suppressed"))) {
            continue;
          }
          long tokens = num(orgRow.get("total_tokens"));
          long eligible = num(orgRow.get("eligible_developers"));
          for (Map.Entry<String, BiScenario.Truth> t : teams.entrySet()) {
            if (teamOrg.get(t.getKey()).equals(org)) {
              Map<String, String> teamRow = bi.get(week + "/team/" + t.getKey());
              if (!Boolean.parseBoolean(teamRow.get("suppressed"))) {
                tokens -= num(teamRow.get("total_tokens"));
                eligible -= num(teamRow.get("eligible_developers"));
              }
            }
          }
          for (Map.Entry<String, BiScenario.Truth> t : teams.entrySet()) {
            if (teamOrg.get(t.getKey()).equals(org) && Boolean.parseBoolean(bi.get(week + "/team/" + t.getKey()).get("suppressed"))) {
              assertNotEquals(t.getValue().tokens(), tokens, week + ": " + org + " minus its published teams is " + t.getKey());
              assertNotEquals(t.getValue().eligible(), eligible, week + ": " + org + " minus its published teams is " + t.getKey());
            }
          }
        }
        Map<String, String> company = bi.get(week + "/company/all");
        long tokens = num(company.get("total_tokens"));
        for (String org : orgs.keySet()) {
          Map<String, String> orgRow = bi.get(week + "/org/" + org);
          if (!Boolean.parseBoolean(orgRow.get("suppressed"))) {
            tokens -= num(orgRow.get("total_tokens"));
          }
        }
        assertNotEquals(orgs.get("Edge").tokens(), tokens, week + ": the company minus its published orgs is Edge");
        assertEquals(orgs.get("Edge").tokens() + orgs.get("Data").tokens(), tokens, "it is Edge and Data together");
      }
      // (c) moving averages are taken over published weeks only: Apps' W47 4-week average of genuine
      // engagement is not pulled by anything hidden, and Data (hidden both weeks) has none.
      List<List<String>> trend = rows(s, "SELECT group_key, week_start, genuine_engagement_rate, "
          + "genuine_engagement_rate_4w, suppressed FROM curated.genuine_engagement_trend WHERE level = 'org' "
          + "ORDER BY group_key, week_start");
      Map<String, List<Double>> published = new HashMap<>();
      for (List<String> r : trend) {
        if (r.get(2) != null) {
          published.computeIfAbsent(r.get(0), g -> new ArrayList<>()).add(Double.valueOf(r.get(2)));
          List<Double> seen = published.get(r.get(0));
          assertEquals(seen.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), Double.parseDouble(r.get(3)),
              1e-9, "4-week average of " + r.get(0) + " in " + r.get(1));
        } else {
          assertNull(r.get(3), r.get(0) + " " + r.get(1) + " is suppressed and has no average");
        }
      }
      // (d) per-person rows name a team only where the team is published: counting or summing a team's rows
      // never rebuilds a hidden team.
      for (String table : List.of("user_weekly_usage", "usage_classification", "leaderboard_snapshots")) {
        for (List<String> r : rows(s, "SELECT DISTINCT week_start, team_id FROM curated." + table + " WHERE team_id IS NOT NULL")) {
          Set<String> hidden = r.get(0).equals(W46.toString()) ? hidden46 : hidden47;
          assertFalse(hidden.contains("team/" + r.get(1)), table + " names hidden team " + r.get(1) + " in " + r.get(0));
        }
      }
      List<List<String>> usage = rows(s, "SELECT week_start, team_id, count(*), sum(total_tokens) FROM "
          + "curated.user_weekly_usage WHERE team_id IS NOT NULL GROUP BY 1, 2");
      for (List<String> r : usage) {
        Map<String, String> team = bi.get(r.get(0) + "/team/" + r.get(1));
        assertEquals(team.get("engaged_developers"), r.get(2), "person rows of " + r.get(1) + " = its published count");
      }
      // (f) the members of a team, read off a week where it is published, summed in a week where it is hidden:
      // Atlas (small) and Beacon (its cover) are hidden in W46 and published in W47. Apps minus Comet minus
      // Beacon's members would be Atlas; Atlas's members would be Atlas directly. Neither has a W46 row.
      Map<String, BiScenario.Truth> teams46 = BiScenario.teams(W46);
      long appsMinusComet = num(bi.get(W46 + "/org/Apps").get("total_tokens")) - num(bi.get(W46 + "/team/a3").get("total_tokens"));
      assertEquals(teams46.get("a1").tokens() + teams46.get("a2").tokens(), appsMinusComet);
      for (String team : List.of("a1", "a2")) {
        List<List<String>> members = rows(s, "SELECT DISTINCT person_id FROM curated.user_weekly_usage WHERE week_start = "
            + "DATE '" + W47 + "' AND team_id = '" + team + "'");
        assertFalse(members.isEmpty(), team + " has people in W47");
        String in = members.stream().map(r -> "'" + r.get(0) + "'").collect(Collectors.joining(", "));
        for (String table : List.of("user_weekly_usage", "usage_classification", "leaderboard_snapshots")) {
          assertEquals(List.of(List.of("0")), rows(s, "SELECT count(*) FROM curated." + table + " WHERE week_start = DATE '"
              + W46 + "' AND person_id IN (" + in + ")"), table + ": W46 rows of " + team + "'s W47 members");
        }
        long sum = num(rows(s, "SELECT coalesce(sum(total_tokens), 0) FROM curated.user_weekly_usage WHERE week_start = "
            + "DATE '" + W46 + "' AND person_id IN (" + in + ")").get(0).get(0));
        assertNotEquals(teams46.get("a1").tokens(), team.equals("a1") ? sum : appsMinusComet - sum,
            "W46 Atlas rebuilt from the per-person rows of " + team + "'s members");
      }
      // (e) the org row of the unsuppressed private table never reaches BI: the BI org rows of hidden orgs are
      // empty, and no BI table holds another figure of Data or Edge.
      assertNull(bi.get(W47 + "/org/Data").get("eligible_developers"));
      assertNull(bi.get(W47 + "/org/Edge").get("engaged_developers"));
    }
  }

  // ---- 4. redaction -----------------------------------------------------------------------------------------

  @Test
  @Order(10)
  void noPromptOrOutputTextIsStoredAnywhereAcceptedOrRejected() throws Exception {
    List<String> tables = List.of("raw.usage_events", "raw.usage_events_rejected", "raw.developer_directory",
        "curated.job_runs", "curated.model_runs", "curated_private.team_weekly_engagement",
        "curated_private.user_weekly_usage", "curated_private.user_weekly_features",
        "curated_private.usage_classification", "curated_private.leaderboard_snapshots");
    String everything = tables.stream().map(t -> "SELECT '" + t + "' AS t, to_json(struct(*)) AS j FROM " + t)
        .collect(Collectors.joining(" UNION ALL "));
    Run check = run(Map.of(), "sql", "--format", "csv", "-e",
        "SELECT t, count(*) FROM (" + everything + ") WHERE j LIKE '%" + BiScenario.SECRET + "%' GROUP BY t;"
            + "SELECT count(*) FROM raw.usage_events_rejected;"
            + "SELECT count(*) FROM raw.usage_events WHERE extra_fields['prompt'] LIKE '%removed%';"
            + "SELECT extra_fields['ctx'] FROM raw.usage_events WHERE extra_fields['ctx'] IS NOT NULL LIMIT 1;"
            + "SELECT raw_line FROM raw.usage_events_rejected WHERE event_id = 'cut1' OR raw_line LIKE '%cut1%'");
    assertEquals(0, check.exit(), check.output());
    List<String> lines = check.output().lines().filter(l -> !l.contains(" WARN ")).toList();
    assertFalse(check.output().contains(BiScenario.SECRET), "text found:\n" + check.output());
    assertTrue(lines.contains(String.valueOf(BiScenario.TEXT_NAMES.size() + 1)), "every bad line is kept, redacted: " + lines);
    assertTrue(check.output().contains("{\"\"history\"\":[{\"\"role\"\":\"\"user\"\",\"\"")
            && check.output().contains("\"\":\"\"[removed: prompt or output text is never stored]\"\"}]}"),
        "names are kept, values removed: " + check.output());
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String table : BiObjects.TABLES) {
        for (List<String> r : rows(s, "SELECT to_json(struct(*)) FROM curated." + table)) {
          assertFalse(r.get(0).contains(BiScenario.SECRET), table);
        }
      }
    }
  }

  // ---- 5. the pseudonym key ---------------------------------------------------------------------------------

  @Test
  @Order(11)
  void aKeyOthersCanReadIsRefusedWithTheCommandThatFixesIt() throws Exception {
    Path key = lakeDir.resolve("pseudonym.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    try {
      for (String[] command : List.of(new String[] {"bi-publish", "--date", BiScenario.NIGHT},
          new String[] {"serve", "--port", "1"})) {
        Run refused = run(Map.of(), command);
        assertEquals(3, refused.exit(), refused.output());
        List<String> errors = refused.output().lines().filter(l -> l.startsWith("goodhart ")).toList();
        assertEquals(1, errors.size(), refused.output());
        assertTrue(errors.get(0).endsWith("run: chmod 600 " + key), errors.get(0));
        assertFalse(refused.output().contains("\tat "), "no stack trace: " + refused.output());
      }
    } finally {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }
  }

  /** Last: the lake's BI tables are left under the new key. */
  @Test
  @Order(15)
  void aRotatedKeyIsNoticedAndEveryPseudonymIsReplaced() throws Exception {
    String newKey = Base64.getEncoder().encodeToString("a brand new key for the BI copies".getBytes(StandardCharsets.UTF_8));
    Run rotated = run(Map.of("GOODHART_PSEUDONYM_KEY", newKey), "bi-publish", "--date", BiScenario.NIGHT);
    assertEquals(0, rotated.exit(), rotated.output());
    assertTrue(rotated.output().contains("the pseudonym key changed"), rotated.output());
    Pseudonyms fresh = new Pseudonyms(newKey.getBytes(StandardCharsets.UTF_8));
    Set<String> expected = new HashSet<>();
    for (BiScenario.Member m : BiScenario.MEMBERS) {
      expected.addAll(List.of(fresh.of(m.user()), fresh.ofWeek(m.user(), W46), fresh.ofWeek(m.user(), W47)));
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String table : List.of("user_weekly_usage", "usage_classification", "leaderboard_snapshots")) {
        Set<String> seen = rows(s, "SELECT DISTINCT person_id FROM curated." + table).stream().map(r -> r.get(0))
            .collect(Collectors.toSet());
        assertFalse(seen.isEmpty(), table);
        assertTrue(expected.containsAll(seen), table + " holds pseudonyms of another key: " + seen);
      }
    }
  }

  // ---- 2. the network -----------------------------------------------------------------------------------------

  @Test
  @Order(13)
  void anEmptyHostAnOverridingEnvironmentAndCleartextOffLoopbackAreEachRefusedWithOneLine() throws Exception {
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("--host is empty", new String[] {"serve", "--host", "", "--port", "1"});
    cases.put("without TLS", new String[] {"serve", "--host", "192.0.2.10", "--port", "1", "--password-file",
        passwords.toString()});
    cases.put("without authentication", new String[] {"serve", "--host", "192.0.2.10", "--port", "1"});
    cases.put("is not ldaps://", new String[] {"serve", "--host", "192.0.2.10", "--port", "1", "--ldap-url",
        "ldap://ldap.example:389"});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      Run refused = run(Map.of(), c.getValue());
      assertEquals(2, refused.exit(), c.getKey() + ": " + refused.output());
      assertTrue(refused.output().contains(c.getKey()), refused.output());
      assertFalse(refused.output().contains("\tat "), refused.output());
    }
    Run overridden = run(Map.of("HIVE_SERVER2_THRIFT_BIND_HOST", "0.0.0.0"), "serve", "--port", "1");
    assertEquals(2, overridden.exit(), overridden.output());
    assertTrue(overridden.output().contains("HIVE_SERVER2_THRIFT_BIND_HOST is set"), overridden.output());
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-r--r--"));
    try {
      Run open = run(Map.of(), "serve", "--port", "1", "--password-file", passwords.toString());
      assertEquals(3, open.exit(), open.output());
      assertTrue(open.output().contains("run: chmod 600 " + passwords), open.output());
    } finally {
      Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  @Order(14)
  void theDataTeamKeepsFullAccessThroughGoodhartSqlOnTheMachine() throws Exception {
    // Spark's own interactive shell on the machine, fed a statement over several lines, reads a private table.
    Process shell = GoodhartJar.command(lakeDir, "2g", "sql").redirectErrorStream(true).start();
    shell.getOutputStream().write(("SELECT team_id,\n  count(*) AS people\nFROM curated_private.user_weekly_usage\n"
        + "WHERE week_start = DATE '2026-11-16' AND team_id = 'b1' GROUP BY team_id;\nquit;\n").getBytes(StandardCharsets.UTF_8));
    shell.getOutputStream().close();
    String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(shell.waitFor(3, TimeUnit.MINUTES));
    assertEquals(0, shell.exitValue(), output);
    assertTrue(output.contains("team_id\tpeople"), output);
    assertTrue(output.contains("b1\t2"), "the data team sees the small team Delta: " + output);
  }
}
