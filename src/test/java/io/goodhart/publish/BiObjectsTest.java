package io.goodhart.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every table of the curated namespace is either published for BI, by bi-publish under the publication
 * rules, or named as operational: a table added to sql/curated/ without a decision fails here.
 */
class BiObjectsTest {
  private final LakeTables tables = new LakeTables(null, LakeConfig.resolve(null, Map.of()));

  @Test
  void everyTableOfTheCuratedNamespaceIsPublishedByTheRulesOrNotForBi() {
    String curated = tables.curatedNamespace() + ".";
    TreeSet<String> inCurated = new TreeSet<>();
    tables.all().stream().filter(t -> t.startsWith(curated)).forEach(t -> inCurated.add(t.substring(curated.length())));
    TreeSet<String> decided = new TreeSet<>(BiObjects.TABLES);
    decided.addAll(BiObjects.NOT_FOR_BI);
    assertEquals(decided, inCurated);
  }

  @Test
  void everyPublishedTableIsWrittenByBiPublishFromAPrivateTable() {
    for (String table : BiObjects.TABLES) {
      String name = tables.curatedNamespace() + "." + table;
      boolean copy = List.of(tables.teamWeeklyEngagement(), tables.userWeeklyUsage(), tables.usageClassification(),
          tables.leaderboardSnapshots(), tables.unresolvedWeeklyUsage()).stream().anyMatch(p -> name.equals(tables.biCopyOf(p)));
      assertTrue(copy || name.equals(tables.modelHealth()) || name.equals(tables.sourceHealth()),
          table + " has no publication rule in bi-publish");
    }
  }
}
