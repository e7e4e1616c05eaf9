package io.goodhart.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.goodhart.ingest.Interaction;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.SourceRecord;
import io.goodhart.ingest.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claude Code's log events ({@code resourceLogs[].scopeLogs[].logRecords[]}, body {@code claude_code.<name>},
 * attribute {@code event.name} = {@code <name>}): {@code api_request} is a request to the model, tokens
 * normalised to the contract; {@code user_prompt} (a human turn), {@code tool_decision}, {@code tool_result},
 * {@code api_error} and any other Claude Code event are interactions. A log record that is no Claude Code event
 * is skipped.
 */
final class ClaudeCodeEvents {
  static final String TOOL = "claude-code";
  static final String PREFIX = "claude_code.";

  /** Attributes every event maps to a field of its own. */
  private static final Set<String> COMMON = Set.of("event.name", "event.timestamp", "session.id", "prompt.id");
  /** Mapped attributes of api_request; the token counts and the cost come back normalised in extra_fields. */
  private static final Set<String> REQUEST = union(COMMON, Set.of("model", "input_tokens", "output_tokens",
      "cache_read_tokens", "cache_creation_tokens", "cost_usd", "duration_ms"));
  private static final Set<String> INTERACTION = union(COMMON, Set.of("tool_name", "decision", "source", "success",
      "prompt_length", "model", "duration_ms"));

  private ClaudeCodeEvents() {}

  static SourceRecord read(int index, long line, JsonNode record, OtlpFormat.Source source) {
    if (!record.isObject()) {
      return SourceRecord.rejected(index, line, null, "a log record must be an object, found "
          + Attributes.describe(record), null, Kept.recordText(record));
    }
    String eventId = null;
    try {
      Attributes attributes = Attributes.of(record.get("attributes"), "attributes");
      String name = eventName(record, attributes, source);
      if (name == null) {
        return SourceRecord.skipped(index, line, "a log record that is not a Claude Code event (claude_code.*)");
      }
      String kind = name.substring(PREFIX.length());
      PersonKeys person = person(attributes, source.resource());
      Instant time = time(record, attributes);
      String session = attributes.string("session.id");
      String prompt = attributes.string("prompt.id");
      Long sequence = attributes.count("event.sequence");
      List<String> identity = new ArrayList<>(List.of(name, time.toString(), text(session), text(prompt),
          text(sequence), person.preferred()));
      if (kind.equals("api_request")) {
        return request(index, line, attributes, source, person, time, session, prompt, identity);
      }
      String toolName = attributes.string("tool_name");
      String decision = attributes.string("decision");
      String decisionSource = attributes.string("source");
      if (kind.equals("tool_decision") || kind.equals("tool_result")) {
        identity.addAll(List.of(text(toolName), text(decision), text(decisionSource)));
      }
      eventId = "otlp-log:" + Kept.digest(identity);
      Interaction interaction = new Interaction(eventId, time, kind, person, TOOL, session, prompt, toolName, decision,
          decisionSource, attributes.bool("success"), attributes.count("prompt_length"), attributes.string("model"),
          attributes.count("duration_ms"), Kept.extraFields(attributes, INTERACTION, source.resource()));
      return SourceRecord.interaction(index, line, interaction);
    } catch (RecordViolation v) {
      return SourceRecord.rejected(index, line, v.field, v.getMessage(), eventId, Kept.recordText(record));
    }
  }

