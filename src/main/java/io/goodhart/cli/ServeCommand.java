package io.goodhart.cli;

import io.goodhart.lake.LakeConfig;
import io.goodhart.publish.BiObjects;
import io.goodhart.serve.BiAccess;
import io.goodhart.serve.BiAccessExtensions;
import io.goodhart.serve.JdbcEndpoint;
import io.goodhart.serve.PasswordFile;
import io.goodhart.publish.BiViews;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code goodhart serve}: a JDBC endpoint (Spark Thrift Server, HiveServer2 protocol) for Superset,
 * Tableau, Power BI, DBeaver or beeline, on which every session is a BI reader's: it lists and reads only
 * what {@code bi-publish} published for BI and the BI views ({@link BiAccess}). Runs until stopped.
 * {@code --add-user} manages the password file instead of serving.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve what is published for BI over JDBC (jdbc:hive2://HOST:PORT/), read-only; 127.0.0.1:10000 by default.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "The one address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "10000", description = "Port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Users allowed to connect (see --add-user), owner-only; needed off loopback unless --ldap-url.")
  Path passwordFile;

  @Option(names = "--ldap-url", paramLabel = "URL", description = "Authenticate users against LDAP, ldaps:// only, e.g. ldaps://ldap.example:636.")
  String ldapUrl;

  @Option(names = "--ldap-base-dn", paramLabel = "DN", description = "LDAP base DN of users, e.g. ou=people,dc=example,dc=com.")
  String ldapBaseDn;

  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "Keystore (PKCS12 or JKS) with the server's key and certificate: TLS, needed off loopback.")
  Path tlsKeystore;

  @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
      description = "Owner-only file holding the keystore password (or $" + JdbcEndpoint.KEYSTORE_PASSWORD_ENV + ").")
  Path tlsKeystorePasswordFile;

  @Option(names = "--allow-cleartext",
      description = "Serve off loopback without TLS, on a network you trust (prints a warning).")
  boolean allowCleartext;

  @Option(names = "--add-user", paramLabel = "NAME",
      description = "Add (or change) a user in --password-file, reading the password from the terminal or stdin, then exit.")
  String addUser;

  @Mixin LakeOptions lake;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (addUser != null) {
      return addUser();
    }
    JdbcEndpoint.Settings settings = new JdbcEndpoint.Settings(host, port, passwordFile, ldapUrl, ldapBaseDn,
        tlsKeystore, tlsKeystorePasswordFile, allowCleartext);
    JdbcEndpoint.Resolved endpoint;
    try {
      endpoint = JdbcEndpoint.resolve(settings, System.getenv());
    } catch (io.goodhart.lake.SettingException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      // One line, as for a bad setting: the options parsed, their combination is what is refused.
      throw new io.goodhart.lake.SettingException(e.getMessage());
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      throw new IllegalStateException("goodhart serve needs a process of its own: its BI-reader checks are installed "
          + "when the process's Spark session is created");
    }
    LakeConfig config = lake.config();
    // Plain table names in BI tools resolve in the lake's catalog, not Spark's empty built-in one.
    lake.conf.putIfAbsent("spark.sql.defaultCatalog", config.catalog());
    lake.conf.put("spark.sql.extensions", config.sparkSettings().get("spark.sql.extensions") + ","
        + BiAccessExtensions.class.getName());
    // SELECT ... FROM text.`/path` would read any file the server can; ${env:...} would read its environment.
    lake.conf.put("spark.sql.runSQLOnFiles", "false");
    lake.conf.put("spark.sql.variable.substitute", "false");
    lake.conf.put("spark.sql.hive.thriftServer.singleSession", "false");
    // A statement past its timeout is cancelled with its tasks interrupted, so it stops using the machine.
    lake.conf.put("spark.sql.thriftServer.interruptOnCancel", "true");
    lake.conf.put("spark.sql.thriftServer.queryTimeout",
        config.integerAtLeast(LakeConfig.SERVE_STATEMENT_TIMEOUT, 1) + "s");
    int maxRows = config.integerAtLeast(LakeConfig.SERVE_MAX_RESULT_ROWS, 1);
    LakeOptions.Lake open = lake.open();
    new BiViews(open.spark(), open.tables(), spec.commandLine().getOut()::println).install();
    // JDBC clients open their session with USE default (jdbc:hive2://host:port/default), which must
    // exist in the lake's catalog now that it is the default catalog.
    open.spark().sql("CREATE NAMESPACE IF NOT EXISTS " + open.config().catalog() + ".default");

    BiAccess.enable(new BiAccess.Policy(open.config().catalog(), open.config().curatedNamespace(),
        lower(Set.copyOf(BiObjects.TABLES)), lower(Set.copyOf(BiObjects.views())), maxRows,
        BiAccess.baseline(open.spark().newSession())));
    BiAccess.selfTest(open.spark(), open.tables().usageEvents());
    HiveThriftServer2 server = JdbcEndpoint.start(open.spark(), endpoint);
    BiAccess.serving(server);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      open.close();
      stopped.countDown();
    }, "goodhart-serve-stop"));
    if (endpoint.warning() != null) {
      spec.commandLine().getErr().println("goodhart serve: " + endpoint.warning());
      spec.commandLine().getErr().flush();
    }
    spec.commandLine().getOut().printf("goodhart serve: listening on jdbc:hive2://%s:%d/ (address %s, catalog %s, "
            + "authentication: %s, TLS: %s); BI readers see %s.{%s}; Ctrl-C stops%n", host, port,
        endpoint.address().getHostAddress(), open.config().catalog(), settings.authentication(),
        endpoint.tls() ? "on" : "off", open.config().curatedNamespace(),
        String.join(", ", BiObjects.TABLES) + ", " + String.join(", ", BiObjects.views()));
    spec.commandLine().getOut().flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private static Set<String> lower(Set<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  private int addUser() throws Exception {
    if (passwordFile == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--add-user needs --password-file FILE");
    }
    String password;
    Console console = System.console();
    if (console != null) {
      password = new String(console.readPassword("password for %s: ", addUser));
      if (!password.equals(new String(console.readPassword("again: ")))) {
        throw new CommandLine.ParameterException(spec.commandLine(), "the two passwords differ");
      }
    } else {
      password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (password == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no password on stdin");
      }
    }
    try {
      PasswordFile.addUser(passwordFile, addUser, password);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().println("goodhart serve: " + addUser + " can connect (" + passwordFile + ")");
    return ExitCodes.OK;
  }
}
