package io.goodhart.ingest.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.goodhart.ingest.EventFormat;
import io.goodhart.ingest.JsonErrorReason;
import io.goodhart.ingest.SourceRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OTLP JSON files as the OpenTelemetry Collector's file exporter writes them ({@code format: json}): one export
 * request per line ({@code resourceLogs}, {@code resourceSpans} or {@code resourceMetrics} at the top), plain,
 * gzip ({@code .gz}) or zstd ({@code .zst}). A line is a whole batch, so it yields many records, indexed in
 * document order across the batch (log records, spans and metric data points alike):
 * <ul>
 *   <li>Claude Code log events ({@code claude_code.*}): {@code api_request} is a request, every other event an
 *       interaction ({@link ClaudeCodeEvents});</li>
 *   <li>GenAI client spans (the {@code gen_ai.*} semantic conventions): a model call is a request
 *       ({@link GenAiSpans});</li>
 *   <li>sums of Claude Code metrics ({@code claude_code.*}): metric points ({@link ClaudeCodeMetrics}).</li>
 * </ul>
 * Anything else in a batch (other log records, spans that are not model calls, other metrics) is skipped and
 * counted. The spec wants one signal per file; a file that mixes them is read all the same. The exporter's
 * {@code proto} format is not read. docs/contract.md, section 5.1, is the reference.
 */
public final class OtlpFormat implements EventFormat {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "otlp";

  /**
   * The longest line read: one line is a whole export batch (the collector batches up to thousands of records
   * per request, and a Claude Code api_request alone is about 1 KB), which often passes the native format's
   * 1 MiB. 64 MiB holds any batch a collector sends by default (its gRPC receiver refuses messages over 4 MiB,
   * JSON is a few times larger) and still bounds what one runaway line costs.
   */
  public static final int MAX_LINE_BYTES = 64 << 20;

