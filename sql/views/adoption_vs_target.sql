-- curated.adoption_vs_target: adoption against target by team, org and company, week by week, for dashboards.
-- Grain: one row per (week_start, level, group_key). Key: (week_start, level, group_key).
-- Groups with fewer eligible developers than goodhart.engagement.min-group-size show no figures
-- (suppressed = true): with three people in a team, a rate tells who did not use the tools.
CREATE OR REPLACE VIEW ${curated}.adoption_vs_target AS
SELECT
  week_start,
  iso_week,
  week_status,
  level,
  group_key,
  org,
  team_name,
  below_min_group_size AS suppressed,
  CASE WHEN below_min_group_size THEN NULL ELSE eligible_developers END AS eligible_developers,
  CASE WHEN below_min_group_size THEN NULL ELSE engaged_developers END AS engaged_developers,
  CASE WHEN below_min_group_size THEN NULL ELSE engagement_rate END AS engagement_rate,
  target_rate,
  CASE WHEN below_min_group_size THEN NULL ELSE target_met END AS target_met,
  CASE WHEN below_min_group_size THEN NULL ELSE engagement_rate_change END AS engagement_rate_change,
  CASE WHEN below_min_group_size THEN NULL ELSE genuine_engaged_developers END AS genuine_engaged_developers,
  CASE WHEN below_min_group_size THEN NULL ELSE genuine_engagement_rate END AS genuine_engagement_rate
FROM ${curated}.team_weekly_engagement
