-- curated.adoption_vs_target: adoption against target by team, org and company, week by week, for dashboards.
-- Grain: one row per (week_start, level, group_key). Key: (week_start, level, group_key).
-- Reads the suppressed table curated.team_weekly_engagement: suppressed groups show no figures
-- (suppressed = true, suppression says why), and changes exist only between two published weeks.
CREATE OR REPLACE VIEW ${curated}.adoption_vs_target AS
SELECT
  week_start,
  iso_week,
  week_status,
  level,
  group_key,
  org,
  team_name,
  suppressed,
  suppression,
  eligible_developers,
  engaged_developers,
  engagement_rate,
  target_rate,
  target_met,
  engagement_rate_change,
  genuine_engaged_developers,
  genuine_engagement_rate
FROM ${curated}.team_weekly_engagement
