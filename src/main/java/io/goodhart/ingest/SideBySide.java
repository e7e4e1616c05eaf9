package io.goodhart.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent Spark actions side by side from the driver (one thread each) and returns their results in
 * the order given. Every action runs to its end before this returns, so nothing is still writing when the
 * caller reports a failure; the first failure, in the order given, is then rethrown as it was. A single
 * action runs on the calling thread.
 */
final class SideBySide {
  private SideBySide() {}

  static <T> List<T> run(List<Callable<T>> actions) {
    if (actions.size() == 1) {
      return List.of(call(actions.get(0)));
    }
    // New threads, not a shared pool: Spark's local properties (job group, scheduler pool) are inherited
    // when a thread is created.
    ExecutorService threads = Executors.newFixedThreadPool(actions.size(), r -> {
      Thread t = new Thread(r, "goodhart-side-by-side");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> action : actions) {
        futures.add(threads.submit(action));
      }
      List<T> results = new ArrayList<>();
      Throwable firstFailure = null;
      for (Future<T> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          if (firstFailure == null) {
            firstFailure = e.getCause();
          }
          results.add(null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for side-by-side actions", e);
        }
      }
      if (firstFailure != null) {
        throw asUnchecked(firstFailure);
      }
      return results;
    } finally {
      threads.shutdown();
    }
  }

  private static <T> T call(Callable<T> action) {
    try {
      return action.call();
    } catch (Exception e) {
      throw asUnchecked(e);
    }
  }

  private static RuntimeException asUnchecked(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
