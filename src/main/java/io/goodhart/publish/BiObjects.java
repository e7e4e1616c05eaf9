package io.goodhart.publish;

import java.util.List;

/**
 * What BI readers may list and read: the tables {@code goodhart bi-publish} writes into the curated
 * namespace under the publication rules ({@link BiPublishJob}), and the views of {@code sql/views/}, which
 * read only those tables. Every other object of the lake -- raw, private, and the operational tables
 * {@code job_runs} and {@code model_runs} that share the curated namespace -- is not for BI. A test fails
 * when the curated namespace holds a table that is in neither list.
 */
public final class BiObjects {
  /** Tables of the curated namespace written under the publication rules, by name. */
  public static final List<String> TABLES = List.of(
      "team_weekly_engagement", "user_weekly_usage", "usage_classification", "leaderboard_snapshots", "model_health",
      "unresolved_weekly_usage", "source_health");

  /** Tables of the curated namespace that are for the data team and operations, not for BI readers. */
  public static final List<String> NOT_FOR_BI = List.of("job_runs", "model_runs");

  private BiObjects() {}

  /** The BI views, by name. */
  public static List<String> views() {
    return BiViews.SCRIPTS.stream()
        .map(s -> s.substring(s.lastIndexOf('/') + 1, s.length() - ".sql".length()))
        .toList();
  }
}
