package io.goodhart.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * One data point of a sum metric (OpenTelemetry), kept as delivered: the value is a delta or a running
 * total depending on {@code temporality}; turning running totals into per-day amounts needs the previous
 * point of the same stream, which may come in another delivery, so it is done when the points are read,
 * never here.
 *
 * @param pointId deterministic id of the point: its stream, start and time (a re-delivered point has the same)
 * @param streamKey identity of the stream: metric name, resource, scope and point attributes
 * @param temporality {@code delta} or {@code cumulative}
 * @param startTime the stream's start; a cumulative stream that restarts shows a new start
 * @param type the point's {@code type} attribute (input/output/cacheRead/cacheCreation, added/removed), or null
 * @param longValue the value when delivered as an integer ({@code asInt}), else null
 * @param doubleValue the value when delivered as a double ({@code asDouble}), else null
 */
public record MetricPoint(
    String pointId,
    String metricName,
    String unit,
    String streamKey,
    String temporality,
    boolean monotonic,
    Instant startTime,
    Instant time,
    PersonKeys personKeys,
    String tool,
    String sessionId,
    String model,
    String type,
    Long longValue,
    Double doubleValue,
    Map<String, String> attributes) {}
