package io.goodhart.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.goodhart.ingest.PromptText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What of an OTLP record is kept beyond the mapped fields, and the ids made of its content: attributes the
 * mapping did not use go to {@code extra_fields} (name -> JSON text), prompt text never does.
 */
final class Kept {
  /**
   * Resource attributes that say nothing about usage (the SDK, the host) or that are mapped elsewhere
   * ({@code service.name} is the tool): not copied into every row. Every other resource attribute is kept,
   * among them the ones an organisation adds with {@code OTEL_RESOURCE_ATTRIBUTES} (a department, a team).
   */
  static final Set<String> RESOURCE_NOT_KEPT = Set.of("service.name", "os.type", "os.version", "host.arch",
      "host.name", "wsl.version", "telemetry.sdk.name", "telemetry.sdk.version", "telemetry.sdk.language",
      "process.pid", "process.executable.name", "process.executable.path", "process.command_args",
      "process.runtime.name", "process.runtime.version", "process.runtime.description", "process.owner");

  /** The person keys every adapter reads; they go to person_keys, not again to extra_fields. */
  static final Set<String> PERSON_ATTRIBUTES = Set.of("user.email", "user.account_uuid", "user.id", "enduser.id");

  /**
   * Attributes that hold what a person typed or a tool was given, whatever PromptText judges by the name:
   * Claude Code's {@code tool_parameters} carries the full shell command, and the raw API body events carry
   * whole requests. Kept by name only, the value replaced.
   */
  private static final Set<String> NEVER_STORED = Set.of("tool_parameters", "tool_input", "tool_output",
      "full_command", "bash_command");

  /** A name with the word body in it ({@code body}, {@code request_body}, {@code responseBody}). */
  private static final Pattern BODY = Pattern.compile("(^|[^A-Za-z])[bB]ody($|[^a-z])|[a-z]Body($|[^a-z])");
  private static final String REMOVED_JSON = PromptText.storedValue("prompt", NullNode.getInstance());

  /** One SHA-256 per thread: looking it up is a search of the security providers, dearer than hashing a record. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });
  private static final HexFormat HEX = HexFormat.of();

  /** An absent list, read as an empty one. */
  static final JsonNode EMPTY = JsonNodeFactory.instance.arrayNode();

  private Kept() {}

  static boolean neverStored(String name) {
    // every name BODY finds holds "ody": a plain search spares most names the regular expression
    return NEVER_STORED.contains(name) || name.contains("ody") && BODY.matcher(name).find();
  }

  /** The JSON text an attribute value is stored as in extra_fields (or a metric point's attributes). */
  static String stored(String name, JsonNode value) {
    return neverStored(name) ? REMOVED_JSON : PromptText.storedValue(name, value.deepCopy());
  }

  /**
   * The record's attributes not in {@code mapped}, then its resource's not already there, as extra_fields;
   * person keys and the resource's plumbing are left out.
   */
  static Map<String, String> extraFields(Attributes record, Set<String> mapped, Attributes resource) {
    Map<String, String> extra = new LinkedHashMap<>();
    record.all().forEach((name, value) -> {
      if (!mapped.contains(name) && !PERSON_ATTRIBUTES.contains(name) && !value.isNull()) {
        extra.put(name, stored(name, value));
      }
    });
    resource.all().forEach((name, value) -> {
      if (!RESOURCE_NOT_KEPT.contains(name) && !PERSON_ATTRIBUTES.contains(name) && !mapped.contains(name)
          && !value.isNull() && !record.all().containsKey(name)) {
        extra.put(name, resource.storedText(name));
      }
    });
    return extra;
  }

  /** The first 32 hex digits of the SHA-256 of the parts (each followed by a NUL; an absent part is empty). */
  static String digest(List<String> parts) {
    MessageDigest sha = SHA_256.get();
    sha.reset();
    for (String part : parts) {
      if (part != null) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
      }
      sha.update((byte) 0);
    }
    return HEX.formatHex(sha.digest(), 0, 16);
  }

  /**
   * A record's own JSON as the rejects table may keep it: compact, prompt text and tool inputs removed (the
   * record is copied, never changed).
   */
  static String recordText(JsonNode record) {
    JsonNode copy = record.deepCopy();
    if (copy.path("attributes").isArray()) {
      for (JsonNode attribute : copy.get("attributes")) {
        if (attribute.isObject() && attribute.path("key").isTextual() && neverStored(attribute.get("key").asText())) {
          ((ObjectNode) attribute).set("value",
              JsonNodeFactory.instance.objectNode().put("stringValue", PromptText.REMOVED));
        }
      }
    }
    return PromptText.storedValue("record", copy);
  }

  /** A lower-case hex id of {@code digits} digits ({@code traceId}, {@code spanId}), or a violation naming the field. */
  static String hexId(JsonNode node, String field, int digits) throws RecordViolation {
    if (node == null || node.isNull() || node.isTextual() && node.asText().isEmpty()) {
      throw new RecordViolation(field, "required field is missing");
    }
    String text = node.isTextual() ? node.asText().toLowerCase(Locale.ROOT) : null;
    if (text == null || text.length() != digits || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)
        || text.chars().allMatch(c -> c == '0')) {
      throw new RecordViolation(field, "must be " + digits + " hex digits, not all zero, found "
          + Attributes.describe(node));
    }
    return text;
  }

  /** Attribute values in a stable text form for a stream key: {@code key=json,...} sorted by key. */
  static String sorted(Map<String, JsonNode> attributes) {
    StringBuilder out = new StringBuilder();
    attributes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(e.getKey()).append('=').append(e.getValue().toString());
    });
    return out.toString();
  }
}