  private static final List<String> SUFFIXES = List.of(".json", ".jsonl", ".json.gz", ".jsonl.gz", ".json.zst",
      ".jsonl.zst");
  private static final List<String> SIGNALS = List.of("resourceLogs", "resourceSpans", "resourceMetrics");
  private static final int SNIFF_CHARS = 256;

  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_LINE_BYTES).build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@code *.json} is what the collector's file exporter is usually pointed at (its rotated files keep the
   * extension: {@code data-2022-09-14T05-02-14.173.json}); {@code *.jsonl} is the extension the OTLP file
   * specification prefers.
   */
  @Override
  public boolean isEventFile(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return SUFFIXES.stream().anyMatch(name::endsWith);
  }

  @Override
  public String fileNames() {
    return "*.json or *.jsonl, plain, .gz or .zst";
  }

  @Override
  public int maxUnitBytes() {
    return MAX_LINE_BYTES;
  }

  /** An object whose first member, near its start, is one of the three OTLP signals. */
  @Override
  public boolean sniff(String firstUnitPrefix) {
    String text = firstUnitPrefix.strip();
    if (!text.startsWith("{")) {
      return false;
    }
    String start = text.substring(0, Math.min(text.length(), SNIFF_CHARS));
    return SIGNALS.stream().anyMatch(signal -> start.contains("\"" + signal + "\""));
  }

  @Override
  public List<SourceRecord> read(String unit, long line) {
    try {
      return readRequest(unit, line);
    } catch (OutOfMemoryError e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // Nothing a line holds may stop the ingest: whatever goes wrong reading it rejects it, kept for a bug report.
      return List.of(SourceRecord.rejected(0, line, null, "goodhart could not read this export request ("
          + e.getClass().getSimpleName() + "); it is kept here for a bug report", null));
    }
  }

  private static List<SourceRecord> readRequest(String unit, long line) {
    if (unit.isBlank()) {
      return List.of(SourceRecord.rejected(0, line, null, "empty line", null));
    }
    JsonNode root;
    try {
      root = JSON.readTree(unit);
    } catch (StreamConstraintsException e) {
      return List.of(SourceRecord.rejected(0, line, null, "beyond the JSON parser's limits: "
          + JsonErrorReason.of(e.getOriginalMessage()), null));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (near column " + e.getLocation().getColumnNr() + ")";
      return List.of(SourceRecord.rejected(0, line, null, "not valid JSON: " + JsonErrorReason.of(e.getOriginalMessage())
          + where, null));
    }
    if (root == null || !root.isObject()) {
      return List.of(SourceRecord.rejected(0, line, null, "expected one OTLP export request (a JSON object) per line, "
          + "found " + (root == null ? "nothing" : Attributes.describe(root)), null));
    }
    if (SIGNALS.stream().noneMatch(root::has)) {
      return List.of(SourceRecord.rejected(0, line, null, "not an OTLP export request: the object has none of "
          + String.join(", ", SIGNALS), null));
    }
    Batch batch = new Batch(line);
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> signal = it.next();
        switch (signal.getKey()) {
          case "resourceLogs" -> batch.walk(signal.getValue(), "resourceLogs", "scopeLogs", "logRecords");
          case "resourceSpans" -> batch.walk(signal.getValue(), "resourceSpans", "scopeSpans", "spans");
          case "resourceMetrics" -> batch.walk(signal.getValue(), "resourceMetrics", "scopeMetrics", "metrics");
          default -> { }
        }
      }
    } catch (RecordViolation envelope) {
      return List.of(SourceRecord.rejected(0, line, envelope.field, envelope.getMessage(), null));
    }
    if (batch.records.isEmpty()) {
      return List.of(SourceRecord.empty(line, "the export request holds no log records, spans or data points"));
    }
    return batch.records;
  }

  /** The records of one export request, numbered in document order. */
  private static final class Batch {
    final long line;
    final List<SourceRecord> records = new ArrayList<>();

    Batch(long line) {
      this.line = line;
    }

    /**
     * {@code resourceX[].scopeX[].items[]}: a malformed level above the records (not a list, a resource whose
     * attributes are broken) rejects the whole line, as no record under it can be attributed.
     */
    void walk(JsonNode resources, String resourcesName, String scopesName, String itemsName) throws RecordViolation {
      for (int r = 0; r < list(resources, resourcesName).size(); r++) {
        String at = resourcesName + "[" + r + "]";
        JsonNode resource = object(resources.get(r), at);
        Attributes resourceAttributes = Attributes.of(resource.path("resource").get("attributes"),
            at + ".resource.attributes");
        JsonNode scopes = resource.get(scopesName);
        for (int s = 0; s < list(scopes, at + "." + scopesName).size(); s++) {
          String scopeAt = at + "." + scopesName + "[" + s + "]";
          JsonNode scope = object(scopes.get(s), scopeAt);
          String scopeName = scope.path("scope").path("name").asText("");
          JsonNode items = scope.get(itemsName);
          Source source = new Source(resourceAttributes, scopeName);
          for (int i = 0; i < list(items, scopeAt + "." + itemsName).size(); i++) {
            switch (itemsName) {
              case "logRecords" -> records.add(ClaudeCodeEvents.read(records.size(), line, items.get(i), source));
              case "spans" -> records.add(GenAiSpans.read(records.size(), line, items.get(i), source));
              default -> ClaudeCodeMetrics.read(records, line, items.get(i), source);
            }
          }
        }
      }
    }

    private static JsonNode list(JsonNode node, String field) throws RecordViolation {
      if (node == null || node.isNull()) {
        return Kept.EMPTY;
      }
      if (!node.isArray()) {
        throw new RecordViolation(field, "must be a list, found " + Attributes.describe(node));
      }
      return node;
    }

    private static JsonNode object(JsonNode node, String field) throws RecordViolation {
      if (!node.isObject()) {
        throw new RecordViolation(field, "must be an object, found " + Attributes.describe(node));
      }
      return node;
    }
  }

  /** Where a record comes from: its resource's attributes and its instrumentation scope. */
  record Source(Attributes resource, String scopeName) {}
}
