package io.goodhart.ingest;

import io.goodhart.lake.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.Path;

/**
 * The formats one ingest run reads: the one named by {@code --format}, or with {@code auto} every known
 * format, each file then read as the format its first bytes look like.
 */
public final class InputFormats implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The {@code --format} value that decides file by file. */
  public static final String AUTO = EventFormats.AUTO;
  /** How much of a file's beginning {@code auto} looks at. */
  static final int SNIFF_BYTES = 1 << 16;

  private final List<EventFormat> formats;
  private final boolean auto;

  private InputFormats(List<EventFormat> formats, boolean auto) {
    this.formats = List.copyOf(formats);
    this.auto = auto;
  }

  /** Every format goodhart reads, in the order {@code auto} tries them. */
  public static List<EventFormat> known() {
    return EventFormats.standard().all();
  }

  /** The names {@code --format} takes. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(known().stream().map(EventFormat::name).toList());
    names.add(AUTO);
    return names;
  }

  /** The formats of {@code --format name}; an unknown name is an {@link InputException} listing the known ones. */
  public static InputFormats named(String name) {
    String wanted = name == null ? NativeFormat.NAME : name.toLowerCase(Locale.ROOT);
    if (wanted.equals(AUTO)) {
      return new InputFormats(known(), true);
    }
    try {
      return new InputFormats(List.of(EventFormats.standard().byName(wanted)), false);
    } catch (EventFormats.UnknownFormatException e) {
      throw new InputException(e.getMessage());
    }
  }

  public boolean auto() {
    return auto;
  }

  /** The name recorded for the run: the format's, or {@code auto}. */
  public String name() {
    return auto ? AUTO : formats.get(0).name();
  }

  public boolean isEventFile(String fileName) {
    return formats.stream().anyMatch(f -> f.isEventFile(fileName));
  }

  public String fileNames() {
    return auto ? String.join("; ", formats.stream().map(f -> f.name() + ": " + f.fileNames()).toList())
        : formats.get(0).fileNames();
  }

  /**
   * The format to read a file as: the one named, or with {@code auto} the first whose {@link EventFormat#sniff}
   * accepts the file's first non-blank text; null when none does.
   */
  public EventFormat formatOf(String file, String firstText) {
    if (!auto) {
      return formats.get(0);
    }
    EventFormats.Detection detection = new EventFormats(formats).detect(firstText, new Path(file).getName());
    return detection == null ? null : detection.format();
  }

  /** The first {@link #SNIFF_BYTES} bytes of a file's text, decompressed, byte-order mark and leading blanks skipped. */
  static String firstText(String file, HadoopSettings hadoop) {
    Path path = new Path(file);
    try (InputStream raw = path.getFileSystem(hadoop.toConfiguration()).open(path);
        InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
            : file.endsWith(".zst") ? new com.github.luben.zstd.ZstdInputStream(raw) : raw) {
      byte[] head = in.readNBytes(SNIFF_BYTES);
      String text = new String(head, StandardCharsets.UTF_8);
      return text.startsWith("\uFEFF") ? text.substring(1).stripLeading() : text.stripLeading();
    } catch (IOException | RuntimeException e) {
      // Unreadable or not what its name says: no format recognises it, and the run says so naming the file.
      return "";
    }
  }

  /** The formats of the files to read, decided on the executors ({@code auto} opens each file). */
  Map<String, EventFormat> formatsOf(List<String> files, org.apache.spark.api.java.JavaSparkContext jsc,
      HadoopSettings hadoop) {
    Map<String, EventFormat> out = new LinkedHashMap<>();
    if (!auto) {
      files.forEach(f -> out.put(f, formats.get(0)));
      return out;
    }
    InputFormats self = this;
    List<String> decided = jsc.parallelize(files, Math.max(1, files.size())).map(file -> {
      EventFormat format = self.formatOf(file, firstText(file, hadoop));
      return file + "\t" + (format == null ? "" : format.name());
    }).collect();
    List<String> unknown = new ArrayList<>();
    for (String line : decided) {
      int tab = line.lastIndexOf('\t');
      String file = line.substring(0, tab);
      String name = line.substring(tab + 1);
      if (name.isEmpty()) {
        unknown.add(file);
      } else {
        out.put(file, formats.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow());
      }
    }
    if (!unknown.isEmpty()) {
      throw new InputException(unknown.get(0) + ": --format auto cannot tell its format: its first bytes look like none of "
          + String.join(", ", formats.stream().map(EventFormat::name).toList())
          + (unknown.size() > 1 ? " (nor do " + (unknown.size() - 1) + " other file(s))" : "")
          + "; name the format with --format" + IngestJob.NOTHING_INGESTED);
    }
    return out;
  }
}
