package io.goodhart.audit;

/**
 * One check evaluated on one scope of the staged rows: a row of {@code audit_results}.
 *
 * @param scope the week (ISO label) or date checked; null for a check of all staged rows
 * @param offendingRows rows that break a row check; null for a comparison of figures
 * @param stagedValue the staged rows' figure of a comparison; null for a row check
 * @param expectedValue what that figure must be (raw's, for a reconciliation); null for a row check
 * @param finding what failed and by how much, as the audit reports it (a line per group when a check of
 *     groups fails on several); null when the check passed
 */
public record CheckResult(String check, CheckKind kind, Severity severity, String scope, Long offendingRows,
    Long stagedValue, Long expectedValue, String finding) {

  public boolean passed() {
    return finding == null;
  }

  /** {@code stagedValue - expectedValue}, null unless both are known. */
  public Long difference() {
    return stagedValue == null || expectedValue == null ? null : stagedValue - expectedValue;
  }
}
