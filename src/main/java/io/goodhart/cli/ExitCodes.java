package io.goodhart.cli;

/**
 * Exit codes a scheduler can act on: retrying helps after an infrastructure error, never after bad
 * input or a failed audit (those need a person). Documented in the README and, in full, in docs/operations.md.
 */
public final class ExitCodes {
  public static final int OK = 0;
  /** Unexpected failure inside goodhart itself. */
  public static final int INTERNAL = 1;
  /** Wrong command-line usage (picocli's own code for it). */
  public static final int USAGE = 2;
  /** The input is missing, empty, unreadable or breaks the contract as a whole; tables unchanged. */
  public static final int BAD_INPUT = 3;
  /** A data-quality audit failed; published tables unchanged. */
  public static final int AUDIT_FAILED = 4;
  /** The catalog, storage or Spark failed (worth a retry). */
  public static final int INFRASTRUCTURE = 5;

  private ExitCodes() {}
}
