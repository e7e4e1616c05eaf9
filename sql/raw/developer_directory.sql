-- raw.developer_directory: who is a developer, in which team, and since when (contract section 2).
-- Grain: one row per stint (a person who changed team has one row per team). Key: (user_id, valid_from).
-- Each `goodhart load-directory` replaces the table with the file's rows in one snapshot; earlier
-- versions stay reachable by Iceberg time travel.
CREATE TABLE IF NOT EXISTS ${raw}.developer_directory (
  user_id      STRING  NOT NULL COMMENT 'matches user_id in events',
  team_id      STRING  NOT NULL COMMENT 'stable team key',
  team_name    STRING  NOT NULL COMMENT 'display name',
  org          STRING  NOT NULL COMMENT 'organisation the team rolls up to',
  manager_id   STRING           COMMENT 'user_id of the team manager',
  is_developer BOOLEAN NOT NULL COMMENT 'only developers count in the engagement denominator',
  valid_from   DATE    NOT NULL COMMENT 'first day of the stint, inclusive',
  valid_to     DATE             COMMENT 'last day of the stint, inclusive; null = still current',
  email        STRING           COMMENT 'email address of the person in the stint; events whose email key equals it (case-insensitively) resolve to user_id',
  time_zone    STRING           COMMENT 'IANA time zone id of the person in the stint (Europe/Paris); the local clock of the off-hours and weekend features',
  source_file  STRING  NOT NULL COMMENT 'directory file the row came from',
  source_line  BIGINT  NOT NULL COMMENT '1-based line number in source_file (the header is line 1)',
  load_run_id  STRING  NOT NULL COMMENT 'run of goodhart load-directory that stored it'
)
USING iceberg
TBLPROPERTIES ('format-version' = '2');
