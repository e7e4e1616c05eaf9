package io.goodhart.privacy;

import static io.goodhart.privacy.GroupSuppression.Reason.PROTECTS_ANOTHER;
import static io.goodhart.privacy.GroupSuppression.Reason.SMALL_GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.privacy.GroupSuppression.Group;
import io.goodhart.privacy.GroupSuppression.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Small groups are hidden, and so is whatever would let a reader subtract their way to them. */
class GroupSuppressionTest {
  private static Group company(long size) {
    return new Group("company", "all", null, size);
  }

  private static Group org(String name, long size) {
    return new Group("org", name, null, size);
  }

  private static Group team(String id, String org, long size) {
    return new Group("team", id, org, size);
  }

  @Test
  void nothingIsHiddenWhenEveryGroupIsLargeEnough() {
    assertEquals(Map.of(), GroupSuppression.decide(List.of(company(30), org("A", 30), team("t1", "A", 10),
        team("t2", "A", 20)), 5));
  }

  @Test
  void anOrgWithExactlyOneSmallTeamAlsoHidesItsSmallestOtherTeam() {
    Map<String, Reason> hidden = GroupSuppression.decide(List.of(company(40), org("A", 40),
        team("t1", "A", 3), team("t2", "A", 12), team("t3", "A", 9), team("t4", "A", 16)), 5);
    assertEquals(Map.of("team/t1", SMALL_GROUP, "team/t3", PROTECTS_ANOTHER), hidden);
  }

  @Test
  void twoSmallTeamsInOneOrgCoverEachOther() {
    Map<String, Reason> hidden = GroupSuppression.decide(List.of(company(40), org("A", 40),
        team("t1", "A", 3), team("t2", "A", 2), team("t3", "A", 35)), 5);
    assertEquals(Map.of("team/t1", SMALL_GROUP, "team/t2", SMALL_GROUP), hidden);
  }

  @Test
  void aSmallOrgIsCoveredByAnotherOrgAndOneOfThatOrgsTeams() {
    // A is small, so are its teams; the company minus B and C would be A, so B (the smaller) goes too,
    // and B minus nothing would be its teams' sum, so its smallest team goes as well.
    Map<String, Reason> hidden = GroupSuppression.decide(List.of(company(53), org("A", 3), org("B", 20), org("C", 30),
        team("a1", "A", 3), team("b1", "B", 8), team("b2", "B", 12), team("c1", "C", 30)), 5);
    assertEquals(Map.of("org/A", SMALL_GROUP, "team/a1", SMALL_GROUP, "org/B", PROTECTS_ANOTHER,
        "team/b1", PROTECTS_ANOTHER), hidden);
  }

  @Test
  void anOrgOfOneTeamThatMustBeHiddenHidesItsTeam() {
    Map<String, Reason> hidden = GroupSuppression.decide(List.of(company(40), org("unassigned", 2), org("B", 18),
        org("C", 20), team("unassigned", "unassigned", 2), team("b1", "B", 18), team("c1", "C", 10),
        team("c2", "C", 10)), 5);
    assertEquals(Map.of("org/unassigned", SMALL_GROUP, "team/unassigned", SMALL_GROUP, "org/B", PROTECTS_ANOTHER,
        "team/b1", PROTECTS_ANOTHER), hidden);
  }

  @Test
  void aParentWhoseOnlyChildIsHiddenIsHiddenToo() {
    Map<String, Reason> hidden = GroupSuppression.decide(List.of(company(6), org("A", 6), team("t1", "A", 3)), 5);
    assertEquals(Map.of("team/t1", SMALL_GROUP, "org/A", PROTECTS_ANOTHER, "company/all", PROTECTS_ANOTHER), hidden);
  }

  @Test
  void tiesAreBrokenByKeySoTheChoiceIsTheSameEveryTime() {
    List<Group> week = new ArrayList<>(List.of(company(40), org("A", 40), team("t1", "A", 2), team("t9", "A", 9),
        team("t3", "A", 9), team("t5", "A", 20)));
    Map<String, Reason> first = GroupSuppression.decide(week, 5);
    java.util.Collections.reverse(week);
    assertEquals(first, GroupSuppression.decide(week, 5));
    assertEquals(PROTECTS_ANOTHER, first.get("team/t3"));
  }

  /**
   * On many random company trees: no visible parent has exactly one hidden child, and no hidden org has all
   * its teams visible, so no difference of visible figures isolates one hidden group.
   */
  @Test
  void noVisibleParentEverHasExactlyOneHiddenChild() {
    Random random = new Random(20261130L);
    for (int round = 0; round < 2_000; round++) {
      List<Group> week = new ArrayList<>();
      int orgs = 1 + random.nextInt(5);
      long companySize = 0;
      List<Group> orgGroups = new ArrayList<>();
      for (int o = 0; o < orgs; o++) {
        long orgSize = 0;
        int teams = 1 + random.nextInt(5);
        for (int t = 0; t < teams; t++) {
          long size = random.nextInt(12);
          orgSize += size;
          week.add(team("t" + o + "_" + t, "o" + o, size));
        }
        orgGroups.add(org("o" + o, orgSize));
        companySize += orgSize;
      }
      week.addAll(orgGroups);
      week.add(company(companySize));
      Map<String, Reason> hidden = GroupSuppression.decide(week, 5);
      for (Group g : week) {
        if (g.size() < 5) {
          assertEquals(SMALL_GROUP, hidden.get(GroupSuppression.id(g.level(), g.key())), "round " + round + ": " + g);
        }
      }
      long hiddenOrgs = orgGroups.stream().filter(o -> hidden.containsKey("org/" + o.key())).count();
      if (!hidden.containsKey("company/all")) {
        assertNotEquals(1L, hiddenOrgs, "round " + round + ": the company shows one hidden org " + hidden);
      }
      for (Group o : orgGroups) {
        List<Group> teams = week.stream().filter(g -> g.level().equals("team") && o.key().equals(g.org())).toList();
        long hiddenTeams = teams.stream().filter(t -> hidden.containsKey("team/" + t.key())).count();
        if (!hidden.containsKey("org/" + o.key())) {
          assertNotEquals(1L, hiddenTeams, "round " + round + ": org " + o.key() + " shows one hidden team " + hidden);
        } else {
          assertTrue(hiddenTeams >= 1, "round " + round + ": hidden org " + o.key() + " is the sum of its visible teams");
        }
      }
    }
  }
}
