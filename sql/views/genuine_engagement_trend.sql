-- curated.genuine_engagement_trend: engagement as counted (any request) beside genuine engagement (at
-- least one person-week the padding model judged genuine), company and orgs, with a 4-week moving average.
-- Grain: one row per (week_start, level, group_key) for levels company and org. Key: the same.
-- Small orgs are suppressed as in adoption_vs_target.
CREATE OR REPLACE VIEW ${curated}.genuine_engagement_trend AS
SELECT
  week_start,
  iso_week,
  level,
  group_key,
  org,
  below_min_group_size AS suppressed,
  CASE WHEN below_min_group_size THEN NULL ELSE engagement_rate END AS engagement_rate,
  CASE WHEN below_min_group_size THEN NULL ELSE genuine_engagement_rate END AS genuine_engagement_rate,
  CASE WHEN below_min_group_size THEN NULL ELSE engagement_rate - genuine_engagement_rate END AS padding_only_rate,
  CASE WHEN below_min_group_size THEN NULL ELSE avg(genuine_engagement_rate) OVER (
    PARTITION BY level, group_key ORDER BY week_start ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) END
    AS genuine_engagement_rate_4w,
  target_rate
FROM ${curated}.team_weekly_engagement
WHERE level IN ('company', 'org')
