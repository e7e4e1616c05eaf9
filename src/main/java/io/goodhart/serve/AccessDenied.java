package io.goodhart.serve;

import org.apache.hive.service.cli.HiveSQLException;

/**
 * A statement a BI reader may not run on the endpoint. The message names the rule, so the reader (and the
 * access log) can tell which one: {@code access denied [rule]: reason}. It is the Thrift server's own
 * exception type, which the server hands to the client as it is (any other would reach the client wrapped,
 * with the server's stack trace), and it carries no stack trace: the client gets one line.
 */
public final class AccessDenied extends HiveSQLException {
  /** SQLSTATE class 42: syntax error or access rule violation. */
  static final String SQL_STATE = "42000";
  private final String rule;

  AccessDenied(String rule, String reason) {
    super("access denied [" + rule + "]: " + reason, SQL_STATE);
    this.rule = rule;
  }

  public String rule() {
    return rule;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
