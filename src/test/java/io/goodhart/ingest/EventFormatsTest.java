package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.goodhart.ingest.cursor.CursorEventsFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Formats by name for --format, and what --format auto decides for a file. */
class EventFormatsTest {
  private static final String NATIVE_LINE = "{\"event_id\":\"e1\",\"event_time\":\"2026-11-23T10:14:03Z\","
      + "\"user_id\":\"u1\",\"tool\":\"claude-code\",\"operation\":\"chat\",\"input_tokens\":1,\"output_tokens\":2}";
  private static final String CURSOR_PAGE = "{\n  \"totalUsageEventsCount\": 0,\n  \"usageEvents\": []\n}";

  /** A format of this test only: any JSON object, in files named *.probe. */
  static final class ProbeFormat implements EventFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "probe";
    }

    @Override
    public boolean isEventFile(String fileName) {
      return fileName.endsWith(".probe");
    }

    @Override
    public String fileNames() {
      return "*.probe";
    }

    @Override
    public List<SourceRecord> read(String unit, long line) {
      return List.of(SourceRecord.skipped(0, line, "probe"));
    }

    @Override
    public boolean sniff(String firstUnitPrefix) {
      return firstUnitPrefix.startsWith("{");
    }
  }

  private final NativeFormat nativeFormat = new NativeFormat();
  private final CursorEventsFormat cursor = new CursorEventsFormat();
  private final ProbeFormat probe = new ProbeFormat();
  private final EventFormats formats = new EventFormats(List.of(nativeFormat, cursor, probe));

  @Test
  void formatsAreFoundByTheirName() {
    assertSame(nativeFormat, formats.byName("goodhart"));
    assertSame(cursor, formats.byName("cursor-events"));
    assertSame(probe, formats.byName("probe"));
    assertEquals("goodhart, otlp, cursor-events, q-developer-csv, copilot-user-ndjson, cursor-daily",
        EventFormats.standard().names());
  }

  @Test
  void anUnknownNameIsOneLineListingTheKnownOnes() {
    EventFormats.UnknownFormatException e =
        assertThrows(EventFormats.UnknownFormatException.class, () -> EventFormats.standard().byName("otel"));
    assertEquals("unknown input format \"otel\": known formats are goodhart, otlp, cursor-events, q-developer-csv, "
        + "copilot-user-ndjson, cursor-daily (or auto to detect each file's)", e.getMessage());
  }

  @Test
  void eachFileIsDetectedByItsContentAndSaysWhy() {
    assertEquals(new EventFormats.Detection(nativeFormat, "part-00000.jsonl: goodhart, a JSON object with "
        + "\"event_id\" and \"event_time\" (the goodhart contract)"),
        formats.detect(NATIVE_LINE, "part-00000.jsonl"));
    assertEquals(new EventFormats.Detection(cursor, "page-00001.json: cursor-events, a JSON object with "
        + "\"usageEvents\" (a Cursor filtered-usage-events page)"),
        formats.detect(CURSOR_PAGE, "page-00001.json"));
    assertNull(formats.detect("user_id,team_id\nu1,t1", "directory.csv"));
  }

  @Test
  void whenSeveralFormatsAcceptTheContentTheOneNamingTheFileWins() {
    assertSame(probe, formats.detect(NATIVE_LINE, "events.probe").format());
    assertSame(nativeFormat, formats.detect(NATIVE_LINE, "events.txt").format());
    assertEquals(new EventFormats.Detection(probe, "x.json: probe, its first line looks like probe, although "
        + "its name is not one of *.probe"), formats.detect("{\"x\":1}", "x.json"));
  }

  @Test
  void aRegistryHasAtLeastOneFormat() {
    assertThrows(IllegalArgumentException.class, () -> new EventFormats(List.of()));
  }
}
