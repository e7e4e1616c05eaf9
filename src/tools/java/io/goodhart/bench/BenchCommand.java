package io.goodhart.bench;

import io.goodhart.cli.LakeOptions;
import io.goodhart.lake.LakeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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
 * on the same data, and optionally the nightly against weeks of history ({@link Benchmark}). Writes the
 * run's result files {@code <date>-<machine>.csv} ({@link Figures} documents its columns), {@code .txt}
 * (the printed tables, with the command, the machine and the load average) and {@code .svg} (the trend
 * across every result file kept in the folder, {@link BenchTrend}) to {@code --out}, by default
 * {@code docs/bench/}, where docs/performance.md shows them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark: ingest events/s, nightly wall time per step, peak heap and output rows per data size; "
        + "the same week's engagement and raw leaderboard in DuckDB and plain Spark SQL (results must agree); "
        + "the nightly against weeks of history. Writes DATE-MACHINE.csv, .txt and .svg (the trend across the "
        + "kept results) to --out.")
public final class BenchCommand implements Callable<Integer> {
  /** A marker in a lake folder the bench created, so a later run may wipe it and nothing else. */
  static final String MARKER = ".goodhart-bench-lake";
  static final String SMOKE_SIZE = "10k";
  /** Scratch files of a run (staging links, the peer's Parquet), inside the bench's lake folder. */
  static final String WORK = "bench-work";

  @Spec CommandSpec spec;

  @Option(names = "--sizes", split = ",", paramLabel = "N",
      description = "Events in the measured week, e.g. 1M,2M,4M,8M (default) or 16M,32M for larger runs; 'none' for no size runs.")
  List<String> sizes = List.of("1M", "2M", "4M", "8M");

  @Option(names = "--smoke", description = "A " + SMOKE_SIZE + "-event run for CI, without the warm-up; overrides --sizes.")
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

  @Option(names = "--format", split = ",", paramLabel = "NAME",
      description = "Also ingest the same population delivered in these formats (otlp, cursor-events) and compare "
          + "their events per second and bytes per request with the native format's (default: none).")
  List<String> formats = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where the result files go, beside the results kept there (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("docs", "bench");

  @Option(names = "--data", paramLabel = "DIR",
      description = "Generated feeds, kept and reused between runs (default: ${DEFAULT-VALUE}, ignored by git).")
  Path data = Path.of("datasets", "generated", "bench");

  @Option(names = "--lake", paramLabel = "DIR",
      description = "The lake the bench writes, emptied first: a new or empty folder, or one an earlier bench made "
          + "(default: ${DEFAULT-VALUE}).")
  Path lakeDir = Path.of("target", "bench", "lake");

  @Mixin LakeOptions lake;

  /** The run the options describe; bad values are usage errors. */
  Benchmark.Plan plan(Path lakeFolder) {
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
    List<io.goodhart.generate.EmitFormat> delivered = new ArrayList<>();
    for (String f : formats) {
      try {
        io.goodhart.generate.EmitFormat emit = io.goodhart.generate.EmitFormat.byCliName(f);
        if (emit == io.goodhart.generate.EmitFormat.GOODHART) {
          throw new IllegalArgumentException("goodhart is always measured; name another format");
        }
        if (emit != null && emit.daily()) {
          throw new IllegalArgumentException(f + " is a daily report, with no requests to ingest per second;"
              + " name otlp or cursor-events");
        }
        delivered.add(emit);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, "--format: " + e.getMessage());
      }
    }
    if (parsed.isEmpty() && history.isEmpty()) {
      throw new CommandLine.ParameterException(cl, "nothing to measure: give --sizes or --history");
    }
    return new Benchmark.Plan(parsed, List.copyOf(history), historyUsers, peer.equals("duckdb"), seed,
        data.toAbsolutePath(), lakeFolder.resolve(WORK), !smoke, List.copyOf(delivered));
  }

  @Override
  public Integer call() {
    Path lakeFolder = lakeDir.toAbsolutePath();
    Benchmark.Plan plan = plan(lakeFolder);
    prepareLake(lakeFolder);
    LocalDate date = LocalDate.now();
    Machine.LoadAverage loadAtStart = Machine.loadAverage();
    PrintWriter w = spec.commandLine().getOut();
    try (LakeOptions.Lake open = lake.open(Map.of(LakeConfig.LAKE_DIR, lakeFolder.toString()))) {
      Figures figures = new Benchmark(open.spark(), open.config(), plan, line -> {
        w.println(line);
        w.flush();
      }).run();
      BenchRun run = new BenchRun(date, "goodhart " + String.join(" ", spec.commandLine().getParseResult()
          .originalArgs()), Machine.current(), loadAtStart, Machine.loadAverage());
      String text = write(figures, run, out);
      w.println();
      w.print(text);
      w.println("\nresults: " + out.toAbsolutePath().resolve(run.name()) + ".{csv,txt,svg}");
      w.flush();
    }
    return 0;
  }

  /**
   * Writes the run's {@code .csv} and {@code .txt} to {@code out}, then its {@code .svg}: the trend across
   * every result file kept there, this one included. Returns the text.
   */
  static String write(Figures figures, BenchRun run, Path out) {
    String text = "goodhart bench, " + run.date() + "\n"
        + "command: " + run.command() + "\n"
        + "machine: " + run.machine().describe() + "\n"
        + "load average (1, 5, 15 min): " + run.loadAtStart() + " at the start, " + run.loadAtEnd() + " at the end\n\n"
        + new BenchReport(figures).text();
    try {
      Files.createDirectories(out);
      figures.writeCsv(out.resolve(run.name() + ".csv"), run);
      Files.writeString(out.resolve(run.name() + ".txt"), text);
      Files.writeString(out.resolve(run.name() + ".svg"), BenchTrend.svg(out));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results to " + out, e);
    }
    return text;
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
