package io.goodhart.audit;

/** The four kinds of data-quality check a table's audit is made of. */
public enum CheckKind {
  /** Nothing missing: no null in a key column, every expected week, day or snapshot present. */
  COMPLETENESS,
  /** One row per key. */
  UNIQUENESS,
  /** A column within bounds, or among a set of values. */
  RANGE,
  /** A staged per-week (or per-day) figure equals what raw says. */
  RECONCILIATION;

  /** As stored in {@code audit_results.kind}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
