-- Why the model called person-weeks padding, most tokens first, for one week (pseudonymous ids).
--   ./goodhart sql -f sql/examples/padding_reasons.sql --var week=2026-11-16 --format csv
SELECT person_id, team_id, total_tokens, round(padding_score, 2) AS padding_score, reasons
FROM ${curated}.usage_classification
WHERE week_start = DATE '${week}' AND label = 'padding'
ORDER BY total_tokens DESC
LIMIT 25;
