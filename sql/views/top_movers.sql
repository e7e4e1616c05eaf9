-- curated.top_movers: on the latest snapshot, the people whose place changes most between the raw and the
-- honest board (padding discounted), and those who moved most since the previous snapshot of the week.
-- Grain: one row per (mover_kind, person_id), at most 10 per kind. Key: (mover_kind, person_id).
CREATE OR REPLACE VIEW ${curated}.top_movers AS
WITH latest AS (
  SELECT * FROM ${curated}.leaderboard_snapshots
  WHERE snapshot_date = (SELECT max(snapshot_date) FROM ${curated}.leaderboard_snapshots)
),
honest AS (
  SELECT 'raw_vs_honest' AS mover_kind, snapshot_date, person_id, team_name, rank, honest_rank,
         honest_rank_shift AS places, label, padding_score,
         row_number() OVER (ORDER BY abs(honest_rank_shift) DESC, rank) AS mover_rank
  FROM latest WHERE honest_rank_shift <> 0
),
since_previous AS (
  SELECT 'since_previous_snapshot' AS mover_kind, snapshot_date, person_id, team_name, rank, honest_rank,
         rank_change AS places, label, padding_score,
         row_number() OVER (ORDER BY abs(rank_change) DESC, rank) AS mover_rank
  FROM latest WHERE rank_change IS NOT NULL AND rank_change <> 0
)
SELECT * FROM honest WHERE mover_rank <= 10
UNION ALL
SELECT * FROM since_previous WHERE mover_rank <= 10
