-- curated.source_health: per input source and delivery day, the records ingest received, rejected, replaced and
-- could not resolve to a directory person, for a data engineer who watches the deliveries (and a dashboard's
-- "is every feed healthy" panel): a feed that starts failing the contract, or whose people stop resolving (a
-- changed key, a stale identities file), shows on the day its files came.
-- Grain: one row per (source, day) with files read. Key: (source, day).
-- source is the format the files were read as; day is their delivery day: the date of the delivery folder they
-- came in (date=D, or the yyyy/mm/dd folder of the Amazon Q layout), whichever night read them, so a late file
-- counts on its own delivery's day; a file outside a delivery folder counts on the UTC day of the run that read it.
-- Sums of raw.ingested_files, the manifest ingest writes per file read: received and rejected are records, not
-- people. The unresolved figure is the records of people no key resolved when they were stored, each of whose
-- keys may be one person (emails are keys): it is withheld (null, suppressed = true, with why) when those records
-- come from more than none and fewer than goodhart.engagement.min-group-size distinct keys, as far as the files
-- tell (the most keys of any one file of the day: a day whose keys are spread over files may be withheld though
-- it has enough, never the other way round). No published figure is a sum over sources of a day's unresolved
-- records, and the stored, resolved records are not published, so no pair of published figures gives a withheld
-- one back. curated.unresolved_weekly_usage counts something else: requests by event week and tool, resolved
-- as of the night that computed the week.
-- Written by `goodhart bi-publish`, whole, every run.
CREATE TABLE IF NOT EXISTS ${curated}.source_health (
  source      STRING  NOT NULL COMMENT 'input format the files were read as: goodhart (native), otlp, cursor-events, q-developer-csv, copilot-user-ndjson, cursor-daily',
  day         DATE    NOT NULL COMMENT 'delivery day: the date of the delivery folder of the files, else the UTC day of the ingest run that read them',
  files       BIGINT  NOT NULL COMMENT 'files read (a file read again in a new version counts again)',
  received    BIGINT  NOT NULL COMMENT 'records the files held: lines of the native format, log records, spans, data points, Cursor events, rows of daily reports',
  rejected    BIGINT  NOT NULL COMMENT 'of those, records rejected for breaking their format or the contract (raw.usage_events_rejected)',
  replaced    BIGINT           COMMENT 'rows of daily per-user reports stored in place of the stored row of their (source, user_id, day), whose report ended earlier; null when the files were read by a release that did not count it',
  suppressed  BOOLEAN NOT NULL COMMENT 'true when the unresolved figure of the row is withheld',
  suppression STRING           COMMENT 'why it is withheld; null when published',
  unresolved  BIGINT           COMMENT 'records stored from the files whose person no key resolved when they were stored; null when suppressed or when the files were read by a release that did not count it'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
