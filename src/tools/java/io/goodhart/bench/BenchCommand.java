package io.goodhart.bench;

import io.goodhart.cli.LakeOptions;
import io.goodhart.lake.LakeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code goodhart bench}: generates data at several sizes and measures ingest, each nightly step, peak
 * heap and output rows, compares one week's engagement and leaderboard with DuckDB and plain Spark SQL
 * on the same data, and optionally the nightly against weeks of history ({@link Benchmark}). Writes
 * {@code figures.csv} ({@link Figures} documents its columns), {@code figures.svg} and {@code figures.txt}
 * to the output folder and prints the tables.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark: ingest events/s, nightly wall time per step, peak heap and output rows per data size; "
        + "the same week's engagement and raw leaderboard in DuckDB and plain Spark SQL (results must agree); "
        + "the nightly against weeks of history. Writes figures.csv, figures.svg and figures.txt to --out.")
public final class BenchCommand implements Callable<Integer> {
  /** A marker in a lake folder the bench created, so a later run may wipe it and nothing else. */
  static final String MARKER = ".goodhart-bench-lake";
  static final String SMOKE_SIZE = "10k";

  @Spec CommandSpec spec;

  @Option(names = "--sizes", split = ",", paramLabel = "N",
      description = "Events in the measured week, e.g. 1M,2M,4M,8M (default) or 16M,32M for larger runs; 'none' for no size runs.")
  List<String> sizes = List.of("1M", "2M", "4M", "8M");

  @Option(names = "--smoke", description = "A " + SMOKE_SIZE + "-event run for CI, well under a minute; overrides --sizes.")
  boolean smoke;

  @Option(names = "--history", split = ",", paramLabel = "WEEKS",
      description = "Weeks of history to measure one night against, e.g. 1,4,12 (default: none).")
  List<Integer> history = new ArrayList<>();

  @Option(names = "--history-users", paramLabel = "N",
      description = "People in the history runs, which sets their daily volume (default: ${DEFAULT-VALUE}, about 22k events a day).")
  int historyUsers = 1500;

  @Option(names = "--peer", paramLabel = "duckdb|none",
      description = "Compare with DuckDB and plain Spark SQL on the same data (default: ${DEFAULT-VALUE}).")
  String peer = "duckdb";

  @Option(names = "--seed", paramLabel = "N", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the figures go (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target", "bench");

  @Option(names = "--data", paramLabel = "DIR",
      description = "Generated feeds, kept and reused between runs (default: ${DEFAULT-VALUE}, ignored by git).")
  Path data = Path.of("datasets", "generated", "bench");

  @Option(names = "--lake", paramLabel = "DIR",
      description = "The lake the bench writes, emptied first: a new or empty folder, or one an earlier bench made (default: OUT/lake).")
  Path lakeDir;

  @Mixin LakeOptions lake;

  /** The run the options describe; bad values are usage errors. */
  Benchmark.Plan plan() {
    CommandLine cl = spec.commandLine();
    List<BenchSize> parsed = new ArrayList<>();
    List<String> wanted = smoke ? List.of(SMOKE_SIZE) : sizes;
    if (!(wanted.size() == 1 && wanted.get(0).equalsIgnoreCase("none"))) {
      for (String s : wanted) {
        try {
          parsed.add(BenchSize.parse(s));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(cl, "--sizes: " + e.getMessage());
        }
      }
    }
    for (int h : history) {
      if (h < 1 || h > 104) {
        throw new CommandLine.ParameterException(cl, "--history: weeks must be between 1 and 104 (got " + h + ")");
      }
    }
    if (historyUsers < 10) {
      throw new CommandLine.ParameterException(cl, "--history-users must be at least 10 (got " + historyUsers + ")");
    }
    if (!peer.equals("duckdb") && !peer.equals("none")) {
      throw new CommandLine.ParameterException(cl, "--peer must be duckdb or none (got '" + peer + "')");
    }
    if (parsed.isEmpty() && history.isEmpty()) {
      throw new CommandLine.ParameterException(cl, "nothing to measure: give --sizes or --history");
    }
    return new Benchmark.Plan(parsed, List.copyOf(history), historyUsers, peer.equals("duckdb"), seed,
        data.toAbsolutePath(), out.toAbsolutePath().resolve("work"), !smoke);
  }

  @Override
  public Integer call() {
    Benchmark.Plan plan = plan();
    Path lakeFolder = (lakeDir != null ? lakeDir : out.resolve("lake")).toAbsolutePath();
    prepareLake(lakeFolder);
    PrintWriter w = spec.commandLine().getOut();
    try (LakeOptions.Lake open = lake.open(Map.of(LakeConfig.LAKE_DIR, lakeFolder.toString()))) {
      Figures figures = new Benchmark(open.spark(), open.config(), plan, line -> {
        w.println(line);
        w.flush();
      }).run();
      String tables = write(figures, out);
      w.println();
      w.print(tables);
      w.println("\nfigures: " + out.toAbsolutePath().resolve("figures.csv") + ", chart: "
          + out.toAbsolutePath().resolve("figures.svg"));
      w.flush();
    }
    return 0;
  }

  /** Writes figures.csv, figures.svg and figures.txt (the printed tables, with the machine); returns the tables. */
  static String write(Figures figures, Path out) {
    BenchReport report = new BenchReport(figures);
    String tables = "machine: " + Machine.describe() + "\n\n" + report.text();
    try {
      Files.createDirectories(out);
      figures.writeCsv(out.resolve("figures.csv"));
      Files.writeString(out.resolve("figures.svg"), report.svg());
      Files.writeString(out.resolve("figures.txt"), tables);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the figures to " + out, e);
    }
    return tables;
  }

  /** Empties the bench's lake folder, refusing one that holds anything the bench did not make. */
  private void prepareLake(Path folder) {
    try {
      if (Files.isDirectory(folder)) {
        boolean empty;
        try (var entries = Files.list(folder)) {
          empty = entries.findAny().isEmpty();
        }
        if (!empty && !Files.exists(folder.resolve(MARKER))) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--lake " + folder
              + " is not empty and was not made by goodhart bench; give a new or empty folder");
        }
        Benchmark.deleteTree(folder);
      }
      Files.createDirectories(folder);
      Files.writeString(folder.resolve(MARKER), "made by goodhart bench; emptied by its next run\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the bench lake " + folder, e);
    }
  }
}
