package io.goodhart.publish;

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
 * a suppressed row shows no figure; a published row is a group of at least the minimum size; and, week by
 * week, no published parent (company, org) has exactly one suppressed child and no suppressed org has all
 * its teams published -- the two ways a difference of published figures would give a suppressed one away.
 */
final class EngagementAudit {
  private EngagementAudit() {}

  static List<String> findings(List<Row> staged, int minGroupSize) {
    List<String> findings = new ArrayList<>();
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
    if (leaking > 0) {
      findings.add(String.format("%,d suppressed row(s) show a figure", leaking));
    }
    Map<LocalDate, List<Row>> weeks = new TreeMap<>();
    for (Row r : staged) {
      weeks.computeIfAbsent(r.getDate(r.fieldIndex("week_start")).toLocalDate(), w -> new ArrayList<>()).add(r);
    }
    weeks.forEach((week, rows) -> {
      String label = ReportingCalendar.weekLabel(week);
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
            findings.add(String.format("week %s: %s %s is published with %d people, fewer than %d", label, level, key,
                size, minGroupSize));
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
          findings.add(String.format("week %s: %s is published with exactly one suppressed part, which it and the "
              + "other parts would give away", label, parent));
        }
        if (parentHidden && hiddenKids == 0 && parent.startsWith(GroupSuppression.ORG + "/")) {
          findings.add(String.format("week %s: %s is suppressed but every team of it is published (their sum)",
              label, parent));
        }
      });
    });
    return findings;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
