package io.goodhart.runs;

import io.goodhart.lake.RunVerdict;
import java.util.List;

/**
 * A data-quality audit found the staged output wrong; nothing was published. The message names each
 * failed check and by how much it missed; the CLI maps it to the "audit failed" exit code.
 */
public class AuditFailedException extends RuntimeException implements RunVerdict {
  private final List<String> findings;

  public AuditFailedException(String table, List<String> findings) {
    super("audit of " + table + " failed, nothing published; " + findings.size() + " finding(s):\n  "
        + String.join("\n  ", findings));
    this.findings = List.copyOf(findings);
  }

  public List<String> findings() {
    return findings;
  }
}
