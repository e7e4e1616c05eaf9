package io.goodhart.generate;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The format the generator writes its requests in: goodhart's own contract, or one of the vendor formats
 * goodhart ingests, so the same population can be delivered either way and the curated figures compared.
 * The daily formats carry no request: each person's UTC day of requests becomes one row of a daily per-user
 * report ({@link DailyRows}).
 */
public enum EmitFormat {
  /** The contract's JSON lines, with duplicates, late deliveries and malformed lines. */
  GOODHART("goodhart"),
  /** Claude Code log events as the OpenTelemetry Collector's file exporter writes them (JSON lines). */
  OTLP("otlp"),
  /** Cursor Admin API filtered-usage-events pages (one JSON document per page). */
  CURSOR_EVENTS("cursor-events"),
  /** Amazon Q Developer user activity reports (CSV, one file per UTC day in the S3 layout AWS delivers). */
  Q_DEVELOPER_CSV("q-developer-csv", true),
  /** GitHub Copilot one-day per-user usage reports (NDJSON, one user-day per line). */
  COPILOT_USER_NDJSON("copilot-user-ndjson", true),
  /** Cursor Admin API daily-usage-data responses (one JSON document per UTC day). */
  CURSOR_DAILY("cursor-daily", true);

  private final String cliName;
  private final boolean daily;

  EmitFormat(String cliName) {
    this(cliName, false);
  }

  EmitFormat(String cliName, boolean daily) {
    this.cliName = cliName;
    this.daily = daily;
  }

  /** Whether the format is a daily per-user report: a row per person and UTC day, no request of its own. */
  public boolean daily() {
    return daily;
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
