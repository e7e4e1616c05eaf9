-- curated.unresolved_weekly_usage: per ISO week and tool, the requests no person key resolves to a
-- directory person, beside all of the tool's requests, as BI tools may see it.
-- BI-facing copy of curated_private.unresolved_weekly_usage: the same rows, no source key anywhere (the
-- private table holds none either: emails are keys), and the unresolved figures of a tool and week withheld
-- (null, suppressed = true) when (io.goodhart.publish.PublishedUnresolvedUsage, docs/security.md): their
-- distinct keys are more than none and fewer than goodhart.engagement.min-group-size; or, when exactly one
-- tool of a week is withheld so, they are the week's smallest other tool's with unresolved requests (fewest
-- keys, then the lowest tool), so that the week's unresolved requests of all tools (the unassigned group's
-- requests, less those of people in no stint) minus the published tools' do not give the withheld tool's.
-- events is always published; the resolved requests are not, so events minus a published figure rebuilds
-- nothing withheld. Written by `goodhart bi-publish` from the private table, the weeks that changed, in one
-- commit.
-- Grain: one row per (week_start, tool) with requests. Key: (week_start, tool).
CREATE TABLE IF NOT EXISTS ${curated}.unresolved_weekly_usage (
  week_start         DATE    NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week           STRING  NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  tool               STRING  NOT NULL COMMENT 'product that made the requests, lower-case (raw.usage_events.tool)',
  suppressed         BOOLEAN NOT NULL COMMENT 'true when the unresolved figures of the row are withheld',
  suppression        STRING           COMMENT 'why they are withheld; null when published',
  events             BIGINT  NOT NULL COMMENT 'requests of the tool in the week, resolved or not',
  unresolved_events  BIGINT           COMMENT 'of those, the requests no person key resolved; null when suppressed',
  unresolved_keys    BIGINT           COMMENT 'distinct source keys of the unresolved requests; null when suppressed',
  unresolved_share   DOUBLE           COMMENT 'unresolved_events / events; null when suppressed'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
