package io.goodhart.ingest;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import io.goodhart.lake.InputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one event file (plain, gzip when named {@code .gz}, zstd when named {@code .zst}; any Hadoop file system) line
 * by line, lazily, keeping the
 * 1-based line number the rejects table reports. Lines are split on '\n' (a trailing '\r' is dropped)
 * and decoded strictly as UTF-8, so a line with invalid bytes is reported rather than silently mangled.
 * A UTF-8 byte-order mark opening the file is skipped.
 *
 * <p>Memory stays bounded whatever the input: a line longer than the limit ({@link #MAX_LINE_BYTES} unless the
 * format sets its own) is not held, only measured, and comes back as its first {@link #KEPT_PREFIX_BYTES} bytes with
 * its full length.
 *
 * <p>A NUL byte never occurs in UTF-8 JSON text. A line holding one comes back marked with where its
 * first NUL is, and the NUL bytes after the last newline (the zero-filled tail a crashed writer leaves)
 * come back as one line of NULs, so each is rejected on its own. Only a file that is not text as a whole
 * fails with its name instead of yielding lines ({@link InputException}): one that starts like a known
 * binary format, with a UTF-16/32 byte-order mark, with a NUL in its first line among its first
 * {@value #FIRST_BYTES} bytes,
 * or with NULs in most of its lines; gzip data under a plain name; and a {@code .zst} file that is not zstd data,
 * or whose zstd data is damaged or cut short. A file that cannot be read to its end (truncated gzip, vanished
 * object) fails as unreadable ({@link UncheckedIOException}).
 */
final class EventFileLines implements Iterator<EventFileLines.Line>, AutoCloseable {
  /**
   * The longest line taken as one event. Real events are well under 10 KB; the limit is there so that
   * one runaway line (a log line without newlines, a dumped payload) costs a bounded amount of memory
   * and of rejects table.
   */
  static final int MAX_LINE_BYTES = 1 << 20;
  /** How much of an over-long line is kept for the rejects table. */
  static final int KEPT_PREFIX_BYTES = 1024;
  /** A NUL among a file's first bytes makes it binary (or UTF-16/32): JSON lines start with text. */
  static final int FIRST_BYTES = 64;

  /**
   * One line: its number, its text (only the first {@link #KEPT_PREFIX_BYTES} bytes when it is over
   * {@code maxBytes}, the limit it was read with), its length in bytes, and the 0-based offset in the line of the
   * first byte that is not UTF-8 (-1 when every byte is).
   */
  record Line(long number, String text, long bytes, int invalidUtf8At, int invalidByte, long nulAt, boolean onlyNul,
      int maxBytes) {
    Line(long number, String text, long bytes, int invalidUtf8At, int invalidByte) {
      this(number, text, bytes, invalidUtf8At, invalidByte, -1, false);
    }

    Line(long number, String text, long bytes, int invalidUtf8At, int invalidByte, long nulAt, boolean onlyNul) {
      this(number, text, bytes, invalidUtf8At, invalidByte, nulAt, onlyNul, MAX_LINE_BYTES);
    }

    boolean validUtf8() {
      return invalidUtf8At < 0;
    }

    boolean tooLong() {
      return bytes > maxBytes;
    }

    /** Whether the line holds a NUL byte ({@link #nulAt} is the 0-based byte offset of the first). */
    boolean hasNul() {
      return nulAt >= 0;
    }
  }

  private final String file;
  private final int maxLineBytes;
  private final InputStream in;
  private byte[] buffer = new byte[1024];
  private int buffered;
  private final byte[] chunk = new byte[1 << 16];
  private long chunkOffset;
  private int pos;
  private int limit;
  private long number;
  private long linesWithNul;
  private Line next;
  private boolean done;

  EventFileLines(String file, Configuration conf) {
    this(file, conf, MAX_LINE_BYTES);
  }

  /** Lines up to {@code maxLineBytes} long are held; a format whose one line is a whole batch sets a larger limit. */
  EventFileLines(String file, Configuration conf, int maxLineBytes) {
    this.file = file;
    this.maxLineBytes = maxLineBytes;
    try {
      Path path = new Path(file);
      FileSystem fs = path.getFileSystem(conf);
      InputStream raw = fs.open(path);
      // The JDK's gzip reader rather than Hadoop's codec: it reports a damaged file as ZipException or
      // EOFException, which is how ingest tells bad input from a storage failure.
      this.in = file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
          : file.endsWith(".zst") ? zstd(file, raw) : raw;
    } catch (ZipException | EOFException e) {
      throw new UncheckedIOException("cannot read " + file + ": it is named .gz but does not start as gzip data ("
          + (e.getMessage() == null ? "the file ends before a gzip header" : e.getMessage()) + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A zstd stream (zstd-jni, the codec Spark itself ships), after checking the file starts as one. The
   * OpenTelemetry Collector's file exporter with {@code compression: zstd} writes each batch as its own
   * compressed message behind a 4-byte length unless its {@code exporter.file.nativeCompression} feature gate
   * is on; such a file is no zstd file and is refused by name rather than read as garbage.
   */
  private static InputStream zstd(String file, InputStream raw) throws IOException {
    PushbackInputStream peek = new PushbackInputStream(raw, 8);
    byte[] first = peek.readNBytes(8);
    peek.unread(first);
    if (first.length == 0 || isZstdFrame(first, 0)) {
      return new ZstdInputStream(peek);
    }
    peek.close();
    if (first.length == 8 && isZstdFrame(first, 4)) {
      throw new InputException(file + ":1: not a zstd file but length-prefixed zstd messages, as the OpenTelemetry "
          + "Collector's file exporter writes them with compression: zstd unless its exporter.file.nativeCompression "
          + "feature gate is on; turn the gate on (collector v0.154.0 or later) or export without compression");
    }
    throw new InputException(file + ":1: the file is named .zst but does not start as zstd data");
  }

  /** A zstd frame, or a skippable frame, starts at {@code at} (magic numbers are little-endian). */
  private static boolean isZstdFrame(byte[] b, int at) {
    if (b.length < at + 4) {
      return false;
    }
    boolean frame = (b[at] & 0xFF) == 0x28 && (b[at + 1] & 0xFF) == 0xB5 && (b[at + 2] & 0xFF) == 0x2F
        && (b[at + 3] & 0xFF) == 0xFD;
    boolean skippable = (b[at] & 0xF0) == 0x50 && (b[at + 1] & 0xFF) == 0x2A && (b[at + 2] & 0xFF) == 0x4D
        && (b[at + 3] & 0xFF) == 0x18;
    return frame || skippable;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      next = readLine();
    }
    return next != null;
  }

  @Override
  public Line next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Line line = next;
    next = null;
    return line;
  }

  private Line readLine() {
    buffered = 0;
    long length = 0;
    long nulAt = -1;
    boolean endedByNewline = false;
    try {
      boolean sawAny = false;
      while (true) {
        if (pos == limit) {
          chunkOffset += limit;
          limit = in.read(chunk, 0, chunk.length);
          pos = 0;
          if (limit <= 0) {
            limit = 0;
            break;
          }
          if (chunkOffset == 0) {
            refuseCompressed();
            refuseBinary();
          }
        }
        sawAny = true;
        int start = pos;
        while (pos < limit && chunk[pos] != '\n') {
          if (chunk[pos] == 0 && nulAt < 0) {
            nulAt = length + (pos - start);
          }
          pos++;
        }
        keep(start, pos - start, length);
        length += pos - start;
        if (pos < limit) {
          pos++;
          endedByNewline = true;
          break;
        }
      }
      if (!sawAny) {
        done = true;
        close();
        refuseMostlyNul();
        return null;
      }
    } catch (ZstdIOException e) {
      close();
      throw new InputException("cannot read " + file + " after line " + number + ": the zstd data is damaged or ends "
          + "early (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      close();
      String why = e instanceof EOFException ? "the gzip data ends early, the file is truncated ("
          : e instanceof ZipException ? "the gzip data is damaged (" : "(";
      throw new UncheckedIOException("cannot read " + file + " after line " + number + ": " + why + e.getMessage() + ")", e);
    }
    number++;
    if (length <= maxLineBytes + 1L && buffered > 0 && buffer[buffered - 1] == '\r') {
      buffered--;
      length--;
    }
    int from = number == 1 && startsWithByteOrderMark() ? 3 : 0;
    length -= from;
    if (nulAt >= 0) {
      linesWithNul++;
      nulAt = Math.max(0, nulAt - from);
      if (!endedByNewline && onlyNul(from, length)) {
        return new Line(number, "", length, -1, -1, 0, true, maxLineBytes);
      }
    }
    if (length > maxLineBytes) {
      return new Line(number, prefix(from), length, -1, -1, nulAt, false, maxLineBytes);
    }
    Line line = decode(number, from, length);
    return nulAt < 0 ? line : new Line(line.number(), line.text(), line.bytes(), line.invalidUtf8At(),
        line.invalidByte(), nulAt, false, maxLineBytes);
  }

  /** Whether the held bytes of the line are all NUL (a line over the limit is judged on the part held). */
  private boolean onlyNul(int from, long length) {
    int end = (int) Math.min(buffered, from + length);
    for (int i = from; i < end; i++) {
      if (buffer[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** At the end of the file: NULs in most of its lines make it binary, or UTF-16/32 text, as a whole. */
  private void refuseMostlyNul() {
    if (linesWithNul >= 2 && linesWithNul * 2 > number) {
      throw new InputException(String.format(java.util.Locale.ROOT, "%s: not a text file: %,d of its %,d lines hold NUL "
          + "bytes; JSON lines are UTF-8 text, so this is binary data (or UTF-16/UTF-32 text)", file, linesWithNul, number));
    }
  }

  /** Binary data where text was expected, told from the first bytes of the (decompressed) file. */
  private void refuseBinary() {
    String kind = binaryKind(chunk, limit);
    if (kind != null) {
      close();
      throw new InputException(file + ":1: not a text file: it starts like " + kind + "; JSON lines are UTF-8 text");
    }
    // Only the first line's: a short first line followed by a zero-filled tail is text with a bad tail.
    for (int i = 0; i < Math.min(limit, FIRST_BYTES) && chunk[i] != '\n'; i++) {
      if (chunk[i] == 0) {
        close();
        throw new InputException(String.format(java.util.Locale.ROOT, "%s:1: not a text file: a NUL byte at byte "
            + "offset %d, among its first %d bytes; JSON lines are UTF-8 text, so this is binary data (or UTF-16/UTF-32 "
            + "text)", file, i, FIRST_BYTES));
      }
    }
  }

  /** What the first bytes say the file is, when they are a known binary format's or a UTF-16/32 byte-order mark. */
  static String binaryKind(byte[] b, int n) {
    if (starts(b, n, 0x00, 0x00, 0xFE, 0xFF) || starts(b, n, 0xFF, 0xFE, 0x00, 0x00)) {
      return "UTF-32 text (a UTF-32 byte-order mark)";
    }
    if (starts(b, n, 0xFF, 0xFE) || starts(b, n, 0xFE, 0xFF)) {
      return "UTF-16 text (a UTF-16 byte-order mark)";
    }
    Object[][] signatures = {
        {"a PNG image", new int[] {0x89, 'P', 'N', 'G'}},
        {"a JPEG image", new int[] {0xFF, 0xD8, 0xFF}},
        {"a GIF image", new int[] {'G', 'I', 'F', '8'}},
        {"a PDF document", new int[] {'%', 'P', 'D', 'F'}},
        {"a ZIP archive", new int[] {'P', 'K', 3, 4}},
        {"a Parquet file", new int[] {'P', 'A', 'R', '1'}},
        {"an ORC file", new int[] {'O', 'R', 'C'}},
        {"an Avro file", new int[] {'O', 'b', 'j', 1}},
        {"an SQLite database", new int[] {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f', 'o', 'r', 'm', 'a', 't'}},
        {"an ELF executable", new int[] {0x7F, 'E', 'L', 'F'}},
        {"bzip2 data", new int[] {'B', 'Z', 'h'}},
        {"xz data", new int[] {0xFD, '7', 'z', 'X', 'Z', 0x00}},
        {"zstd data", new int[] {0x28, 0xB5, 0x2F, 0xFD}},
        {"a 7z archive", new int[] {'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}}};
    for (Object[] s : signatures) {
      if (starts(b, n, (int[]) s[1])) {
        return (String) s[0];
      }
    }
    return null;
  }

  private static boolean starts(byte[] b, int n, int... prefix) {
    if (n < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Holds the line's bytes up to one past the limit (enough to tell it is over); the rest is only counted. */
  private void keep(int start, int count, long lengthBefore) {
    int room = (int) Math.min(count, Math.max(0, maxLineBytes + 1L - lengthBefore));
    if (room > 0) {
      if (buffered + room > buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(maxLineBytes + 1L, Math.max(buffered + room, 2L * buffer.length)));
      }
      System.arraycopy(chunk, start, buffer, buffered, room);
      buffered += room;
    }
  }

  /** The first {@link #KEPT_PREFIX_BYTES} bytes of an over-long line, cut back to a character boundary. */
  private String prefix(int from) {
    int end = from + KEPT_PREFIX_BYTES;
    while (end > from && (buffer[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(buffer, from, end - from, StandardCharsets.UTF_8);
  }

  private boolean startsWithByteOrderMark() {
    return buffered >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB && buffer[2] == (byte) 0xBF;
  }

  /** Gzip data where text was expected: a compressed file without its {@code .gz} name, or compressed twice. */
  private void refuseCompressed() {
    if (limit >= 2 && chunk[0] == (byte) 0x1f && chunk[1] == (byte) 0x8b) {
      close();
      throw new InputException(file + ":1: " + (file.endsWith(".gz")
          ? "the gzip data holds gzip data again (compressed twice); compress event files once"
          : "the file is gzip-compressed but not named .gz; name it *.jsonl.gz"));
    }
  }

  /** The line's text, decoded strictly; on the first invalid byte, its offset and value, and the text with U+FFFD. */
  private Line decode(long number, int from, long length) {
    return decode(buffer, number, from, length, maxLineBytes);
  }

  /**
   * {@code length} bytes of {@code bytes} from {@code from}, decoded strictly as UTF-8: the text, or on the first
   * invalid byte its offset and value with the text shown with U+FFFD. Shared with {@link WholeFileText}.
   */
  static Line decode(byte[] bytes, long number, int from, long length, int maxBytes) {
    // The String constructor decodes in one pass (ASCII, the usual case, is copied as it is), replacing bad bytes
    // with U+FFFD: text without that character came from valid UTF-8 and is what strict decoding gives.
    String lenient = new String(bytes, from, (int) length, StandardCharsets.UTF_8);
    if (lenient.indexOf('\uFFFD') < 0) {
      return new Line(number, lenient, length, -1, -1, -1, false, maxBytes);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, (int) length);
    CharBuffer out = CharBuffer.allocate((int) length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      return new Line(number, new String(bytes, from, (int) length, StandardCharsets.UTF_8), length, at - from,
          bytes[at] & 0xff, -1, false, maxBytes);
    }
    return new Line(number, out.flip().toString(), length, -1, -1, -1, false, maxBytes);
  }


  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing a stream we finished or failed to read; the read error, if any, is already reported.
    }
  }
}
