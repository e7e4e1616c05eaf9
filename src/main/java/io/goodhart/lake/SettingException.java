package io.goodhart.lake;

/**
 * A {@code goodhart.*} setting with a value goodhart cannot run with: a usage error (exit 2), said with the
 * key and what it takes.
 */
public final class SettingException extends IllegalArgumentException {
  public SettingException(String key, String requirement, String found) {
    super(key + " " + requirement + ", found \"" + found + "\"");
  }

  public SettingException(String message) {
    super(message);
  }
}
