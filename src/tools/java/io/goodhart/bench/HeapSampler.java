package io.goodhart.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Peak memory of the driver JVM while a step runs (with Spark {@code local[*]} the driver is also the
 * executor, so this is all of goodhart's heap). Two readings per step, because neither is exact alone:
 * <ul>
 *   <li>{@code peak_heap_mb}: the highest heap in use seen by a thread sampling
 *       {@link MemoryMXBean#getHeapMemoryUsage()} every {@value #PERIOD_MS} ms (can miss a shorter spike);
 *   <li>{@code pool_peak_heap_mb}: the sum of every heap pool's {@link MemoryPoolMXBean#getPeakUsage()}
 *       since the step began (misses nothing, but pools peak at different moments, so it is an upper
 *       bound).
 * </ul>
 */
final class HeapSampler implements AutoCloseable {
  static final long PERIOD_MS = 20;
  private static final double MB = 1024.0 * 1024.0;

  /** What one step took: wall seconds and the two heap peaks in MiB. */
  record Measured<T>(T result, double seconds, double peakHeapMb, double poolPeakHeapMb) {}

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
  private final AtomicLong peak = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  HeapSampler() {
    thread = new Thread(() -> {
      while (running) {
        sample();
        try {
          Thread.sleep(PERIOD_MS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "goodhart-bench-heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    long used = memory.getHeapMemoryUsage().getUsed();
    peak.accumulateAndGet(used, Math::max);
  }

  /** Runs the step and measures it. Steps must not overlap: the peaks are reset when a step starts. */
  synchronized <T> Measured<T> measure(Supplier<T> step) {
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    peak.set(0);
    sample();
    long start = System.nanoTime();
    T result = step.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    sample();
    long pools = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    return new Measured<>(result, seconds, peak.get() / MB, pools / MB);
  }

  /** The heap the JVM may grow to, in MiB. */
  double maxHeapMb() {
    return memory.getHeapMemoryUsage().getMax() / MB;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
