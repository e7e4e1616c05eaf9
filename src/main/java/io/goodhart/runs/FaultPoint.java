package io.goodhart.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Named points between the commits of a run where the crash tests hold a real process still, so that
 * {@code kill -9} lands exactly there instead of after a sleep-and-hope. Off unless
 * {@code $GOODHART_PAUSE_AT} names the point ({@code point}, or {@code point:subject} for one table or
 * job); a held run writes the file {@code $GOODHART_PAUSE_MARKER} and waits until that file is deleted
 * (or the process killed). Unarmed, a point costs one environment lookup.
 */
public final class FaultPoint {
  public static final String PAUSE_AT_ENV = "GOODHART_PAUSE_AT";
  public static final String MARKER_ENV = "GOODHART_PAUSE_MARKER";

  /** Ingest: events committed; the tasks writing the rejected lines hold their rows, uncommitted. Subject: none. */
  public static final String INGEST_WRITING_REJECTS = "ingest-writing-rejects";
  /** Ingest: the new events are on the run's branch and audited, main not yet moved. Subject: none. */
  public static final String INGEST_PUBLISH = "ingest-publish";
  /** Ingest: events and rejected lines committed, the file manifest not yet. Subject: none. */
  public static final String INGEST_MANIFEST = "ingest-manifest";
  /** Write-audit-publish: the branch is written and audited, main not yet moved. Subject: the table. */
  public static final String PUBLISH = "publish";
  /**
   * {@code bi-publish} wrote a BI table's rows to its branch and audited them, main not yet moved (the BI
   * tables before it are published). Subject: the table, armed by its last parts, e.g.
   * {@code curated.user_weekly_usage}.
   */
  public static final String BI_COPY = "bi-copy";
  /**
   * A curated job or bi-publish published its table(s), not yet its job_runs record (the next run's watermark).
   * Subject: the job.
   */
  public static final String RECORD_RUN = "record-run";

  /** A held run gives up after this long, so a test that dies without killing it leaves no process behind for ever. */
  private static final Duration LONGEST_HOLD = Duration.ofMinutes(30);

  private FaultPoint() {}

  /** Holds the run here if {@code $GOODHART_PAUSE_AT} names this point (and subject). */
  public static void reach(String point, String subject) {
    String spec = System.getenv(PAUSE_AT_ENV);
    if (spec != null && armed(spec, point, subject)) {
      hold(marker(), point + (subject == null ? "" : ":" + subject));
    }
  }

  /**
   * The rows, unchanged; when the point is armed, each Spark task that produces them holds once it has
   * handed its last row to the writer (its data file still open, nothing committed).
   */
  public static Dataset<Row> whileWriting(String point, Dataset<Row> rows) {
    String spec = System.getenv(PAUSE_AT_ENV);
    if (spec == null || !armed(spec, point, null)) {
      return rows;
    }
    return rows.mapPartitions(new HoldAtEnd(point), Encoders.row(rows.schema()));
  }

  /** Whether a {@code point} or {@code point:subject} spec names this point; a subject matches a table by its last parts. */
  static boolean armed(String spec, String point, String subject) {
    String s = spec.trim();
    int colon = s.indexOf(':');
    String wantedPoint = colon < 0 ? s : s.substring(0, colon);
    if (!wantedPoint.equals(point)) {
      return false;
    }
    if (colon < 0) {
      return true;
    }
    String wantedSubject = s.substring(colon + 1);
    return subject != null && (subject.equals(wantedSubject) || subject.endsWith("." + wantedSubject));
  }

  private static Path marker() {
    String file = System.getenv(MARKER_ENV);
    if (file == null || file.isBlank()) {
      throw new IllegalStateException("$" + PAUSE_AT_ENV + " is set but $" + MARKER_ENV + " is not: nobody could see "
          + "the run reach the point, nor release it");
    }
    return Path.of(file);
  }

  /** Announces the point in the marker file (written whole, then renamed) and waits until it is deleted. */
  static void hold(Path marker, String what) {
    try {
      Path partial = marker.resolveSibling(marker.getFileName() + ".partial-" + ProcessHandle.current().pid()
          + "-" + Thread.currentThread().getId());
      Files.writeString(partial, what + " pid=" + ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
      Files.move(partial, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fault-point marker " + marker, e);
    }
    System.out.println("goodhart: held at fault point " + what + " until " + marker + " is deleted");
    long deadline = System.nanoTime() + LONGEST_HOLD.toNanos();
    while (Files.exists(marker)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("held at fault point " + what + " for " + LONGEST_HOLD.toMinutes()
            + " minutes and nobody released it");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while held at fault point " + what, e);
      }
    }
  }

  /** Passes a task's rows through, then holds before telling the writer there are no more. */
  private static final class HoldAtEnd implements MapPartitionsFunction<Row, Row> {
    private final String point;

    HoldAtEnd(String point) {
      this.point = point;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private boolean held;

        @Override
        public boolean hasNext() {
          if (rows.hasNext()) {
            return true;
          }
          if (!held) {
            held = true;
            hold(marker(), point);
          }
          return false;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return rows.next();
        }
      };
    }
  }
}
