-- curated_private.audit_results: every data-quality check of every audited run, passed or failed: what
-- was checked, on which week or date, the figure, and the outcome; a table's quality over runs.
-- Grain: one row per check and scope of a run. Key: (run_id, audited_table, check_name, scope).
-- The checks are declared with the vocabulary of io.goodhart.audit (completeness, uniqueness, range,
-- reconciliation with raw). An error check that fails stops the publish (the run fails, exit code "audit
-- failed"), a warning is recorded and the publish goes on; the results are written either way, in one
-- append per run. Written by the curated jobs (user-usage, features, classify, engagement, leaderboard),
-- by bi-publish (the checks of each BI table) and by ingest (event_id uniqueness of the new events; the source
-- health warnings on raw.ingested_files, scope the delivery day, when a source's share of rejected or unresolved
-- records jumps).
-- Holds nothing about any one person: scopes are weeks or dates, figures are counts and sums, findings
-- name weeks, teams and orgs. Beside the private tables because per-team findings are not for BI readers.
CREATE TABLE IF NOT EXISTS ${curated_private}.audit_results (
  run_id         STRING    NOT NULL COMMENT 'the run that evaluated the check (job_runs.run_id)',
  job            STRING    NOT NULL COMMENT 'the job of that run, e.g. user-usage',
  audited_table  STRING    NOT NULL COMMENT 'the table whose staged rows were checked, e.g. curated_private.user_weekly_usage',
  check_name     STRING    NOT NULL COMMENT 'the check, e.g. one row per (week_start, user_id)',
  kind           STRING    NOT NULL COMMENT 'completeness, uniqueness, range or reconciliation',
  severity       STRING    NOT NULL COMMENT 'error (a failure stops the publish) or warning (recorded; the publish goes on)',
  scope          STRING             COMMENT 'the week (ISO label, e.g. 2026-W48) or date checked; null for a check of all staged rows',
  offending_rows BIGINT             COMMENT 'staged rows that break the check; null for a comparison of figures',
  staged_value   BIGINT             COMMENT 'the figure of the staged rows, e.g. their events in the week; null for a row check',
  expected_value BIGINT             COMMENT 'what that figure must be, e.g. the figure in raw for a reconciliation; null for a row check',
  difference     BIGINT             COMMENT 'staged_value - expected_value',
  passed         BOOLEAN   NOT NULL COMMENT 'true when the check passed',
  finding        STRING             COMMENT 'what failed and by how much, as the run reported it; null when passed',
  checked_at     TIMESTAMP NOT NULL COMMENT 'when the run evaluated the check'
)
USING iceberg
PARTITIONED BY (months(checked_at))
TBLPROPERTIES ('format-version' = '2');
