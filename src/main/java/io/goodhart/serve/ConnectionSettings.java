package io.goodhart.serve;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hive.service.Service;
import org.apache.hive.service.auth.TSetIpAddressProcessor;
import org.apache.hive.service.cli.thrift.ThriftBinaryCLIService;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.hive.service.rpc.thrift.TOpenSessionReq;
import org.apache.hive.service.rpc.thrift.TOpenSessionResp;
import org.apache.hive.service.rpc.thrift.TStatus;
import org.apache.hive.service.rpc.thrift.TStatusCode;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.apache.thrift.TProcessor;
import org.apache.thrift.TProcessorFactory;
import org.apache.thrift.server.TServer;
import org.apache.thrift.transport.TTransport;

/**
 * What a client may send when it opens a connection: the namespace to start in and the fetch size the
 * Hive JDBC client always sends, nothing else. Every other key ({@code set:hiveconf:...} from
 * {@code jdbc:hive2://...?key=value}, {@code set:hivevar:...} from {@code #var=value}, {@code set:system:...},
 * which HiveServer2 would write into the JVM's system properties, a proxy user) refuses the connection,
 * whatever its value: comparing values would let a client learn a setting by sending the right one. The
 * check is made on the open request itself, before HiveServer2 applies any of it.
 */
final class ConnectionSettings {
  static final String USE_DATABASE = "use:database";
  static final String FETCH_SIZE = "set:hiveconf:hive.server2.thrift.resultset.default.fetch.size";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

  private ConnectionSettings() {}

  /** Why a connection sending these settings is refused, or null when it may open. */
  static String refusal(Map<String, String> configuration) {
    if (configuration == null) {
      return null;
    }
    TreeSet<String> refused = new TreeSet<>();
    for (Map.Entry<String, String> e : configuration.entrySet()) {
      boolean allowed = USE_DATABASE.equals(e.getKey())
          || FETCH_SIZE.equals(e.getKey()) && e.getValue() != null && DIGITS.matcher(e.getValue()).matches();
      if (!allowed) {
        refused.add(e.getKey().startsWith("set:") ? e.getKey().substring(4) : e.getKey());
      }
    }
    if (refused.isEmpty()) {
      return null;
    }
    return "settings sent when connecting belong to the endpoint (" + String.join(", ", refused)
        + "); reconnect without them";
  }

  /**
   * Puts the check in front of the running server's session opening: the Thrift server's processor is
   * rebuilt around the service with {@code OpenSession} checked first. Called as soon as the server's
   * socket exists, before the endpoint says it listens.
   */
  static void install(HiveThriftServer2 server) throws ReflectiveOperationException {
    for (Service service : server.getServices()) {
      if (service instanceof ThriftBinaryCLIService thrift) {
        Field serverField = ThriftBinaryCLIService.class.getDeclaredField("server");
        serverField.setAccessible(true);
        TServer tserver = (TServer) serverField.get(thrift);
        if (tserver == null) {
          throw new IllegalStateException("the Thrift server has no socket yet");
        }
        TCLIService.Iface checked = (TCLIService.Iface) Proxy.newProxyInstance(
            ConnectionSettings.class.getClassLoader(), new Class<?>[] {TCLIService.Iface.class}, checking(thrift));
        Field factory = TServer.class.getDeclaredField("processorFactory_");
        factory.setAccessible(true);
        factory.set(tserver, new TProcessorFactory(null) {
          @Override
          public TProcessor getProcessor(TTransport transport) {
            // What HiveServer2's own factory returns for password and no authentication: the processor that
            // records the authenticated user and the client's address for the request being served.
            return new TSetIpAddressProcessor<>(checked);
          }
        });
        return;
      }
    }
    throw new IllegalStateException("the Thrift server runs no binary service");
  }

  private static InvocationHandler checking(TCLIService.Iface service) {
    return (proxy, method, args) -> {
      if (method.getName().equals("OpenSession") && args != null && args[0] instanceof TOpenSessionReq request) {
        String reason = refusal(request.getConfiguration());
        if (reason != null) {
          AccessLog.refusedConnection(TSetIpAddressProcessor.getUserName(), TSetIpAddressProcessor.getUserIpAddress(),
              BiAccess.SETTINGS, reason);
          TStatus status = new TStatus(TStatusCode.ERROR_STATUS);
          status.setErrorMessage(new AccessDenied(BiAccess.SETTINGS, reason).getMessage());
          status.setSqlState(AccessDenied.SQL_STATE);
          TOpenSessionResp response = new TOpenSessionResp(status, request.getClient_protocol());
          return response;
        }
      }
      try {
        return method.invoke(service, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
  }
}
