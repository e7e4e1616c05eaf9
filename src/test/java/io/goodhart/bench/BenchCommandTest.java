package io.goodhart.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.tools.LauncherCli;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run of {@code goodhart bench}: the smoke size end to end on the shared session, which
 * must produce a figure for every step, a CSV, a chart and a peer comparison that agreed; and the
 * guard that makes the comparison fair: a published week that differs from DuckDB's stops the bench.
 */
class BenchCommandTest {
  static final List<String> NIGHT_STEPS = List.of("user-usage", "features", "train", "classify", "engagement", "leaderboard",
      "bi-views");

  @TempDir Path out;

  @Test
  void theSmokeSizeProducesEveryFigureAndAChartAndTheEnginesAgree() throws Exception {
    SparkSession spark = TestLake.spark();
    LakeConfig base = TestLake.freshConfig("bench");
    Path data = Path.of("target", "bench-test-data").toAbsolutePath();
    BenchSize smoke = BenchSize.parse(BenchCommand.SMOKE_SIZE);
    Benchmark.Plan plan = new Benchmark.Plan(List.of(smoke), List.of(), 1500, true, 1, data, out.resolve("work"),
        false, List.of());

    Figures figures = new Benchmark(spark, base, plan, line -> { }).run();
    BenchRun run = new BenchRun(java.time.LocalDate.of(2026, 11, 30), "goodhart bench --smoke", Machine.current(),
        Machine.loadAverage(), Machine.loadAverage());
    BenchCommand.write(figures, run, out);

    String label = smoke.label();
    for (String step : concat(List.of("ingest", "re-ingest", "nightly"), NIGHT_STEPS)) {
      assertPositive(figures, Benchmark.SIZE, label, step, "wall_s");
      assertPositive(figures, Benchmark.SIZE, label, step, "peak_heap_mb");
      assertPositive(figures, Benchmark.SIZE, label, step, "pool_peak_heap_mb");
    }
    assertPositive(figures, Benchmark.SIZE, label, "ingest", "events_per_s");
    assertPositive(figures, Benchmark.SIZE, label, "re-ingest", "lines_per_s");
    for (String table : List.of("raw.usage_events", "curated_private.user_weekly_usage",
        "curated_private.user_weekly_features", "curated_private.usage_classification",
        "curated_private.team_weekly_engagement", "curated_private.leaderboard_snapshots")) {
      assertPositive(figures, Benchmark.SIZE, label, table, "rows");
    }
    long events = figures.all().stream().filter(f -> f.size().equals(label)).mapToLong(Figures.Figure::events)
        .max().orElse(0);
    assertEquals(events, figures.value(Benchmark.SIZE, label, "raw.usage_events", "rows").orElseThrow(),
        "every generated event is in the lake once");
    for (String engine : List.of("goodhart", "duckdb", "spark-sql")) {
      assertPositive(figures, Benchmark.PEER, label, engine, "total_s");
    }
    assertPositive(figures, Benchmark.PEER, label, "ratio", "goodhart_over_duckdb");
    assertPositive(figures, Benchmark.PEER, label, "check", "rows_agreed");

    List<String> csv = Files.readAllLines(out.resolve(run.name() + ".csv"));
    assertEquals(Figures.HEADER, csv.get(0));
    long rows = figures.all().stream().map(f -> List.of(f.section(), f.size(), f.step())).distinct().count();
    assertEquals(rows + 1, csv.size(), "one row per section, size and step");
    Set<String> steps = csv.stream().skip(1).map(l -> l.split(",")[10]).collect(Collectors.toSet());
    assertTrue(steps.containsAll(NIGHT_STEPS), "a CSV row for every nightly step: " + steps);
    BenchTrend.Run kept = BenchTrend.read(out.resolve(run.name() + ".csv"));
    for (Figures.Figure f : figures.all()) {
      assertEquals(Double.parseDouble(Figures.format(f.value())), kept.value(f.section(), f.size(), f.step(), f.metric())
          .orElseThrow(), 1e-9, "the CSV holds " + f);
    }
    String svg = Files.readString(out.resolve(run.name() + ".svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains(run.name()) && svg.contains("Nightly wall time per size"), svg);
    String text = Files.readString(out.resolve(run.name() + ".txt"));
    assertTrue(text.contains("machine: ") && text.contains("load average") && text.contains("goodhart/DuckDB"), text);

    // The guard: one rank less in goodhart's published board and the comparison refuses to report.
    LakeTables tables = new LakeTables(spark, Benchmark.configFor(base, "s_" + label));
    spark.sql("DELETE FROM " + tables.leaderboardSnapshots() + " WHERE rank = 1");
    PeerComparison.PeerMismatchException mismatch = assertThrows(PeerComparison.PeerMismatchException.class,
        () -> new PeerComparison(spark, tables, java.time.ZoneOffset.UTC, out.resolve("again")).run(Benchmark.SIZE_WEEK));
    assertTrue(mismatch.getMessage().contains("DuckDB raw leaderboard") && mismatch.getMessage().contains("DuckDB only: 1 | "),
        mismatch.getMessage());
  }

  @Test
  void sizesAreWrittenAsPeopleSayThem() {
    assertEquals(new BenchSize("20k", 20_000), BenchSize.parse("20k"));
    assertEquals(new BenchSize("2.5M", 2_500_000), BenchSize.parse("2.5m"));
    assertEquals(8_000_000, BenchSize.parse("8000000").events());
    assertEquals(9_461, BenchSize.parse("1M").users());
    assertThrows(IllegalArgumentException.class, () -> BenchSize.parse("1G"));
    assertThrows(IllegalArgumentException.class, () -> BenchSize.parse("500"));
  }

  @Test
  void badOptionsAreUsageErrors() {
    StringWriter err = new StringWriter();
    int code = LauncherCli.commandLine().setErr(new PrintWriter(err))
        .execute("bench", "--sizes", "1G", "--out", out.toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("--sizes: a size is a number of events"), err.toString());
    code = LauncherCli.commandLine().setErr(new PrintWriter(new StringWriter()))
        .execute("bench", "--smoke", "--peer", "postgres", "--out", out.toString(), "--lake", out.resolve("lake").toString());
    assertEquals(2, code);
    assertFalse(Files.exists(out.resolve("lake")), "nothing is prepared before the options are checked");
    err = new StringWriter();
    code = LauncherCli.commandLine().setErr(new PrintWriter(err))
        .execute("bench", "--smoke", "--format", "cursor-daily", "--out", out.toString(), "--lake",
            out.resolve("lake").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("--format: cursor-daily is a daily report"), err.toString());
  }

  private static void assertPositive(Figures figures, String section, String size, String step, String metric) {
    double v = figures.value(section, size, step, metric)
        .orElseThrow(() -> new AssertionError("no figure " + section + "/" + size + "/" + step + "/" + metric));
    assertTrue(v > 0, section + "/" + size + "/" + step + "/" + metric + " = " + v);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
