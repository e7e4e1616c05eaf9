-- raw.interaction_events: telemetry events that are not requests to a model: human turns
-- (claude_code.user_prompt), tool decisions and results, API errors, and any other named event of a
-- source. They carry no tokens and never count as requests; prompt_id links a turn's decisions to the
-- requests of the same turn (raw.usage_events.prompt_id). Prompt text is never kept, only its length.
-- Grain: one row per event. Key: event_id (deterministic, see docs/contract.md section 5).
-- Written only by `goodhart ingest`; user_id is the source's preferred person key, as in raw.usage_events.
CREATE TABLE IF NOT EXISTS ${raw}.interaction_events (
  event_id          STRING    NOT NULL COMMENT 'deterministic id of the event; a re-delivered event is never stored twice',
  event_time        TIMESTAMP NOT NULL COMMENT 'when it happened (UTC)',
  kind              STRING    NOT NULL COMMENT 'user_prompt, tool_decision, tool_result, api_error, or the event name the source gives',
  user_id           STRING    NOT NULL COMMENT 'the preferred person key of the source until resolved (see person_keys)',
  person_keys       MAP<STRING, STRING> COMMENT 'keys the source names the person by (email, account, installation -> key)',
  tool              STRING    NOT NULL COMMENT 'product that emitted it, lower-case (claude-code)',
  session_id        STRING             COMMENT 'session.id',
  prompt_id         STRING             COMMENT 'prompt.id: the human turn',
  tool_name         STRING             COMMENT 'tool_name of a tool decision or result',
  decision          STRING             COMMENT 'accept or reject (tool_decision, tool_result)',
  decision_source   STRING             COMMENT 'who decided: config (an automatic accept), user_permanent, user_temporary, user_abort, user_reject',
  success           BOOLEAN            COMMENT 'whether the tool use succeeded (tool_result)',
  prompt_length     BIGINT             COMMENT 'characters of the human prompt (user_prompt); the text is never kept',
  model             STRING             COMMENT 'model of an api_error',
  duration_ms       BIGINT             COMMENT 'duration_ms of a tool result or API error',
  extra_fields      MAP<STRING, STRING> COMMENT 'other attributes, name -> JSON text, prompt and tool input text removed',
  source            STRING    NOT NULL COMMENT 'format it was delivered in (otlp)',
  source_record_id  STRING             COMMENT 'what names the record in its source',
  delivery_date     DATE               COMMENT 'date of the delivery folder the file came from, when the path has one',
  source_file       STRING    NOT NULL COMMENT 'file it was read from',
  source_line       BIGINT    NOT NULL COMMENT '1-based line of source_file holding it',
  record_index      INT       NOT NULL COMMENT '0-based index of the record within its line',
  ingest_run_id     STRING    NOT NULL COMMENT 'run of goodhart ingest that stored the row',
  ingested_at       TIMESTAMP NOT NULL COMMENT 'when that run started'
)
USING iceberg
PARTITIONED BY (days(event_time))
TBLPROPERTIES (
  'format-version' = '2',
  'write.parquet.compression-codec' = 'zstd',
  'write.distribution-mode' = 'range'
);

ALTER TABLE ${raw}.interaction_events WRITE ORDERED BY user_id, event_time;
