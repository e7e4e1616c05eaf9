package io.goodhart.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * One request to an AI model as the contract defines it (section 1), after validation: required fields
 * present and typed, {@code trigger} defaulted, names lower-cased, and fields the contract does not
 * know kept as JSON text. Tokens are normalised to the contract by the format that read the request
 * ({@code input_tokens} counts every input token, cached ones included).
 *
 * <p>Provenance: {@code source} is the format the request came in ({@code goodhart}, {@code otlp},
 * {@code cursor-events}); {@code sourceRecordId} what names the record in its source (a span's trace and
 * span id; the event_id for the native format); {@code promptId} the human turn it belongs to, when the
 * source says; {@code personKeys} the keys the source names the person by ({@code userId} is the preferred
 * one until it is resolved to the directory).
 */
public record UsageEvent(
    String eventId,
    Instant eventTime,
    Integer eventOffsetMinutes,
    String userId,
    String tool,
    String operation,
    long inputTokens,
    long outputTokens,
    String model,
    Long cacheReadTokens,
    String sessionId,
    String taskType,
    String trigger,
    String promptFingerprint,
    Long durationMs,
    Boolean accepted,
    Long linesAccepted,
    String artifactId,
    Map<String, String> extraFields,
    String source,
    String sourceRecordId,
    String promptId,
    PersonKeys personKeys) {

  /** A request of the native contract: the person is a directory user_id, the record id its event_id. */
  public UsageEvent(String eventId, Instant eventTime, Integer eventOffsetMinutes, String userId, String tool,
      String operation, long inputTokens, long outputTokens, String model, Long cacheReadTokens, String sessionId,
      String taskType, String trigger, String promptFingerprint, Long durationMs, Boolean accepted,
      Long linesAccepted, String artifactId, Map<String, String> extraFields) {
    this(eventId, eventTime, eventOffsetMinutes, userId, tool, operation, inputTokens, outputTokens, model,
        cacheReadTokens, sessionId, taskType, trigger, promptFingerprint, durationMs, accepted, linesAccepted,
        artifactId, extraFields, NativeFormat.NAME, eventId, null, PersonKeys.directory(userId));
  }
}
