package io.goodhart.serve;

/**
 * A statement a BI reader may not run on the endpoint. The message names the rule, so the reader (and the
 * access log) can tell which one: {@code access denied [rule]: reason}.
 */
public final class AccessDenied extends RuntimeException {
  private final String rule;

  AccessDenied(String rule, String reason) {
    super("access denied [" + rule + "]: " + reason, null, false, false);
    this.rule = rule;
  }

  public String rule() {
    return rule;
  }
}
