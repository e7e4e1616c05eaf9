package io.goodhart.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** The machine a benchmark ran on, in one line for its output: the figures mean little without it. */
final class Machine {
  private Machine() {}

  static String describe() {
    long ram = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return String.format(Locale.ROOT, "%d cores, %.0f GB RAM, Java %s (%s), %s %s",
        Runtime.getRuntime().availableProcessors(), ram / 1e9, System.getProperty("java.version"),
        System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.arch"));
  }
}
