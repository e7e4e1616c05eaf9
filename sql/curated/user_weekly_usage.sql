-- curated.user_weekly_usage: what each person did with AI tools in an ISO week; the basis of the
-- leaderboards and of the padding model.
-- BI-facing copy of curated_private.user_weekly_usage: the same rows and columns with the directory id replaced by
-- person_id, a keyed pseudonym (io.goodhart.privacy.Pseudonyms), and the team columns null where the team is
-- suppressed. Written by `goodhart bi-publish` from the private table, the weeks that changed, in one commit.
-- Grain: one row per (week_start, person_id). Key: (week_start, person_id).
-- Tokens are counted once (contract section 4): a person's requests' tokens, and for a day and tool with no
-- request the tool's metric tokens (curated_private.daily_outcomes, normalised to the contract).
-- Team columns are those of the person's last event in the week (a person who changed team mid-week
-- is listed once, under the team they ended the week in).
CREATE TABLE IF NOT EXISTS ${curated}.user_weekly_usage (
  week_start           DATE      NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week             STRING    NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  person_id            STRING    NOT NULL COMMENT 'pseudonymous id of the person: p_ + 16 hex digits of HMAC-SHA256(key, user_id), the same in every BI table; in a week where the team of the person is suppressed, a pseudonym of that week alone that links to no other week',
  team_id              STRING             COMMENT 'team of the last event of the week; unassigned when in no stint; null when the figures of the team are suppressed that week (see curated.team_weekly_engagement), so that counting rows per team cannot rebuild them',
  team_name            STRING             COMMENT 'display name of that team; null when team_id is',
  org                  STRING             COMMENT 'organisation of that team; null when team_id is',
  is_developer         BOOLEAN            COMMENT 'from the stint of the last event; null when unassigned',
  events               BIGINT    NOT NULL COMMENT 'requests made in the week',
  sessions             BIGINT    NOT NULL COMMENT 'distinct session_id values (requests without one are not counted)',
  input_tokens         BIGINT    NOT NULL COMMENT 'sum of input_tokens of the requests and metric-only days',
  output_tokens        BIGINT    NOT NULL COMMENT 'sum of output_tokens of the requests and metric-only days',
  cache_read_tokens    BIGINT    NOT NULL COMMENT 'sum of cache_read_tokens of the requests and metric-only days (not part of total)',
  total_tokens         BIGINT    NOT NULL COMMENT 'input_tokens + output_tokens',
  active_days          INT       NOT NULL COMMENT 'days of the week with at least one request',
  tools_used           ARRAY<STRING> NOT NULL COMMENT 'distinct tools of the requests and metric-only days, sorted',
  interactive_events   BIGINT    NOT NULL COMMENT 'requests with trigger interactive',
  scheduled_events     BIGINT    NOT NULL COMMENT 'requests with trigger scheduled',
  automation_events    BIGINT    NOT NULL COMMENT 'requests with trigger automation',
  events_with_feedback BIGINT    NOT NULL COMMENT 'requests whose accepted field was given',
  accepted_events      BIGINT    NOT NULL COMMENT 'requests with accepted = true',
  accepted_share       DOUBLE             COMMENT 'accepted_events / events_with_feedback; null without feedback',
  lines_accepted       BIGINT    NOT NULL COMMENT 'sum of lines_accepted',
  artifacts_linked     BIGINT    NOT NULL COMMENT 'distinct artifact_id values',
  distinct_prompts     BIGINT    NOT NULL COMMENT 'distinct prompt_fingerprint values',
  first_event_at       TIMESTAMP          COMMENT 'first request of the week; null in a week of metric-only days alone',
  last_event_at        TIMESTAMP          COMMENT 'last request of the week; null in a week of metric-only days alone',
  metric_only_days     INT                COMMENT 'days of the week with metric tokens and no request: their tokens come from the metrics alone; null in rows computed before the column existed',
  metric_tokens        BIGINT             COMMENT 'the part of total_tokens from metric-only days; null in rows computed before the column existed'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
