package io.goodhart.ingest;

import java.util.List;

/** Every input format goodhart reads, in the order {@code --format auto} tries them. */
public final class EventFormats {
  private EventFormats() {}

  public static List<EventFormat> standard() {
    return List.of(new NativeFormat());
  }
}
