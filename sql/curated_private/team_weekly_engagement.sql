-- curated_private.team_weekly_engagement: adoption against target per team and ISO week, with org and
-- company roll-ups as rows of their own (column level). Every figure of every group, small ones
-- included: for the data team only (namespace goodhart.namespace.private). BI tools read
-- curated.team_weekly_engagement, where small groups, and the groups that would give them away, are
-- suppressed (written by `goodhart bi-publish`).
-- Grain: one row per (week_start, level, group_key). Key: (week_start, level, group_key).
-- Definitions (contract section 4): the team of an event is the team of the stint that covers its day in
-- the reporting time zone, else 'unassigned'; eligible developers are is_developer stints overlapping the
-- week by at least one day; engaged developers are eligible ones with an event, a metric-only day (a
-- day and tool with metric tokens and no request) or an active daily row (raw.usage_daily, its UTC day
-- taken as the reporting day) attributed to that team in that week, counted once whatever the tools. Tokens are
-- counted once: the requests', and the metric-only days' (curated_private.daily_outcomes). Roll-ups count distinct people: a developer eligible in two teams of one org is one
-- eligible developer of the org. The company row's events and tokens include the unassigned team's, so
-- each week's company row equals raw.
-- Padding: per person-week verdicts of the padding model (label genuine or padding, padding_score in
-- [0, 1]); a person-week without a verdict is genuine with score 0. Costs use the model price list
-- (goodhart ModelPrices, by default datasets/pricing.csv), prices in USD per million tokens.
-- Written by `goodhart engagement`, a whole week at a time (write-audit-publish on an Iceberg branch).
CREATE TABLE IF NOT EXISTS ${curated_private}.team_weekly_engagement (
  week_start            DATE    NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week              STRING  NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  level                 STRING  NOT NULL COMMENT 'team, org or company',
  group_key             STRING  NOT NULL COMMENT 'team_id at team level, org at org level, all at company level',
  org                   STRING           COMMENT 'organisation (null at company level)',
  team_id               STRING           COMMENT 'team key (team level only); unassigned for events of people in no stint',
  team_name             STRING           COMMENT 'display name of the team (team level only)',
  eligible_developers   BIGINT  NOT NULL COMMENT 'distinct developers whose stint in the group overlaps the week',
  engaged_developers    BIGINT  NOT NULL COMMENT 'eligible developers with at least one event, metric-only day or active daily row attributed to the group in the week',
  active_people         BIGINT           COMMENT 'distinct people with at least one event, metric-only day or active daily row attributed to the group in the week, developers or not (the size of the unassigned group); null in rows computed before the column existed',
  engaged_by_tool       MAP<STRING, BIGINT> COMMENT 'tool -> engaged developers of the group who used it in the week (the tool of their requests, metric-only days and active daily rows), keyed by tool as in raw.usage_events and raw.usage_daily (copilot, cursor, ...); a developer with two tools counts under both, so the values can add up to more than engaged_developers. A map, not a column per tool: the tools are whatever the sources name, and a new one needs no schema change; SQL reads one tool by its key and all of them as rows with explode. Empty with nobody engaged; null in rows computed before the column existed',
  engagement_rate       DOUBLE           COMMENT 'engaged / eligible; null when eligible = 0',
  target_rate           DOUBLE  NOT NULL COMMENT 'adoption target in force (goodhart.engagement.target)',
  target_met            BOOLEAN          COMMENT 'engagement_rate >= target_rate; null when the rate is null',
  events                BIGINT  NOT NULL COMMENT 'events attributed to the group in the week (everyone, developers or not)',
  input_tokens          BIGINT  NOT NULL COMMENT 'sum of input_tokens of those events and of the metric-only days attributed to the group',
  output_tokens         BIGINT  NOT NULL COMMENT 'sum of output_tokens',
  cache_read_tokens     BIGINT  NOT NULL COMMENT 'sum of cache_read_tokens (not part of total)',
  total_tokens          BIGINT  NOT NULL COMMENT 'input_tokens + output_tokens',
  active_days           INT     NOT NULL COMMENT 'days of the week with at least one event in the group',
  below_min_group_size  BOOLEAN NOT NULL COMMENT 'eligible developers < goodhart.engagement.min-group-size: per-person figures withheld',
  tokens_per_engaged_developer DOUBLE    COMMENT 'total_tokens / engaged_developers; null for small groups or no engaged developer',
  events_per_engaged_developer DOUBLE    COMMENT 'events / engaged_developers; null for small groups or no engaged developer',
  engagement_rate_change DOUBLE          COMMENT 'engagement_rate minus that of the previous week, null when either is null',
  engaged_developers_change BIGINT       COMMENT 'engaged_developers minus that of the previous week (from 0 when the group had no row then)',
  total_tokens_change   BIGINT           COMMENT 'total_tokens minus that of the previous week',
  genuine_engaged_developers BIGINT NOT NULL COMMENT 'engaged developers whose person-week padding verdict is genuine (no verdict counts as genuine); roll-ups count distinct people',
  genuine_engagement_rate DOUBLE         COMMENT 'genuine_engaged_developers / eligible_developers; null when eligible = 0',
  padding_tokens        BIGINT  NOT NULL COMMENT 'round(sum over the events of the group of (input_tokens + output_tokens) x padding_score of their person-week), rounded once per row, so team rows need not add up to the org row',
  estimated_cost_usd    DOUBLE  NOT NULL COMMENT 'sum over the events of the group of input, output and cache_read tokens x the USD per million token prices of their model (model price list, default row when the model is null or not listed)',
  padding_cost_usd      DOUBLE  NOT NULL COMMENT 'the same sum with each event weighted by the padding_score of its person-week (0 without a verdict)',
  week_status           STRING  NOT NULL COMMENT 'final when the week ended on or before the latest date the job ran for, else week_to_date'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
