-- raw.ingested_files: the file manifest of ingest: every file of the delivery folders it looked at, read or
-- skipped, with what became of its lines. A file is read again only when it is not here with the same size
-- and modification time (or ETag, on object stores): a file that lands in a delivery folder after its night
-- ran is read by a later night (ingest looks back goodhart.ingest.lookback-days folders), and a file
-- replaced by a new version is read again (its lines go through the duplicate check).
-- Grain: one row per file version and run that looked at it. Key: (path, size, modified_at, etag, run_id).
CREATE TABLE IF NOT EXISTS ${raw}.ingested_files (
  path          STRING    NOT NULL COMMENT 'the file, as listed (any Hadoop URI)',
  size          BIGINT    NOT NULL COMMENT 'bytes when listed',
  modified_at   TIMESTAMP          COMMENT 'modification time when listed',
  etag          STRING             COMMENT 'ETag of the object on an object store that gives one, else null',
  delivery_date DATE               COMMENT 'date of the date=D delivery folder the file is in, null outside one',
  format        STRING    NOT NULL COMMENT 'input format the file was read as: goodhart (the native contract), otlp, cursor-events, q-developer-csv, copilot-user-ndjson, cursor-daily; auto for a skipped file of an auto run',
  outcome       STRING    NOT NULL COMMENT 'ingested, or not an event file: skipped (a name the format does not read)',
  lines         BIGINT             COMMENT 'lines the file holds, counted apart from judging them (null when skipped)',
  accepted      BIGINT             COMMENT 'records stored as new requests (raw.usage_events) by this run',
  duplicates    BIGINT             COMMENT 'lines whose event_id was already stored or seen earlier in the input',
  rejected      BIGINT             COMMENT 'lines rejected (see raw.usage_events_rejected)',
  erased        BIGINT             COMMENT 'lines of people goodhart forget erased, dropped unread (see raw.erased_people)',
  records       BIGINT             COMMENT 'records the lines held (one per line in the native format; a batch of otlp, a page of cursor-events or a daily report holds many; the rows of a daily report are counted here, stored in raw.usage_daily); null for rows stored before formats existed',
  interactions  BIGINT             COMMENT 'records stored as new interactions (raw.interaction_events)',
  metric_points BIGINT             COMMENT 'records stored as new metric points (raw.metric_points)',
  not_usage     BIGINT             COMMENT 'records that are not AI usage (spans without gen_ai attributes, gauges, histograms) or batches without records: counted, not stored',
  run_id        STRING    NOT NULL COMMENT 'the ingest run that recorded it (see curated.job_runs)',
  recorded_at   TIMESTAMP NOT NULL COMMENT 'when that run started'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
