package io.goodhart.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.SourceRecord;
import io.goodhart.ingest.UsageEvent;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Spans of an application instrumented with the OpenTelemetry GenAI semantic conventions
 * ({@code resourceSpans[].scopeSpans[].spans[]}): a span of an inference or embeddings operation
 * ({@code gen_ai.operation.name} {@code chat}, {@code generate_content}, {@code text_completion},
 * {@code embeddings}), or of any other operation or none that reports token usage ({@code gen_ai.usage.*}), is a
 * model call, one request. Agent and tool spans ({@code invoke_agent}, {@code create_agent}, {@code execute_tool},
 * {@code invoke_workflow}) are skipped even with usage: the model calls an agent makes are spans of their own, and
 * counting the agent's totals too would count them twice. Every other span (a retrieval, an HTTP call) is skipped.
 */
final class GenAiSpans {
  /** The inference and embeddings operations of the conventions: each span is one call to a model. */
  private static final Set<String> MODEL_CALLS = Set.of("chat", "generate_content", "text_completion", "embeddings");
  /** Operations that are not one call to a model. */
  private static final Set<String> NOT_MODEL_CALLS = Set.of("invoke_agent", "create_agent", "execute_tool",
      "invoke_workflow");

  private static final String INPUT = "gen_ai.usage.input_tokens";
  private static final String PROMPT = "gen_ai.usage.prompt_tokens";
  private static final String OUTPUT = "gen_ai.usage.output_tokens";
  private static final String COMPLETION = "gen_ai.usage.completion_tokens";
  private static final String CACHE_READ = "gen_ai.usage.cache_read.input_tokens";

  private static final Set<String> MAPPED = Set.of("gen_ai.operation.name", "gen_ai.request.model", INPUT, PROMPT,
      OUTPUT, COMPLETION, CACHE_READ, "gen_ai.conversation.id", "session.id");

  private GenAiSpans() {}

  static SourceRecord read(int index, long line, JsonNode span, OtlpFormat.Source source) {
    if (!span.isObject()) {
      return SourceRecord.rejected(index, line, null, "a span must be an object, found " + Attributes.describe(span),
          null, Kept.recordText(span));
    }
    String eventId = null;
    try {
      Attributes attributes = Attributes.of(span.get("attributes"), "attributes");
      String operation = attributes.string("gen_ai.operation.name");
      boolean usage = attributes.all().keySet().stream().anyMatch(name -> name.startsWith("gen_ai.usage."));
      String spanName = span.path("name").asText("");
      if (operation == null && !usage) {
        return SourceRecord.skipped(index, line, "span \"" + spanName + "\" has no gen_ai.operation.name or "
            + "gen_ai.usage.* attribute: not a model call");
      }
      operation = operation == null ? "chat" : operation.toLowerCase(Locale.ROOT);
      if (NOT_MODEL_CALLS.contains(operation)) {
        return SourceRecord.skipped(index, line, "span \"" + spanName + "\" is a GenAI " + operation
            + " span, not a model call (its model calls are spans of their own)");
      }
      if (!MODEL_CALLS.contains(operation) && !usage) {
        return SourceRecord.skipped(index, line, "span \"" + spanName + "\" is a GenAI " + operation
            + " span without token usage: not a model call");
      }
      eventId = "otlp-span:" + Kept.hexId(span.get("traceId"), "traceId", 32) + ":"
          + Kept.hexId(span.get("spanId"), "spanId", 16);
      Instant start = Attributes.nanos(span.get("startTimeUnixNano"), "startTimeUnixNano");
      if (start == null) {
        throw new RecordViolation("startTimeUnixNano", "required field is missing");
      }
      Long startNanos = Attributes.nanosValue(span.get("startTimeUnixNano"), "startTimeUnixNano");
      Long endNanos = Attributes.nanosValue(span.get("endTimeUnixNano"), "endTimeUnixNano");
      if (endNanos != null && endNanos < startNanos) {
        throw new RecordViolation("endTimeUnixNano", "before startTimeUnixNano (" + endNanos + " < " + startNanos + ")");
      }
      Long durationMs = endNanos == null ? null : (endNanos - startNanos) / 1_000_000;
      long input = current(attributes, INPUT, PROMPT);
      long output = current(attributes, OUTPUT, COMPLETION);
      String provider = attributes.string("gen_ai.provider.name");
      provider = provider != null ? provider : attributes.string("gen_ai.system");
      String model = attributes.string("gen_ai.request.model");
      model = model != null ? model : attributes.string("gen_ai.response.model");
      String session = attributes.string("gen_ai.conversation.id");
      session = session != null ? session : attributes.string("session.id");
      PersonKeys person = person(attributes, source.resource());
      String service = source.resource().string("service.name");
      String tool = service != null && !service.isBlank() ? service : provider;
      if (tool == null || tool.isBlank()) {
        throw new RecordViolation("resource.attributes.service.name", "no tool: the resource has no service.name and "
            + "the span no gen_ai.provider.name");
      }
      UsageEvent event = new UsageEvent(eventId, start, null, person.preferred(), tool.toLowerCase(Locale.ROOT),
          operation, input, output, model, attributes.count(CACHE_READ), session, null, "interactive", null,
          durationMs, null, null, null, Kept.extraFields(attributes, MAPPED, source.resource()), OtlpFormat.NAME,
          eventId, null, person);
      return SourceRecord.request(index, line, event);
    } catch (RecordViolation v) {
      return SourceRecord.rejected(index, line, v.field, v.getMessage(), eventId, Kept.recordText(span));
    }
  }

  /** A token count by its current name or its deprecated one (0 when neither); both, differing, is an error. */
  private static long current(Attributes attributes, String name, String deprecated) throws RecordViolation {
    Long now = attributes.count(name);
    Long old = attributes.count(deprecated);
    if (now != null && old != null && !now.equals(old)) {
      throw new RecordViolation(attributes.field(name), attributes.field(name) + " and its deprecated name "
          + attributes.field(deprecated) + " differ: " + now + " and " + old);
    }
    return now != null ? now : old != null ? old : 0;
  }

  /**
   * The span's attributes, then its resource's: EMAIL = {@code user.email}, ENDUSER = {@code enduser.id}, else
   * {@code user.id} (an application's own user id, unlike Claude Code's installation id).
   */
  private static PersonKeys person(Attributes attributes, Attributes resource) throws RecordViolation {
    Map<PersonKeys.Type, String> keys = new EnumMap<>(PersonKeys.Type.class);
    keys.put(PersonKeys.Type.EMAIL, ClaudeCodeEvents.either(attributes, resource, "user.email"));
    String endUser = ClaudeCodeEvents.either(attributes, resource, "enduser.id");
    keys.put(PersonKeys.Type.ENDUSER, endUser != null && !endUser.isBlank() ? endUser
        : ClaudeCodeEvents.either(attributes, resource, "user.id"));
    PersonKeys person = new PersonKeys(keys);
    if (person.isEmpty()) {
      throw new RecordViolation("attributes.enduser.id", "no person: none of user.email, enduser.id, user.id in the "
          + "span's attributes or its resource's");
    }
    return person;
  }
}
