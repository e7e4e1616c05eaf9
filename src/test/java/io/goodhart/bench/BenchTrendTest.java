package io.goodhart.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result files of a run, and the chart across the runs kept in a folder, from hand-made figures. */
class BenchTrendTest {
  @TempDir Path out;

  private static final Machine MACHINE = new Machine(2, 24, "17.0.15", "OpenJDK 64-Bit Server VM", "Linux amd64");

  private static Figures night(double nightly, double eventsPerSecond) {
    Figures f = new Figures();
    f.add(Benchmark.SIZE, "250k", 251_000, "ingest", "wall_s", 10.5, "s");
    f.add(Benchmark.SIZE, "250k", 251_000, "ingest", "events_per_s", eventsPerSecond, "events/s");
    f.add(Benchmark.SIZE, "250k", 251_000, "nightly", "wall_s", nightly, "s");
    f.add(Benchmark.SIZE, "250k", 251_000, "nightly", "peak_heap_mb", 2048, "MiB");
    return f;
  }

  private static BenchRun run(String date, double loadStart, double loadEnd) {
    return new BenchRun(LocalDate.parse(date), "goodhart bench --sizes 250k", MACHINE,
        new Machine.LoadAverage(loadStart, 1.5, 1.25), new Machine.LoadAverage(loadEnd, 2, 1.75));
  }

  @Test
  void aRunWritesOneCsvRowPerSizeAndStepWithItsMachineAndLoad() throws Exception {
    String text = BenchCommand.write(night(42.25, 23_904), run("2026-11-30", 3.5, 4), out);

    assertEquals(List.of(Figures.HEADER,
        "2026-11-30,2c-24g,2,24,17.0.15,3.500,4,size,250k,251000,ingest,10.500,23904,,,,,,,,,,,,,,,,,,",
        "2026-11-30,2c-24g,2,24,17.0.15,3.500,4,size,250k,251000,nightly,42.250,,,,,2048,,,,,,,,,,,,,,"),
        Files.readAllLines(out.resolve("2026-11-30-2c-24g.csv")));
    assertEquals(text, Files.readString(out.resolve("2026-11-30-2c-24g.txt")));
    assertTrue(text.startsWith("goodhart bench, 2026-11-30\ncommand: goodhart bench --sizes 250k\n"
        + "machine: 2 cores, 24 GB RAM, Java 17.0.15 (OpenJDK 64-Bit Server VM), Linux amd64\n"
        + "load average (1, 5, 15 min): 3.50 1.50 1.25 at the start, 4.00 2.00 1.75 at the end\n"), text);
    assertTrue(text.contains("nightly s") && text.contains("250k"), text);
  }

  @Test
  void theChartFollowsEveryKeptRunOldestFirst() throws Exception {
    BenchCommand.write(night(40, 20_000), run("2026-11-29", 2, 3), out);
    Files.writeString(out.resolve("notes.csv"), "not a result file\n");
    BenchCommand.write(night(60, 25_000), run("2026-11-30", 5, 6), out);

    assertEquals(List.of("2026-11-29-2c-24g", "2026-11-30-2c-24g"), BenchTrend.resultFiles(out).stream()
        .map(p -> p.getFileName().toString().replace(".csv", "")).toList());
    String older = Files.readString(out.resolve("2026-11-29-2c-24g.svg"));
    String latest = Files.readString(out.resolve("2026-11-30-2c-24g.svg"));
    assertTrue(older.contains("2026-11-29-2c-24g (load 2.0→3.0)") && !older.contains("2026-11-30"), older);
    assertTrue(latest.contains("2026-11-29-2c-24g (load 2.0→3.0)") && latest.contains("2026-11-30-2c-24g (load 5.0→6.0)"), latest);
    assertTrue(latest.contains("<title>2026-11-29-2c-24g 250k: 40</title>")
        && latest.contains("<title>2026-11-30-2c-24g 250k: 60</title>")
        && latest.contains("<title>2026-11-30-2c-24g 250k: 25,000</title>"), latest);
    assertEquals(2, latest.split("<polyline", -1).length - 1, "one line per panel with data: nightly and ingest");
    assertFalse(latest.contains("history"), "no history panel without history figures");
  }

  @Test
  void theScaleEndsOnARoundNumber() {
    assertEquals(50, BenchTrend.niceCeiling(42.25));
    assertEquals(200, BenchTrend.niceCeiling(101));
    assertEquals(1, BenchTrend.niceCeiling(0));
    assertEquals(50_000, BenchTrend.niceCeiling(25_000), 1e-9);
  }
}