  /**
   * An api_request as the contract counts it: Anthropic reports {@code input_tokens} without the tokens read
   * from or written to the prompt cache, the contract's input_tokens is every input token processed, so
   * input = input_tokens + cache_read_tokens + cache_creation_tokens; the delivered counts stay in extra_fields.
   */
  private static SourceRecord request(int index, long line, Attributes attributes, OtlpFormat.Source source,
      PersonKeys person, Instant time, String session, String prompt, List<String> identity) throws RecordViolation {
    long anthropicInput = required(attributes, "input_tokens");
    long output = required(attributes, "output_tokens");
    Long cacheRead = attributes.count("cache_read_tokens");
    Long cacheCreation = attributes.count("cache_creation_tokens");
    long input = anthropicInput + zero(cacheRead) + zero(cacheCreation);
    if (input > Attributes.MAX_COUNT) {
      throw new RecordViolation(attributes.field("input_tokens"), "input_tokens + cache_read_tokens + "
          + "cache_creation_tokens is " + input + ", above " + Attributes.MAX_COUNT);
    }
    String model = attributes.string("model");
    BigDecimal cost = attributes.amount("cost_usd");
    Long duration = attributes.count("duration_ms");
    identity.addAll(List.of(text(model), Long.toString(anthropicInput), Long.toString(output), text(cacheRead),
        text(cacheCreation), cost == null ? "" : cost.stripTrailingZeros().toPlainString(), text(duration)));
    String eventId = "otlp-log:" + Kept.digest(identity);
    Map<String, String> extra = Kept.extraFields(attributes, REQUEST, source.resource());
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    extra.put("anthropic_input_tokens", Long.toString(anthropicInput));
    if (cacheCreation != null) {
      extra.put("cache_creation_tokens", Long.toString(cacheCreation));
    }
    if (cost != null) {
      extra.put("cost_usd", nodes.numberNode(cost).toString());
    }
    UsageEvent event = new UsageEvent(eventId, time, null, person.preferred(), TOOL, "chat", input, output, model,
        cacheRead, session, null, "interactive", null, duration, null, null, null, extra, OtlpFormat.NAME, eventId,
        prompt, person);
    return SourceRecord.request(index, line, event);
  }

  /**
   * The event's full name: the record's {@code eventName} or body when it is {@code claude_code.*}, else
   * {@code claude_code.} + its {@code event.name} attribute when the record comes from Claude Code (its service
   * or its scope says so); null for any other log record.
   */
  private static String eventName(JsonNode record, Attributes attributes, OtlpFormat.Source source)
      throws RecordViolation {
    for (JsonNode named : List.of(record.path("eventName"), record.path("body").path("stringValue"))) {
      if (named.isTextual() && named.asText().startsWith(PREFIX) && named.asText().length() > PREFIX.length()) {
        return named.asText();
      }
    }
    String shortName = attributes.string("event.name");
    boolean fromClaudeCode = TOOL.equals(source.resource().string("service.name"))
        || source.scopeName().startsWith("com.anthropic.claude_code");
    return shortName != null && !shortName.isEmpty() && fromClaudeCode ? PREFIX + shortName : null;
  }

  /** {@code event.timestamp}, else the record's time, else the time the SDK observed it. */
  private static Instant time(JsonNode record, Attributes attributes) throws RecordViolation {
    Instant time = attributes.isoTime("event.timestamp");
    if (time == null) {
      time = Attributes.nanos(record.get("timeUnixNano"), "timeUnixNano");
    }
    if (time == null) {
      time = Attributes.nanos(record.get("observedTimeUnixNano"), "observedTimeUnixNano");
    }
    if (time == null) {
      throw new RecordViolation("attributes.event.timestamp", "no time: the record has no event.timestamp, and its "
          + "timeUnixNano and observedTimeUnixNano are unset");
    }
    return time;
  }

  /**
   * Claude Code names the person by email (with an OAuth login), account and installation ({@code user.id}, one
   * per machine: it resolves only through an explicit identity row); the record's attributes win over its
   * resource's.
   */
  static PersonKeys person(Attributes attributes, Attributes resource) throws RecordViolation {
    Map<PersonKeys.Type, String> keys = new EnumMap<>(PersonKeys.Type.class);
    keys.put(PersonKeys.Type.EMAIL, either(attributes, resource, "user.email"));
    keys.put(PersonKeys.Type.ACCOUNT, either(attributes, resource, "user.account_uuid"));
    keys.put(PersonKeys.Type.INSTALLATION, either(attributes, resource, "user.id"));
    PersonKeys person = new PersonKeys(keys);
    if (person.isEmpty()) {
      throw new RecordViolation("attributes.user.id", "no person: none of user.email, user.account_uuid, user.id "
          + "in the record's attributes or its resource's");
    }
    return person;
  }

  static String either(Attributes first, Attributes second, String name) throws RecordViolation {
    String value = first.string(name);
    return value != null && !value.isBlank() ? value : second.string(name);
  }

  private static long required(Attributes attributes, String name) throws RecordViolation {
    Long value = attributes.count(name);
    if (value == null) {
      throw new RecordViolation(attributes.field(name), "required field is missing");
    }
    return value;
  }

  private static long zero(Long value) {
    return value == null ? 0 : value;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
