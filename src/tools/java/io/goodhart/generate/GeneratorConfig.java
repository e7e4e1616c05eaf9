package io.goodhart.generate;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * Everything that determines a generated data set. The same config always yields byte-identical
 * output.
 *
 * @param seed root seed of every random stream (default 42)
 * @param users number of people in the directory (default 300)
 * @param weeks number of ISO weeks generated (default 4)
 * @param start first day; snapped back to the Monday of its week (default Monday 2026-10-05)
 * @param launchWeek 0-based index of the week the public leaderboard launches (default {@code
 *     weeks/2}); no user-week before it is padding. A value &gt;= weeks means "never".
 * @param gzip write {@code .jsonl.gz} (default) instead of {@code .jsonl}
 * @param duplicateRate share of events re-delivered once more (default 0.01)
 * @param lateRate share of events delivered 1-3 days late (default 0.02)
 * @param malformedRate extra garbage lines per event (default 0.002)
 * @param filesPerDay part files per delivery-day folder (default 2)
 * @param emit the format the requests are written in (default {@link EmitFormat#GOODHART}); the other
 *     formats carry each request once, in the folder of its UTC day (no duplicate, late or malformed line),
 *     the daily ones as a row per person and UTC day with a request ({@link DailyRows})
 * @param out output folder
 */
public record GeneratorConfig(
    long seed,
    int users,
    int weeks,
    LocalDate start,
    int launchWeek,
    boolean gzip,
    double duplicateRate,
    double lateRate,
    double malformedRate,
    int filesPerDay,
    EmitFormat emit,
    Path out) {

  public static final long DEFAULT_SEED = 42L;
  public static final int DEFAULT_USERS = 300;
  public static final int DEFAULT_WEEKS = 4;
  public static final LocalDate DEFAULT_START = LocalDate.of(2026, 10, 5);
  public static final double DEFAULT_DUPLICATE_RATE = 0.01;
  public static final double DEFAULT_LATE_RATE = 0.02;
  public static final double DEFAULT_MALFORMED_RATE = 0.002;
  public static final int DEFAULT_FILES_PER_DAY = 2;

  /** Upper bounds that keep event ids collision-free by construction. */
  public static final int MAX_USERS = 4_000_000;

  public static final int MAX_WEEKS = 520;
  public static final int MAX_FILES_PER_DAY = 1000;

  public GeneratorConfig {
    Objects.requireNonNull(out, "out");
    emit = emit == null ? EmitFormat.GOODHART : emit;
    start = snapToMonday(start == null ? DEFAULT_START : start);
    if (users < 1 || users > MAX_USERS) {
      throw new IllegalArgumentException(
          "users must be between 1 and " + MAX_USERS + " (got " + users + ")");
    }
    if (weeks < 1 || weeks > MAX_WEEKS) {
      throw new IllegalArgumentException(
          "weeks must be between 1 and " + MAX_WEEKS + " (got " + weeks + ")");
    }
    if (launchWeek < 0) {
      throw new IllegalArgumentException("launchWeek must be >= 0 (got " + launchWeek + ")");
    }
    checkRate("duplicateRate", duplicateRate);
    checkRate("lateRate", lateRate);
    checkRate("malformedRate", malformedRate);
    if (filesPerDay < 1 || filesPerDay > MAX_FILES_PER_DAY) {
      throw new IllegalArgumentException(
          "filesPerDay must be between 1 and " + MAX_FILES_PER_DAY + " (got " + filesPerDay + ")");
    }
  }

  private static void checkRate(String name, double v) {
    if (!(v >= 0.0 && v < 1.0)) {
      throw new IllegalArgumentException(name + " must be in [0, 1) (got " + v + ")");
    }
  }

  /** The Monday on or before {@code d}. */
  public static LocalDate snapToMonday(LocalDate d) {
    return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  /** All defaults, writing to {@code out}. */
  public static GeneratorConfig defaults(Path out) {
    return builder().out(out).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .seed(seed)
        .users(users)
        .weeks(weeks)
        .start(start)
        .launchWeek(launchWeek)
        .gzip(gzip)
        .duplicateRate(duplicateRate)
        .lateRate(lateRate)
        .malformedRate(malformedRate)
        .filesPerDay(filesPerDay)
        .emit(emit)
        .out(out);
  }

  /** First day after the generated period. */
  public LocalDate endExclusive() {
    return start.plusWeeks(weeks);
  }

  /** Builder with the documented defaults; {@code launchWeek} defaults to {@code weeks/2}. */
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private int users = DEFAULT_USERS;
    private int weeks = DEFAULT_WEEKS;
    private LocalDate start = DEFAULT_START;
    private Integer launchWeek;
    private boolean gzip = true;
    private double duplicateRate = DEFAULT_DUPLICATE_RATE;
    private double lateRate = DEFAULT_LATE_RATE;
    private double malformedRate = DEFAULT_MALFORMED_RATE;
    private int filesPerDay = DEFAULT_FILES_PER_DAY;
    private EmitFormat emit = EmitFormat.GOODHART;
    private Path out;

    private Builder() {}

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder users(int v) {
      users = v;
      return this;
    }

    public Builder weeks(int v) {
      weeks = v;
      return this;
    }

    public Builder start(LocalDate v) {
      start = v;
      return this;
    }

    /** {@code null} restores the default {@code weeks/2}. */
    public Builder launchWeek(Integer v) {
      launchWeek = v;
      return this;
    }

    public Builder gzip(boolean v) {
      gzip = v;
      return this;
    }

    public Builder duplicateRate(double v) {
      duplicateRate = v;
      return this;
    }

    public Builder lateRate(double v) {
      lateRate = v;
      return this;
    }

    public Builder malformedRate(double v) {
      malformedRate = v;
      return this;
    }

    public Builder filesPerDay(int v) {
      filesPerDay = v;
      return this;
    }

    public Builder emit(EmitFormat v) {
      emit = v;
      return this;
    }

    public Builder out(Path v) {
      out = v;
      return this;
    }

    public GeneratorConfig build() {
      int lw = launchWeek != null ? launchWeek : Math.max(0, weeks) / 2;
      return new GeneratorConfig(
          seed,
          users,
          weeks,
          start,
          lw,
          gzip,
          duplicateRate,
          lateRate,
          malformedRate,
          filesPerDay,
          emit,
          out);
    }
  }
}
