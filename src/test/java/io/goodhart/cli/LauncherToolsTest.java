package io.goodhart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tools tree ({@code src/tools/java}: generator, evaluation, benchmark, quickstart and the launcher's
 * command line) belongs to {@code ./goodhart} alone. {@code src/main} never names it, so it compiles and
 * runs without it, and {@code target/classes}, which the cluster jar is shaded from, holds none of it.
 */
class LauncherToolsTest {
  private static final Path MAIN = Path.of("src", "main", "java");
  private static final Path TOOLS = Path.of("src", "tools", "java");

  /** A top-level type of a source tree, named after its file. */
  private record Type(String pkg, String name) {
    String qualified() {
      return pkg + "." + name;
    }
  }

  @Test
  void srcMainNamesNoPackageOrTypeOfTheTools() throws IOException {
    List<Type> tools = types(TOOLS);
    Set<String> mainPackages = types(MAIN).stream().map(Type::pkg).collect(Collectors.toSet());
    Set<String> toolsOnlyPackages = tools.stream().map(Type::pkg).filter(p -> !mainPackages.contains(p))
        .collect(Collectors.toSet());
    assertTrue(toolsOnlyPackages.containsAll(Set.of("io.goodhart.generate", "io.goodhart.bench")), toolsOnlyPackages.toString());

    List<String> found = new ArrayList<>();
    for (Path file : sources(MAIN)) {
      String text = Files.readString(file);
      String pkg = packageOf(MAIN, file);
      for (String toolsPackage : toolsOnlyPackages) {
        if (text.contains(toolsPackage + ".")) {
          found.add(file + " names " + toolsPackage);
        }
      }
      for (Type type : tools) {
        boolean samePackage = type.pkg().equals(pkg)
            && Pattern.compile("\\b" + type.name() + "\\b").matcher(text).find();
        if (text.contains(type.qualified()) || samePackage) {
          found.add(file + " names " + type.qualified());
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void theClassesTheClusterJarIsBuiltFromHoldNoneOfTheTools() throws IOException {
    List<Type> tools = types(TOOLS);
    assertTrue(tools.contains(new Type("io.goodhart.tools", "LauncherCli")), tools.toString());
    Path classes = Path.of("target", "classes");
    assertTrue(Files.isRegularFile(classes.resolve("io/goodhart/cli/GoodhartCli.class")), "compiled main classes");
    List<String> leaked = tools.stream()
        .map(t -> t.qualified().replace('.', '/') + ".class")
        .filter(c -> Files.exists(classes.resolve(c)))
        .toList();
    assertEquals(List.of(), leaked);
  }

  private static List<Type> types(Path root) throws IOException {
    return sources(root).stream()
        .map(f -> new Type(packageOf(root, f), f.getFileName().toString().replaceAll("\\.java$", "")))
        .toList();
  }

  private static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static String packageOf(Path root, Path file) {
    return root.relativize(file.getParent()).toString().replace(java.io.File.separatorChar, '.');
  }
}
