package io.goodhart.ingest;

/**
 * The input cannot be used as a whole (missing path, no files, unreadable file, a directory file that
 * breaks the contract). Jobs throw it before they write anything, so the tables stay as they were;
 * the CLI turns it into the "bad input" exit code.
 */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
