package io.goodhart.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The requests of one person in one (UTC, ISO) week: time, session seed, event seed and kind,
 * sorted by time. Only what is needed to build each JSON line later is kept, so a whole week of
 * millions of events stays small in memory.
 */
final class WeekSchedule {
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  // kinds
  static final byte K_INTERACTIVE = 0;
  static final byte K_DIGEST = 1;
  static final byte K_NIGHTLY = 2;
  static final byte K_DEPLOY = 3;
  static final byte K_LOOP = 4;
  static final byte K_FLOOD = 5;
  static final byte K_REPEAT = 6;

  private static final long SALT_GEN = 0x6E4EL;
  private static final long SALT_LOOP = 0x100BL;
  private static final long SALT_FLOOD = 0xF100DL;
  private static final long SALT_REPEAT = 0x8E9EA7L;

  static final WeekSchedule EMPTY = new WeekSchedule(0);

  long[] t;
  long[] sess;
  long[] ev;
  byte[] kind;
  int n;
  int paddingEvents;

  WeekSchedule(int cap) {
    t = new long[cap];
    sess = new long[cap];
    ev = new long[cap];
    kind = new byte[cap];
  }

  private void add(long time, long s, long e, byte k) {
    if (n == t.length) {
      int c = Math.max(16, n * 2);
      t = Arrays.copyOf(t, c);
      sess = Arrays.copyOf(sess, c);
      ev = Arrays.copyOf(ev, c);
      kind = Arrays.copyOf(kind, c);
    }
    t[n] = time;
    sess[n] = s;
    ev[n] = e;
    kind[n] = k;
    n++;
  }

