package io.goodhart.generate;

import java.util.SplittableRandom;

/** Deterministic seed derivation and a few distributions on top of {@link SplittableRandom}. */
final class Rng {
  private Rng() {}

  /** SplitMix64 finaliser: a bijection on 64-bit values. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Inverse-free combination of a seed with a salt and a list of keys. */
  static long derive(long seed, long salt, long... keys) {
    long h = mix64(seed ^ mix64(salt + 0x9e3779b97f4a7c15L));
    for (long k : keys) {
      h = mix64(h + 0x9e3779b97f4a7c15L + k);
    }
    return h;
  }

  static SplittableRandom stream(long seed, long salt, long... keys) {
    return new SplittableRandom(derive(seed, salt, keys));
  }

  /** Standard normal via Box-Muller (own implementation, so results never depend on the JDK). */
  static double gaussian(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    if (u1 < 1e-300) {
      u1 = 1e-300;
    }
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** Lognormal with the given median and log-space sigma, clamped into [min, max]. */
  static long logNormal(SplittableRandom r, double median, double sigma, long min, long max) {
    double v = median * Math.exp(sigma * gaussian(r));
    long x = Math.round(v);
    return Math.max(min, Math.min(max, x));
  }

  static boolean chance(SplittableRandom r, double p) {
    return r.nextDouble() < p;
  }

  /** Uniform integer in [lo, hi] inclusive. */
  static int between(SplittableRandom r, int lo, int hi) {
    return lo + r.nextInt(hi - lo + 1);
  }

  /** Index drawn from non-negative weights. */
  static int weighted(SplittableRandom r, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = r.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
