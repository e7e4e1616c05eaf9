package io.goodhart.directory;

import java.time.LocalDate;

/** One row of the developer directory (contract section 2): a person's stint in one team. */
public record DirectoryStint(
    String userId,
    String teamId,
    String teamName,
    String org,
    String managerId,
    boolean isDeveloper,
    LocalDate validFrom,
    LocalDate validTo,
    long sourceLine) {

  /** The columns that say what a stint is (lineage columns aside): two directories differ only in these. */
  public static final String[] COLUMNS =
      {"user_id", "team_id", "team_name", "org", "manager_id", "is_developer", "valid_from", "valid_to"};

  /** Whether the two stints share at least one day (an open end runs forever). */
  boolean overlaps(DirectoryStint other) {
    LocalDate end = validTo == null ? LocalDate.MAX : validTo;
    LocalDate otherEnd = other.validTo == null ? LocalDate.MAX : other.validTo;
    return !validFrom.isAfter(otherEnd) && !other.validFrom.isAfter(end);
  }
}
