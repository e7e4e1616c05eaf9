-- goodhart bench, peer comparison: one week's raw token leaderboard as the contract defines it
-- (docs/contract.md section 4: total tokens = input + output, highest first, ties by
-- user_id ascending), in SQL that Spark SQL and DuckDB both run unchanged, over the bench_events view
-- described in team_engagement.sql. goodhart's curated_private.leaderboard_snapshots must hold the same
-- ranking for the snapshot of the week's Sunday.
SELECT
  ROW_NUMBER() OVER (ORDER BY SUM(input_tokens + output_tokens) DESC, user_id ASC) AS board_rank,
  user_id,
  SUM(input_tokens + output_tokens) AS total_tokens,
  COUNT(*) AS events
FROM bench_events
WHERE event_time >= TIMESTAMP '${week_start} 00:00:00' AND event_time < TIMESTAMP '${next_week} 00:00:00'
GROUP BY user_id
ORDER BY board_rank
