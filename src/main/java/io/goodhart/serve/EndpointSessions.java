package io.goodhart.serve;

import java.lang.reflect.Field;
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
   * the connection to its session: the connections HiveServer2 holds that no Spark session is linked to yet
   * are the ones being opened.
   */
  @SuppressWarnings("unchecked")
  private static Who opening(HiveThriftServer2 s) {
    for (Service service : s.getServices()) {
      if (service instanceof CLIService cli) {
        SessionManager sessions = cli.getSessionManager();
        if (!(sessions.getOperationManager() instanceof SparkSQLOperationManager operations)) {
          break;
        }
        try {
          Field field = SessionManager.class.getDeclaredField("handleToSession");
          field.setAccessible(true);
          Map<SessionHandle, HiveSession> all = (Map<SessionHandle, HiveSession>) field.get(sessions);
          java.util.List<Who> opening = new java.util.ArrayList<>();
          for (Map.Entry<SessionHandle, HiveSession> e : all.entrySet()) {
            if (!operations.sessionToContexts().containsKey(e.getKey())) {
              opening.add(new Who(e.getValue().getUserName(), e.getValue().getIpAddress()));
            }
          }
          if (opening.size() == 1) {
            return opening.get(0);
          }
          if (!opening.isEmpty()) {
            return new Who(opening.stream().map(Who::user).distinct().collect(java.util.stream.Collectors.joining("|")),
                opening.stream().map(Who::address).distinct().collect(java.util.stream.Collectors.joining("|")));
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          break;
        }
      }
    }
    return new Who("(unknown)", "-");
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
    return opening(s);
  }
}
