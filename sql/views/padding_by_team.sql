-- curated.padding_by_team: how much of each team's token use and spend the padding model attributes to
-- padding, week by week. Grain: one row per (week_start, group_key) at team level. Key: the same.
-- Teams below goodhart.engagement.min-group-size are suppressed (no figures).
CREATE OR REPLACE VIEW ${curated}.padding_by_team AS
SELECT
  week_start,
  iso_week,
  org,
  group_key AS team_id,
  team_name,
  below_min_group_size AS suppressed,
  CASE WHEN below_min_group_size THEN NULL ELSE total_tokens END AS total_tokens,
  CASE WHEN below_min_group_size THEN NULL ELSE padding_tokens END AS padding_tokens,
  CASE WHEN below_min_group_size OR total_tokens = 0 THEN NULL
       ELSE padding_tokens / total_tokens END AS padding_share,
  CASE WHEN below_min_group_size THEN NULL ELSE estimated_cost_usd END AS estimated_cost_usd,
  CASE WHEN below_min_group_size THEN NULL ELSE padding_cost_usd END AS padding_cost_usd
FROM ${curated}.team_weekly_engagement
WHERE level = 'team'
