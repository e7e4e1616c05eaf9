-- curated_private.unresolved_weekly_usage: per ISO week and tool, the requests no person key resolves to a
-- directory person (contract section 6), beside all of the tool's requests, so the share of a tool's usage
-- that counts for nobody in the directory can be followed week by week.
-- Grain: one row per (week_start, tool) with requests. Key: (week_start, tool).
-- Resolution is that of the night that computed the week: an identity row or a directory email loaded later
-- recomputes the weeks it spans, as for every curated table. Native requests name the directory id and are
-- never unresolved. A request resolved to a directory id that has no stint that day is resolved (it counts
-- under the team unassigned, see user_weekly_usage).
-- Written by `goodhart user-usage`, beside user_weekly_usage and for the same weeks, a whole week at a time
-- (write-audit-publish on an Iceberg branch). Counts only, no key: BI tools read the suppressed copy
-- curated.unresolved_weekly_usage.
CREATE TABLE IF NOT EXISTS ${curated_private}.unresolved_weekly_usage (
  week_start         DATE    NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week           STRING  NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  tool               STRING  NOT NULL COMMENT 'product that made the requests, lower-case (raw.usage_events.tool)',
  events             BIGINT  NOT NULL COMMENT 'requests of the tool in the week, resolved or not',
  unresolved_events  BIGINT  NOT NULL COMMENT 'of those, the requests no person key resolved: they count under their source key as user_id',
  unresolved_keys    BIGINT  NOT NULL COMMENT 'distinct source keys (user_id) of the unresolved requests'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
