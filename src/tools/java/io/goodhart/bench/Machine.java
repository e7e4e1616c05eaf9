package io.goodhart.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a benchmark ran on: the figures mean little without it. {@link #label()} names the result
 * files ({@code 2c-24g}: cores and memory), so runs on different machines are kept apart.
 */
record Machine(int cores, long memoryGb, String java, String vm, String os) {
  private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");

  static Machine current() {
    long ram = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return new Machine(Runtime.getRuntime().availableProcessors(), Math.round(ram / 1e9),
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  String label() {
    return cores + "c-" + memoryGb + "g";
  }

  String describe() {
    return String.format(Locale.ROOT, "%d cores, %d GB RAM, Java %s (%s), %s", cores, memoryGb, java, vm, os);
  }

  /**
   * The 1-, 5- and 15-minute load averages ({@code /proc/loadavg}), or {@link LoadAverage#UNKNOWN} where
   * the system does not expose them: on a shared machine they say how much of it the run had.
   */
  static LoadAverage loadAverage() {
    try {
      String[] fields = Files.readString(LOAD_AVERAGE).trim().split("\\s+");
      return new LoadAverage(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
          Double.parseDouble(fields[2]));
    } catch (IOException | RuntimeException e) {
      return LoadAverage.UNKNOWN;
    }
  }

  /** Load averages over 1, 5 and 15 minutes; NaN when unknown. */
  record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes) {
    static final LoadAverage UNKNOWN = new LoadAverage(Double.NaN, Double.NaN, Double.NaN);

    @Override
    public String toString() {
      return Double.isNaN(oneMinute) ? "unknown"
          : String.format(Locale.ROOT, "%.2f %.2f %.2f", oneMinute, fiveMinutes, fifteenMinutes);
    }
  }
}
