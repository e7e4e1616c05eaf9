-- raw.usage_daily: the daily per-user reports of AI tools that give no per-request events (Amazon Q
-- Developer user activity reports, GitHub Copilot per-user usage metrics, Cursor daily usage data), one
-- row per person, tool report and UTC day, with the source's own columns kept (docs/contract.md section 7).
-- Grain: one row per (source, user_id, day). Key: (source, user_id, day). A day delivered again is
-- replaced by the row of the report with the later report_end_day, then the later report_generated_at
-- (null is earliest); with both equal the stored row stays. So the order of ingestion never decides.
-- Written only by `goodhart ingest` with a daily format; user_id is the source's preferred person key,
-- resolved to the directory as the keys of raw.usage_events are (contract section 6).
CREATE TABLE IF NOT EXISTS ${raw}.usage_daily (
  source              STRING    NOT NULL COMMENT 'format the row was delivered in: q-developer-csv, copilot-user-ndjson, cursor-daily',
  tool                STRING    NOT NULL COMMENT 'product, lower-case, as raw.identities source names it: amazon-q, copilot, cursor',
  user_id             STRING    NOT NULL COMMENT 'the preferred person key of the source until resolved: Q UserId (IAM Identity Center id), Copilot user_login, Cursor email',
  person_keys         MAP<STRING, STRING> COMMENT 'keys the source names the person by (email, account, ... -> key), in resolution order',
  day                 DATE      NOT NULL COMMENT 'the UTC day the row counts',
  active              BOOLEAN   NOT NULL COMMENT 'the person used the tool that day by the activity rule of the source (contract section 7)',
  interactions        BIGINT             COMMENT 'turns the person started (chats, inline chats, agent and command requests)',
  suggestions         BIGINT             COMMENT 'suggestions or generations shown to the person',
  acceptances         BIGINT             COMMENT 'suggestions or generations the person accepted',
  lines_suggested     BIGINT             COMMENT 'lines the tool suggested; null where the source has none',
  lines_kept          BIGINT             COMMENT 'lines of AI code the person kept (contract section 7 says which field of each source)',
  input_tokens        BIGINT             COMMENT 'input tokens, where the source reports them; else null',
  output_tokens       BIGINT             COMMENT 'output tokens, where the source reports them; else null',
  source_columns      MAP<STRING, STRING> COMMENT 'every column or field of the row as delivered, name -> text (JSON text for nested values)',
  report_start_day    DATE      NOT NULL COMMENT 'first day the delivering report covers',
  report_end_day      DATE      NOT NULL COMMENT 'last day the delivering report covers',
  report_generated_at TIMESTAMP          COMMENT 'when the report was generated, where the delivery says; else null',
  delivery_date       DATE               COMMENT 'date of the delivery folder the file came from, when the path has one',
  source_file         STRING    NOT NULL COMMENT 'file the row was read from',
  source_line         BIGINT    NOT NULL COMMENT '1-based line number in source_file',
  ingest_run_id       STRING    NOT NULL COMMENT 'run of goodhart ingest that stored the row (see curated.job_runs)',
  ingested_at         TIMESTAMP NOT NULL COMMENT 'when that run started'
)
USING iceberg
PARTITIONED BY (months(day))
TBLPROPERTIES (
  'format-version' = '2',
  'write.parquet.compression-codec' = 'zstd'
);
