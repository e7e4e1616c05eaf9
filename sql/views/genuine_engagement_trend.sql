-- curated.genuine_engagement_trend: engagement as counted (any request) beside genuine engagement (at
-- least one person-week the padding model judged genuine), company and orgs, with a 4-week moving average.
-- Grain: one row per (week_start, level, group_key) for levels company and org. Key: the same.
-- Reads the suppressed table curated.team_weekly_engagement: suppressed groups show no figures, and the
-- moving average is taken over the published weeks of the window only, so it never carries a suppressed
-- week's figure.
CREATE OR REPLACE VIEW ${curated}.genuine_engagement_trend AS
SELECT
  week_start,
  iso_week,
  level,
  group_key,
  org,
  suppressed,
  engagement_rate,
  genuine_engagement_rate,
  engagement_rate - genuine_engagement_rate AS padding_only_rate,
  CASE WHEN suppressed THEN NULL ELSE avg(genuine_engagement_rate) OVER (
    PARTITION BY level, group_key ORDER BY week_start ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) END
    AS genuine_engagement_rate_4w,
  target_rate
FROM ${curated}.team_weekly_engagement
WHERE level IN ('company', 'org')
