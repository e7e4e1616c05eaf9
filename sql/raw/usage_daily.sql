-- raw.usage_daily: the daily per-user reports of tools that give no per-request events (Amazon Q Developer
-- user activity reports, GitHub Copilot per-user usage metrics, Cursor daily usage data): one row per
-- person and UTC day as the source counts them, with the source's own columns kept (docs/contract.md, section 7).
-- Grain: one row per (source, user_id, day). Key: source, user_id, day.
-- Written only by `goodhart ingest` with a daily format. A (source, user_id, day) delivered again is replaced
-- by the row of the report with the later report_end_day, then the later report_generated_at (null earliest);
-- on a tie the stored row stays: the order files are ingested in never decides.
-- user_id is the source's preferred person key until resolved (see person_keys), as in raw.usage_events.
CREATE TABLE IF NOT EXISTS ${raw}.usage_daily (
  source              STRING    NOT NULL COMMENT 'format it was delivered in: q-developer-csv, copilot-user-ndjson, cursor-daily',
  tool                STRING    NOT NULL COMMENT 'product, lower-case, as raw.identities names the source: amazon-q, copilot, cursor',
  user_id             STRING    NOT NULL COMMENT 'the preferred person key of the source until resolved: Q UserId (Identity Center id), Copilot user_login, Cursor email',
  person_keys         MAP<STRING, STRING> COMMENT 'keys the source names the person by, type -> key: email (Cursor), account (Q UserId, Copilot user_login), account_id (Copilot numeric user_id)',
  day                 DATE      NOT NULL COMMENT 'the UTC day the row counts',
  active              BOOLEAN   NOT NULL COMMENT 'the person used the tool that day, by the activity rule of the source (docs/contract.md, section 7)',
  interactions        BIGINT             COMMENT 'turns the person started: chat messages, inline chats, agent and command requests',
  suggestions         BIGINT             COMMENT 'suggestions and generations shown to the person',
  acceptances         BIGINT             COMMENT 'suggestions and generations the person accepted',
  lines_suggested     BIGINT             COMMENT 'lines the tool suggested to add; null where the source has none',
  lines_kept          BIGINT             COMMENT 'lines of AI code the person kept (per source: docs/contract.md, section 7); null where the source has none',
  input_tokens        BIGINT             COMMENT 'input tokens, where the source reports them (Copilot CLI), else null',
  output_tokens       BIGINT             COMMENT 'output tokens, where the source reports them (Copilot CLI), else null',
  source_columns      MAP<STRING, STRING> COMMENT 'every column or field of the row as delivered, name -> text (JSON text for nested values)',
  report_start_day    DATE      NOT NULL COMMENT 'first day the delivering report covers',
  report_end_day      DATE      NOT NULL COMMENT 'last day the delivering report covers; the later one wins a (source, user_id, day) delivered again',
  report_generated_at TIMESTAMP          COMMENT 'when the report was generated, where the delivery says (Q: the timestamp of the file name); else null',
  delivery_date       DATE               COMMENT 'date of the delivery folder (date=YYYY-MM-DD) the file came from, when the path has one',
  source_file         STRING    NOT NULL COMMENT 'file the row was read from',
  source_line         BIGINT    NOT NULL COMMENT '1-based line of source_file holding the row',
  ingest_run_id       STRING    NOT NULL COMMENT 'run of goodhart ingest that stored the row (see curated.job_runs)',
  ingested_at         TIMESTAMP NOT NULL COMMENT 'when that run started'
)
USING iceberg
PARTITIONED BY (months(day))
TBLPROPERTIES (
  'format-version' = '2',
  'write.parquet.compression-codec' = 'zstd'
);
