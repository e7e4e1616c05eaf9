package io.goodhart.publish;

import io.goodhart.audit.CheckKind;
import io.goodhart.audit.CheckResult;
import io.goodhart.audit.Severity;
import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.privacy.GroupSuppression;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The checks the BI engagement rows must pass before they are written, on exactly the rows to be written:
 * a suppressed row shows no figure; a published row is a group of at least the minimum size, and each of its
 * per-tool counts is at least that size; and, week by
 * week, no published parent (company, org) has exactly one suppressed child and no suppressed org has all
 * its teams published -- the two ways a difference of published figures would give a suppressed one away.
 */
final class EngagementAudit {
  private EngagementAudit() {}

  /**
   * Each check's result: the suppressed rows' figures over all rows, the rest week by week. A check that
   * fails on several groups of a week has one finding line per group.
   */
  static List<CheckResult> results(List<Row> staged, int minGroupSize) {
    List<CheckResult> results = new ArrayList<>();
    long leaking = 0;
    for (Row r : staged) {
      if (r.getBoolean(r.fieldIndex("suppressed"))) {
        for (String figure : concat(PublishedEngagement.FIGURES, PublishedEngagement.CHANGES)) {
          if (!r.isNullAt(r.fieldIndex(figure))) {
            leaking++;
            break;
          }
        }
      }
    }
    results.add(new CheckResult(NO_FIGURE, CheckKind.RANGE, Severity.ERROR, null, leaking, null, null,
        leaking > 0 ? String.format("%,d suppressed row(s) show a figure", leaking) : null));
    Map<LocalDate, List<Row>> weeks = new TreeMap<>();
    for (Row r : staged) {
      weeks.computeIfAbsent(r.getDate(r.fieldIndex("week_start")).toLocalDate(), w -> new ArrayList<>()).add(r);
    }
    weeks.forEach((week, rows) -> {
      String label = ReportingCalendar.weekLabel(week);
      List<String> small = new ArrayList<>();
      List<String> oneHidden = new ArrayList<>();
      List<String> sumOfTeams = new ArrayList<>();
      Map<String, Boolean> hidden = new LinkedHashMap<>();
      Map<String, List<String>> children = new LinkedHashMap<>();
      for (Row r : rows) {
        String level = r.getString(r.fieldIndex("level"));
        String key = r.getString(r.fieldIndex("group_key"));
        boolean suppressed = r.getBoolean(r.fieldIndex("suppressed"));
        int eligible = r.fieldIndex("eligible_developers");
        int active = r.fieldIndex("active_people");
        hidden.put(GroupSuppression.id(level, key), suppressed);
        if (!suppressed) {
          long size = PublishedEngagement.size(key, r.isNullAt(eligible) ? 0 : r.getLong(eligible),
              r.isNullAt(active) ? null : r.getLong(active));
          if (size < minGroupSize) {
            small.add(String.format("week %s: %s %s is published with %d people, fewer than %d", label, level, key,
                size, minGroupSize));
          }
          int byTool = r.fieldIndex("engaged_by_tool");
          if (!r.isNullAt(byTool)) {
            r.<String, Long>getJavaMap(byTool).forEach((tool, count) -> {
              if (count < minGroupSize) {
                small.add(String.format("week %s: %s %s is published with %d engaged developers of %s, fewer than %d",
                    label, level, key, count, tool, minGroupSize));
              }
            });
          }
        }
        if (level.equals(GroupSuppression.ORG)) {
          children.computeIfAbsent(GroupSuppression.id(GroupSuppression.COMPANY, "all"), p -> new ArrayList<>())
              .add(GroupSuppression.id(level, key));
        } else if (level.equals(GroupSuppression.TEAM)) {
          children.computeIfAbsent(GroupSuppression.id(GroupSuppression.ORG, String.valueOf(r.getString(r.fieldIndex("org")))),
              p -> new ArrayList<>()).add(GroupSuppression.id(level, key));
        }
      }
      children.forEach((parent, kids) -> {
        long hiddenKids = kids.stream().filter(k -> hidden.getOrDefault(k, true)).count();
        boolean parentHidden = hidden.getOrDefault(parent, true);
        if (!parentHidden && hiddenKids == 1) {
          oneHidden.add(String.format("week %s: %s is published with exactly one suppressed part, which it and the "
              + "other parts would give away", label, parent));
        }
        if (parentHidden && hiddenKids == 0 && parent.startsWith(GroupSuppression.ORG + "/")) {
          sumOfTeams.add(String.format("week %s: %s is suppressed but every team of it is published (their sum)",
              label, parent));
        }
      });
      results.add(groups(MIN_SIZE, label, small));
      results.add(groups(ONE_SUPPRESSED_PART, label, oneHidden));
      results.add(groups(NOT_THE_SUM_OF_TEAMS, label, sumOfTeams));
    });
    return results;
  }

  static final String NO_FIGURE = "suppressed rows show no figure";
  static final String MIN_SIZE = "published groups have the minimum size";
  static final String ONE_SUPPRESSED_PART = "no published parent has exactly one suppressed part";
  static final String NOT_THE_SUM_OF_TEAMS = "no suppressed org has every team published";

  /** A week's check of groups: the groups that break it, one finding line each. */
  private static CheckResult groups(String check, String week, List<String> breaking) {
    return new CheckResult(check, CheckKind.RANGE, Severity.ERROR, week, (long) breaking.size(), null, null,
        breaking.isEmpty() ? null : String.join("\n", breaking));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
