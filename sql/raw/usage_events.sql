-- raw.usage_events: every accepted AI request, exactly once per event_id.
-- Grain: one row per request (event_id). Key: event_id.
-- Partitioned by the UTC day of event_time (hidden partitioning: a filter on event_time prunes files),
-- written sorted by user_id, event_time so per-user weekly aggregates read few, well-clustered files.
-- Written only by `goodhart ingest`, in any input format (see docs/contract.md, sections 1 and 5).
-- user_id is the directory id for the native format; for other formats it is the source's preferred
-- person key (an email, an account id), resolved to the directory when events are attributed.
-- Total tokens of an event are input_tokens + output_tokens; cache_read_tokens are not part of them.
CREATE TABLE IF NOT EXISTS ${raw}.usage_events (
  event_id            STRING    NOT NULL COMMENT 'unique id of the request; a re-delivered event_id is never stored twice',
  event_time          TIMESTAMP NOT NULL COMMENT 'when the request was made, as an instant (UTC)',
  event_offset_minutes INT               COMMENT 'UTC offset the emitter wrote in event_time, in minutes (the local clock of the developer); null when the format carries none (otlp, cursor-events: UTC instants)',
  user_id             STRING    NOT NULL COMMENT 'developer directory id',
  tool                STRING    NOT NULL COMMENT 'product that made the request, lower-case',
  operation           STRING    NOT NULL COMMENT 'gen_ai.operation.name',
  input_tokens        BIGINT    NOT NULL COMMENT 'gen_ai.usage.input_tokens',
  output_tokens       BIGINT    NOT NULL COMMENT 'gen_ai.usage.output_tokens',
  model               STRING             COMMENT 'gen_ai.request.model',
  cache_read_tokens   BIGINT             COMMENT 'input tokens served from a prompt cache; not part of total tokens',
  session_id          STRING             COMMENT 'one sitting or agent run',
  task_type           STRING             COMMENT 'code_generation, code_review, debugging, testing, documentation, deployment, email_triage, summarization, other',
  trigger             STRING    NOT NULL COMMENT 'interactive (default when absent), scheduled or automation',
  prompt_fingerprint  STRING             COMMENT 'hash of the normalised prompt',
  duration_ms         BIGINT             COMMENT 'time the request took',
  accepted            BOOLEAN            COMMENT 'the developer kept or applied the output',
  lines_accepted      BIGINT             COMMENT 'lines of code kept from the output',
  artifact_id         STRING             COMMENT 'commit, pull request, deployment or ticket the request contributed to',
  extra_fields        MAP<STRING, STRING> COMMENT 'fields outside the contract, name -> JSON text of the value, kept as delivered except prompt or output text (value removed)',
  source              STRING             COMMENT 'format the request was delivered in: goodhart (the native contract), otlp, cursor-events; null for rows stored before formats existed (all native)',
  source_record_id    STRING             COMMENT 'what names the record in its source: the event_id (native), traceId:spanId (a span), the hashed fields of a log record or Cursor event (see docs/contract.md)',
  prompt_id           STRING             COMMENT 'the human turn the request belongs to (Claude Code prompt.id), when the source says',
  person_keys         MAP<STRING, STRING> COMMENT 'keys the source names the person by (directory, email, account, enduser, installation -> key); user_id holds the first until resolved through raw.identities',
  delivery_date       DATE               COMMENT 'date of the delivery folder (events/date=YYYY-MM-DD) the line came from, when the path has one',
  source_file         STRING    NOT NULL COMMENT 'file the line was read from',
  source_line         BIGINT    NOT NULL COMMENT '1-based line number in source_file',
  ingest_run_id       STRING    NOT NULL COMMENT 'run of goodhart ingest that stored the row (see curated.job_runs)',
  ingested_at         TIMESTAMP NOT NULL COMMENT 'when that run started'
)
USING iceberg
PARTITIONED BY (days(event_time))
TBLPROPERTIES (
  'format-version' = '2',
  'write.parquet.compression-codec' = 'zstd',
  'write.distribution-mode' = 'range'
);

ALTER TABLE ${raw}.usage_events WRITE ORDERED BY user_id, event_time;
