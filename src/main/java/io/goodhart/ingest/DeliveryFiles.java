package io.goodhart.ingest;

import io.goodhart.lake.InputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The files an ingest run looks at, and which of them it reads. With a delivery date D, the folders are
 * {@code date=D} (which must exist) and the {@code date=} folders of the days before it within the lookback
 * window (for the Amazon Q Developer layout, the {@code yyyy/mm/dd} folders of those days), so a file that lands in an old folder after its night ran is read by a later night; without a
 * date, the input file or folder. Every file found is listed: an event file of the format is read unless the
 * manifest ({@code raw.ingested_files}) already holds it with the same size and modification time (or
 * ETag); any other file is reported as not an event file. Hidden files and markers ({@code .*},
 * {@code _*}, such as {@code _SUCCESS}) are not files of the delivery.
 */
final class DeliveryFiles {
  /** A file as listed: where, how big, when changed, and its ETag where the store gives one. */
  record Listed(String path, long size, Timestamp modifiedAt, String etag, Date deliveryDate, boolean eventFile) {
    /** What makes two listings the same version of a file. */
    String identity() {
      return path + "|" + size + "|" + (etag != null ? "etag:" + etag : "mtime:" + (modifiedAt == null ? "" : modifiedAt.getTime()));
    }
  }

  /** What a run does with the files it looked at. */
  record Selection(List<Listed> toRead, List<Listed> alreadyIngested, List<Listed> notEventFiles,
      List<Listed> knownNotEventFiles) {}

  private DeliveryFiles() {}

  /** The folders (or the file) a run looks at. */
  static List<Path> roots(Path resolved, LocalDate deliveryDate, int lookbackDays, Configuration hadoop) {
    List<Path> roots = new ArrayList<>();
    roots.add(resolved);
    if (deliveryDate == null || resolved.getParent() == null) {
      return roots;
    }
    // The Amazon Q Developer layout names a day's folder {yyyy}/{mm}/{dd} rather than date=D.
    boolean dayFolders = resolved.toString().endsWith("/" + dayFolder(deliveryDate));
    Path days = dayFolders ? resolved.getParent().getParent().getParent() : resolved.getParent();
    try {
      FileSystem fs = resolved.getFileSystem(hadoop);
      for (int back = 1; back < lookbackDays; back++) {
        Path earlier = dayFolders ? new Path(days, dayFolder(deliveryDate.minusDays(back)))
            : new Path(days, "date=" + deliveryDate.minusDays(back));
        if (fs.exists(earlier)) {
          roots.add(earlier);
        }
      }
    } catch (IOException e) {
      throw InputException.unlessStorageFailed("cannot list the delivery folders beside " + resolved, e);
    }
    return roots;
  }

  /** A day's folder in the layout of the Amazon Q Developer reports: {@code yyyy/mm/dd}. */
  static String dayFolder(LocalDate day) {
    return String.format(java.util.Locale.ROOT, "%04d/%02d/%02d", day.getYear(), day.getMonthValue(),
        day.getDayOfMonth());
  }

  /** Every file under the roots, sorted by path; the formats read decide which are event files. */
  static List<Listed> list(List<Path> roots, java.util.function.Predicate<String> isEventFile, Configuration hadoop) {
    List<Listed> out = new ArrayList<>();
    for (Path root : roots) {
      try {
        FileSystem fs = root.getFileSystem(hadoop);
        FileStatus status = fs.getFileStatus(root);
        if (status.isFile()) {
          out.add(listed(status, isEventFile, true));
          continue;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
          LocatedFileStatus file = it.next();
          String name = file.getPath().getName();
          if (!name.startsWith(".") && !name.startsWith("_")) {
            out.add(listed(file, isEventFile, false));
          }
        }
      } catch (FileNotFoundException e) {
        throw new InputException("input " + root + " does not exist");
      } catch (IOException e) {
        throw InputException.unlessStorageFailed("cannot list input " + root, e);
      }
    }
    out.sort(Comparator.comparing(Listed::path));
    return out;
  }

  private static Listed listed(FileStatus status, java.util.function.Predicate<String> isEventFile, boolean named) {
    String path = status.getPath().toString();
    String etag = status instanceof EtagSource source ? source.getEtag() : null;
    Timestamp modified = status.getModificationTime() > 0 ? new Timestamp(status.getModificationTime()) : null;
    // A file named on the command line is read whatever its name: whoever named it meant it.
    boolean eventFile = named || isEventFile.test(status.getPath().getName());
    return new Listed(path, status.getLen(), modified, etag == null || etag.isEmpty() ? null : etag,
        ParsedLines.deliveryDate(path), eventFile);
  }

  /**
   * Which files to read: the event files not in the manifest (all of them with {@code reload}); the rest
   * as already ingested, and the files that are not event files (new ones apart from those already
   * reported).
   */
  static Selection select(List<Listed> listed, Set<String> ingested, Set<String> reportedSkipped, boolean reload) {
    List<Listed> toRead = new ArrayList<>();
    List<Listed> known = new ArrayList<>();
    List<Listed> notEvent = new ArrayList<>();
    List<Listed> knownNotEvent = new ArrayList<>();
    for (Listed f : listed) {
      if (!f.eventFile()) {
        (reportedSkipped.contains(f.identity()) ? knownNotEvent : notEvent).add(f);
      } else if (!reload && ingested.contains(f.identity())) {
        known.add(f);
      } else {
        toRead.add(f);
      }
    }
    return new Selection(toRead, known, notEvent, knownNotEvent);
  }
}
