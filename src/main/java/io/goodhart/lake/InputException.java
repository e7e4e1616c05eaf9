package io.goodhart.lake;

/**
 * The input cannot be used as a whole (missing path, no files, unreadable file, a directory file that
 * breaks the contract). Jobs throw it before they write anything, so the tables stay as they were;
 * the CLI turns it into the "bad input" exit code.
 */
public class InputException extends RuntimeException implements RunVerdict {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * What a failure to read an input means: bad input (exit 3) when the path is missing or refused to
   * us; otherwise the storage itself failed (an unreachable S3 endpoint, a timeout), which is not a
   * problem with the delivery but an infrastructure error (exit 5, worth a retry).
   */
  public static RuntimeException unlessStorageFailed(String what, java.io.IOException e) {
    if (e instanceof java.io.FileNotFoundException || e instanceof java.nio.file.AccessDeniedException) {
      return new InputException(what + ": " + e.getMessage(), e);
    }
    return new java.io.UncheckedIOException(what + ": " + e.getMessage(), e);
  }
}
