package io.goodhart.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * A telemetry event that is not a request to a model: a human turn ({@code user_prompt}), a tool decision
 * or result, an API error, or another named event of the source. It carries no tokens and never counts as a
 * request; human turns and tool decisions are linked to the requests of the same turn by {@code promptId}.
 *
 * @param eventId deterministic id (see the format that made it), unique per interaction
 * @param kind the event's short name: {@code user_prompt}, {@code tool_decision}, {@code tool_result},
 *     {@code api_error}, or the source's own name for any other event
 * @param personKeys the keys the source names the person by
 * @param decision {@code accept} or {@code reject} for tool decisions, else null
 * @param decisionSource who decided: {@code config} (an automatic accept), {@code user_permanent}, ...
 * @param success whether a tool use succeeded ({@code tool_result})
 * @param promptLength characters of the human prompt ({@code user_prompt}); the text itself is never kept
 */
public record Interaction(
    String eventId,
    Instant eventTime,
    String kind,
    PersonKeys personKeys,
    String tool,
    String sessionId,
    String promptId,
    String toolName,
    String decision,
    String decisionSource,
    Boolean success,
    Long promptLength,
    String model,
    Long durationMs,
    Map<String, String> extraFields) {}
