-- goodhart bench, peer comparison: one week's engagement per team, exactly as the contract defines it
-- (docs/contract.md sections 3-4), in SQL that Spark SQL and DuckDB both run unchanged.
-- Reads two views the bench creates over Parquet exported from the lake:
--   bench_events(event_id, event_time, user_id, input_tokens, output_tokens): event_time is the wall
--     clock of the reporting time zone (TIMESTAMP without zone), so CAST(... AS DATE) is the reporting day;
--   bench_directory(user_id, team_id, is_developer, valid_from, valid_to);
--   bench_daily(user_id, tool, day, active): the rows of raw.usage_daily; a row's UTC day is its reporting day.
-- Engaged: an eligible developer with an event or an active daily row attributed to the team in the week,
-- counted once. user_id is read as stored: the bench's lake names people by their directory id.
-- ${week_start} is the Monday, ${week_end} the Sunday, ${next_week} the Monday after.
-- goodhart's curated.team_weekly_engagement (level = 'team') must hold the same figures for the week.
WITH week_events AS (
  SELECT user_id, input_tokens + output_tokens AS tokens, CAST(event_time AS DATE) AS event_date
  FROM bench_events
  WHERE event_time >= TIMESTAMP '${week_start} 00:00:00' AND event_time < TIMESTAMP '${next_week} 00:00:00'
),
attributed AS (
  SELECT e.user_id, e.tokens, COALESCE(d.team_id, 'unassigned') AS team_id
  FROM week_events e
  LEFT JOIN bench_directory d
    ON e.user_id = d.user_id AND e.event_date >= d.valid_from AND (d.valid_to IS NULL OR e.event_date <= d.valid_to)
),
eligible AS (
  SELECT DISTINCT team_id, user_id
  FROM bench_directory
  WHERE is_developer AND valid_from <= DATE '${week_end}' AND (valid_to IS NULL OR valid_to >= DATE '${week_start}')
),
daily_attributed AS (
  SELECT w.user_id, COALESCE(d.team_id, 'unassigned') AS team_id
  FROM bench_daily w
  LEFT JOIN bench_directory d
    ON w.user_id = d.user_id AND w.day >= d.valid_from AND (d.valid_to IS NULL OR w.day <= d.valid_to)
  WHERE w.active AND w.day >= DATE '${week_start}' AND w.day <= DATE '${week_end}'
),
active AS (
  SELECT team_id, user_id FROM attributed
  UNION
  SELECT team_id, user_id FROM daily_attributed
),
people AS (
  SELECT el.team_id, COUNT(*) AS eligible_developers, COUNT(a.user_id) AS engaged_developers
  FROM eligible el LEFT JOIN active a ON a.team_id = el.team_id AND a.user_id = el.user_id
  GROUP BY el.team_id
),
volume AS (
  SELECT team_id, COUNT(*) AS events, SUM(tokens) AS total_tokens FROM attributed GROUP BY team_id
)
SELECT
  COALESCE(p.team_id, v.team_id) AS team_id,
  COALESCE(p.eligible_developers, 0) AS eligible_developers,
  COALESCE(p.engaged_developers, 0) AS engaged_developers,
  CASE WHEN p.eligible_developers > 0 THEN CAST(p.engaged_developers AS DOUBLE) / p.eligible_developers END AS engagement_rate,
  COALESCE(v.events, 0) AS events,
  COALESCE(v.total_tokens, 0) AS total_tokens
FROM people p FULL OUTER JOIN volume v ON p.team_id = v.team_id
ORDER BY team_id
