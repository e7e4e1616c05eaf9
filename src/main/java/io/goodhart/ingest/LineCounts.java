package io.goodhart.ingest;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;

/**
 * The lines of a file (plain, gzip or zstd by its name), counted as {@link EventFileLines} reads them (a line
 * ends at each '\n', and bytes after the last one make one more line) but without judging or even decoding them:
 * the ledger's {@code lines read} comes from here, so it can disagree with the sum of the outcomes when a line goes missing between
 * reading and storing. Returns {@code file + '\t' + count}, or {@code -1} when the file cannot be read to
 * its end (such a file refuses the input anyway).
 */
final class LineCounts implements Function<String, String> {
  private static final long serialVersionUID = 1L;
  private final HadoopSettings hadoop;
  private final java.util.Set<String> wholeFiles;

  /** {@code wholeFiles}: files of a format read whole, one unit each (a readable one counts 1). */
  LineCounts(HadoopSettings hadoop, java.util.Set<String> wholeFiles) {
    this.hadoop = hadoop;
    this.wholeFiles = new java.util.HashSet<>(wholeFiles);
  }

  LineCounts(HadoopSettings hadoop) {
    this(hadoop, java.util.Set.of());
  }

  @Override
  public String call(String file) {
    long lines = count(file, hadoop);
    return file + "\t" + (wholeFiles.contains(file) && lines >= 0 ? 1 : lines);
  }

  static long count(String file, HadoopSettings hadoop) {
    Path path = new Path(file);
    try (InputStream raw = path.getFileSystem(hadoop.toConfiguration()).open(path);
        InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
            : file.endsWith(".zst") ? new ZstdInputStream(raw) : raw) {
      byte[] chunk = new byte[1 << 16];
      long lines = 0;
      boolean tail = false;
      for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            lines++;
            tail = false;
          } else {
            tail = true;
          }
        }
      }
      return tail ? lines + 1 : lines;
    } catch (IOException e) {
      return -1;
    }
  }

  /** A line of {@link #call}'s output as (file, count). */
  static String[] parse(String line) {
    int tab = line.lastIndexOf('\t');
    return new String[] {line.substring(0, tab), line.substring(tab + 1)};
  }

}
