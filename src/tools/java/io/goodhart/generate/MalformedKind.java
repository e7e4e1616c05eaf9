package io.goodhart.generate;

/**
 * The kinds of garbage lines the generator injects into event files. Each must be rejected by
 * ingestion (contract §1); none of them is ever counted as an event.
 */
public enum MalformedKind {
  /** A JSON line cut off in the middle: not parseable JSON. */
  TRUNCATED,
  /** A valid JSON object lacking one required field (any of the seven). */
  MISSING_FIELD,
  /** A required count given as a JSON string, e.g. {@code "input_tokens":"12"}. */
  WRONG_TYPE,
  /** {@code input_tokens} or {@code output_tokens} below zero. */
  NEGATIVE_COUNT,
  /** {@code event_time} that is no ISO-8601 date-time at all (e.g. {@code "yesterday"}). */
  BAD_TIME,
  /** {@code event_time} without a zone offset, e.g. {@code "2026-10-06T09:14:03"}. */
  TIME_WITHOUT_OFFSET,
  /** The empty object {@code {}}. */
  EMPTY_OBJECT;

  /** Lower-case name used in {@code generation-summary.json}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
