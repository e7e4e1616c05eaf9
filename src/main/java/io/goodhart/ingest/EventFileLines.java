package io.goodhart.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
 * Reads one event file (plain, or gzip when named {@code .gz}; any Hadoop file system) line by line, lazily, keeping the
 * 1-based line number the rejects table reports. Lines are split on '\n' (a trailing '\r' is dropped)
 * and decoded strictly as UTF-8, so a line with invalid bytes is reported rather than silently mangled.
 * A UTF-8 byte-order mark opening the file is skipped.
 *
 * <p>Memory stays bounded whatever the input: a line longer than {@link #MAX_LINE_BYTES} is not held,
 * only measured, and comes back as its first {@link #KEPT_PREFIX_BYTES} bytes with its full length.
 *
 * <p>A file that is not JSON-lines text as a whole fails with its name instead of yielding lines: one
 * that cannot be read to its end (truncated gzip, vanished object; {@link UncheckedIOException}), and one
 * holding a NUL byte or gzip data under a plain name ({@link InputException}). Those bytes never occur
 * in UTF-8 JSON text, so such a file is binary, UTF-16, or compressed, and none of its "lines" would mean
 * anything.
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

  /**
   * One line: its number, its text (only the first {@link #KEPT_PREFIX_BYTES} bytes when it is over
   * {@link #MAX_LINE_BYTES}), its length in bytes, and the 0-based offset in the line of the first byte
   * that is not UTF-8 (-1 when every byte is).
   */
  record Line(long number, String text, long bytes, int invalidUtf8At, int invalidByte) {
    boolean validUtf8() {
      return invalidUtf8At < 0;
    }

    boolean tooLong() {
      return bytes > MAX_LINE_BYTES;
    }
  }

  private final String file;
  private final InputStream in;
  private byte[] buffer = new byte[1024];
  private int buffered;
  private final byte[] chunk = new byte[1 << 16];
  private long chunkOffset;
  private int pos;
  private int limit;
  private long number;
  private Line next;
  private boolean done;

  EventFileLines(String file, Configuration conf) {
    this.file = file;
    try {
      Path path = new Path(file);
      FileSystem fs = path.getFileSystem(conf);
      InputStream raw = fs.open(path);
      // The JDK's gzip reader rather than Hadoop's codec: it reports a damaged file as ZipException or
      // EOFException, which is how ingest tells bad input from a storage failure.
      this.in = file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
    } catch (ZipException | EOFException e) {
      throw new UncheckedIOException("cannot read " + file + ": it is named .gz but does not start as gzip data ("
          + (e.getMessage() == null ? "the file ends before a gzip header" : e.getMessage()) + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
    }
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
          }
        }
        sawAny = true;
        int start = pos;
        while (pos < limit && chunk[pos] != '\n') {
          if (chunk[pos] == 0) {
            close();
            throw new InputException(String.format(java.util.Locale.ROOT,
                "%s:%d: not a text file: a NUL byte at byte offset %,d; JSON lines are UTF-8 text, so this is binary data "
                    + "(or UTF-16/UTF-32 text)", file, number + 1, chunkOffset + pos));
          }
          pos++;
        }
        keep(start, pos - start, length);
        length += pos - start;
        if (pos < limit) {
          pos++;
          break;
        }
      }
      if (!sawAny) {
        done = true;
        close();
        return null;
      }
    } catch (IOException e) {
      close();
      String why = e instanceof EOFException ? "the gzip data ends early, the file is truncated ("
          : e instanceof ZipException ? "the gzip data is damaged (" : "(";
      throw new UncheckedIOException("cannot read " + file + " after line " + number + ": " + why + e.getMessage() + ")", e);
    }
    number++;
    if (length <= MAX_LINE_BYTES + 1L && buffered > 0 && buffer[buffered - 1] == '\r') {
      buffered--;
      length--;
    }
    int from = number == 1 && startsWithByteOrderMark() ? 3 : 0;
    length -= from;
    if (length > MAX_LINE_BYTES) {
      return new Line(number, prefix(from), length, -1, -1);
    }
    return decode(number, from, length);
  }

  /** Holds the line's bytes up to one past the limit (enough to tell it is over); the rest is only counted. */
  private void keep(int start, int count, long lengthBefore) {
    int room = (int) Math.min(count, Math.max(0, MAX_LINE_BYTES + 1L - lengthBefore));
    if (room > 0) {
      if (buffered + room > buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_LINE_BYTES + 1L, Math.max(buffered + room, 2L * buffer.length)));
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
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(buffer, from, (int) length);
    CharBuffer out = CharBuffer.allocate((int) length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      return new Line(number, new String(buffer, from, (int) length, StandardCharsets.UTF_8), length, at - from,
          buffer[at] & 0xff);
    }
    return new Line(number, out.flip().toString(), length, -1, -1);
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
