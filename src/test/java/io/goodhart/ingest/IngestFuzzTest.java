package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random mutations of valid lines through the real ingest: every line ends accepted, a
 * duplicate or rejected with a reason, never as a crash, and the ledger balances. The seed is printed; run
 * again with {@code -Dgoodhart.fuzz.seed=N} to replay a failure.
 */
class IngestFuzzTest {
  private static final int LINES_PER_FILE = 1_200;
  private static final int FILES = 3;

  @TempDir Path dir;
  private final SparkSession spark = TestLake.spark();

  @Test
  void noMutationOfAValidLineCrashesTheIngestAndTheLedgerHolds() throws IOException {
    long seed = Long.getLong("goodhart.fuzz.seed", System.nanoTime());
    System.out.println("IngestFuzzTest seed=" + seed + " (replay: -Dgoodhart.fuzz.seed=" + seed + ")");
    Random random = new Random(seed);
    Path delivery = Files.createDirectories(dir.resolve("events").resolve("date=2026-11-16"));
    long expectedLines = 0;
    for (int f = 0; f < FILES; f++) {
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      // A valid first line: a file is refused as binary only by what its first bytes or most lines look like.
      file.writeBytes((valid("first-" + f) + "\n").getBytes(StandardCharsets.UTF_8));
      expectedLines++;
      for (int i = 0; i < LINES_PER_FILE; i++) {
        byte[] line = mutate(random, valid("e" + f + "-" + i), "e" + f + "-" + (i > 0 ? random.nextInt(i) : 0));
        file.writeBytes(line);
        file.write('\n');
        expectedLines += 1 + count(line, (byte) '\n');
      }
      if (f == 0) {
        // The case docs/testing.md describes: a last line cut half way, inside a 5,000-character string.
        file.writeBytes(("{\"event_id\":\"cut\",\"event_time\":\"2026-11-16T09:00:00Z\",\"user_id\":\"u1\","
            + "\"tool\":\"copilot\",\"operation\":\"chat\",\"input_tokens\":1,\"output_tokens\":1,\"model\":\""
            + "x".repeat(5_000)).getBytes(StandardCharsets.UTF_8));
        expectedLines++;
      }
      Files.write(delivery.resolve("part-" + f + ".jsonl"), file.toByteArray());
    }

    LakeTables tables = new LakeTables(spark, TestLake.freshConfig("fuzz"));
    IngestLedger ledger = new IngestJob(spark, tables, line -> { })
        .run(new IngestJob.Config(dir.resolve("events").toString(), null));

    String replay = " (seed " + seed + ")";
    assertTrue(ledger.balances(), ledger + replay);
    assertEquals(expectedLines, ledger.linesRead(), "every line of every file counted" + replay);
    assertEquals(ledger.accepted(), spark.table(tables.usageEvents()).count(), replay);
    assertEquals(ledger.accepted(), spark.table(tables.usageEvents()).select("event_id").distinct().count(),
        "each event once" + replay);
    assertEquals(ledger.rejected(), spark.table(tables.usageEventsRejected()).count(), replay);
    assertEquals(0L, spark.table(tables.usageEventsRejected()).where("reason IS NULL OR trim(reason) = ''").count(),
        "every rejected line says why" + replay);
    assertEquals(1L, spark.table(tables.usageEventsRejected())
        .where("source_line = " + (LINES_PER_FILE + 2) + " AND source_file LIKE '%part-0.jsonl'").count(),
        "the cut line is one reject" + replay);
    assertTrue(ledger.accepted() > 0 && ledger.rejected() > 0, ledger + replay);
  }

  private static String valid(String id) {
    return "{\"event_id\":\"" + id + "\",\"event_time\":\"2026-11-16T09:00:00Z\",\"user_id\":\"u1\",\"tool\":\"copilot\","
        + "\"operation\":\"chat\",\"input_tokens\":120,\"output_tokens\":30,\"model\":\"gpt-4o\","
        + "\"session_id\":\"s1\",\"duration_ms\":900}";
  }

