package io.goodhart.directory;

import io.goodhart.lake.InputException;
import io.goodhart.privacy.ErasureList;
import io.goodhart.lake.LakeTables;
import io.goodhart.privacy.PseudonymKey;
import io.goodhart.runs.JobRun;
import io.goodhart.runs.RecordedRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart load-directory}: replaces {@code raw.developer_directory} with the stints of one
 * {@code directory.csv}, in a single Iceberg snapshot published through a write-audit-publish branch
 * ({@link WholeTableLoad}). The file is validated whole first; any problem fails the load with every problem
 * listed and leaves the table as it was.
 */
public final class DirectoryLoadJob {
  public static final String NAME = "load-directory";

  private final SparkSession spark;
  private final LakeTables tables;
  private final Consumer<String> progress;

  public DirectoryLoadJob(SparkSession spark, LakeTables tables, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.progress = progress;
  }

  /** Loads the file and returns how many stints the table now holds. */
  public long run(String input) {
    String table = tables.developerDirectory();
    return RecordedRun.of(spark, tables, NAME, progress).reading(input).publishingTo(List.of(table)).run(run -> {
      List<DirectoryStint> delivered = read(input);
      List<DirectoryStint> stints = withoutErased(delivered);
      long erasedStints = delivered.size() - stints.size();
      List<Row> rows = stints.stream().map(s -> RowFactory.create(
          s.userId(), s.teamId(), s.teamName(), s.org(), s.managerId(), s.isDeveloper(),
          Date.valueOf(s.validFrom()), s.validTo() == null ? null : Date.valueOf(s.validTo()), s.email(), s.timeZone(),
          input, s.sourceLine(), run.runId())).toList();
      Dataset<Row> df = spark.createDataFrame(rows, spark.table(table).schema());
      boolean unchanged = WholeTableLoad.unchanged(spark.table(table), df, DirectoryStint.COLUMNS);
      Long snapshot = unchanged ? tables.currentSnapshotId(table)
          : WholeTableLoad.replace(spark, tables, table, run.runId(), df, stints.size(), "stint(s)");
      long people = stints.stream().map(DirectoryStint::userId).distinct().count();
      long developers = stints.stream().filter(DirectoryStint::isDeveloper).map(DirectoryStint::userId).distinct().count();
      long teams = stints.stream().map(DirectoryStint::teamId).distinct().count();
      JobRun.Builder record = run.succeeded()
          .rowsRead(Map.of("directory_rows", (long) stints.size()))
          .written(Map.of(table, unchanged ? 0L : (long) stints.size()))
          .snapshots(unchanged ? Map.of() : Map.of(table, snapshot))
          .metrics(Map.of("people", people, "developers", developers, "teams", teams, "erased_stints", erasedStints));
      return run.done((long) stints.size(), record, () -> String.format(
          "load-directory: %,d stints of %,d people (%,d developers) in %,d teams -> %s%s%s",
          stints.size(), people, developers, teams, table,
          erasedStints > 0 ? String.format(" (%,d stint(s) of people erased on request dropped)", erasedStints) : "",
          unchanged ? " (unchanged, nothing committed)" : ""));
    });
  }

  /**
   * The stints without the people {@code goodhart forget} erased, and without them as anyone's manager: a
   * re-delivered directory must not bring them back.
   */
  private List<DirectoryStint> withoutErased(List<DirectoryStint> stints) {
    ErasureList erasure = ErasureList.read(spark, tables, () -> PseudonymKey.erasureKey(tables.config()));
    if (erasure.isEmpty()) {
      return stints;
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    stints.forEach(s -> {
      ids.add(s.userId());
      if (s.managerId() != null) {
        ids.add(s.managerId());
      }
    });
    java.util.Set<String> erased = java.util.Set.copyOf(erasure.erasedAmong(ids));
    if (erased.isEmpty()) {
      return stints;
    }
    return stints.stream().filter(s -> !erased.contains(s.userId()))
        .map(s -> s.managerId() != null && erased.contains(s.managerId())
            ? new DirectoryStint(s.userId(), s.teamId(), s.teamName(), s.org(), null, s.isDeveloper(), s.validFrom(),
                s.validTo(), s.email(), s.timeZone(), s.sourceLine())
            : s)
        .toList();
  }

  /**
   * The file's text: strict UTF-8 (contract section 2), and text at all. A compressed, binary or
   * Latin-1 file is refused naming the line of the first byte at fault, so it can be found and fixed.
   */
  static String text(String input, byte[] bytes) {
    return text("directory file", input, bytes);
  }

  /** {@link #text(String, byte[])} of a CSV file {@code what} names in its messages ("identities file"). */
  static String text(String what, String input, byte[] bytes) {
    if (bytes.length >= 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) {
      throw new InputException(what + " " + input + " is gzip-compressed; it must be plain UTF-8 CSV");
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new InputException(String.format(Locale.ROOT, "%s %s:%d: not a text file: a NUL byte at "
            + "byte offset %,d (binary data, or UTF-16 text; it must be UTF-8 CSV)", what, input, lineAt(bytes, i), i));
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      throw new InputException(String.format(Locale.ROOT, "%s %s:%d: not valid UTF-8: byte 0x%02X at "
          + "byte offset %,d; save the file as UTF-8", what, input, lineAt(bytes, at), bytes[at] & 0xff, at));
    }
    return out.flip().toString();
  }

  /** The 1-based line holding the byte at {@code offset}. */
  private static long lineAt(byte[] bytes, int offset) {
    long line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The bytes of the file {@code what} ("directory") names, refused when it is missing or not a file. */
  static byte[] bytes(SparkSession spark, String input, String what, String expected) {
    Path path = new Path(input);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        throw new InputException(what + " file " + input + " does not exist");
      }
      if (!fs.getFileStatus(path).isFile()) {
        throw new InputException(what + " input " + input + " is not a file (expected " + expected + ")");
      }
      try (InputStream in = fs.open(path)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw InputException.unlessStorageFailed("cannot read " + what + " file " + input, e);
    }
  }

  private List<DirectoryStint> read(String input) {
    String text = text(input, bytes(spark, input, "directory", "a directory.csv"));
    DirectoryCsv.Parsed parsed = new DirectoryCsv().parse(input, text);
    if (!parsed.problems().isEmpty()) {
      throw WholeTableLoad.refused("directory file", parsed.problems());
    }
    return parsed.stints();
  }
}
