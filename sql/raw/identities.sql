-- raw.identities: which directory person a source's key for someone stands for, and when (contract section 6).
-- A source names people by its own keys (an email, an account uuid, an installation id: see person_keys in
-- raw.usage_events); a row here maps one of them to a directory user_id for a span of days. Resolution
-- (io.goodhart.ingest.PersonResolution) tries an event's keys in order against the rows of its source or
-- of source '*'. Grain: one row per mapping. Key: (source, source_user_key, valid_from).
-- Each `goodhart load-identities` replaces the table with the file's rows in one snapshot; earlier
-- versions stay reachable by Iceberg time travel.
CREATE TABLE IF NOT EXISTS ${raw}.identities (
  source          STRING NOT NULL COMMENT 'the emitting tool, as the tool column of events holds it (claude-code, cursor, ...), or * for any',
  source_user_key STRING NOT NULL COMMENT 'the key the source names the person by (an email, an account uuid, an installation id); emails match case-insensitively',
  user_id         STRING NOT NULL COMMENT 'the developer directory id the key stands for',
  valid_from      DATE   NOT NULL COMMENT 'first UTC day the mapping holds, inclusive',
  valid_to        DATE            COMMENT 'last UTC day the mapping holds, inclusive; null = still current',
  source_file     STRING NOT NULL COMMENT 'identities file the row came from',
  source_line     BIGINT NOT NULL COMMENT '1-based line number in source_file (the header is line 1)',
  load_run_id     STRING NOT NULL COMMENT 'run of goodhart load-identities that stored it'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
