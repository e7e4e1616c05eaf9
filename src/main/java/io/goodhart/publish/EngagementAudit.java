package io.goodhart.publish;

import static org.apache.spark.sql.functions.col;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.privacy.GroupSuppression;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The checks the BI engagement rows must pass before they are written, on exactly the rows to be written:
 * a suppressed row shows no figure; a published row is a group of at least the minimum size; and, week by
 * week, no published parent (company, org) has exactly one suppressed child and no suppressed org has all
 * its teams published -- the two ways a difference of published figures would give a suppressed one away.
 */
final class EngagementAudit {
  private EngagementAudit() {}

  static List<String> findings(Dataset<Row> staged, int minGroupSize) {
    List<String> findings = new ArrayList<>();
    Column anyFigure = null;
    for (String figure : concat(PublishedEngagement.FIGURES, PublishedEngagement.CHANGES)) {
      anyFigure = anyFigure == null ? col(figure).isNotNull() : anyFigure.or(col(figure).isNotNull());
    }
    long leaking = staged.filter(col("suppressed").and(anyFigure)).count();
    if (leaking > 0) {
      findings.add(String.format("%,d suppressed row(s) show a figure", leaking));
    }
    Map<LocalDate, List<Row>> weeks = new TreeMap<>();
    for (Row r : staged.select("week_start", "level", "group_key", "org", "suppressed", "eligible_developers",
        "active_people").collectAsList()) {
      weeks.computeIfAbsent(r.getDate(0).toLocalDate(), w -> new ArrayList<>()).add(r);
    }
    weeks.forEach((week, rows) -> {
      String label = ReportingCalendar.weekLabel(week);
      Map<String, Boolean> hidden = new LinkedHashMap<>();
      Map<String, List<String>> children = new LinkedHashMap<>();
      for (Row r : rows) {
        String level = r.getString(1);
        String key = r.getString(2);
        boolean suppressed = r.getBoolean(4);
        hidden.put(GroupSuppression.id(level, key), suppressed);
        if (!suppressed) {
          long size = PublishedEngagement.size(key, r.isNullAt(5) ? 0 : r.getLong(5), r.isNullAt(6) ? null : r.getLong(6));
          if (size < minGroupSize) {
            findings.add(String.format("week %s: %s %s is published with %d people, fewer than %d", label, level, key,
                size, minGroupSize));
          }
        }
        if (level.equals(GroupSuppression.ORG)) {
          children.computeIfAbsent(GroupSuppression.id(GroupSuppression.COMPANY, "all"), p -> new ArrayList<>())
              .add(GroupSuppression.id(level, key));
        } else if (level.equals(GroupSuppression.TEAM)) {
          children.computeIfAbsent(GroupSuppression.id(GroupSuppression.ORG, String.valueOf(r.getString(3))),
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
