package io.goodhart.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where and how the endpoint may listen, decided before anything starts. */
class JdbcEndpointTest {
  @TempDir static Path dir;
  private static Path passwords;
  private static Path keystore;
  private static Path storePassword;

  @BeforeAll
  static void filesOfAServer() throws Exception {
    passwords = dir.resolve("bi.passwords");
    PasswordFile.addUser(passwords, "analyst", "correct horse battery");
    keystore = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "goodhart", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=goodhart",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "store-secret",
        "-keypass", "store-secret").redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertTrue(keytool.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, keytool.exitValue());
    storePassword = dir.resolve("store.password");
    Files.writeString(storePassword, "store-secret\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(storePassword, PosixFilePermissions.fromString("rw-------"));
  }

  private static JdbcEndpoint.Settings on(String host) {
    return new JdbcEndpoint.Settings(host, 10000, null, null, null, null, null, false);
  }

  private static String refusal(JdbcEndpoint.Settings s, Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> JdbcEndpoint.resolve(s, env)).getMessage();
  }

  @Test
  void loopbackWithoutAuthenticationIsFineAndBindsThatAddress() {
    JdbcEndpoint.Resolved r = JdbcEndpoint.resolve(on("127.0.0.1"), Map.of());
    assertEquals("127.0.0.1", r.address().getHostAddress());
    assertNull(r.warning());
  }

  @Test
  void anEmptyOrUnresolvableHostIsRefused() {
    for (String host : List.of("", "  ")) {
      assertTrue(refusal(on(host), Map.of()).startsWith("--host is empty"), host);
    }
    assertTrue(refusal(on("no-such-host.invalid"), Map.of()).contains("cannot be resolved"));
  }

  @Test
  void environmentVariablesThatWouldMoveTheEndpointAreRefused() {
    for (String variable : JdbcEndpoint.OVERRIDING_ENVIRONMENT) {
      assertTrue(refusal(on("127.0.0.1"), Map.of(variable, "0.0.0.0")).contains(variable + " is set"), variable);
    }
  }

  @Test
  void offLoopbackAuthenticationAndTlsAreRequired() {
    assertTrue(refusal(on("192.0.2.10"), Map.of()).contains("without authentication"));
    assertTrue(refusal(on("0.0.0.0"), Map.of()).contains("without authentication"));
    JdbcEndpoint.Settings noTls = new JdbcEndpoint.Settings("192.0.2.10", 10000, passwords, null, null, null, null, false);
    assertTrue(refusal(noTls, Map.of()).contains("without TLS"));
    JdbcEndpoint.Settings cleartext = new JdbcEndpoint.Settings("192.0.2.10", 10000, passwords, null, null, null, null, true);
    assertTrue(JdbcEndpoint.resolve(cleartext, Map.of()).warning().startsWith("WARNING: serving on 192.0.2.10 without TLS"));
    JdbcEndpoint.Settings tls = new JdbcEndpoint.Settings("192.0.2.10", 10000, passwords, null, null, keystore,
        storePassword, false);
    JdbcEndpoint.Resolved r = JdbcEndpoint.resolve(tls, Map.of());
    assertTrue(r.tls());
    assertNull(r.warning());
  }

  @Test
  void theKeystorePasswordComesFromAFileOrTheEnvironmentAndMustOpenTheKeystore() {
    JdbcEndpoint.Settings fromEnv = new JdbcEndpoint.Settings("127.0.0.1", 10000, null, null, null, keystore, null, false);
    assertTrue(JdbcEndpoint.resolve(fromEnv, Map.of(JdbcEndpoint.KEYSTORE_PASSWORD_ENV, "store-secret")).tls());
    assertTrue(refusal(fromEnv, Map.of()).contains("--tls-keystore needs its password"));
    InputException wrong = assertThrows(InputException.class,
        () -> JdbcEndpoint.resolve(fromEnv, Map.of(JdbcEndpoint.KEYSTORE_PASSWORD_ENV, "not-it")));
    assertTrue(wrong.getMessage().contains("cannot be opened with the password given"), wrong.getMessage());
  }

  @Test
  void ldapOnlyOverLdapsAndNeverBesideAPasswordFile() {
    JdbcEndpoint.Settings ldap = new JdbcEndpoint.Settings("127.0.0.1", 10000, null, "ldap://ldap.example:389", null,
        null, null, false);
    assertTrue(refusal(ldap, Map.of()).contains("is not ldaps://"));
    JdbcEndpoint.Settings ldaps = new JdbcEndpoint.Settings("127.0.0.1", 10000, null, "ldaps://ldap.example:636", null,
        null, null, false);
    assertEquals("LDAP ldaps://ldap.example:636", JdbcEndpoint.resolve(ldaps, Map.of()).settings().authentication());
    JdbcEndpoint.Settings both = new JdbcEndpoint.Settings("127.0.0.1", 10000, passwords, "ldaps://ldap.example:636",
        null, null, null, false);
    assertTrue(refusal(both, Map.of()).contains("choose one"));
  }

  @Test
  void theLdapUrlIsOneLdapsAddress() {
    assertEquals("--ldap-url must be one ldaps:// address, without spaces: \"ldaps://x ldap://y\"",
        refusal(ldap("ldaps://x ldap://y"), Map.of()));
    assertEquals("--ldap-url must be one ldaps:// address, without spaces: \"ldaps://x\tldap://y\"",
        refusal(ldap("ldaps://x\tldap://y"), Map.of()));
    assertTrue(refusal(ldap("LDAP://ldap.example"), Map.of()).endsWith("is not ldaps://: passwords would cross the "
        + "network in clear; give the ldaps:// address of the directory"));
    assertEquals("--ldap-url ldaps:///dc=example names no host: give ldaps://HOST[:PORT]",
        refusal(ldap("ldaps:///dc=example"), Map.of()));
    assertEquals("LDAP LDAPS://ldap.example:636", JdbcEndpoint.resolve(ldap("LDAPS://ldap.example:636"), Map.of())
        .settings().authentication());
  }

  private static JdbcEndpoint.Settings ldap(String url) {
    return new JdbcEndpoint.Settings("127.0.0.1", 10000, null, url, null, null, null, false);
  }

  @Test
  void aUserNameOrAddressIsOneFieldOfTheAccessLog() {
    assertEquals("analyst", AccessLog.field("analyst"));
    assertEquals("ana.lyst@example.com", AccessLog.field("ana.lyst@example.com"));
    assertEquals("\"x rule=read-only\"", AccessLog.field("x rule=read-only"));
    assertEquals("\"a|b\"", AccessLog.field("a|b"));
    assertEquals("\"eve\\\" granted user=\\\"admin\"", AccessLog.field("eve\" granted user=\"admin"));
    assertEquals("\"eve goodhart serve access: forged\"", AccessLog.field("eve\ngoodhart serve access: forged"),
        "a line break cannot start a line of its own");
  }

  @Test
  void aConnectionMaySendItsStartNamespaceAndFetchSizeAndNoOtherSetting() {
    assertNull(ConnectionSettings.refusal(Map.of("use:database", "default", ConnectionSettings.FETCH_SIZE, "1000")));
    assertEquals("settings sent when connecting belong to the endpoint (hiveconf:hive.server2.keystore.password); "
        + "reconnect without them", ConnectionSettings.refusal(Map.of("set:hiveconf:hive.server2.keystore.password", "x")));
    assertEquals("settings sent when connecting belong to the endpoint (hivevar:v, system:goodhart.x); reconnect "
        + "without them", ConnectionSettings.refusal(Map.of("set:system:goodhart.x", "1", "set:hivevar:v", "2")));
    assertEquals("settings sent when connecting belong to the endpoint (hive.server2.proxy.user); reconnect without "
        + "them", ConnectionSettings.refusal(Map.of("hive.server2.proxy.user", "admin")));
    assertEquals("settings sent when connecting belong to the endpoint (hiveconf:hive.server2.thrift.resultset.default"
        + ".fetch.size); reconnect without them", ConnectionSettings.refusal(Map.of(ConnectionSettings.FETCH_SIZE, "1; x")));
  }

  @Test
  void secretFilesMustBeOwnerOnly() throws Exception {
    Path open = dir.resolve("open.passwords");
    Files.copy(passwords, open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    InputException e = assertThrows(InputException.class, () -> JdbcEndpoint.resolve(
        new JdbcEndpoint.Settings("127.0.0.1", 10000, open, null, null, null, null, false), Map.of()));
    assertTrue(e.getMessage().endsWith("run: chmod 600 " + open), e.getMessage());
    Path openPassword = dir.resolve("open.password");
    Files.writeString(openPassword, "store-secret");
    Files.setPosixFilePermissions(openPassword, PosixFilePermissions.fromString("rw-rw----"));
    InputException store = assertThrows(InputException.class, () -> JdbcEndpoint.resolve(
        new JdbcEndpoint.Settings("127.0.0.1", 10000, null, null, null, keystore, openPassword, false), Map.of()));
    assertTrue(store.getMessage().endsWith("run: chmod 600 " + openPassword), store.getMessage());
  }
}
