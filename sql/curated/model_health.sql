-- curated.model_health: each padding model run with the size and name of its clusters, for a dashboard's
-- model panel: the part of curated.model_runs BI tools may read (no centroids, standardisation or model
-- path; cluster sizes count person-weeks across the whole company).
-- Grain: one row per (run_id, cluster_id). Key: the same.
-- Written by `goodhart bi-publish` from curated.model_runs, whole, when model_runs changed.
CREATE TABLE IF NOT EXISTS ${curated}.model_health (
  run_id        STRING    NOT NULL COMMENT 'id of the train run that trained the model',
  trained_at    TIMESTAMP NOT NULL COMMENT 'when it was trained',
  logical_date  DATE      NOT NULL COMMENT 'the date of that run',
  training_rows BIGINT    NOT NULL COMMENT 'person-weeks trained on',
  k             INT       NOT NULL COMMENT 'number of clusters chosen',
  silhouette    DOUBLE    NOT NULL COMMENT 'silhouette of the chosen k',
  cluster_id    INT       NOT NULL COMMENT 'cluster id in the model run',
  cluster_label STRING    NOT NULL COMMENT 'genuine or padding (the rule on centroids)',
  cluster_size  BIGINT    NOT NULL COMMENT 'person-weeks of the training window in the cluster',
  value_index   DOUBLE             COMMENT 'the centroid on the value features, against the population (below 0: less value)',
  waste_index   DOUBLE             COMMENT 'the centroid on the waste features, against the population (above 0: more waste)'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
