package io.goodhart.serve;

import io.goodhart.lake.InputException;
import io.goodhart.privacy.OwnerOnlyFile;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import org.apache.hive.service.Service;
import org.apache.hive.service.cli.thrift.ThriftBinaryCLIService;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.apache.thrift.server.TServer;
import org.apache.thrift.transport.TServerSocket;

/**
 * The Spark Thrift Server (HiveServer2 protocol) on the session's catalog, for BI tools that speak
 * {@code jdbc:hive2://}. Where it listens is decided once: the host is resolved to one address, the
 * server binds exactly that address (never the wildcard an empty host would mean to HiveServer2), the
 * environment variables through which HiveServer2 would override it must be unset, and after start the
 * bound socket is checked against it. Off loopback it needs authentication (a password file or LDAP over
 * {@code ldaps://}) and TLS, unless cleartext is allowed on purpose; files holding secrets must be
 * owner-only.
 */
public final class JdbcEndpoint {
  /** Environment variables HiveServer2 reads in place of its settings: each would move the endpoint. */
  static final List<String> OVERRIDING_ENVIRONMENT = List.of("HIVE_SERVER2_THRIFT_BIND_HOST",
      "HIVE_SERVER2_THRIFT_PORT", "HIVE_SERVER2_THRIFT_HTTP_PORT", "HIVE_SERVER2_TRANSPORT_MODE");
  /** Where the keystore password may come from besides a file: never a command-line value. */
  public static final String KEYSTORE_PASSWORD_ENV = "GOODHART_TLS_KEYSTORE_PASSWORD";
  static final String KEYSTORE_PASSWORD_SETTING = "hive.server2.keystore.password";

  /**
   * How to listen and whom to let in: at most one of passwordFile and ldapUrl; a keystore for TLS with its
   * password from a file or {@value #KEYSTORE_PASSWORD_ENV}.
   */
  public record Settings(String host, int port, Path passwordFile, String ldapUrl, String ldapBaseDn,
      Path tlsKeystore, Path tlsKeystorePasswordFile, boolean allowCleartext) {
    public String authentication() {
      return passwordFile != null ? "password file " + passwordFile
          : ldapUrl != null ? "LDAP " + ldapUrl : "none (loopback only)";
    }
  }

  /** Settings checked and resolved: the one address to bind, and the keystore password when TLS is on. */
  public record Resolved(Settings settings, InetAddress address, char[] keystorePassword, String warning) {
    public boolean tls() {
      return keystorePassword != null;
    }
  }

  private JdbcEndpoint() {}

  /**
   * Checks the settings against the rules above and resolves the address. A rule broken by the options is
   * a usage error ({@link IllegalArgumentException}, exit 2); a file that is missing, unreadable or open to
   * other users is bad input ({@link InputException}, exit 3).
   */
  public static Resolved resolve(Settings s, Map<String, String> env) {
    if (s.host() == null || s.host().isBlank()) {
      throw new IllegalArgumentException("--host is empty: give the one address to listen on, e.g. 127.0.0.1 "
          + "(an empty host would make the server listen on every interface)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(s.host().trim());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--host " + s.host() + " cannot be resolved to an address");
    }
    for (String variable : OVERRIDING_ENVIRONMENT) {
      if (env.get(variable) != null) {
        throw new IllegalArgumentException("the environment variable " + variable + " is set (" + env.get(variable)
            + ") and would override where the endpoint listens; unset it and give --host and --port");
      }
    }
    if (s.passwordFile() != null && s.ldapUrl() != null) {
      throw new IllegalArgumentException("choose one of --password-file and --ldap-url");
    }
    if (s.ldapUrl() != null) {
      checkLdapUrl(s.ldapUrl());
    }
    if (s.passwordFile() != null) {
      if (!Files.isRegularFile(s.passwordFile())) {
        throw new InputException("password file " + s.passwordFile() + " does not exist: create it with goodhart serve "
            + "--add-user NAME --password-file " + s.passwordFile());
      }
      OwnerOnlyFile.check(s.passwordFile(), "password file",
          "its hashes let anyone who reads them try passwords offline, and anyone who writes it add a user");
      if (PasswordFile.read(s.passwordFile()).isEmpty()) {
        throw new IllegalArgumentException("password file " + s.passwordFile()
            + " has no users: add one with goodhart serve --add-user NAME");
      }
    }
    char[] keystorePassword = s.tlsKeystore() == null ? null : keystorePassword(s, env);
    boolean authenticated = s.passwordFile() != null || s.ldapUrl() != null;
    String warning = null;
    if (!address.isLoopbackAddress()) {
      if (!authenticated) {
        throw new IllegalArgumentException("refusing to serve on " + s.host() + " without authentication: bind to "
            + "127.0.0.1, or give --password-file FILE (goodhart serve --add-user NAME --password-file FILE) or "
            + "--ldap-url ldaps://...");
      }
      if (keystorePassword == null && !s.allowCleartext()) {
        throw new IllegalArgumentException("refusing to serve on " + s.host() + " without TLS: passwords and results "
            + "would cross the network in clear; give --tls-keystore FILE (password in --tls-keystore-password-file "
            + "or $" + KEYSTORE_PASSWORD_ENV + "), or --allow-cleartext on a network you trust");
      }
      if (keystorePassword == null) {
        warning = "WARNING: serving on " + s.host() + " without TLS (--allow-cleartext): passwords and query results "
            + "cross the network in clear";
      }
    }
    return new Resolved(s, address, keystorePassword, warning);
  }

