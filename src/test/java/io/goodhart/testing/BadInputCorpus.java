package io.goodhart.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The bad-input corpus: the small cases committed under {@code src/test/resources/bad-input/}, and the
 * ones too big or too binary to commit (a 10 MB line, random bytes, truncated or misnamed gzip), made
 * on demand. Event files go into a delivery folder {@code date=2026-11-23}, which fixes the reference
 * day of ingestion's event-time window, so the outcomes do not depend on when the tests run.
 */
public final class BadInputCorpus {
  /** The delivery date of every corpus delivery. */
  public static final LocalDate DELIVERY = LocalDate.of(2026, 11, 23);

  private BadInputCorpus() {}

  /** A new, empty delivery folder {@code root/name/date=2026-11-23}. */
  public static Path delivery(Path root, String name) {
    Path folder = root.resolve(name).resolve("date=" + DELIVERY);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return folder;
  }

  /** Copies the committed corpus file {@code bad-input/<resource>} into the folder, under its own name. */
  public static Path copy(String resource, Path folder) {
    Path target = folder.resolve(Path.of(resource).getFileName().toString());
    return write(target, committed(resource));
  }

  /** The bytes of a committed corpus file. */
  public static byte[] committed(String resource) {
    try (InputStream in = BadInputCorpus.class.getClassLoader().getResourceAsStream("bad-input/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no corpus file bad-input/" + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A valid contract line for the delivery day. */
  public static String goodLine(String id) {
    return EventLines.event(id, DELIVERY + "T09:00:00Z", "u1", 10, 5);
  }

  /** Lines joined with '\n', each ended by one. */
  public static byte[] lines(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A good line, then one event line of exactly {@code lineBytes} bytes (valid JSON: an unknown field
   * holding a long string), then another good line.
   */
  public static Path oversizedLine(Path folder, String name, int lineBytes) {
    String head = EventLines.event("big1", DELIVERY + "T09:00:00Z", "u1", 10, 5).replace("}", ",\"payload\":\"");
    String tail = "\"}";
    StringBuilder line = new StringBuilder(lineBytes).append(head);
    line.append("x".repeat(lineBytes - head.length() - tail.length())).append(tail);
    return write(folder.resolve(name), lines(List.of(goodLine("big0"), line.toString(), goodLine("big2"))));
  }

  /** 8 KiB of seeded random bytes behind a PNG signature: a picture that landed in the feed. */
  public static Path binary(Path folder, String name) {
    byte[] bytes = new byte[8192];
    new Random(7).nextBytes(bytes);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    System.arraycopy(png, 0, bytes, 0, png.length);
    return write(folder.resolve(name), bytes);
  }

  /** The parts one after the other. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** The lines gzip-compressed. */
  public static byte[] gzip(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The gzip of the text cut to {@code share} of its bytes: a transfer that stopped half way. */
  public static Path truncatedGzip(Path folder, String name, byte[] text, double share) {
    byte[] whole = gzip(text);
    return write(folder.resolve(name), Arrays.copyOf(whole, (int) (whole.length * share)));
  }

  public static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
