-- raw.metric_points: data points of the sum metrics of AI tools (Claude Code's token, cost, lines of code,
-- commit, pull request, session and edit-decision counters), kept as delivered: a delta, or a running
-- total of its stream (cumulative). Per-day amounts are derived when the points are read, with the
-- previous point of each stream whatever delivery it came in (curated_private.daily_outcomes).
-- Grain: one row per data point. Key: point_id (stream, start and time of the point).
-- Written only by `goodhart ingest`; user_id is the source's preferred person key, as in raw.usage_events.
CREATE TABLE IF NOT EXISTS ${raw}.metric_points (
  point_id          STRING    NOT NULL COMMENT 'deterministic id: the stream, its start and the time of the point; a re-delivered point is never stored twice',
  metric_name       STRING    NOT NULL COMMENT 'claude_code.token.usage, claude_code.lines_of_code.count, ...',
  unit              STRING             COMMENT 'unit of the metric as delivered',
  stream_key        STRING    NOT NULL COMMENT 'identity of the stream: metric name, resource, scope and point attributes',
  temporality       STRING    NOT NULL COMMENT 'delta or cumulative',
  is_monotonic      BOOLEAN   NOT NULL COMMENT 'whether the sum only grows',
  start_time        TIMESTAMP          COMMENT 'start of the stream (cumulative) or of the interval (delta); a reset shows as a new start',
  point_time        TIMESTAMP NOT NULL COMMENT 'time of the point (end of the interval)',
  user_id           STRING    NOT NULL COMMENT 'the preferred person key of the source until resolved (see person_keys)',
  person_keys       MAP<STRING, STRING> COMMENT 'keys the source names the person by',
  tool              STRING    NOT NULL COMMENT 'product that emitted it, lower-case (claude-code)',
  session_id        STRING             COMMENT 'session.id',
  model             STRING             COMMENT 'model attribute of the point',
  type              STRING             COMMENT 'type attribute: input, output, cacheRead, cacheCreation; added, removed',
  long_value        BIGINT             COMMENT 'value delivered as an integer (asInt)',
  double_value      DOUBLE             COMMENT 'value delivered as a double (asDouble)',
  attributes        MAP<STRING, STRING> COMMENT 'other point attributes, name -> JSON text',
  source            STRING    NOT NULL COMMENT 'format it was delivered in (otlp)',
  delivery_date     DATE               COMMENT 'date of the delivery folder the file came from, when the path has one',
  source_file       STRING    NOT NULL COMMENT 'file it was read from',
  source_line       BIGINT    NOT NULL COMMENT '1-based line of source_file holding it',
  record_index      INT       NOT NULL COMMENT '0-based index of the point within its line',
  ingest_run_id     STRING    NOT NULL COMMENT 'run of goodhart ingest that stored the row',
  ingested_at       TIMESTAMP NOT NULL COMMENT 'when that run started'
)
USING iceberg
PARTITIONED BY (days(point_time))
TBLPROPERTIES (
  'format-version' = '2',
  'write.parquet.compression-codec' = 'zstd'
);
