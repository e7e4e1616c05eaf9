package io.goodhart.ingest;

import static io.goodhart.ingest.EventFileLines.KEPT_PREFIX_BYTES;
import static io.goodhart.ingest.EventFileLines.MAX_LINE_BYTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.InputException;
import io.goodhart.testing.BadInputCorpus;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an event file into lines, whatever bytes it holds: bounded memory, and a refusal for what is not text. */
class EventFileLinesTest {
  private static final Configuration HADOOP = new Configuration();
  @TempDir Path dir;

  private List<EventFileLines.Line> read(String name, byte[] bytes) {
    Path file = BadInputCorpus.write(dir.resolve(name), bytes);
    List<EventFileLines.Line> lines = new ArrayList<>();
    new EventFileLines(file.toString(), HADOOP).forEachRemaining(lines::add);
    return lines;
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void aLineOfExactlyTheLimitIsKeptWholeAndOneByteMoreOnlyAsItsPrefix() {
    String atLimit = "a".repeat(MAX_LINE_BYTES);
    List<EventFileLines.Line> lines = read("a.jsonl", bytes(atLimit, "\r\n", "b".repeat(MAX_LINE_BYTES + 1), "\n", "c"));
    assertEquals(3, lines.size());
    assertFalse(lines.get(0).tooLong(), "a CR before the newline does not count");
    assertEquals(atLimit, lines.get(0).text());
    assertTrue(lines.get(1).tooLong());
    assertEquals(MAX_LINE_BYTES + 1, lines.get(1).bytes());
    assertEquals("b".repeat(KEPT_PREFIX_BYTES), lines.get(1).text());
    assertEquals(new EventFileLines.Line(3, "c", 1, -1, -1), lines.get(2), "the last line needs no newline");
  }

  @Test
  void theKeptPrefixEndsOnACharacterBoundary() {
    List<EventFileLines.Line> lines = read("a.jsonl", bytes("a", "\u00e9".repeat(MAX_LINE_BYTES), "\n"));
    assertEquals("a" + "\u00e9".repeat((KEPT_PREFIX_BYTES - 1) / 2), lines.get(0).text());
    assertEquals(1 + 2L * MAX_LINE_BYTES, lines.get(0).bytes());
  }

  @Test
  void aByteOrderMarkOpeningTheFileIsSkippedAndBadBytesAreLocated() {
    List<EventFileLines.Line> lines = read("a.jsonl", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{}\n",
        "ab", new byte[] {(byte) 0xFC}, "\n"));
    assertEquals(new EventFileLines.Line(1, "{}", 2, -1, -1), lines.get(0));
    assertEquals(new EventFileLines.Line(2, "ab\uFFFD", 3, 2, 0xFC), lines.get(1));
  }

  @Test
  void aNulByteInsideALineMarksThatLineWithItsOffset() {
    List<EventFileLines.Line> lines = read("a.jsonl", bytes("{}\n{\"a\":", new byte[] {0}, "}\n{}\n"));
    assertEquals(List.of(new EventFileLines.Line(1, "{}", 2, -1, -1),
        new EventFileLines.Line(2, "{\"a\":\u0000}", 7, -1, -1, 5, false),
        new EventFileLines.Line(3, "{}", 2, -1, -1)), lines);
  }

  @Test
  void aZeroFilledTailIsOneLineOfNulsEvenAfterAShortFirstLine() {
    List<EventFileLines.Line> lines = read("a.jsonl", bytes("{}\n", new byte[300]));
    assertEquals(List.of(new EventFileLines.Line(1, "{}", 2, -1, -1),
        new EventFileLines.Line(2, "", 300, -1, -1, 0, true)), lines);
  }

  @Test
  void aFileIsRefusedAsBinaryOnlyWhenItLooksBinaryAsAWhole() {
    InputException early = assertThrows(InputException.class, () -> read("a.jsonl", bytes("{\"a", new byte[] {0}, "\n")));
    assertEquals(dir.resolve("a.jsonl") + ":1: not a text file: a NUL byte at byte offset 3, among its first 64 bytes; "
        + "JSON lines are UTF-8 text, so this is binary data (or UTF-16/UTF-32 text)", early.getMessage());
    InputException utf16 = assertThrows(InputException.class,
        () -> read("b.jsonl", "{}\n".getBytes(java.nio.charset.StandardCharsets.UTF_16)));
    assertEquals(dir.resolve("b.jsonl") + ":1: not a text file: it starts like UTF-16 text (a UTF-16 byte-order mark); "
        + "JSON lines are UTF-8 text", utf16.getMessage());
    InputException most = assertThrows(InputException.class,
        () -> read("c.jsonl", bytes("{\"first\":\"a line of text long enough to pass the first bytes\"}\n",
            "x", new byte[] {0}, "\ny", new byte[] {0}, "\n")));
    assertEquals(dir.resolve("c.jsonl") + ": not a text file: 2 of its 3 lines hold NUL bytes; JSON lines are UTF-8 "
        + "text, so this is binary data (or UTF-16/UTF-32 text)", most.getMessage());
  }

  @Test
  void gzipDataWhereTextBelongsIsRefused() {
    byte[] gzip = BadInputCorpus.gzip(bytes("{}\n"));
    InputException plain = assertThrows(InputException.class, () -> read("a.jsonl", gzip));
    assertEquals(dir.resolve("a.jsonl") + ":1: the file is gzip-compressed but not named .gz; name it *.jsonl.gz",
        plain.getMessage());
    InputException twice = assertThrows(InputException.class, () -> read("b.jsonl.gz", BadInputCorpus.gzip(gzip)));
    assertEquals(dir.resolve("b.jsonl.gz") + ":1: the gzip data holds gzip data again (compressed twice); compress "
        + "event files once", twice.getMessage());
  }

  @Test
  void aGzipThatEndsEarlyOrNeverStartsFailsAsUnreadable() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      text.append("{\"n\":").append(i).append("}\n");
    }
    byte[] whole = BadInputCorpus.gzip(bytes(text));
    UncheckedIOException cut = assertThrows(UncheckedIOException.class,
        () -> read("a.jsonl.gz", java.util.Arrays.copyOf(whole, whole.length / 2)));
    assertInstanceOf(EOFException.class, cut.getCause());
    assertTrue(cut.getMessage().startsWith("cannot read " + dir.resolve("a.jsonl.gz") + " after line "), cut.getMessage());
    assertTrue(cut.getMessage().endsWith(": the gzip data ends early, the file is truncated (Unexpected end of ZLIB "
        + "input stream)"), cut.getMessage());

    UncheckedIOException empty = assertThrows(UncheckedIOException.class, () -> read("b.jsonl.gz", new byte[0]));
    assertEquals("cannot read " + dir.resolve("b.jsonl.gz") + ": it is named .gz but does not start as gzip data "
        + "(the file ends before a gzip header)", empty.getMessage());
  }
}
