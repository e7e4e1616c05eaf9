package io.goodhart.generate;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The format the generator writes its requests in: goodhart's own contract, or one of the vendor formats
 * goodhart ingests, so the same population can be delivered either way and the curated figures compared.
 */
public enum EmitFormat {
  /** The contract's JSON lines, with duplicates, late deliveries and malformed lines. */
  GOODHART("goodhart"),
  /** Claude Code log events as the OpenTelemetry Collector's file exporter writes them (JSON lines). */
  OTLP("otlp"),
  /** Cursor Admin API filtered-usage-events pages (one JSON document per page). */
  CURSOR_EVENTS("cursor-events");

  private final String cliName;

  EmitFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name given to {@code --emit} (and to {@code goodhart ingest --format}). */
  public String cliName() {
    return cliName;
  }

  /** The format of this {@code --emit} name, or null. */
  public static EmitFormat byCliName(String name) {
    for (EmitFormat f : values()) {
      if (f.cliName.equals(name)) {
        return f;
      }
    }
    return null;
  }

  public static String cliNames() {
    return Arrays.stream(values()).map(EmitFormat::cliName).collect(Collectors.joining(", "));
  }
}
