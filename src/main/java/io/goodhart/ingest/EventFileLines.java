package io.goodhart.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads one event file (plain, or gzip when named {@code .gz}; any Hadoop file system) line by line, lazily, keeping the
 * 1-based line number the rejects table reports. Lines are split on '\n' (a trailing '\r' is dropped)
 * and decoded strictly as UTF-8, so a line with invalid bytes is reported rather than silently mangled.
 * A file that cannot be read to its end (truncated gzip, vanished object) fails with the file's name.
 */
final class EventFileLines implements Iterator<EventFileLines.Line>, AutoCloseable {

  /** One line: its number, its text, and whether its bytes were valid UTF-8. */
  record Line(long number, String text, boolean validUtf8) {}

  private final String file;
  private final InputStream in;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
  private final byte[] chunk = new byte[1 << 16];
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
    buffer.reset();
    try {
      boolean sawAny = false;
      while (true) {
        if (pos == limit) {
          limit = in.read(chunk, 0, chunk.length);
          pos = 0;
          if (limit <= 0) {
            limit = 0;
            break;
          }
        }
        sawAny = true;
        int start = pos;
        while (pos < limit && chunk[pos] != '\n') {
          pos++;
        }
        buffer.write(chunk, start, pos - start);
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
      throw new UncheckedIOException("cannot read " + file + " after line " + number + ": " + e.getMessage(), e);
    }
    number++;
    byte[] bytes = buffer.toByteArray();
    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
      return new Line(number, text, true);
    } catch (CharacterCodingException e) {
      return new Line(number, new String(bytes, 0, length, StandardCharsets.UTF_8), false);
    }
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
