-- curated_private.user_weekly_usage: what each person did with AI tools in an ISO week; the basis of the
-- leaderboards and of the padding model.
-- Grain: one row per (week_start, user_id). Key: (week_start, user_id).
-- Team columns are those of the person's last event in the week (a person who changed team mid-week
-- is listed once, under the team they ended the week in).
-- Written by `goodhart user-usage`, a whole week at a time (write-audit-publish on an Iceberg branch).
-- Real directory ids, for the data team only (namespace goodhart.namespace.private); BI tools read the
-- pseudonymous copy curated.user_weekly_usage.
CREATE TABLE IF NOT EXISTS ${curated_private}.user_weekly_usage (
  week_start           DATE      NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week             STRING    NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  user_id              STRING    NOT NULL COMMENT 'developer directory id',
  team_id              STRING    NOT NULL COMMENT 'team of the last event of the week; unassigned when in no stint',
  team_name            STRING    NOT NULL COMMENT 'display name of that team',
  org                  STRING    NOT NULL COMMENT 'organisation of that team',
  is_developer         BOOLEAN            COMMENT 'from the stint of the last event; null when unassigned',
  events               BIGINT    NOT NULL COMMENT 'requests made in the week',
  sessions             BIGINT    NOT NULL COMMENT 'distinct session_id values (requests without one are not counted)',
  input_tokens         BIGINT    NOT NULL COMMENT 'sum of input_tokens',
  output_tokens        BIGINT    NOT NULL COMMENT 'sum of output_tokens',
  cache_read_tokens    BIGINT    NOT NULL COMMENT 'sum of cache_read_tokens (not part of total)',
  total_tokens         BIGINT    NOT NULL COMMENT 'input_tokens + output_tokens',
  active_days          INT       NOT NULL COMMENT 'days of the week with at least one request',
  tools_used           ARRAY<STRING> NOT NULL COMMENT 'distinct tools, sorted',
  interactive_events   BIGINT    NOT NULL COMMENT 'requests with trigger interactive',
  scheduled_events     BIGINT    NOT NULL COMMENT 'requests with trigger scheduled',
  automation_events    BIGINT    NOT NULL COMMENT 'requests with trigger automation',
  events_with_feedback BIGINT    NOT NULL COMMENT 'requests whose accepted field was given',
  accepted_events      BIGINT    NOT NULL COMMENT 'requests with accepted = true',
  accepted_share       DOUBLE             COMMENT 'accepted_events / events_with_feedback; null without feedback',
  lines_accepted       BIGINT    NOT NULL COMMENT 'sum of lines_accepted',
  artifacts_linked     BIGINT    NOT NULL COMMENT 'distinct artifact_id values',
  distinct_prompts     BIGINT    NOT NULL COMMENT 'distinct prompt_fingerprint values',
  first_event_at       TIMESTAMP NOT NULL COMMENT 'first request of the week',
  last_event_at        TIMESTAMP NOT NULL COMMENT 'last request of the week'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
