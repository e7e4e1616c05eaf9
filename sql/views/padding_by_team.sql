-- curated.padding_by_team: how much of each team's token use and spend the padding model attributes to
-- padding, week by week. Grain: one row per (week_start, group_key) at team level. Key: the same.
-- Reads the suppressed table curated.team_weekly_engagement: suppressed teams show no figures.
CREATE OR REPLACE VIEW ${curated}.padding_by_team AS
SELECT
  week_start,
  iso_week,
  org,
  group_key AS team_id,
  team_name,
  suppressed,
  suppression,
  total_tokens,
  padding_tokens,
  CASE WHEN total_tokens = 0 THEN NULL ELSE padding_tokens / total_tokens END AS padding_share,
  estimated_cost_usd,
  padding_cost_usd
FROM ${curated}.team_weekly_engagement
WHERE level = 'team'
