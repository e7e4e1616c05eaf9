-- What the leaderboard of a night showed at a past moment, exactly as the lake held it then (Iceberg time
-- travel; times are UTC).
--   ./goodhart sql -f sql/examples/leaderboard_as_of.sql --var night=2026-11-22 --var as_of='2026-11-25 12:20:00'
-- (Time travel is for the data team's `goodhart sql`; the BI endpoint refuses it, see docs/security.md.)
-- 1. The runs that published that night's board for BI readers (bi-publish) and the snapshot each wrote;
--    `VERSION AS OF <snapshot_id>` in place of TIMESTAMP AS OF below pins one of them exactly.
SELECT run_id, ended_at, snapshot_ids['${catalog}.${curated}.leaderboard_snapshots'] AS snapshot_id
FROM ${curated}.job_runs
WHERE job = 'bi-publish' AND status = 'succeeded' AND logical_date = DATE '${night}'
  AND snapshot_ids['${catalog}.${curated}.leaderboard_snapshots'] IS NOT NULL
ORDER BY ended_at;

-- 2. That night's board as it stood at as_of: later re-rankings (late events) are not in it.
SELECT rank, person_id, team_name, total_tokens, honest_rank, label
FROM ${curated}.leaderboard_snapshots TIMESTAMP AS OF '${as_of}'
WHERE snapshot_date = DATE '${night}'
ORDER BY rank
LIMIT 10;
