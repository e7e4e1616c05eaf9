-- curated.job_runs: one row per run of a goodhart job, successful or not; the operational log that
-- schedulers, on-call engineers and audits read.
-- Grain: one row per job run. Key: run_id.
-- The ingest ledger in metrics: lines_read, accepted, duplicates (duplicates_in_input,
-- duplicates_already_loaded), rejected, rejected_already_recorded, erased. train's metrics: models_trained
-- (0 when it kept no new model: goodhart.model.run is set, the week has a model under weekly retraining,
-- or the window holds too little behaviour) and training_rows; with too little behaviour also
-- training_rows_needed and training_min_events, the reason classify then gives.
-- Every Iceberg commit of a run carries its run_id in the snapshot summary (goodhart.run-id), which links
-- a table's snapshots to this log.
CREATE TABLE IF NOT EXISTS ${curated}.job_runs (
  job          STRING    NOT NULL COMMENT 'ingest, load-directory, ... (the job name in jobs/)',
  run_id       STRING    NOT NULL COMMENT 'unique id of the run',
  logical_date DATE               COMMENT 'the date the run was for (--date), null when not given',
  started_at   TIMESTAMP NOT NULL COMMENT 'start of the run',
  ended_at     TIMESTAMP NOT NULL COMMENT 'end of the run',
  status       STRING    NOT NULL COMMENT 'succeeded or failed',
  rows_read    MAP<STRING, BIGINT> COMMENT 'input name -> rows (or lines) read',
  rows_written MAP<STRING, BIGINT> COMMENT 'table -> rows written by this run',
  snapshot_ids MAP<STRING, BIGINT> COMMENT 'table -> Iceberg snapshot id this run committed',
  input_snapshot_ids MAP<STRING, BIGINT> COMMENT 'table -> Iceberg snapshot id this run read (the watermark the next incremental run starts from)',
  metrics      MAP<STRING, BIGINT> COMMENT 'job-specific counts, e.g. the ingest ledger (lines_read, accepted, duplicates, rejected)',
  error        STRING             COMMENT 'why the run failed, null when it succeeded',
  input        STRING             COMMENT 'the input path the run read, when it read files'
)
USING iceberg
PARTITIONED BY (months(started_at))
TBLPROPERTIES ('format-version' = '2');
