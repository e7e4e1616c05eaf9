package io.goodhart.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * One request to an AI model as the contract defines it (section 1), after validation: required fields
 * present and typed, {@code trigger} defaulted, names lower-cased, and fields the contract does not
 * know kept as JSON text.
 */
public record UsageEvent(
    String eventId,
    Instant eventTime,
    int eventOffsetMinutes,
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
    Map<String, String> extraFields) {}
