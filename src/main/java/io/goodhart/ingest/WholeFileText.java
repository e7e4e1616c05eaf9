package io.goodhart.ingest;

import io.goodhart.lake.InputException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A file of a format delivered as one JSON document (a page of an API response), read whole as one unit:
 * plain, or gzip when named {@code .gz}. The bytes are held up to the format's limit plus one, so a larger
 * file is measured but not held, and comes back as its first {@link EventFileLines#KEPT_PREFIX_BYTES} bytes.
 * Decoded strictly as UTF-8; a byte-order mark is skipped; a file that starts like a binary format is
 * refused whole ({@link InputException}).
 */
final class WholeFileText {
  private WholeFileText() {}

  static EventFileLines.Line read(String file, Configuration conf, int limit) {
    Path path = new Path(file);
    byte[] held = new byte[1 << 16];
    int count = 0;
    long total = 0;
    try (InputStream raw = path.getFileSystem(conf).open(path);
        InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      byte[] chunk = new byte[1 << 16];
      for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
        int room = (int) Math.min(n, Math.max(0, (long) limit + 1 - count));
        if (room > 0) {
          if (count + room > held.length) {
            held = java.util.Arrays.copyOf(held, (int) Math.min((long) limit + 1, Math.max(count + room, 2L * held.length)));
          }
          System.arraycopy(chunk, 0, held, count, room);
          count += room;
        }
        total += n;
      }
    } catch (ZipException | EOFException e) {
      throw new UncheckedIOException("cannot read " + file + ": the gzip data is damaged or ends early ("
          + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String kind = EventFileLines.binaryKind(held, count);
    if (kind != null) {
      throw new InputException(file + ":1: not a text file: it starts like " + kind + "; a JSON document is UTF-8 text");
    }
    if (count >= 2 && held[0] == (byte) 0x1f && held[1] == (byte) 0x8b) {
      throw new InputException(file + ":1: the file is gzip-compressed but not named .gz; name it *.json.gz");
    }
    int from = count >= 3 && held[0] == (byte) 0xEF && held[1] == (byte) 0xBB && held[2] == (byte) 0xBF ? 3 : 0;
    long length = total - from;
    long nulAt = -1;
    for (int i = from; i < count; i++) {
      if (held[i] == 0) {
        nulAt = i - from;
        break;
      }
    }
    if (total > limit) {
      int end = Math.min(count, from + EventFileLines.KEPT_PREFIX_BYTES);
      while (end > from && end < count && (held[end] & 0xC0) == 0x80) {
        end--;
      }
      return new EventFileLines.Line(1, new String(held, from, end - from, StandardCharsets.UTF_8), length, -1, -1,
          nulAt, false, limit);
    }
    EventFileLines.Line text = EventFileLines.decode(held, 1, from, count - from, limit);
    return new EventFileLines.Line(1, text.text(), length, text.invalidUtf8At(), text.invalidByte(), nulAt, false,
        limit);
  }
}
