package io.goodhart.directory;

import java.time.LocalDate;

/**
 * One row of the developer directory (contract section 2): a person's stint in one team, with their email
 * address and time zone in it when the directory gives them (null otherwise).
 */
public record DirectoryStint(
    String userId,
    String teamId,
    String teamName,
    String org,
    String managerId,
    boolean isDeveloper,
    LocalDate validFrom,
    LocalDate validTo,
    String email,
    String timeZone,
    long sourceLine) {

  /**
   * The columns that say what a stint is (lineage columns aside): two directories differ only in these. The
   * email resolves people and the time zone sets their clock, so a change of either changes figures too.
   */
  public static final String[] COLUMNS =
      {"user_id", "team_id", "team_name", "org", "manager_id", "is_developer", "valid_from", "valid_to", "email",
          "time_zone"};

  /** A stint without email address or time zone. */
  public DirectoryStint(String userId, String teamId, String teamName, String org, String managerId,
      boolean isDeveloper, LocalDate validFrom, LocalDate validTo, long sourceLine) {
    this(userId, teamId, teamName, org, managerId, isDeveloper, validFrom, validTo, null, null, sourceLine);
  }

  /** Whether the two stints share at least one day (an open end runs forever). */
  boolean overlaps(DirectoryStint other) {
    LocalDate end = validTo == null ? LocalDate.MAX : validTo;
    LocalDate otherEnd = other.validTo == null ? LocalDate.MAX : other.validTo;
    return !validFrom.isAfter(otherEnd) && !other.validFrom.isAfter(end);
  }
}
