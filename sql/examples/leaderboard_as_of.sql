-- What the leaderboard showed on a past night, exactly as it was then: Iceberg time travel to the
-- snapshot the leaderboard job of that night committed (curated.job_runs records it).
--   ./goodhart sql -f sql/examples/leaderboard_as_of.sql --var night=2026-11-18
-- First, the snapshot that night's run published:
SELECT run_id, ended_at, snapshot_ids['${catalog}.${curated}.leaderboard_snapshots'] AS snapshot_id
FROM ${curated}.job_runs
WHERE job = 'leaderboard' AND status = 'succeeded' AND logical_date = DATE '${night}'
ORDER BY ended_at DESC
LIMIT 1;

-- Then the board as it stood when that night's run ended (TIMESTAMP AS OF works on any Iceberg table;
-- VERSION AS OF <snapshot_id> pins the exact snapshot printed above):
SELECT rank, person_id, team_name, total_tokens, honest_rank, label
FROM ${curated}.leaderboard_snapshots TIMESTAMP AS OF (
  SELECT max(ended_at) FROM ${curated}.job_runs
  WHERE job = 'leaderboard' AND status = 'succeeded' AND logical_date = DATE '${night}')
WHERE snapshot_date = DATE '${night}'
ORDER BY rank
LIMIT 20;
