-- raw.usage_events_rejected: every input record that broke its format or the contract, with a reason a
-- person can act on: a line of the native format, a record (log record, span, data point, Cursor event)
-- of the other formats, named by file, line and record index.
-- Grain: one row per rejected record. Key: (source_file, source_line, record_index, raw_line) - re-ingesting
-- the same file does not record the same rejection twice.
CREATE TABLE IF NOT EXISTS ${raw}.usage_events_rejected (
  source_file   STRING    NOT NULL COMMENT 'file the line was read from',
  source_line   BIGINT    NOT NULL COMMENT '1-based line number in source_file',
  raw_line      STRING    NOT NULL COMMENT 'the line as delivered, or for a record of a batch the own JSON of the record (invalid UTF-8 bytes shown as U+FFFD; of a line over 1 MiB only its first 1,024 bytes), with the values of prompt or output text fields removed',
  record_index  INT                COMMENT '0-based index of the record within its line (a batch of the otlp format, a page of cursor-events, the rows of a daily report); null for the native format, one record per line',
  source        STRING             COMMENT 'format the file was read as (goodhart, otlp, cursor-events, q-developer-csv, copilot-user-ndjson, cursor-daily); null for rows stored before formats existed (native)',
  field         STRING             COMMENT 'the contract field at fault, null when the line as a whole is bad',
  reason        STRING    NOT NULL COMMENT 'what is wrong, in words',
  event_id      STRING             COMMENT 'event_id of the line when one could be read',
  ingest_run_id STRING    NOT NULL COMMENT 'run of goodhart ingest that rejected it (see curated.job_runs)',
  rejected_at   TIMESTAMP NOT NULL COMMENT 'when that run started'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