  /** Index of the first event at or after {@code time} (the schedule is sorted). */
  int lowerBound(long time) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] < time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static int dayOfWeek(long epochDay) {
    return (int) Math.floorMod(epochDay + 3, 7); // 0 = Monday
  }

  static long offsetMs(Directory.Person p, long epochDay) {
    return p.rules
            .getOffset(java.time.Instant.ofEpochSecond(epochDay * 86_400L + 12 * 3_600L))
            .getTotalSeconds()
        * 1000L;
  }

  /** Builds the schedule of person {@code p} in week {@code week}; {@code padding} may be null. */
  static WeekSchedule build(
      long seed,
      Directory.Person p,
      int week,
      long weekStartDay,
      Archetype padding,
      double intensityPrev,
      double intensityThis,
      double intensityNext) {
    if (p.base == Archetype.NON_USER && padding == null) {
      return EMPTY;
    }
    long lo = weekStartDay * DAY;
    long hi = lo + 7 * DAY;
    Sink sink = new Sink(p, lo, hi);
    if (p.base != Archetype.NON_USER) {
      for (long d = weekStartDay - 1; d <= weekStartDay + 7; d++) {
        double intensity =
            d < weekStartDay ? intensityPrev : d >= weekStartDay + 7 ? intensityNext : intensityThis;
        genuineDay(seed, p, d, intensity, sink);
      }
    }
    int genuine = sink.s.n;
    if (padding != null) {
      switch (padding) {
        case LOOP_PADDER -> loop(seed, p, week, lo, hi, sink);
        case WEEKEND_FLOODER -> flood(seed, p, week, weekStartDay, hi, sink);
        case REPEATER -> repeat(seed, p, week, weekStartDay, sink);
        default -> throw new IllegalStateException(padding.name());
      }
    }
    WeekSchedule s = sink.s;
    s.paddingEvents = s.n - genuine;
    s.sort();
    return s;
  }

  /** Collects events inside the week and inside the person's employment. */
  private static final class Sink {
    final Directory.Person p;
    final long lo;
    final long hi;
    final WeekSchedule s = new WeekSchedule(64);

    Sink(Directory.Person p, long lo, long hi) {
      this.p = p;
      this.lo = lo;
      this.hi = hi;
    }

    void add(long time, long sess, long ev, byte kind) {
      if (time >= lo && time < hi && p.activeOn(Math.floorDiv(time, DAY))) {
        s.add(time, sess, ev, kind);
      }
    }
  }

  private static void genuineDay(
      long seed, Directory.Person p, long day, double intensity, Sink sink) {
    if (!p.activeOn(day)) {
      return;
    }
    SplittableRandom r = Rng.stream(seed, SALT_GEN, p.index, day);
    int dow = dayOfWeek(day);
    boolean weekend = dow >= 5;
    long base = day * DAY - offsetMs(p, day);
    double a = p.activity * intensity;

    double pDay;
    int sessions;
    int reqLo;
    int reqHi;
    switch (p.base) {
      case LIGHT -> {
        pDay = weekend ? 0.03 : 0.35;
        sessions = Rng.chance(r, 0.2) ? 2 : 1;
        reqLo = 1;
        reqHi = 4;
      }
      case REGULAR -> {
        pDay = weekend ? 0.08 : 0.8;
        sessions = Rng.between(r, 1, 3);
        reqLo = 2;
        reqHi = 10;
      }
      case POWER -> {
        pDay = weekend ? 0.3 : 0.95;
        sessions = Rng.between(r, 2, 6);
        reqLo = 4;
        reqHi = 20;
      }
      case DEPLOY_AUTOMATION -> {
        pDay = weekend ? 0.05 : 0.6;
        sessions = Rng.between(r, 1, 2);
        reqLo = 2;
        reqHi = 6;
      }
      default -> {
        return;
      }
    }
    double dayDraw = r.nextDouble();
    if (dayDraw < Math.min(0.98, pDay * Math.sqrt(a))) {
      int ns = Math.max(1, (int) Math.round(sessions * a));
      for (int si = 0; si < ns; si++) {
        long startMin =
            weekend
                ? 10 * 60 + r.nextInt(12 * 60)
                : p.workStartMinute + r.nextInt(9 * 60 + 30);
        long time = base + startMin * MINUTE + r.nextInt(60_000);
        long sessSeed = r.nextLong();
        int reqs = Math.max(1, (int) Math.round(Rng.between(r, reqLo, reqHi) * Math.sqrt(a)));
        for (int k = 0; k < reqs; k++) {
          sink.add(time, sessSeed, r.nextLong(), K_INTERACTIVE);
          time += Rng.logNormal(r, 75_000, 0.9, 4_000, 25 * MINUTE);
        }
      }
    }
    if (p.base == Archetype.DEPLOY_AUTOMATION) {
      // nightly scheduled test run, every day including weekends
      if (Rng.chance(r, 0.92)) {
        long time = base + p.nightlyMinute * MINUTE + r.nextInt(90_000);
        long sessSeed = r.nextLong();
        int reqs = Rng.between(r, 3, 6);
        for (int k = 0; k < reqs; k++) {
          sink.add(time, sessSeed, r.nextLong(), K_NIGHTLY);
          time += 20_000 + r.nextInt(100_000);
        }
      }
      // deployment pipelines on weekdays
      if (!weekend) {
        int deploys = Rng.between(r, 0, 4);
        for (int d = 0; d < deploys; d++) {
          long time = base + (p.workStartMinute + r.nextInt(9 * 60)) * MINUTE + r.nextInt(60_000);
          long sessSeed = r.nextLong();
          int reqs = Rng.between(r, 2, 5);
          for (int k = 0; k < reqs; k++) {
            sink.add(time, sessSeed, r.nextLong(), K_DEPLOY);
            time += 15_000 + r.nextInt(45_000);
          }
        }
      }
    }
    if (p.hasDigest && !weekend && Rng.chance(r, 0.9)) {
      long time = base + p.digestMinute * MINUTE + r.nextInt(60_000);
      sink.add(time, r.nextLong(), r.nextLong(), K_DIGEST);
    }
  }

  private static void loop(long seed, Directory.Person p, int week, long lo, long hi, Sink sink) {
    SplittableRandom r = Rng.stream(seed, SALT_LOOP, p.index, week);
    int windows = Rng.between(r, 1, 3);
    long interval = (long) ((5 + 15 * r.nextDouble()) * MINUTE);
    for (int w = 0; w < windows; w++) {
      long ws = lo + (long) (r.nextDouble() * (7 * DAY - 6 * HOUR));
      long we = Math.min(hi, ws + 8 * HOUR + (long) (r.nextDouble() * 64 * HOUR));
      long windowSession = r.nextLong();
      for (long t0 = ws; t0 < we; t0 += interval) {
        long jitter = r.nextInt(40_001) - 20_000;
        long sess = p.loopOneSession ? windowSession : r.nextLong();
        long ev = r.nextLong();
        if (Rng.chance(r, 0.03)) {
          continue; // laptop asleep, run skipped
        }
        sink.add(t0 + jitter, sess, ev, K_LOOP);
      }
    }
  }

  private static void flood(
      long seed, Directory.Person p, int week, long weekStartDay, long hi, Sink sink) {
    SplittableRandom r = Rng.stream(seed, SALT_FLOOD, p.index, week);
    long friday = weekStartDay + 4;
    long burstStart =
        friday * DAY - offsetMs(p, friday) + 16 * HOUR + (long) (r.nextDouble() * 5 * HOUR);
    long burstEnd = hi - 15 * MINUTE - (long) (r.nextDouble() * 5 * HOUR);
    long span = Math.max(HOUR, burstEnd - burstStart - 20 * MINUTE);
    int sessions = Rng.between(r, 3, 10);
    for (int s = 0; s < sessions; s++) {
      long time = burstStart + (long) (r.nextDouble() * span);
      long sessSeed = r.nextLong();
      int reqs = Rng.between(r, 6, 25);
      for (int k = 0; k < reqs && time < burstEnd; k++) {
        sink.add(time, sessSeed, r.nextLong(), K_FLOOD);
        time += 10_000 + r.nextInt(80_000);
      }
    }
  }

  private static void repeat(
      long seed, Directory.Person p, int week, long weekStartDay, Sink sink) {
    SplittableRandom r = Rng.stream(seed, SALT_REPEAT, p.index, week);
    for (int d = 0; d < 5; d++) {
      long day = weekStartDay + d;
      if (!Rng.chance(r, 0.7)) {
        continue;
      }
      long base = day * DAY - offsetMs(p, day);
      int sessions = Rng.between(r, 1, 3);
      for (int s = 0; s < sessions; s++) {
        long time = base + (p.workStartMinute + r.nextInt(9 * 60)) * MINUTE + r.nextInt(60_000);
        long sessSeed = r.nextLong();
        int reqs = Rng.between(r, 5, 15);
        for (int k = 0; k < reqs; k++) {
          sink.add(time, sessSeed, r.nextLong(), K_REPEAT);
          time += 30_000 + r.nextInt(150_000);
        }
      }
    }
  }

  /** Sorts by time, ties by insertion order (itself deterministic). */
  private void sort() {
    if (n < 2) {
      return;
    }
    long base = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      base = Math.min(base, t[i]);
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((t[i] - base) << 32) | i; // a week spans < 2^31 ms
    }
    Arrays.sort(keys);
    long[] t2 = new long[n];
    long[] s2 = new long[n];
    long[] e2 = new long[n];
    byte[] k2 = new byte[n];
    for (int i = 0; i < n; i++) {
      int j = (int) (keys[i] & 0xFFFFFFFFL);
      t2[i] = t[j];
      s2[i] = sess[j];
      e2[i] = ev[j];
      k2[i] = kind[j];
    }
    t = t2;
    sess = s2;
    ev = e2;
    kind = k2;
  }
}
