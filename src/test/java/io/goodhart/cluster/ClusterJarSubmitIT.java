package io.goodhart.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeSession;
import io.goodhart.lake.LakeTables;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster artifact, submitted the way a cluster runs it: {@code spark-submit --class ...} (Spark's
 * own {@code SparkSubmit} entry point) on a classpath holding only what a Spark 3.5.4 installation with
 * hadoop-aws provides. Passing here means the jar carries everything else it needs and runs the
 * nightly graph end to end.
 */
class ClusterJarSubmitIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  /** The submitted jobs' catalog name; the Iceberg JDBC catalog keys its tables by it. */
  private static final String CATALOG = "submitlake";
  private static final Path CLUSTER_JAR = TARGET.resolve("goodhart-cluster.jar");
  private static final Path SAMPLE = Path.of("datasets/sample").toAbsolutePath();
  /** The launcher's tools (generator, evaluation, benchmark, quickstart), which the cluster jar leaves out. */
  private static final Path TOOLS = Path.of("src/tools/java").toAbsolutePath();
  private static final String LAST_DAY = "2026-11-22";
  /** The pom's list of JDK packages Spark needs opened on Java 17, as a distribution's spark-submit opens them. */
  private static final String OPENS = System.getProperty("goodhart.java17.opens", "");

  private static String sparkClasspath;
  private static Path lakeDir;

  @BeforeAll
  static void buildOutputs() throws IOException {
    assertTrue(Files.isRegularFile(CLUSTER_JAR), CLUSTER_JAR + " is built by `mvn package` before this test");
    assertFalse(OPENS.isBlank(), "failsafe passes goodhart.java17.opens from the pom");
    sparkClasspath = Files.readString(TARGET.resolve("spark-provided.classpath")).trim();
    lakeDir = Files.createTempDirectory(TARGET, "cluster-lake-");
  }

  @Test
  void theClusterJarBringsIcebergAndLeavesSparkAndHadoopToTheCluster() throws IOException {
    try (ZipFile jar = new ZipFile(CLUSTER_JAR.toFile())) {
      Set<String> entries = jar.stream().map(e -> e.getName()).collect(Collectors.toSet());
      assertTrue(entries.contains("io/goodhart/cli/GoodhartCli.class"));
      assertTrue(entries.contains("org/apache/iceberg/spark/SparkCatalog.class"));
      assertTrue(entries.contains("jobs/nightly.yaml"));
      assertTrue(entries.contains("sql/curated/team_weekly_engagement.sql"));
      assertFalse(entries.contains("org/apache/spark/sql/SparkSession.class"), "Spark is provided by the cluster");
      assertFalse(entries.contains("org/apache/hadoop/fs/FileSystem.class"), "Hadoop is provided by the cluster");
      assertFalse(entries.stream().anyMatch(e -> e.startsWith("scala/")), "Scala is provided by the cluster");
      assertFalse(entries.stream().anyMatch(e -> e.startsWith("org/yaml/snakeyaml/")), "our YAML reader is relocated");
      assertFalse(entries.stream().anyMatch(e -> e.startsWith("io/goodhart/generate/") || e.startsWith("io/goodhart/bench/")
          || e.startsWith("org/duckdb/")), "the generator, the benchmark and its DuckDB stay with the launcher");
      try (var sources = Files.walk(TOOLS)) {
        List<String> toolClasses = sources.filter(f -> f.toString().endsWith(".java"))
            .map(f -> TOOLS.relativize(f).toString().replace(File.separatorChar, '/').replaceAll("\\.java$", ".class"))
            .toList();
        assertTrue(toolClasses.contains("io/goodhart/tools/LauncherCli.class"), toolClasses.toString());
        assertEquals(List.of(), toolClasses.stream().filter(entries::contains).toList(), "no class of src/tools");
      }
    }
    List<String> provided = Arrays.asList(sparkClasspath.split(File.pathSeparator));
    assertTrue(provided.stream().anyMatch(p -> p.contains("spark-core_2.12-3.5.4")));
    assertTrue(provided.stream().anyMatch(p -> p.contains("hadoop-aws-3.3.4")));
    assertFalse(provided.stream().anyMatch(p -> p.contains("iceberg")), "the submit classpath must not lend Iceberg");
    assertFalse(provided.stream().anyMatch(p -> p.contains("picocli")), "the submit classpath must not lend picocli");
  }

  @Test
  void sparkSubmitRunsTheNightlyGraphEndToEnd() throws Exception {
    // Every delivery of the sample first, then the nightly for its last day of usage, which re-reads that day's
    // delivery (all already loaded), loads the directory and runs every curated job.
    submit("ingest", "--input", SAMPLE.resolve("events").toString());
    submit("nightly", "--date", LAST_DAY,
        "--input", SAMPLE.resolve("events").toString(),
        "--directory", SAMPLE.resolve("directory.csv").toString());

    LakeConfig config = LakeConfig.resolve(null, Map.of(LakeConfig.CATALOG, CATALOG,
        LakeConfig.LAKE_DIR, lakeDir.toString(), "spark.master", "local[1]"));
    // Another integration test of this JVM may have its session open already (the crash tests do):
    // then this one joins it, under a catalog name of its own, and leaves it running.
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = LakeSession.open(config);
    try {
      LakeTables tables = new LakeTables(spark, config);
      Set<String> succeeded = new TreeSet<>();
      assertEquals(0L, spark.sql("SELECT * FROM " + tables.jobRuns() + " WHERE status <> 'succeeded'").count());
      // load-directory takes no date: a directory is valid from its stints, not from the night it arrived.
      for (Row row : spark.sql("SELECT job FROM " + tables.jobRuns()
          + " WHERE logical_date = DATE '" + LAST_DAY + "' OR job = 'load-directory'").collectAsList()) {
        succeeded.add(row.getString(0));
      }
      assertEquals(new TreeSet<>(List.of("ingest", "load-directory", "outcomes", "user-usage", "features", "train", "classify",
          "engagement", "leaderboard", "bi-publish")), succeeded);
      // The sample's events span four ISO weeks (2026-10-26 .. 2026-11-22; later deliveries are late
      // arrivals); the first run computes all of them.
      assertEquals(4L, spark.sql("SELECT DISTINCT week_start FROM " + tables.teamWeeklyEngagement()
          + " WHERE level = 'company'").count());
      // The committed sample's ledger, the same as a local `goodhart quickstart` reports.
      assertEquals(72_454L, spark.table(tables.usageEvents()).count());
      assertEquals(140L, spark.table(tables.usageEventsRejected()).count());
      assertTrue(spark.sql("SELECT * FROM " + tables.leaderboardSnapshots()
          + " WHERE snapshot_date = DATE '" + LAST_DAY + "'").count() > 0);
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  private static void submit(String... goodhartArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx3g");
    command.addAll(io.goodhart.testing.GoodhartJar.SHORT_LIVED_JIT);
    command.addAll(Arrays.asList(OPENS.trim().split("\\s+")));
    command.addAll(List.of("-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]",
        "--class", "io.goodhart.cli.GoodhartCli",
        "--conf", "spark.sql.shuffle.partitions=4",
        CLUSTER_JAR.toString()));
    command.addAll(Arrays.asList(goodhartArgs));
    command.addAll(List.of("--conf", LakeConfig.LAKE_DIR + "=" + lakeDir, "--conf", LakeConfig.CATALOG + "=" + CATALOG));
    Path log = TARGET.resolve("cluster-submit-" + goodhartArgs[0] + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "spark-submit " + goodhartArgs[0] + " did not finish in 10 min");
    assertEquals(0, process.exitValue(),
        "spark-submit " + String.join(" ", goodhartArgs) + " failed; output in " + log + ":\n" + tail(log));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
