package io.goodhart.privacy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which groups of one week BI readers may not see figures for, so that no published figure, and no
 * difference of published figures, gives away the figure of a group smaller than the minimum group size.
 *
 * <p>Groups form a tree: the company, its orgs, each org's teams. A parent's additive figures (events,
 * tokens, cost) are the sum of its children's, and its head counts nearly so, so hiding one child alone
 * protects nothing: the parent minus its visible children is that child. Hence:
 * <ol>
 *   <li><b>small groups</b>: a group of fewer than {@code minGroupSize} people is suppressed;</li>
 *   <li><b>complementary suppression</b>: where a visible parent has exactly one suppressed child, its
 *       smallest visible child (fewest people, then the lowest key) is suppressed too, so the difference
 *       is the sum of two hidden groups; a visible parent with a single child, itself hidden, is
 *       suppressed instead;</li>
 *   <li><b>no hidden parent equals its visible children</b>: a suppressed org whose teams are all
 *       visible would be their sum, so its smallest team is suppressed too.</li>
 * </ol>
 * The rules are applied until nothing changes. The choice is deterministic: the same groups and sizes
 * give the same suppressed set whenever and wherever it is computed, so every BI table built from the same
 * week agrees on it.
 */
public final class GroupSuppression {
  public static final String COMPANY = "company";
  public static final String ORG = "org";
  public static final String TEAM = "team";

  /** Why a group's figures are withheld. */
  public enum Reason {
    SMALL_GROUP("fewer people than the minimum group size"),
    PROTECTS_ANOTHER("withheld so that a smaller group's figures cannot be computed from the others");

    private final String words;

    Reason(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /**
   * One group of a week: its level, its key ({@code all} for the company, the org for an org, the team id
   * for a team), the org a team belongs to (null otherwise) and its size in people.
   */
  public record Group(String level, String key, String org, long size) {
    public Group {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(key, "key");
      if (!level.equals(COMPANY) && !level.equals(ORG) && !level.equals(TEAM)) {
        throw new IllegalArgumentException("unknown group level " + level);
      }
    }

    String id() {
      return level + "/" + key;
    }
  }

  private GroupSuppression() {}

  /**
   * The suppressed groups of one week, keyed by {@code level + "/" + key}, with the reason. Groups not in
   * the map are published.
   */
  public static Map<String, Reason> decide(List<Group> week, int minGroupSize) {
    Map<String, Reason> suppressed = new LinkedHashMap<>();
    Group company = null;
    Map<String, Group> orgs = new LinkedHashMap<>();
    Map<String, List<Group>> teamsOf = new LinkedHashMap<>();
    for (Group g : week) {
      if (g.size() < minGroupSize) {
        suppressed.put(g.id(), Reason.SMALL_GROUP);
      }
      switch (g.level()) {
        case COMPANY -> company = g;
        case ORG -> orgs.put(g.key(), g);
        default -> teamsOf.computeIfAbsent(String.valueOf(g.org()), o -> new ArrayList<>()).add(g);
      }
    }
    List<Parent> parents = new ArrayList<>();
    if (company != null) {
      parents.add(new Parent(company, List.copyOf(orgs.values())));
    }
    for (Group org : orgs.values()) {
      parents.add(new Parent(org, teamsOf.getOrDefault(org.key(), List.of())));
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Parent p : parents) {
        if (p.children().isEmpty()) {
          continue;
        }
        List<Group> hidden = p.children().stream().filter(c -> suppressed.containsKey(c.id())).toList();
        List<Group> visible = smallestFirst(p.children().stream().filter(c -> !suppressed.containsKey(c.id())).toList());
        if (!suppressed.containsKey(p.group().id()) && hidden.size() == 1) {
          Group cover = visible.isEmpty() ? p.group() : visible.get(0);
          suppressed.put(cover.id(), Reason.PROTECTS_ANOTHER);
          changed = true;
        } else if (suppressed.containsKey(p.group().id()) && hidden.isEmpty() && p.group().level().equals(ORG)) {
          suppressed.put(visible.get(0).id(), Reason.PROTECTS_ANOTHER);
          changed = true;
        }
      }
    }
    return suppressed;
  }

  private record Parent(Group group, List<Group> children) {}

  private static List<Group> smallestFirst(List<Group> groups) {
    return groups.stream().sorted(Comparator.comparingLong(Group::size).thenComparing(Group::key)).toList();
  }

  /** The key {@link #decide} uses for a group. */
  public static String id(String level, String key) {
    return level + "/" + key;
  }
}
