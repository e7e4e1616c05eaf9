-- raw.usage_events_rejected: every input line that broke the contract, with a reason a person can act on.
-- Grain: one row per rejected line. Key: (source_file, source_line, raw_line) - re-ingesting the same
-- file does not record the same rejection twice.
CREATE TABLE IF NOT EXISTS ${raw}.usage_events_rejected (
  source_file   STRING    NOT NULL COMMENT 'file the line was read from',
  source_line   BIGINT    NOT NULL COMMENT '1-based line number in source_file',
  raw_line      STRING    NOT NULL COMMENT 'the line as delivered (invalid UTF-8 bytes shown as U+FFFD; of a line over 1 MiB only its first 1,024 bytes), with the values of prompt or output text fields removed',
  field         STRING             COMMENT 'the contract field at fault, null when the line as a whole is bad',
  reason        STRING    NOT NULL COMMENT 'what is wrong, in words',
  event_id      STRING             COMMENT 'event_id of the line when one could be read',
  ingest_run_id STRING    NOT NULL COMMENT 'run of goodhart ingest that rejected it (see curated.job_runs)',
  rejected_at   TIMESTAMP NOT NULL COMMENT 'when that run started'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
