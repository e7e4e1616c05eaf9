package io.goodhart.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The packaged CLI as integration tests start it, the way {@code ./goodhart} does
 * ({@code target/goodhart-tools.jar}, on {@code target/goodhart.jar}): its own JVM with the JDK packages
 * Spark needs opened (the pom hands failsafe the list), on a given lake, in local[2].
 */
public final class GoodhartJar {
  public static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final String OPENS = System.getProperty("goodhart.java17.opens", "");
  /**
   * The JIT of a test's short-lived goodhart process: C1 only. On a small lake a process is over in
   * seconds, before C2's compilations pay back the CPU they take, and the suite is CPU-bound on two cores.
   * C1 alone shrinks the JVM's default code cache to 48 MB, which a whole night's generated Spark code
   * and MLlib fill: the JVM then stops compiling and a task dies with "Out of space in CodeCache", so
   * the cache keeps the tiered default. Production keeps the default JIT.
   */
  public static final List<String> SHORT_LIVED_JIT =
      List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m");

  private GoodhartJar() {}

  /** {@code java -Xmx<heap> ... -jar target/goodhart-tools.jar ARGS --conf goodhart.lake.dir=LAKE --master local[2]}. */
  public static ProcessBuilder command(Path lakeDir, String heap, String... args) {
    if (OPENS.isBlank()) {
      throw new IllegalStateException("failsafe passes goodhart.java17.opens from the pom");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(SHORT_LIVED_JIT);
    command.addAll(Arrays.asList(OPENS.trim().split("\\s+")));
    command.addAll(List.of("-jar", TARGET.resolve("goodhart-tools.jar").toString()));
    command.addAll(Arrays.asList(args));
    command.addAll(List.of("--conf", "goodhart.lake.dir=" + lakeDir, "--master", "local[2]"));
    return new ProcessBuilder(command);
  }
}
