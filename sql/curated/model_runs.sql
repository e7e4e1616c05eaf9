-- curated.model_runs: every trained padding model, with what is needed to judge and reproduce it.
-- Grain: one row per training. Key: run_id. The fitted MLlib pipeline is saved under model_path.
CREATE TABLE IF NOT EXISTS ${curated}.model_runs (
  run_id          STRING        NOT NULL COMMENT 'id of the train run that trained the model',
  trained_at      TIMESTAMP     NOT NULL COMMENT 'when it was trained',
  logical_date    DATE          NOT NULL COMMENT 'the date of that run',
  window_start    DATE          NOT NULL COMMENT 'first week of the training window',
  window_end      DATE          NOT NULL COMMENT 'last week of the training window',
  training_rows   BIGINT        NOT NULL COMMENT 'person-weeks trained on (those with at least min_events requests)',
  k               INT           NOT NULL COMMENT 'number of clusters chosen',
  silhouette      DOUBLE        NOT NULL COMMENT 'silhouette of the chosen k',
  silhouette_by_k ARRAY<DOUBLE> NOT NULL COMMENT 'silhouette of each k tried, from min_k',
  min_k           INT           NOT NULL COMMENT 'smallest k tried',
  max_k           INT           NOT NULL COMMENT 'largest k tried',
  seed            BIGINT        NOT NULL COMMENT 'KMeans seed',
  min_events      INT           NOT NULL COMMENT 'person-weeks with fewer requests are not clustered',
  temperature     DOUBLE        NOT NULL COMMENT 'scale of the soft membership (mean squared distance to the own centroid)',
  features        ARRAY<STRING> NOT NULL COMMENT 'feature columns, in vector order',
  feature_means   ARRAY<DOUBLE> NOT NULL COMMENT 'standardisation means',
  feature_stds    ARRAY<DOUBLE> NOT NULL COMMENT 'standardisation standard deviations',
  clusters        ARRAY<STRUCT<id: INT, size: BIGINT, label: STRING, value_index: DOUBLE, waste_index: DOUBLE, centroid: ARRAY<DOUBLE>>> NOT NULL COMMENT 'each cluster: size, name, value and waste indices, standardised centroid',
  model_path      STRING        NOT NULL COMMENT 'where the fitted pipeline is saved'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
