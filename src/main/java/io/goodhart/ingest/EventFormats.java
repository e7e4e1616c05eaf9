package io.goodhart.ingest;

import io.goodhart.ingest.cursor.CursorEventsFormat;
import io.goodhart.ingest.daily.CopilotUserNdjsonFormat;
import io.goodhart.ingest.daily.CursorDailyFormat;
import io.goodhart.ingest.daily.QDeveloperCsvFormat;
import io.goodhart.ingest.otlp.OtlpFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The input formats {@code goodhart ingest} reads, by the name given to {@code --format}, and how
 * {@code --format auto} tells them apart: by the first unit of each file, in the order of the list (the
 * first format whose {@link EventFormat#sniff} accepts it, preferring one whose file names match).
 */
public final class EventFormats {
  /** The value of {@code --format} that detects each file's format instead of naming one. */
  public static final String AUTO = "auto";

  private final List<EventFormat> formats;

  public EventFormats(List<EventFormat> formats) {
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("no input formats");
    }
    this.formats = List.copyOf(formats);
  }

  /** The formats goodhart ships. */
  public static EventFormats standard() {
    return new EventFormats(List.of(new NativeFormat(), new OtlpFormat(), new CursorEventsFormat(),
        new QDeveloperCsvFormat(), new CopilotUserNdjsonFormat(), new CursorDailyFormat()));
  }

  /** An input format name that is none of the known ones: a usage error, said in one line. */
  public static final class UnknownFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnknownFormatException(String message) {
      super(message);
    }
  }

  public List<EventFormat> all() {
    return formats;
  }

  /** The known names, in order, comma-separated. */
  public String names() {
    return formats.stream().map(EventFormat::name).collect(Collectors.joining(", "));
  }

  /** The format of this name; an unknown name fails with a message listing the known ones. */
  public EventFormat byName(String name) {
    for (EventFormat format : formats) {
      if (format.name().equals(name)) {
        return format;
      }
    }
    throw new UnknownFormatException("unknown input format \"" + name + "\": known formats are " + names()
        + " (or " + AUTO + " to detect each file's)");
  }

  /** What {@code --format auto} decided for a file, and why, for the run's progress line. */
  public record Detection(EventFormat format, String why) {}

  /**
   * The format of a file, judged by the start of its first non-blank unit and its name; null when no format
   * recognises it. When several formats accept the content, the first whose {@link EventFormat#isEventFile}
   * accepts the name wins, else the first that accepts the content.
   */
  public Detection detect(String firstUnitPrefix, String fileName) {
    EventFormat byContent = null;
    for (EventFormat format : formats) {
      if (!format.sniff(firstUnitPrefix)) {
        continue;
      }
      if (format.isEventFile(fileName)) {
        return new Detection(format, fileName + ": " + format.name() + ", " + format.sniffRule());
      }
      if (byContent == null) {
        byContent = format;
      }
    }
    if (byContent == null) {
      return null;
    }
    return new Detection(byContent, fileName + ": " + byContent.name() + ", " + byContent.sniffRule()
        + ", although its name is not one of " + byContent.fileNames());
  }
}
