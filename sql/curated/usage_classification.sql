-- curated.usage_classification: the padding model verdict on each person-week, with its reasons.
-- BI-facing copy of curated_private.usage_classification: the same rows and columns with the directory id replaced by
-- person_id, a keyed pseudonym (io.goodhart.privacy.Pseudonyms), and the team columns null where the team is
-- suppressed. Written by `goodhart bi-publish` from the private table, the weeks that changed, in one commit.
-- Grain: one row per (week_start, person_id) with events. Key: (week_start, person_id).
-- label is the name of the nearest cluster (genuine or padding, named by the rule on centroids, see
-- docs/padding-model.md), padding_score the soft membership of the padding clusters. Person-weeks with fewer requests
-- than the model minimum are genuine with score 0 and say so. model_run_id leads to curated.model_runs,
-- whose saved model re-scores the same rows with `goodhart score --model-run`; it is `none` when no model
-- could be trained yet.
CREATE TABLE IF NOT EXISTS ${curated}.usage_classification (
  week_start    DATE          NOT NULL COMMENT 'Monday of the ISO week (reporting time zone)',
  iso_week      STRING        NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  person_id     STRING        NOT NULL COMMENT 'pseudonymous id of the person: p_ + 16 hex digits of HMAC-SHA256(key, user_id), the same in every BI table; in a week where the team of the person is suppressed, a pseudonym of that week alone that links to no other week',
  team_id       STRING                 COMMENT 'team of the last event of the week; null when the figures of the team are suppressed that week (see curated.team_weekly_engagement), so that counting rows per team cannot rebuild them',
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
