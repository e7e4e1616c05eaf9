package io.goodhart.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packages of {@code io.goodhart} in the shipped source trees, the layer each belongs to, and which packages
 * each one uses (imports and fully qualified names in code; comments and string literals do not count).
 * docs/architecture.md's package diagram is written from here, and {@code ArchitectureTest} holds the code to
 * the layers.
 */
public final class PackageGraph {
  /** The source trees whose packages are layered: the product, then the launcher's tools. */
  static final List<Path> SOURCE_TREES = List.of(Path.of("src/main/java"), Path.of("src/tools/java"));

  /**
   * Layers from the bottom: a package may use packages of lower layers, and of its own layer only where that
   * makes no cycle.
   */
  public static final List<Layer> LAYERS = List.of(
      new Layer("foundation", "settings, the lake's tables and sessions, the reporting calendar",
          List.of("calendar", "lake")),
      new Layer("run support", "the job log and skeleton, audits, pseudonyms and erasure lists",
          List.of("runs", "audit", "privacy")),
      new Layer("sources", "inputs to raw tables", List.of("ingest", "directory")),
      new Layer("curated transforms", "weekly per-person and per-team figures", List.of("curated")),
      new Layer("model", "the padding model: features to verdicts", List.of("padding")),
      new Layer("publish", "what BI readers may see: suppressed tables and views", List.of("publish")),
      new Layer("serve and report", "the JDBC endpoint and the dashboard", List.of("serve", "report")),
      new Layer("operations", "the night's job graph, maintenance, erasure", List.of("nightly", "maintain", "erasure")),
      new Layer("command line", "goodhart's subcommands", List.of("cli")),
      new Layer("tools (launcher only)", "generator, evaluation, benchmark; not in the cluster jar",
          List.of("generate", "evaluation", "bench", "tools")));

  public record Layer(String name, String what, List<String> packages) {}

  private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.goodhart\\.([a-z][a-z0-9_]*)\\.");
  private static final Pattern PACKAGE = Pattern.compile("^package io\\.goodhart\\.([a-z][a-z0-9_]*)", Pattern.MULTILINE);

  private PackageGraph() {}

  /** Package → the other packages it uses, with the classes that use each, in name order. */
  public static Map<String, Map<String, Set<String>>> uses() {
    Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
    for (Path tree : SOURCE_TREES) {
      if (!Files.isDirectory(tree)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(tree)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
          String source = Files.readString(file, StandardCharsets.UTF_8);
          Matcher own = PACKAGE.matcher(source);
          if (!own.find()) {
            continue;
          }
          String from = own.group(1);
          Map<String, Set<String>> used = graph.computeIfAbsent(from, k -> new TreeMap<>());
          String className = file.getFileName().toString().replace(".java", "");
          Matcher m = QUALIFIED.matcher(code(source.substring(own.end())));
          while (m.find()) {
            if (!m.group(1).equals(from)) {
              used.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(className);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return graph;
  }

  /** The source without comments, string and character literals (each replaced by a space). */
  static String code(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        i = end < 0 ? n : end + 3;
        out.append(' ');
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && source.charAt(i) != c) {
          i += source.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The layer index of a package, or -1 when no layer declares it. */
  public static int layerOf(String pkg) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).packages().contains(pkg)) {
        return i;
      }
    }
    return -1;
  }

  /** The package diagram and the layer table, as docs/architecture.md shows them. */
  public static String markdown() {
    Map<String, Map<String, Set<String>>> graph = uses();
    StringBuilder md = new StringBuilder();
    md.append("| layer (bottom first) | packages | what |\n|---|---|---|\n");
    for (Layer layer : LAYERS) {
      List<String> present = layer.packages().stream().filter(graph::containsKey).toList();
      if (!present.isEmpty()) {
        md.append("| ").append(layer.name()).append(" | ")
            .append(String.join(", ", present.stream().map(p -> "`" + p + "`").toList()))
            .append(" | ").append(layer.what()).append(" |\n");
      }
    }
    md.append("\n```mermaid\nflowchart BT\n");
    for (int i = 0; i < LAYERS.size(); i++) {
      List<String> present = LAYERS.get(i).packages().stream().filter(graph::containsKey).toList();
      if (present.isEmpty()) {
        continue;
      }
      md.append("  subgraph L").append(i).append("[\"").append(LAYERS.get(i).name()).append("\"]\n");
      present.forEach(p -> md.append("    ").append(p).append('\n'));
      md.append("  end\n");
    }
    List<String> edges = new ArrayList<>();
    graph.forEach((from, used) -> used.keySet().forEach(to -> edges.add("  " + from + " --> " + to)));
    edges.forEach(e -> md.append(e).append('\n'));
    md.append("```\n");
    return md.toString();
  }

  public static final String BEGIN = "<!-- package layers: generated from the sources by io.goodhart.docs.PackageGraph -->";
  public static final String END = "<!-- end of package layers -->";
}
