-- curated.source_health_by_day: per input source and delivery day, records received, rejected, replaced and
-- unresolved, with the shares a feed's health is judged by (ingest warns in its audit results when a day's share
-- jumps above the median of the days before it: docs/operations.md, Source health). Grain: one row per
-- (source, day). Key: the same.
-- Reads the suppressed table curated.source_health: a day whose unresolved records come from fewer distinct keys
-- than the minimum group size shows no unresolved figure (suppressed = true, suppression says why).
CREATE OR REPLACE VIEW ${curated}.source_health_by_day AS
SELECT
  source,
  day,
  files,
  received,
  rejected,
  replaced,
  suppressed,
  suppression,
  unresolved,
  CASE WHEN received > 0 THEN rejected / received END AS reject_share,
  CASE WHEN received > 0 THEN unresolved / received END AS unresolved_share
FROM ${curated}.source_health
