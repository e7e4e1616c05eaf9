-- curated_private.daily_outcomes: what each person's AI tool produced and how they received it, per
-- reporting-calendar day: lines of code, commits, pull requests, sessions, cost and tokens from the tools'
-- sum metrics (raw.metric_points), and human turns and tool decisions from their telemetry events
-- (raw.interaction_events), and suggestions, acceptances and kept lines from the tools' daily per-user reports
-- (raw.usage_daily: amazon-q, copilot, cursor). The outcomes the features and the honest leaderboard can weigh
-- usage against: volume without outcome is what padding looks like.
-- Grain: one row per (day, user_id, tool) with a metric amount, an event, or a daily report row with activity
-- or a count. Key: (day, user_id, tool).
-- A metric point's amount belongs to the day of its point_time: a delta point counts as delivered; a
-- cumulative point counts its value less the previous point of the same stream and start (from whatever
-- delivery it came), the first point of a start counting from 0 (a new start_time is a reset).
-- A daily report row counts on its UTC day, which is its reporting day (docs/contract.md, section 4).
-- The report_* figures are kept apart from the Claude Code ones: a report's kept lines are AI lines the person
-- accepted and kept, close to but not the same count as lines_of_code.count type added (lines the tool wrote
-- whose edit the person accepted), and its acceptances are accepted suggestions, not edit-tool decisions.
-- user_id is the directory person the keys of the points, events and report rows resolve to.
-- Written by `goodhart outcomes`, a whole week at a time (write-audit-publish on an Iceberg branch).
-- Per person, for the data team only (namespace goodhart.namespace.private).
CREATE TABLE IF NOT EXISTS ${curated_private}.daily_outcomes (
  day                               DATE      NOT NULL COMMENT 'day of the points and events (reporting time zone); for a daily report row, its UTC day',
  week_start                        DATE      NOT NULL COMMENT 'Monday of the ISO week of day',
  user_id                           STRING    NOT NULL COMMENT 'the person: the directory user_id the keys of the points, events and report rows resolve to',
  tool                              STRING    NOT NULL COMMENT 'product that emitted them, lower-case (claude-code; amazon-q, copilot, cursor from daily reports)',
  lines_added                       BIGINT    NOT NULL COMMENT 'claude_code.lines_of_code.count, type added',
  lines_removed                     BIGINT    NOT NULL COMMENT 'claude_code.lines_of_code.count, type removed',
  commits                           BIGINT    NOT NULL COMMENT 'claude_code.commit.count',
  pull_requests                     BIGINT    NOT NULL COMMENT 'claude_code.pull_request.count',
  sessions                          BIGINT    NOT NULL COMMENT 'claude_code.session.count: sessions started',
  cost_usd                          DOUBLE    NOT NULL COMMENT 'claude_code.cost.usage: an estimate by the tool in USD, not the bill',
  active_seconds                    DOUBLE    NOT NULL COMMENT 'claude_code.active_time.total, in seconds',
  edit_accepts                      BIGINT    NOT NULL COMMENT 'claude_code.code_edit_tool.decision, decision accept',
  edit_rejects                      BIGINT    NOT NULL COMMENT 'claude_code.code_edit_tool.decision, decision reject',
  metric_input_tokens               BIGINT    NOT NULL COMMENT 'claude_code.token.usage, type input: input tokens not read from or written to a cache (Anthropic counts those apart)',
  metric_output_tokens              BIGINT    NOT NULL COMMENT 'claude_code.token.usage, type output',
  metric_cache_read_tokens          BIGINT    NOT NULL COMMENT 'claude_code.token.usage, type cacheRead',
  metric_cache_creation_tokens      BIGINT    NOT NULL COMMENT 'claude_code.token.usage, type cacheCreation',
  metric_points                     BIGINT    NOT NULL COMMENT 'metric points whose amount belongs to the day',
  human_turns                       BIGINT    NOT NULL COMMENT 'user_prompt events: prompts a person typed',
  tool_decisions_accepted_by_person BIGINT    NOT NULL COMMENT 'tool_decision accept whose source is not config: a person let the tool act',
  tool_decisions_auto_accepted      BIGINT    NOT NULL COMMENT 'tool_decision accept with source config: allowed by configuration, no person asked',
  tool_decisions_rejected           BIGINT    NOT NULL COMMENT 'tool_decision reject',
  tool_results                      BIGINT    NOT NULL COMMENT 'tool_result events',
  tool_failures                     BIGINT    NOT NULL COMMENT 'tool_result events with success false',
  api_errors                        BIGINT    NOT NULL COMMENT 'api_error events',
  report_suggestions                BIGINT             COMMENT 'raw.usage_daily.suggestions: suggestions and generations shown, by the daily report of the tool; 0 for the other rows, null in rows written before the column existed',
  report_acceptances                BIGINT             COMMENT 'raw.usage_daily.acceptances: suggestions and generations the person accepted, by the daily report; 0 for the other rows, null in rows written before the column existed',
  report_lines_kept                 BIGINT             COMMENT 'raw.usage_daily.lines_kept: lines of AI code the person kept, by the daily report (per source: docs/contract.md, section 7); 0 for the other rows, null in rows written before the column existed'
)
USING iceberg
PARTITIONED BY (week_start)
TBLPROPERTIES ('format-version' = '2', 'write.parquet.compression-codec' = 'zstd');