  /**
   * One {@code ldaps://} address. HiveServer2 takes a space-separated list of directory URLs and tries each,
   * so {@code "ldaps://a ldap://b"} would send passwords in clear to b: the value must be a single URI.
   */
  static void checkLdapUrl(String url) {
    if (url.isBlank() || url.codePoints().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("--ldap-url must be one ldaps:// address, without spaces: \"" + url + "\"");
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("--ldap-url " + url + " is not a URI: " + e.getReason());
    }
    if (!"ldaps".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("--ldap-url " + url + " is not ldaps://: passwords would cross the "
          + "network in clear; give the ldaps:// address of the directory");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("--ldap-url " + url + " names no host: give ldaps://HOST[:PORT]");
    }
  }

  private static char[] keystorePassword(Settings s, Map<String, String> env) {
    if (!Files.isRegularFile(s.tlsKeystore())) {
      throw new InputException("TLS keystore " + s.tlsKeystore() + " does not exist");
    }
    String password;
    if (s.tlsKeystorePasswordFile() != null) {
      if (!Files.isRegularFile(s.tlsKeystorePasswordFile())) {
        throw new InputException("keystore password file " + s.tlsKeystorePasswordFile() + " does not exist");
      }
      OwnerOnlyFile.check(s.tlsKeystorePasswordFile(), "keystore password file",
          "anyone who reads it can open the server's private key");
      try {
        password = Files.readString(s.tlsKeystorePasswordFile(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new InputException("keystore password file " + s.tlsKeystorePasswordFile() + " cannot be read: "
            + e.getMessage(), e);
      }
    } else if (env.get(KEYSTORE_PASSWORD_ENV) != null) {
      password = env.get(KEYSTORE_PASSWORD_ENV);
    } else {
      throw new IllegalArgumentException("--tls-keystore needs its password: --tls-keystore-password-file FILE or $"
          + KEYSTORE_PASSWORD_ENV + " (never a command-line value, which every user of the machine can see)");
    }
    try (InputStream in = Files.newInputStream(s.tlsKeystore())) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, password.toCharArray());
      if (!store.aliases().hasMoreElements()) {
        throw new InputException("TLS keystore " + s.tlsKeystore() + " holds no key");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new InputException("TLS keystore " + s.tlsKeystore() + " cannot be opened with the password given: "
          + e.getMessage(), e);
    }
    return password.toCharArray();
  }

  /** Starts the server on the session's SparkContext; each JDBC connection gets its own session. */
  public static HiveThriftServer2 start(SparkSession spark, Resolved r) {
    Settings s = r.settings();
    // HiveServer2 reads its settings from HiveConf, which takes system properties over any other source.
    System.setProperty("hive.server2.transport.mode", "binary");
    System.setProperty("hive.server2.thrift.bind.host", r.address().getHostAddress());
    System.setProperty("hive.server2.thrift.port", String.valueOf(s.port()));
    System.setProperty("hive.server2.enable.doAs", "false");
    if (r.tls()) {
      System.setProperty("hive.server2.use.SSL", "true");
      System.setProperty("hive.server2.keystore.path", s.tlsKeystore().toAbsolutePath().toString());
      // Not a system property: HiveServer2 hands every session the hive.* system properties as its settings.
      // The server's configuration is built from the session's when it starts, and read from there.
      spark.conf().set(KEYSTORE_PASSWORD_SETTING, new String(r.keystorePassword()));
    } else {
      System.setProperty("hive.server2.use.SSL", "false");
    }
    if (s.passwordFile() != null) {
      System.setProperty("hive.server2.authentication", "CUSTOM");
      System.setProperty("hive.server2.custom.authentication.class", PasswordFileAuthenticator.class.getName());
      System.setProperty(PasswordFileAuthenticator.FILE_PROPERTY, s.passwordFile().toAbsolutePath().toString());
    } else if (s.ldapUrl() != null) {
      System.setProperty("hive.server2.authentication", "LDAP");
      System.setProperty("hive.server2.authentication.ldap.url", s.ldapUrl());
      if (s.ldapBaseDn() != null) {
        System.setProperty("hive.server2.authentication.ldap.baseDN", s.ldapBaseDn());
      }
    } else {
      System.setProperty("hive.server2.authentication", "NONE");
    }
    HiveThriftServer2 server;
    try {
      server = HiveThriftServer2.startWithContext(spark.sqlContext());
    } finally {
      spark.conf().unset(KEYSTORE_PASSWORD_SETTING);
    }
    InetAddress bound = boundAddress(server);
    if (!r.address().equals(bound)) {
      server.stop();
      throw new IllegalStateException("the endpoint was to listen on " + r.address().getHostAddress() + " but listens on "
          + (bound == null ? "an address it cannot tell" : bound.getHostAddress()) + "; stopped");
    }
    try {
      ConnectionSettings.install(server);
    } catch (ReflectiveOperationException | RuntimeException e) {
      server.stop();
      throw new IllegalStateException("the check of settings sent when connecting cannot be installed (" + e
          + "); stopped");
    }
    return server;
  }

  /**
   * The address the Thrift server's socket is bound to, read from the running server (its socket is opened
   * when the service starts, or shortly after by its thread); null when it cannot be told.
   */
  static InetAddress boundAddress(HiveThriftServer2 server) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        for (Service service : server.getServices()) {
          if (service instanceof ThriftBinaryCLIService thrift) {
            Field serverField = ThriftBinaryCLIService.class.getDeclaredField("server");
            serverField.setAccessible(true);
            TServer tserver = (TServer) serverField.get(thrift);
            if (tserver != null) {
              Field transport = TServer.class.getDeclaredField("serverTransport_");
              transport.setAccessible(true);
              ServerSocket socket = ((TServerSocket) transport.get(tserver)).getServerSocket();
              if (socket != null && socket.isBound()) {
                return socket.getInetAddress();
              }
            }
          }
        }
        Thread.sleep(100);
      } catch (ReflectiveOperationException | ClassCastException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}
