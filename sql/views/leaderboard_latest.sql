-- curated.leaderboard_latest: the raw token leaderboard beside the honest one, as of the latest snapshot.
-- Grain: one row per person on the latest snapshot. Key: person_id. People appear by pseudonym only.
-- honest_rank_shift > 0: higher on the honest board (genuine use), < 0: lower (padding discounted).
CREATE OR REPLACE VIEW ${curated}.leaderboard_latest AS
SELECT
  l.snapshot_date,
  l.iso_week,
  l.snapshot_kind,
  l.rank,
  l.person_id,
  l.team_name,
  l.total_tokens,
  l.rank_change,
  l.label,
  l.padding_score,
  l.honest_rank,
  l.honest_tokens,
  l.honest_rank_shift
FROM ${curated}.leaderboard_snapshots l
WHERE l.snapshot_date = (SELECT max(snapshot_date) FROM ${curated}.leaderboard_snapshots)
