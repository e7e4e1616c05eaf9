-- curated_private.leaderboard_snapshots: the raw token leaderboard as it stood each night.
-- Grain: one row per (snapshot_date, user_id): one snapshot per nightly run date, ranking the week that
-- contains that date by total tokens from the week's start to the end of that date (reporting time zone),
-- counted once: the requests', and those of metric-only days (a day and tool with metric tokens and no
-- request, curated_private.daily_outcomes).
-- Key: (snapshot_date, user_id).
-- Ranking (contract section 4): total tokens, highest first, ties by user_id ascending. Beside it the
-- honest ranking, by tokens discounted with the padding score of the week of the person.
-- Snapshots are a function of the events as they happened: a late event re-ranks the snapshots of its
-- week from its day on, so history converges to the truth; what was shown on a given night stays
-- readable by Iceberg time travel (each nightly run is its own Iceberg snapshot).
-- Written by `goodhart leaderboard`, a whole week at a time (write-audit-publish on an Iceberg branch).
-- Real directory ids, for the data team only (namespace goodhart.namespace.private); BI tools read the
-- pseudonymous copy curated.leaderboard_snapshots.
CREATE TABLE IF NOT EXISTS ${curated_private}.leaderboard_snapshots (
  snapshot_date          DATE   NOT NULL COMMENT 'the nightly run date the ranking is as of (inclusive)',
  week_start             DATE   NOT NULL COMMENT 'Monday of the ranked ISO week',
  iso_week               STRING NOT NULL COMMENT 'ISO week label, e.g. 2026-W48',
  snapshot_kind          STRING NOT NULL COMMENT 'week_to_date, or final when snapshot_date is the last day of the week',
  rank                   INT    NOT NULL COMMENT '1 = most tokens',
  user_id                STRING NOT NULL COMMENT 'developer directory id',
  team_id                STRING NOT NULL COMMENT 'team of the last event up to snapshot_date; unassigned when in no stint',
  team_name              STRING NOT NULL COMMENT 'display name of that team',
  total_tokens           BIGINT NOT NULL COMMENT 'input + output tokens from week_start to snapshot_date',
  events                 BIGINT NOT NULL COMMENT 'requests from week_start to snapshot_date',
  previous_snapshot_date DATE            COMMENT 'the previous snapshot of the same week, null for the first',
  previous_rank          INT             COMMENT 'rank in that snapshot, null when not ranked then',
  rank_change            INT             COMMENT 'previous_rank - rank: positive = climbed; null when new',
  label                  STRING NOT NULL COMMENT 'padding model verdict on the week of the person (genuine when not judged)',
  padding_score          DOUBLE NOT NULL COMMENT 'padding score of that verdict, 0 to 1 (0 when not judged)',
  honest_tokens          BIGINT NOT NULL COMMENT 'total_tokens x (1 - padding_score), rounded: tokens in proportion to genuine behaviour',
  honest_rank            INT    NOT NULL COMMENT 'rank by honest_tokens, highest first, ties by user_id ascending',
  honest_rank_shift      INT    NOT NULL COMMENT 'rank - honest_rank: positive = higher on the honest board than on the raw one'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
