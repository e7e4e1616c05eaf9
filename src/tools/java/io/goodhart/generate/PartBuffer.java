package io.goodhart.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Lines stored compactly: all bytes in one array plus a sort key and an offset per line (no
 * object per line). One buffer is filled by one worker; a part file is written from a list of
 * such buffers ({@link #writeSorted}), so no line is ever copied twice.
 */
final class PartBuffer {
  byte[] data = new byte[1 << 12];
  int len;
  long[] keys = new long[16];
  int[] offs = new int[17]; // offs[i]..offs[i+1] is line i
  int n;

  void add(long sortKey, byte[] src, int off, int length) {
    if (n + 1 >= offs.length) {
      int c = Math.max(16, offs.length * 2);
      offs = Arrays.copyOf(offs, c + 1);
      keys = Arrays.copyOf(keys, c);
    }
    if (len + length > data.length) {
      long want = Math.max((long) data.length * 2, (long) len + length);
      if (want > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("more than 2 GB of lines in one buffer");
      }
      data = Arrays.copyOf(data, (int) want);
    }
    System.arraycopy(src, off, data, len, length);
    keys[n] = sortKey;
    offs[n] = len;
    len += length;
    n++;
    offs[n] = len;
  }

  /** Drops unused capacity (buffers wait in memory until their day is written). */
  void trim() {
    if (data.length > len) {
      data = Arrays.copyOf(data, len);
    }
    if (keys.length > n) {
      keys = Arrays.copyOf(keys, n);
      offs = Arrays.copyOf(offs, n + 1);
    }
  }

  /**
   * Writes the lines of all {@code segs}, ordered by sort key, each followed by a newline. Equal
   * keys keep their order of segments and of insertion, which is itself deterministic.
   */
  static void writeSorted(List<PartBuffer> segs, OutputStream out) throws IOException {
    forEachSorted(segs, (data, off, len) -> {
      out.write(data, off, len);
      out.write('\n');
    });
  }

  /** Receives the lines of {@link #forEachSorted} one by one. */
  interface LineSink {
    void line(byte[] data, int off, int len) throws IOException;
  }

  /** Hands the lines of all {@code segs} to {@code sink}, ordered as {@link #writeSorted} writes them. */
  static void forEachSorted(List<PartBuffer> segs, LineSink sink) throws IOException {
    int segCount = segs.size();
    int[] start = new int[segCount + 1];
    for (int s = 0; s < segCount; s++) {
      start[s + 1] = start[s] + segs.get(s).n;
    }
    int n = start[segCount];
    if (n == 0) {
      return;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (PartBuffer b : segs) {
      for (int i = 0; i < b.n; i++) {
        min = Math.min(min, b.keys[i]);
        max = Math.max(max, b.keys[i]);
      }
    }
    int[] order = new int[n];
    int idxBits = 64 - Long.numberOfLeadingZeros(n);
    if (max - min < (1L << (63 - idxBits))) {
      long[] packed = new long[n];
      for (int s = 0; s < segCount; s++) {
        PartBuffer b = segs.get(s);
        for (int i = 0; i < b.n; i++) {
          packed[start[s] + i] = ((b.keys[i] - min) << idxBits) | (start[s] + i);
        }
      }
      Arrays.sort(packed);
      long mask = (1L << idxBits) - 1;
      for (int i = 0; i < n; i++) {
        order[i] = (int) (packed[i] & mask);
      }
    } else { // never for real data (keys span a few days); kept for safety
      long[] all = new long[n];
      for (int s = 0; s < segCount; s++) {
        System.arraycopy(segs.get(s).keys, 0, all, start[s], segs.get(s).n);
      }
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      Arrays.sort(boxed, Comparator.comparingLong((Integer i) -> all[i]));
      for (int i = 0; i < n; i++) {
        order[i] = boxed[i];
      }
    }
    for (int g : order) {
      int s = Arrays.binarySearch(start, g);
      if (s < 0) {
        s = -s - 2;
      } else {
        while (start[s + 1] == g) { // skip empty segments
          s++;
        }
      }
      PartBuffer b = segs.get(s);
      int i = g - start[s];
      sink.line(b.data, b.offs[i], b.offs[i + 1] - b.offs[i]);
    }
  }

  /** The segments of one part file, in arrival order. */
  static final class Lines {
    final List<PartBuffer> segs = new ArrayList<>();
  }
}
