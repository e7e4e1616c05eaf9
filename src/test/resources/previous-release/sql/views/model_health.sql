-- curated.model_health: each padding model run with the size and name of its clusters, for a dashboard's
-- model panel. Grain: one row per (run_id, cluster_id). Key: the same.
CREATE OR REPLACE VIEW ${curated}.model_health AS
SELECT
  m.run_id,
  m.trained_at,
  m.logical_date,
  m.training_rows,
  m.k,
  m.silhouette,
  c.id AS cluster_id,
  c.label AS cluster_label,
  c.size AS cluster_size,
  c.value_index,
  c.waste_index
FROM ${curated}.model_runs m
LATERAL VIEW explode(m.clusters) exploded AS c
