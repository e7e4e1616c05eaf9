-- raw.erased_people: the people `goodhart forget` erased, as keyed hashes of their ids (never the ids), so
-- that ingest and load-directory drop a re-delivery of their lines. The hash key is the lake's erasure key.
-- Besides the directory id, the person's other keys are listed (their identity keys, their emails
-- lower-cased), so telemetry re-delivered under an email or account key is dropped too.
-- Grain: one row per erased key. Key: person_hash.
CREATE TABLE IF NOT EXISTS ${raw}.erased_people (
  person_hash STRING    NOT NULL COMMENT 'hex HMAC-SHA256 of the user_id, or of another key of the person, under the erasure key',
  erased_at   TIMESTAMP NOT NULL COMMENT 'when goodhart forget ran',
  run_id      STRING    NOT NULL COMMENT 'run of goodhart forget (see curated.job_runs)',
  reason      STRING             COMMENT 'why, as given with --reason (the erasure request reference, say)'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
