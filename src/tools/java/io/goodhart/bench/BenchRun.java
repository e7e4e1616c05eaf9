package io.goodhart.bench;

import java.time.LocalDate;

/**
 * What a set of figures needs beside it to be read later: the day it ran, the command, the machine and
 * the load average at its start and end. {@link #name()} is the stem of its result files.
 */
record BenchRun(LocalDate date, String command, Machine machine, Machine.LoadAverage loadAtStart,
    Machine.LoadAverage loadAtEnd) {

  /** {@code <date>-<machine>}, e.g. {@code 2026-11-30-2c-24g}. */
  String name() {
    return date + "-" + machine.label();
  }
}
