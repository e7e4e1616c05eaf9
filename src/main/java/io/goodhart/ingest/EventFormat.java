package io.goodhart.ingest;

import java.io.Serializable;
import java.util.List;

/**
 * A format usage files are delivered in, as an adapter onto the contract: which file names are its files,
 * how a file is cut into units (lines, or the whole file as one JSON document), and what records a unit
 * holds. A file of a delivery folder that is not one of the format's is listed as skipped, never read and
 * never silently passed over (and refused with {@code --strict}).
 *
 * <p>{@link #read} is pure and runs inside Spark tasks: it must not throw on any input, but return a
 * {@link SourceRecord#rejected} record naming the field and reason.
 */
public interface EventFormat extends Serializable {
  /** The name given to {@code --format}, recorded in the file manifest and in each row's {@code source}. */
  String name();

  /** Whether a file of this name is an event file of this format. */
  boolean isEventFile(String fileName);

  /** The names of its event files, for messages, e.g. {@code *.jsonl, *.jsonl.gz}. */
  String fileNames();

  /** True when a file is one JSON document (read whole), false when it is JSON lines (one unit per line). */
  default boolean wholeFile() {
    return false;
  }

  /** The longest unit (line, or whole file) read, in bytes; a longer one is rejected, measured but not held. */
  default int maxUnitBytes() {
    return EventFileLines.MAX_LINE_BYTES;
  }

  /**
   * The records of one unit: its text and the 1-based line it starts on. Never empty (a unit without records
   * yields {@link SourceRecord#empty}); never throws.
   */
  List<SourceRecord> read(String unit, long line);

  /** {@link #read(String, long)} of a unit of the named file, for a format whose file names say something. */
  default List<SourceRecord> read(String unit, long line, String file) {
    return read(unit, line);
  }

  /**
   * Whether the first non-blank unit of a file (at most its first 64 KiB) looks like this format: what
   * {@code --format auto} decides by.
   */
  boolean sniff(String firstUnitPrefix);

  /** What {@link #sniff} looks for, in words, for the line {@code --format auto} prints about each file. */
  default String sniffRule() {
    return "its first " + (wholeFile() ? "document" : "line") + " looks like " + name();
  }
}
