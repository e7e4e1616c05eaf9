package io.goodhart.erasure;

import io.goodhart.lake.LakeTables;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the lake holds something about a person, table by table, and how {@code goodhart forget} reaches it.
 * Every table of the lake is listed, those that hold nothing about anyone with why; a test fails when a table
 * is added to the lake without an entry here.
 */
public final class PersonData {
  /** How a table holds a person. */
  public enum Holds {
    /** Rows of the person, found by their directory id in a column: deleted. */
    ROWS_BY_USER_ID,
    /**
     * Raw telemetry of the person, found by their directory id in {@code user_id} or by any key of theirs among
     * the values of {@code person_keys} (the source keys their {@code raw.identities} rows map, and their
     * directory emails, case-insensitively): deleted.
     */
    ROWS_BY_PERSON_KEYS,
    /** Rows of the person, found by their pseudonym in {@code person_id}: deleted. */
    ROWS_BY_PSEUDONYM,
    /**
     * Rejected lines: those of the person's events, or whose text holds their id, or a key of theirs (as for
     * {@link #ROWS_BY_PERSON_KEYS}), as a JSON string: deleted.
     */
    REJECTED_LINES,
    /** Figures of groups the person counted in: recomputed for the affected weeks by the jobs that write them. */
    GROUP_FIGURES,
    /** Free text (error messages) that may quote an id: the id is replaced. */
    TEXT,
    /** Nothing about any one person. */
    NOTHING
  }

  /** One table: how it holds a person, by which column, and why (said in docs and in the test). */
  public record Entry(String table, Holds holds, String column, String why) {}

  private PersonData() {}

  public static List<Entry> of(LakeTables t) {
    List<Entry> e = new ArrayList<>();
    e.add(new Entry(t.usageEvents(), Holds.ROWS_BY_PERSON_KEYS, "user_id", "the person's usage events"));
    e.add(new Entry(t.usageEventsRejected(), Holds.REJECTED_LINES, "raw_line", "lines of the person's that broke the contract"));
    e.add(new Entry(t.interactionEvents(), Holds.ROWS_BY_PERSON_KEYS, "user_id",
        "the person's human turns, tool decisions and other telemetry events"));
    e.add(new Entry(t.metricPoints(), Holds.ROWS_BY_PERSON_KEYS, "user_id", "the person's telemetry metric points"));
    e.add(new Entry(t.usageDaily(), Holds.ROWS_BY_PERSON_KEYS, "user_id",
        "the person's days in the daily reports of Amazon Q, Copilot and Cursor"));
    e.add(new Entry(t.developerDirectory(), Holds.ROWS_BY_USER_ID, "user_id",
        "the person's stints; as manager_id of others' stints it is set to null"));
    e.add(new Entry(t.identities(), Holds.ROWS_BY_USER_ID, "user_id",
        "the source keys (emails, account and installation ids) that stand for the person"));
    e.add(new Entry(t.ingestedFiles(), Holds.NOTHING, null, "file paths, sizes and counts of lines and records"));
    e.add(new Entry(t.erasedPeople(), Holds.NOTHING, null, "keyed hashes of erased ids, which give no id back"));
    e.add(new Entry(t.jobRuns(), Holds.TEXT, "error", "an error message may quote a line's user_id"));
    e.add(new Entry(t.teamWeeklyEngagement(), Holds.GROUP_FIGURES, null, "team, org and company figures"));
    e.add(new Entry(t.userWeeklyUsage(), Holds.ROWS_BY_USER_ID, "user_id", "the person's weekly usage"));
    e.add(new Entry(t.leaderboardSnapshots(), Holds.ROWS_BY_USER_ID, "user_id", "the person's places on the boards"));
    e.add(new Entry(t.userWeeklyFeatures(), Holds.ROWS_BY_USER_ID, "user_id", "the person's weekly features"));
    e.add(new Entry(t.usageClassification(), Holds.ROWS_BY_USER_ID, "user_id", "the verdicts on the person's weeks"));
    e.add(new Entry(t.dailyOutcomes(), Holds.ROWS_BY_USER_ID, "user_id",
        "the person's daily lines of code, commits, tool decisions and other outcomes"));
    e.add(new Entry(t.unresolvedWeeklyUsage(), Holds.GROUP_FIGURES, null,
        "per tool and week, counts of requests and of unresolved keys, no key"));
    e.add(new Entry(t.auditResults(), Holds.NOTHING, null,
        "checks of whole tables by week or date: counts and sums, no id of anyone"));
    for (String privateTable : List.of(t.userWeeklyUsage(), t.leaderboardSnapshots(), t.usageClassification())) {
      e.add(new Entry(t.biCopyOf(privateTable), Holds.ROWS_BY_PSEUDONYM, "person_id", "BI copy of " + privateTable));
    }
    e.add(new Entry(t.biCopyOf(t.teamWeeklyEngagement()), Holds.GROUP_FIGURES, null,
        "BI copy of " + t.teamWeeklyEngagement() + ", republished by bi-publish"));
    e.add(new Entry(t.biCopyOf(t.unresolvedWeeklyUsage()), Holds.GROUP_FIGURES, null,
        "BI copy of " + t.unresolvedWeeklyUsage() + ", republished by bi-publish"));
    e.add(new Entry(t.sourceHealth(), Holds.NOTHING, null,
        "per input source and delivery day, counts of records received, rejected, replaced and unresolved, no key"));
    e.add(new Entry(t.modelRuns(), Holds.NOTHING, null, "model parameters: cluster centres, sizes and quality"));
    e.add(new Entry(t.modelHealth(), Holds.NOTHING, null, "per-cluster health of each model run"));
    return List.copyOf(e);
  }
}
