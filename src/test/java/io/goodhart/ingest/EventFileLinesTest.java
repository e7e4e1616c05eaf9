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
    return read(name, bytes, MAX_LINE_BYTES);
  }

  private List<EventFileLines.Line> read(String name, byte[] bytes, int maxLineBytes) {
    Path file = BadInputCorpus.write(dir.resolve(name), bytes);
    List<EventFileLines.Line> lines = new ArrayList<>();
    new EventFileLines(file.toString(), HADOOP, maxLineBytes).forEachRemaining(lines::add);
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

  @Test
  void aFormatWithALargerLimitHoldsLongerLinesWhole() {
    String line = "a".repeat(MAX_LINE_BYTES + 10);
    List<EventFileLines.Line> defaultLimit = read("a.jsonl", bytes(line, "\n"));
    assertTrue(defaultLimit.get(0).tooLong());
    List<EventFileLines.Line> larger = read("b.jsonl", bytes(line, "\n", "b".repeat(2 * MAX_LINE_BYTES + 1)),
        2 * MAX_LINE_BYTES);
    assertEquals(new EventFileLines.Line(1, line, MAX_LINE_BYTES + 10, -1, -1, -1, false, 2 * MAX_LINE_BYTES),
        larger.get(0));
    assertFalse(larger.get(0).tooLong());
    assertTrue(larger.get(1).tooLong(), "over the larger limit");
    assertEquals("b".repeat(KEPT_PREFIX_BYTES), larger.get(1).text());
  }

  @Test
  void aZstdFileIsReadAndCountedAsThePlainFileItHolds() {
    // Two frames, as a writer that finishes a frame per flush leaves them: one stream of lines across both.
    byte[] first = com.github.luben.zstd.Zstd.compress(bytes("{\"a\":1}\n{\"b\":"));
    byte[] second = com.github.luben.zstd.Zstd.compress(bytes("2}\r\n{\"c\":3}"));
    List<EventFileLines.Line> lines = read("a.jsonl.zst", bytes(first, second));
    assertEquals(List.of(new EventFileLines.Line(1, "{\"a\":1}", 7, -1, -1),
        new EventFileLines.Line(2, "{\"b\":2}", 7, -1, -1),
        new EventFileLines.Line(3, "{\"c\":3}", 7, -1, -1)), lines);
    HadoopSettings hadoop = new HadoopSettings(HADOOP);
    assertEquals(3, LineCounts.count(dir.resolve("a.jsonl.zst").toString(), hadoop));
    BadInputCorpus.write(dir.resolve("a.jsonl"), bytes("{\"a\":1}\n{\"b\":2}\r\n{\"c\":3}"));
    assertEquals(3, LineCounts.count(dir.resolve("a.jsonl").toString(), hadoop));
  }

  @Test
  void aZstdFileThatIsNotZstdDataOrIsCutShortIsRefusedByName() {
    byte[] message = com.github.luben.zstd.Zstd.compress(bytes("{\"resourceLogs\":[]}"));
    byte[] lengthPrefixed = bytes(java.nio.ByteBuffer.allocate(4).putInt(message.length).array(), message);
    InputException legacy = assertThrows(InputException.class, () -> read("a.json.zst", lengthPrefixed));
    assertEquals(dir.resolve("a.json.zst") + ":1: not a zstd file but length-prefixed zstd messages, as the "
        + "OpenTelemetry Collector's file exporter writes them with compression: zstd unless its "
        + "exporter.file.nativeCompression feature gate is on; turn the gate on (collector v0.154.0 or later) or export "
        + "without compression", legacy.getMessage());
    InputException plain = assertThrows(InputException.class, () -> read("b.json.zst", bytes("{}\n")));
    assertEquals(dir.resolve("b.json.zst") + ":1: the file is named .zst but does not start as zstd data",
        plain.getMessage());

    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20000; i++) {
      text.append("{\"n\":").append(i).append(",\"pad\":\"").append(Integer.toHexString(i * 7919)).append("\"}\n");
    }
    byte[] whole = com.github.luben.zstd.Zstd.compress(bytes(text));
    InputException cut = assertThrows(InputException.class,
        () -> read("c.json.zst", java.util.Arrays.copyOf(whole, whole.length / 2)));
    assertTrue(cut.getMessage().startsWith("cannot read " + dir.resolve("c.json.zst") + " after line "), cut.getMessage());
    assertTrue(cut.getMessage().contains(": the zstd data is damaged or ends early ("), cut.getMessage());
    assertEquals(-1, LineCounts.count(dir.resolve("c.json.zst").toString(), new HadoopSettings(HADOOP)));
  }
}
