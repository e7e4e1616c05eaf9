-- Two ISO weeks side by side for every org: adoption, genuine adoption and padding spend, with the change.
--   ./goodhart sql -f sql/examples/compare_two_weeks.sql --var week_a=2026-11-09 --var week_b=2026-11-16
-- (week_a and week_b are the Mondays of the weeks.) Suppressed orgs show NULL, as in the BI views.
SELECT
  a.org,
  round(a.engagement_rate, 3) AS rate_a,
  round(b.engagement_rate, 3) AS rate_b,
  round(b.engagement_rate - a.engagement_rate, 3) AS rate_change,
  round(a.genuine_engagement_rate, 3) AS genuine_a,
  round(b.genuine_engagement_rate, 3) AS genuine_b,
  round(p_a.padding_cost_usd, 2) AS padding_cost_a,
  round(p_b.padding_cost_usd, 2) AS padding_cost_b
FROM ${curated}.adoption_vs_target a
JOIN ${curated}.adoption_vs_target b
  ON b.level = 'org' AND b.group_key = a.group_key AND b.week_start = DATE '${week_b}'
LEFT JOIN (SELECT org, sum(padding_cost_usd) AS padding_cost_usd FROM ${curated}.padding_by_team
           WHERE week_start = DATE '${week_a}' GROUP BY org) p_a ON p_a.org = a.org
LEFT JOIN (SELECT org, sum(padding_cost_usd) AS padding_cost_usd FROM ${curated}.padding_by_team
           WHERE week_start = DATE '${week_b}' GROUP BY org) p_b ON p_b.org = a.org
WHERE a.level = 'org' AND a.week_start = DATE '${week_a}'
ORDER BY a.org;