  /** One to three mutations of a valid line; {@code earlier} is the id of a line before it, for duplicates. */
  static byte[] mutate(Random random, String line, String earlier) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      bytes = switch (random.nextInt(12)) {
        case 0 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)); // cut anywhere
        case 1 -> replace(bytes, "\"gpt-4o\"", "\"" + "y".repeat(2_000 + random.nextInt(20_000))
            + (random.nextBoolean() ? "\"" : "")); // a long string, closed or not
        case 2 -> nest(bytes, random);
        case 3 -> replace(bytes, "}", ",\"event_id\":\"" + earlier + "\",\"input_tokens\":7}"); // duplicate keys
        case 4 -> insert(bytes, random, odd(random));
        case 5 -> replace(bytes, "120", new String[] {"1e400", "-0", "99999999999999999999999", "1e-400", "0.5", "NaN",
            "Infinity", "-1", "1E2", "0x10", "+5", "007"}[random.nextInt(12)]);
        case 6 -> replace(bytes, random.nextBoolean() ? "120" : "\"u1\"",
            new String[] {"\"12\"", "true", "null", "[]", "{}", "\"\"", "12.0"}[random.nextInt(7)]);
        case 7 -> insert(bytes, random, new byte[] {new byte[] {' ', '\t', '\r', '\u000b', '\f'}[random.nextInt(5)]});
        case 8 -> concat(bytes, "\r".getBytes(StandardCharsets.UTF_8));
        case 9 -> replace(bytes, "\"" + idOf(line) + "\"", "\"" + earlier + "\""); // a duplicate event_id
        case 10 -> flip(bytes, random);
        default -> random.nextInt(50) == 0 ? new byte[0] : bytes; // now and then an empty line
      };
    }
    return bytes;
  }

  private static String idOf(String line) {
    int start = line.indexOf("\"event_id\":\"") + 12;
    return line.substring(start, line.indexOf('"', start));
  }

  private static byte[] odd(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> "\\ud800".getBytes(StandardCharsets.UTF_8); // an escaped lone surrogate
      case 1 -> new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // a lone surrogate as raw (invalid) UTF-8
      case 2 -> new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}; // a byte-order mark in the middle
      case 3 -> new byte[] {0}; // NUL
      case 4 -> "\uFFFF\uFFFE".getBytes(StandardCharsets.UTF_8);
      case 5 -> "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
      case 6 -> new byte[] {(byte) 0xC3}; // a cut multi-byte character
      default -> "\\u0000".getBytes(StandardCharsets.UTF_8);
    };
  }

  private static byte[] nest(byte[] bytes, Random random) {
    int depth = random.nextBoolean() ? 1 + random.nextInt(50) : 900 + random.nextInt(5_000);
    boolean arrays = random.nextBoolean();
    String open = arrays ? "[" : "{\"a\":";
    String close = arrays ? "]" : "}";
    return replace(bytes, "\"s1\"", open.repeat(depth) + "1" + (random.nextInt(4) == 0 ? "" : close.repeat(depth)));
  }

  private static byte[] replace(byte[] bytes, String what, String with) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    String target = new String(what.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    int at = text.indexOf(target);
    if (at < 0) {
      return bytes;
    }
    byte[] replacement = with.getBytes(StandardCharsets.UTF_8);
    return concat(concat(java.util.Arrays.copyOf(bytes, at), replacement),
        java.util.Arrays.copyOfRange(bytes, at + target.length(), bytes.length));
  }

  private static byte[] insert(byte[] bytes, Random random, byte[] what) {
    int at = random.nextInt(bytes.length + 1);
    return concat(concat(java.util.Arrays.copyOf(bytes, at), what), java.util.Arrays.copyOfRange(bytes, at, bytes.length));
  }

  private static byte[] flip(byte[] bytes, Random random) {
    if (bytes.length == 0) {
      return bytes;
    }
    byte[] out = bytes.clone();
    byte b = (byte) random.nextInt(256);
    out[random.nextInt(out.length)] = b == '\n' ? (byte) '#' : b; // a new line would be a new line, not a flip
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static long count(byte[] bytes, byte b) {
    long n = 0;
    for (byte x : bytes) {
      if (x == b) {
        n++;
      }
    }
    return n;
  }
}
