-- curated.team_weekly_engagement: adoption against target per team, org and company and ISO week, as BI
-- tools may see it: the rows of curated_private.team_weekly_engagement with the figures of suppressed
-- groups withheld (null).
-- Grain: one row per (week_start, level, group_key). Key: (week_start, level, group_key).
-- Suppression (io.goodhart.privacy.GroupSuppression, docs/security.md): a group with fewer people than
-- goodhart.engagement.min-group-size is suppressed (people: eligible developers; for the unassigned group,
-- the people with events in it); so is the smallest other group under the same parent when a group is the
-- only suppressed one there (an org minus its visible teams would otherwise be that team), and a team of
-- an org suppressed that way. Week-over-week changes are published only when both weeks of the group are
-- published. Every figure on a row belongs to that row's group. Per-tool counts (engaged_by_tool) of a
-- published group leave out a tool with fewer engaged developers than the minimum group size, and an org's
-- or the company's tool whose count minus the published counts of that tool beneath it would be above 0 and
-- below the minimum (docs/security.md).
-- Written by `goodhart bi-publish` from the private table, the weeks that changed, in one commit.
CREATE TABLE IF NOT EXISTS ${curated}.team_weekly_engagement (
  week_start            DATE    NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week              STRING  NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  level                 STRING  NOT NULL COMMENT 'team, org or company',
  group_key             STRING  NOT NULL COMMENT 'team_id at team level, org at org level, all at company level',
  org                   STRING           COMMENT 'organisation (null at company level)',
  team_id               STRING           COMMENT 'team key (team level only); unassigned for events of people in no stint',
  team_name             STRING           COMMENT 'display name of the team (team level only)',
  suppressed            BOOLEAN NOT NULL COMMENT 'true when the figures of the group are withheld (every figure below is null)',
  suppression           STRING           COMMENT 'why: fewer people than the minimum group size, or withheld so that a smaller group cannot be computed from the others; null when published',
  eligible_developers   BIGINT           COMMENT 'distinct developers whose stint in the group overlaps the week',
  engaged_developers    BIGINT           COMMENT 'eligible developers with at least one event, metric-only day or active daily row attributed to the group in the week',
  active_people         BIGINT           COMMENT 'distinct people with at least one event, metric-only day or active daily row attributed to the group in the week, developers or not',
  engaged_by_tool       MAP<STRING, BIGINT> COMMENT 'tool -> engaged developers of the group who used it in the week (copilot, cursor, ...); a developer with two tools counts under both. A map, not a column per tool: the tools are whatever the sources name, and a new one needs no schema change; SQL reads one tool by its key and all of them as rows with explode. A tool whose count is withheld (minimum group size) is left out, so it reads like a tool nobody used; null on a suppressed row and on rows computed before the column existed',
  engagement_rate       DOUBLE           COMMENT 'engaged / eligible; null when eligible = 0',
  target_rate           DOUBLE  NOT NULL COMMENT 'adoption target in force (goodhart.engagement.target)',
  target_met            BOOLEAN          COMMENT 'engagement_rate >= target_rate; null when the rate is null',
  events                BIGINT           COMMENT 'events attributed to the group in the week (everyone, developers or not)',
  input_tokens          BIGINT           COMMENT 'sum of input_tokens of those events and of the metric-only days attributed to the group',
  output_tokens         BIGINT           COMMENT 'sum of output_tokens',
  cache_read_tokens     BIGINT           COMMENT 'sum of cache_read_tokens (not part of total)',
  total_tokens          BIGINT           COMMENT 'input_tokens + output_tokens',
  active_days           INT              COMMENT 'days of the week with at least one event in the group',
  tokens_per_engaged_developer DOUBLE    COMMENT 'total_tokens / engaged_developers; null with no engaged developer',
  events_per_engaged_developer DOUBLE    COMMENT 'events / engaged_developers; null with no engaged developer',
  engagement_rate_change DOUBLE          COMMENT 'engagement_rate minus that of the previous week; null unless both weeks of the group are published',
  engaged_developers_change BIGINT       COMMENT 'engaged_developers minus that of the previous week (from 0 when the group had no row then); null when the previous week is suppressed',
  total_tokens_change   BIGINT           COMMENT 'total_tokens minus that of the previous week (from 0 when the group had no row then); null when the previous week is suppressed',
  genuine_engaged_developers BIGINT      COMMENT 'engaged developers whose person-week padding verdict is genuine (no verdict counts as genuine)',
  genuine_engagement_rate DOUBLE         COMMENT 'genuine_engaged_developers / eligible_developers; null when eligible = 0',
  padding_tokens        BIGINT           COMMENT 'tokens of the group weighted by the padding score of their person-week, rounded once per row',
  estimated_cost_usd    DOUBLE           COMMENT 'tokens of the group priced by model (model price list), USD',
  padding_cost_usd      DOUBLE           COMMENT 'the same weighted by the padding score of the person-week',
  week_status           STRING  NOT NULL COMMENT 'final when the week ended on or before the latest date the engagement job ran for, else week_to_date'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
