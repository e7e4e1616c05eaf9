package io.goodhart.serve;

import java.util.Map;
import org.apache.hive.service.Service;
import org.apache.hive.service.cli.CLIService;
import org.apache.hive.service.cli.SessionHandle;
import org.apache.hive.service.cli.session.HiveSession;
import org.apache.hive.service.cli.session.SessionManager;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.apache.spark.sql.hive.thriftserver.server.SparkSQLOperationManager;

/**
 * Who a Spark session belongs to on the endpoint: the Thrift server opens one session per JDBC connection
 * and keeps, per connection, the user it authenticated and the address it came from. Statements run on
 * background threads, so the session itself is the only link back to the connection.
 */
final class EndpointSessions {
  record Who(String user, String address) {}

  private static volatile HiveThriftServer2 server;

  private EndpointSessions() {}

  static void serving(HiveThriftServer2 s) {
    server = s;
  }

  /**
   * While a connection is being opened, Spark runs its USE statement (and so the checks) before it links
   * the connection to its session, on the thread that serves that connection: HiveServer2 keeps the
   * authenticated user and the client's address of the request being served in that thread's locals.
   * Nothing else tells the connection apart; without them the statement is attributed to nobody rather
   * than guessed.
   */
  private static Who opening() {
    String user = org.apache.hive.service.auth.TSetIpAddressProcessor.getUserName();
    String address = org.apache.hive.service.auth.TSetIpAddressProcessor.getUserIpAddress();
    if (user == null && address == null) {
      return new Who("(unknown)", "-");
    }
    return new Who(user == null ? "(unknown)" : user, address == null ? "-" : address);
  }

  /**
   * The settings the running server gives a session it opens for a client that sends none: a session is
   * opened through the server's own session manager, read and closed. These, not a session made any other
   * way, are what every client's session must keep.
   */
  static Map<String, String> referenceSettings(HiveThriftServer2 s) throws org.apache.hive.service.cli.HiveSQLException {
    for (Service service : s.getServices()) {
      if (service instanceof CLIService cli
          && cli.getSessionManager().getOperationManager() instanceof SparkSQLOperationManager operations) {
        SessionHandle handle = cli.openSession(org.apache.hive.service.rpc.thrift.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V8,
            "(endpoint)", "", "127.0.0.1", Map.of());
        try {
          SQLContext context = operations.sessionToContexts().get(handle);
          return new java.util.LinkedHashMap<>(scala.collection.JavaConverters.mapAsJavaMap(
              context.sparkSession().sessionState().conf().getAllConfs()));
        } finally {
          cli.closeSession(handle);
        }
      }
    }
    throw new IllegalStateException("the Thrift server runs no Spark session manager");
  }

  static Who who(SparkSession session) {
    HiveThriftServer2 s = server;
    if (s == null || session == null) {
      return new Who("(endpoint)", "-");
    }
    for (Service service : s.getServices()) {
      if (service instanceof CLIService cli) {
        SessionManager sessions = cli.getSessionManager();
        if (sessions.getOperationManager() instanceof SparkSQLOperationManager operations) {
          for (Map.Entry<SessionHandle, SQLContext> e : operations.sessionToContexts().entrySet()) {
            if (e.getValue().sparkSession() == session) {
              try {
                HiveSession hive = sessions.getSession(e.getKey());
                return new Who(hive.getUserName(), hive.getIpAddress());
              } catch (org.apache.hive.service.cli.HiveSQLException closed) {
                return new Who("(closed session)", "-");
              }
            }
          }
        }
      }
    }
    return opening();
  }
}
