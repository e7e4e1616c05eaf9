package io.goodhart.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;

/**
 * The Spark Thrift Server (HiveServer2 protocol) on the session's catalog, for BI tools that speak
 * {@code jdbc:hive2://}. Without authentication it binds to a loopback address only; on any other
 * address it needs a password file or LDAP, and refuses to start otherwise: the curated tables are
 * company data, and an open port on a shared network is not a place for them.
 */
public final class JdbcEndpoint {
  /** How to listen and whom to let in; at most one of passwordFile and ldapUrl. */
  public record Settings(String host, int port, Path passwordFile, String ldapUrl, String ldapBaseDn) {
    public String authentication() {
      return passwordFile != null ? "password file " + passwordFile
          : ldapUrl != null ? "LDAP " + ldapUrl : "none (loopback only)";
    }
  }

  private JdbcEndpoint() {}

  /** Refuses settings that would expose the catalog without authentication; returns a reason or null. */
  public static String refusal(Settings s) {
    if (s.passwordFile() != null && s.ldapUrl() != null) {
      return "choose one of --password-file and --ldap-url";
    }
    if (s.passwordFile() != null) {
      PasswordFile users = PasswordFile.read(s.passwordFile());
      if (users.isEmpty()) {
        return "password file " + s.passwordFile() + " has no users: add one with goodhart serve --add-user NAME";
      }
      return null;
    }
    if (s.ldapUrl() != null) {
      return null;
    }
    if (!isLoopback(s.host())) {
      return "refusing to serve on " + s.host() + " without authentication: bind to 127.0.0.1, or give "
          + "--password-file FILE (goodhart serve --add-user NAME --password-file FILE) or --ldap-url URL";
    }
    return null;
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Starts the server on the session's SparkContext; each JDBC connection gets its own session. */
  public static HiveThriftServer2 start(SparkSession spark, Settings s) {
    String refused = refusal(s);
    if (refused != null) {
      throw new IllegalArgumentException(refused);
    }
    // HiveServer2 reads its settings from HiveConf, which takes them from system properties.
    System.setProperty("hive.server2.transport.mode", "binary");
    System.setProperty("hive.server2.thrift.bind.host", s.host());
    System.setProperty("hive.server2.thrift.port", String.valueOf(s.port()));
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
    return HiveThriftServer2.startWithContext(spark.sqlContext());
  }
}
