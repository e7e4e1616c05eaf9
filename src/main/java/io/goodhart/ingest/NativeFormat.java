package io.goodhart.ingest;

import java.util.List;
import java.util.Locale;

/**
 * goodhart's own input contract (usage events): one usage event per line, JSON lines in UTF-8, plain or
 * gzip. Event files are named {@code *.jsonl} or {@code *.ndjson}, with {@code .gz} when compressed.
 */
public final class NativeFormat implements EventFormat {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "goodhart";
  private static final List<String> SUFFIXES = List.of(".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz");
  private transient EventLineParser parser;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isEventFile(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return SUFFIXES.stream().anyMatch(name::endsWith);
  }

  @Override
  public String fileNames() {
    return "*.jsonl, *.jsonl.gz, *.ndjson or *.ndjson.gz";
  }

  @Override
  public List<SourceRecord> read(String unit, long line) {
    if (parser == null) {
      parser = new EventLineParser();
    }
    return List.of(SourceRecord.of(parser.parse(unit), line));
  }

  /** An object with the contract's event_id and event_time fields. */
  @Override
  public boolean sniff(String firstUnitPrefix) {
    String text = firstUnitPrefix.strip();
    return text.startsWith("{") && text.contains("\"event_id\"") && text.contains("\"event_time\"");
  }

  @Override
  public String sniffRule() {
    return "a JSON object with \"event_id\" and \"event_time\" (the goodhart contract)";
  }
}
