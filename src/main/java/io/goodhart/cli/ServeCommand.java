package io.goodhart.cli;

import io.goodhart.serve.JdbcEndpoint;
import io.goodhart.serve.PasswordFile;
import io.goodhart.sql.BiViews;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code goodhart serve}: a JDBC endpoint (Spark Thrift Server, HiveServer2 protocol) on the catalog
 * the nightly jobs write, for Superset, Tableau, Power BI, DBeaver or beeline. Runs until stopped.
 * {@code --add-user} manages the password file instead of serving.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the catalog over JDBC (jdbc:hive2://HOST:PORT/) for BI tools; 127.0.0.1:10000 by default.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "10000", description = "Port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "Users allowed to connect (see --add-user); required on a non-loopback address unless --ldap-url.")
  Path passwordFile;

  @Option(names = "--ldap-url", paramLabel = "URL", description = "Authenticate users against LDAP, e.g. ldaps://ldap.example:636.")
  String ldapUrl;

  @Option(names = "--ldap-base-dn", paramLabel = "DN", description = "LDAP base DN of users, e.g. ou=people,dc=example,dc=com.")
  String ldapBaseDn;

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
    JdbcEndpoint.Settings settings = new JdbcEndpoint.Settings(host, port, passwordFile, ldapUrl, ldapBaseDn);
    String refused;
    try {
      refused = JdbcEndpoint.refusal(settings);
    } catch (IllegalArgumentException e) {
      refused = e.getMessage();
    }
    if (refused != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), refused);
    }
    // Plain table names in BI tools resolve in the lake's catalog, not Spark's empty built-in one.
    lake.conf.putIfAbsent("spark.sql.defaultCatalog", lake.config().catalog());
    LakeOptions.Lake open = lake.open();
    new BiViews(open.spark(), open.tables(), spec.commandLine().getOut()::println).install();
    // JDBC clients open their session with USE default (jdbc:hive2://host:port/default), which must
    // exist in the lake's catalog now that it is the default catalog.
    open.spark().sql("CREATE NAMESPACE IF NOT EXISTS " + open.config().catalog() + ".default");
    HiveThriftServer2 server = JdbcEndpoint.start(open.spark(), settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      open.close();
      stopped.countDown();
    }, "goodhart-serve-stop"));
    spec.commandLine().getOut().printf("goodhart serve: listening on jdbc:hive2://%s:%d/ (catalog %s, authentication: %s); "
        + "Ctrl-C stops%n", host, port, open.config().catalog(), settings.authentication());
    spec.commandLine().getOut().flush();
    stopped.await();
    return ExitCodes.OK;
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
