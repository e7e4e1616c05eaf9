package io.goodhart.audit;

/** What a failed check does to the publish. */
public enum Severity {
  /** A failure stops the publish: nothing of the run reaches the table. */
  ERROR,
  /** A failure is recorded in {@code audit_results} and printed; the publish goes on. */
  WARNING;

  /** As stored in {@code audit_results.severity}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
