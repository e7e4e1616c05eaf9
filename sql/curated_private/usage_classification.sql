-- curated_private.usage_classification: the padding model verdict on each person-week, with its reasons.
-- Grain: one row per (week_start, user_id) with events. Key: (week_start, user_id).
-- label is the name of the nearest cluster (genuine or padding, named by the rule on centroids, see
-- docs/padding-model.md), padding_score the soft membership of the padding clusters. Person-weeks with fewer requests
-- than the model minimum are genuine with score 0 and say so. model_run_id leads to curated.model_runs,
-- whose saved model re-scores the same rows with `goodhart score --model-run`; it is `none` when no model
-- could be trained yet.
-- Written by `goodhart classify`, a whole week at a time (write-audit-publish on an Iceberg branch).
-- Real directory ids, for the data team only (namespace goodhart.namespace.private); BI tools read the
-- pseudonymous copy curated.usage_classification.
CREATE TABLE IF NOT EXISTS ${curated_private}.usage_classification (
  week_start    DATE          NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week      STRING        NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  user_id       STRING        NOT NULL COMMENT 'developer directory id',
  team_id       STRING        NOT NULL COMMENT 'team of the last event of the week',
  events        BIGINT        NOT NULL COMMENT 'requests in the week',
  total_tokens  BIGINT        NOT NULL COMMENT 'input + output tokens in the week',
  cluster       INT                    COMMENT 'cluster id in the model run; null when too few requests to judge',
  label         STRING        NOT NULL COMMENT 'genuine or padding',
  padding_score DOUBLE        NOT NULL COMMENT 'soft membership of the padding clusters, 0 to 1',
  reasons       ARRAY<STRING> NOT NULL COMMENT 'up to three reasons for the label, in words, with the person-week figures',
  model_run_id  STRING        NOT NULL COMMENT 'the model run (curated.model_runs) that scored the row'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
