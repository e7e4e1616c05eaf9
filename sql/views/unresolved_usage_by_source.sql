-- curated.unresolved_usage_by_source: per week and tool, how much of the tool's usage counts for nobody in
-- the directory (requests whose person no key resolved, as of the night that computed the week), for a
-- dashboard's "x% of this tool's usage is not attributed". Grain: one row per (week_start, tool). Key: the same.
-- Reads the suppressed table curated.unresolved_weekly_usage: a tool whose unresolved requests come from
-- fewer keys than the minimum group size (and the tool withheld to protect it) shows no unresolved figures
-- (suppressed = true, suppression says why); events, all of the tool's requests, is always shown.
CREATE OR REPLACE VIEW ${curated}.unresolved_usage_by_source AS
SELECT
  week_start,
  iso_week,
  tool,
  suppressed,
  suppression,
  events,
  unresolved_events,
  unresolved_keys,
  unresolved_share,
  events - unresolved_events AS attributed_events
FROM ${curated}.unresolved_weekly_usage
