package io.goodhart.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The packages keep to their layers ({@link PackageGraph#LAYERS}): each belongs to one, none uses a package of a
 * higher layer, and no packages use each other in a cycle. docs/architecture.md shows the graph as it is: run
 * with {@code -Dgoodhart.docs.write=true} to rewrite its generated part.
 */
class ArchitectureTest {
  private static final Path DOC = Path.of("docs/architecture.md");

  @Test
  void everyPackageBelongsToALayer() {
    List<String> undeclared = PackageGraph.uses().keySet().stream().filter(p -> PackageGraph.layerOf(p) < 0).toList();
    assertEquals(List.of(), undeclared, "packages in no layer of PackageGraph.LAYERS");
  }

  @Test
  void noPackageUsesAHigherLayer() {
    List<String> upward = new ArrayList<>();
    PackageGraph.uses().forEach((from, used) -> used.forEach((to, classes) -> {
      if (PackageGraph.layerOf(to) > PackageGraph.layerOf(from)) {
        upward.add(from + " -> " + to + " (" + String.join(", ", classes) + ")");
      }
    }));
    assertEquals(List.of(), upward, "uses of a higher layer");
  }

  @Test
  void noPackagesUseEachOtherInACycle() {
    Map<String, Map<String, Set<String>>> graph = PackageGraph.uses();
    List<String> cycles = new ArrayList<>();
    for (String start : graph.keySet()) {
      List<String> path = cycleThrough(graph, start, start, new ArrayList<>(List.of(start)), new HashSet<>());
      if (path != null && path.stream().allMatch(p -> p.compareTo(start) >= 0)) {
        cycles.add(String.join(" -> ", path));
      }
    }
    assertEquals(List.of(), cycles, "package cycles");
  }

  private static List<String> cycleThrough(Map<String, Map<String, Set<String>>> graph, String start, String at,
      List<String> path, Set<String> seen) {
    for (String next : graph.getOrDefault(at, Map.of()).keySet()) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = cycleThrough(graph, start, next, path, seen);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }

  @Test
  void theCodeHidesNoPackageUseInCommentsOrStrings() {
    assertEquals("a   b   c ", PackageGraph.code("a /* io.goodhart.x.Y */ b \"io.goodhart.x.Y\" c // io.goodhart.x.Y\n"
        .replace("\n", "")));
    assertEquals(" x = io.goodhart.lake.LakeTables.of();", PackageGraph.code(" x = io.goodhart.lake.LakeTables.of();"));
  }

  @Test
  void theArchitectureDocShowsThePackagesAsTheyAre() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(PackageGraph.BEGIN);
    int end = doc.indexOf(PackageGraph.END);
    assertTrue(begin >= 0 && end > begin, DOC + " must hold the markers " + PackageGraph.BEGIN + " and " + PackageGraph.END);
    String generated = PackageGraph.markdown();
    String current = doc.substring(begin + PackageGraph.BEGIN.length(), end).strip() + "\n";
    if (Boolean.getBoolean("goodhart.docs.write")) {
      Files.writeString(DOC, doc.substring(0, begin + PackageGraph.BEGIN.length()) + "\n" + generated
          + doc.substring(end), StandardCharsets.UTF_8);
      return;
    }
    assertEquals(generated, current, DOC + " is stale: run mvn -o test -Dtest=ArchitectureTest -Dgoodhart.docs.write=true");
  }
}
