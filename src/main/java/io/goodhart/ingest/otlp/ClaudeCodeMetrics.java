package io.goodhart.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import io.goodhart.ingest.MetricPoint;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.SourceRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claude Code's metrics ({@code resourceMetrics[].scopeMetrics[].metrics[]}, all counters:
 * {@code claude_code.token.usage}, {@code lines_of_code.count}, {@code commit.count}, ...): each data point of a
 * sum is one metric point, kept as delivered (a delta, or a running total whose start says when it last
 * restarted). Data points of other metrics, and of gauges and histograms, are skipped with the metric named.
 */
final class ClaudeCodeMetrics {
  private static final List<String> KINDS = List.of("sum", "gauge", "histogram", "exponentialHistogram", "summary");
  /** Point attributes mapped to fields of their own. */
  private static final Set<String> MAPPED = Set.of("session.id", "model", "type");

  private ClaudeCodeMetrics() {}

  /** The records of one metric: one per data point, whatever its kind (a metric without points has none). */
  static void read(List<SourceRecord> records, long line, JsonNode metric, OtlpFormat.Source source) {
    if (!metric.isObject()) {
      records.add(SourceRecord.rejected(records.size(), line, null, "a metric must be an object, found "
          + Attributes.describe(metric), null, Kept.recordText(metric)));
      return;
    }
    String name = metric.path("name").asText("");
    String kind = KINDS.stream().filter(metric::has).findFirst().orElse(null);
    JsonNode body = kind == null ? null : metric.get(kind);
    JsonNode points = body == null || !body.isObject() || body.get("dataPoints") == null ? Kept.EMPTY
        : body.get("dataPoints");
    if (body != null && !body.isObject() || !points.isArray()) {
      String field = body != null && !body.isObject() ? kind : kind + ".dataPoints";
      records.add(SourceRecord.rejected(records.size(), line, field, "must be " + (field.equals(kind) ? "an object"
          : "a list") + ", found " + Attributes.describe(body.isObject() ? points : body), null,
          Kept.recordText(metric)));
      return;
    }
    for (JsonNode point : points) {
      int index = records.size();
      if (!kind.equals("sum")) {
        records.add(SourceRecord.skipped(index, line, "metric " + name + " is a " + kind
            + ": goodhart reads only sums of Claude Code (claude_code.*) metrics"));
      } else if (!name.startsWith(ClaudeCodeEvents.PREFIX)) {
        records.add(SourceRecord.skipped(index, line, "metric " + name + " is not a Claude Code (claude_code.*) metric"));
      } else {
        records.add(point(index, line, name, metric, point, source));
      }
    }
  }

  private static SourceRecord point(int index, long line, String name, JsonNode metric, JsonNode point,
      OtlpFormat.Source source) {
    if (!point.isObject()) {
      return SourceRecord.rejected(index, line, null, "a data point must be an object, found "
          + Attributes.describe(point), null, Kept.recordText(point));
    }
    try {
      String temporality = temporality(metric.get("sum").get("aggregationTemporality"));
      JsonNode monotonic = metric.get("sum").get("isMonotonic");
      if (monotonic != null && !monotonic.isBoolean()) {
        throw new RecordViolation("sum.isMonotonic", "must be true or false, found " + Attributes.describe(monotonic));
      }
      Attributes attributes = Attributes.of(point.get("attributes"), "attributes");
      PersonKeys person = ClaudeCodeEvents.person(attributes, source.resource());
      Long startNanos = Attributes.nanosValue(point.get("startTimeUnixNano"), "startTimeUnixNano");
      Instant start = Attributes.nanos(point.get("startTimeUnixNano"), "startTimeUnixNano");
      Long timeNanos = Attributes.nanosValue(point.get("timeUnixNano"), "timeUnixNano");
      Instant time = Attributes.nanos(point.get("timeUnixNano"), "timeUnixNano");
      if (time == null) {
        throw new RecordViolation("timeUnixNano", "required field is missing");
      }
      if (startNanos != null && startNanos > timeNanos) {
        throw new RecordViolation("startTimeUnixNano", "after timeUnixNano (" + startNanos + " > " + timeNanos + ")");
      }
      Long longValue = null;
      Double doubleValue = null;
      if (point.has("asInt")) {
        longValue = Attributes.count(point.get("asInt"), "asInt");
      } else if (point.has("asDouble")) {
        doubleValue = amount(point.get("asDouble"));
      } else {
        throw new RecordViolation("asInt", "the data point has no value (asInt or asDouble)");
      }
      String streamKey = name + "|" + Kept.sorted(source.resource().all()) + "|" + source.scopeName() + "|"
          + Kept.sorted(attributes.all());
      String pointId = "otlp-point:" + Kept.digest(List.of(streamKey, text(startNanos), text(timeNanos)));
      Map<String, String> kept = new LinkedHashMap<>(Kept.extraFields(attributes, MAPPED, source.resource()));
      MetricPoint metricPoint = new MetricPoint(pointId, name, metric.path("unit").asText(null), streamKey,
          temporality, monotonic != null && monotonic.booleanValue(), start, time, person, ClaudeCodeEvents.TOOL,
          attributes.string("session.id"), attributes.string("model"), attributes.string("type"), longValue,
          doubleValue, kept);
      return SourceRecord.point(index, line, metricPoint);
    } catch (RecordViolation v) {
      return SourceRecord.rejected(index, line, v.field, v.getMessage(), null, Kept.recordText(point));
    }
  }

  /** 1 or AGGREGATION_TEMPORALITY_DELTA is a delta, 2 or AGGREGATION_TEMPORALITY_CUMULATIVE a running total. */
  private static String temporality(JsonNode value) throws RecordViolation {
    String text = value == null ? "" : value.asText();
    return switch (text) {
      case "1", "AGGREGATION_TEMPORALITY_DELTA" -> "delta";
      case "2", "AGGREGATION_TEMPORALITY_CUMULATIVE" -> "cumulative";
      default -> throw new RecordViolation("sum.aggregationTemporality", "must be 1 (delta) or 2 (cumulative), found "
          + (value == null ? "nothing" : Attributes.describe(value)));
    };
  }

  /** A counter's value delivered as a double: finite and {@code >= 0} (a number, or a decimal string). */
  private static double amount(JsonNode value) throws RecordViolation {
    double d;
    if (value.isNumber()) {
      d = value.doubleValue();
    } else if (value.isTextual()) {
      try {
        d = Double.parseDouble(value.asText());
      } catch (NumberFormatException e) {
        throw new RecordViolation("asDouble", "must be a number >= 0, found " + Attributes.describe(value));
      }
    } else {
      throw new RecordViolation("asDouble", "must be a number >= 0, found " + Attributes.describe(value));
    }
    if (!Double.isFinite(d) || d < 0) {
      throw new RecordViolation("asDouble", "must be a finite number >= 0 (the metrics are counters), found "
          + value.asText());
    }
    return d;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
