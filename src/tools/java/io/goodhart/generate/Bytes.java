package io.goodhart.generate;

import java.util.Arrays;

/** A tiny growable ASCII byte buffer used to build JSON lines without per-field allocation. */
final class Bytes {
  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  byte[] buf = new byte[512];
  int len;

  void reset() {
    len = 0;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  Bytes ch(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  /** Appends an ASCII string as is (no escaping: every generated value is plain ASCII). */
  @SuppressWarnings("deprecation")
  Bytes str(String s) {
    int n = s.length();
    ensure(n);
    s.getBytes(0, n, buf, len); // low byte of each char: exact for ASCII, and fast
    len += n;
    return this;
  }

  Bytes bytes(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, buf, len, n);
    len += n;
    return this;
  }

  Bytes num(long v) {
    if (v == Long.MIN_VALUE) {
      return str("-9223372036854775808");
    }
    ensure(20);
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    if (v == 0) {
      buf[len++] = '0';
      return this;
    }
    int start = len;
    while (v > 0) {
      buf[len++] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    for (int i = start, j = len - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
    return this;
  }

  /** Zero-padded decimal of fixed width. */
  Bytes pad(int v, int width) {
    ensure(width);
    for (int i = width - 1; i >= 0; i--) {
      buf[len + i] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    len += width;
    return this;
  }

  /** The lowest {@code digits} hex digits of {@code v}, most significant first. */
  Bytes hex(long v, int digits) {
    ensure(digits);
    for (int i = digits - 1; i >= 0; i--) {
      buf[len + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
    len += digits;
    return this;
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, len);
  }

  byte[] toArray(int n) {
    return Arrays.copyOf(buf, n);
  }
}
