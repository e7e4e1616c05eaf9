-- curated_private.user_weekly_features: how each person used AI tools in an ISO week, as the scale-robust
-- behavioural features the padding model reads (repetition, timers, off-hours and cut-off floods,
-- output kept and artifacts per token). Every feature is a share, a ratio or a log; each undefined case has
-- the neutral value its comment states, and only the two of the local clock can be null (local time unknown).
-- Grain: one row per (week_start, user_id) with at least one request. Key: (week_start, user_id).
-- The team is that of the last event of the person in the week, as in curated_private.user_weekly_usage.
-- Local clock means the clock of the developer: event_time in the time_zone of their directory stint when
-- the directory gives one, else at the UTC offset the emitter wrote (event_offset_minutes), else unknown.
-- Weeks and the weekly cut-off are in the reporting time zone.
-- Computed by io.goodhart.curated.UserWeeklyFeatures, a whole week at a time.
-- Real directory ids, for the data team only (namespace goodhart.namespace.private); no BI copy:
-- these are the model inputs, the verdicts are published in curated.usage_classification.
CREATE TABLE IF NOT EXISTS ${curated_private}.user_weekly_features (
  week_start              DATE   NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week                STRING NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  user_id                 STRING NOT NULL COMMENT 'developer directory id',
  team_id                 STRING NOT NULL COMMENT 'team of the last event of the week (ties by event_id), unassigned when in no stint',
  events                  BIGINT NOT NULL COMMENT 'requests made in the week',
  total_tokens            BIGINT NOT NULL COMMENT 'sum of input_tokens + output_tokens',
  log_tokens_per_request  DOUBLE NOT NULL COMMENT 'ln(1 + total_tokens / events)',
  output_input_ratio      DOUBLE NOT NULL COMMENT 'sum of output_tokens / greatest(sum of input_tokens, 1)',
  prompt_repeat_share     DOUBLE NOT NULL COMMENT 'among requests with a prompt_fingerprint, the share whose fingerprint occurs 2 or more times in the week, 0 when no request has one',
  distinct_prompt_ratio   DOUBLE NOT NULL COMMENT 'distinct prompt_fingerprint values / requests with a prompt_fingerprint, 1 when no request has one',
  automated_share         DOUBLE NOT NULL COMMENT 'share of requests with trigger scheduled or automation',
  interval_cv             DOUBLE NOT NULL COMMENT 'population standard deviation / mean of the gaps in seconds between consecutive requests (by event_time, then event_id), 1 (random arrivals, no timer evidence) when fewer than 3 requests or a mean gap of 0',
  off_hours_share         DOUBLE          COMMENT 'among requests whose local time is known, the share outside 08:00 to 19:00 (19:00 excluded) Monday to Friday on the local clock, Saturday and Sunday are off-hours; null when no request has a known local time',
  weekend_share           DOUBLE          COMMENT 'among requests whose local time is known, the share on Saturday or Sunday on the local clock; null when no request has a known local time',
  cutoff_token_share      DOUBLE NOT NULL COMMENT 'share of total_tokens from requests in the 48 hours before the weekly cut-off, from Saturday 00:00 to Sunday 24:00 in the reporting time zone, 0 when total_tokens = 0',
  acceptance_rate         DOUBLE NOT NULL COMMENT 'requests with accepted = true / requests whose accepted field was given, 0 when none was given (see feedback_share)',
  feedback_share          DOUBLE NOT NULL COMMENT 'share of requests whose accepted field was given',
  lines_per_1k_tokens     DOUBLE NOT NULL COMMENT 'ln(1 + sum of lines_accepted / (total_tokens / 1000)), 0 when total_tokens = 0',
  artifacts_per_1k_tokens DOUBLE NOT NULL COMMENT 'ln(1 + distinct artifact_id values / (total_tokens / 1000)), 0 when total_tokens = 0',
  session_artifact_share  DOUBLE NOT NULL COMMENT 'among distinct session_id values, the share with at least one request carrying an artifact_id, 0 when no request has a session_id',
  low_value_task_share    DOUBLE NOT NULL COMMENT 'share of requests with task_type email_triage, summarization or other (a missing task_type is not low-value)',
  log_session_depth       DOUBLE NOT NULL COMMENT 'ln(1 + requests with a session_id / distinct session_id values), 0 when no request has a session_id',
  unkept_repeat_share     DOUBLE NOT NULL COMMENT 'requests whose prompt_fingerprint occurs 2 or more times in the week and whose output was not kept (accepted not true) / all requests'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
