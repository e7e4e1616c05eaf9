package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Ingest's publishes of its three tables run side by side: results in order, every one done before a failure. */
class SideBySideTest {

  @Test
  void theActionsRunTogetherAndTheirResultsComeInTheOrderGiven() {
    // Each waits for the other to have started: run one after the other, they would time out.
    CountDownLatch bothStarted = new CountDownLatch(2);
    Callable<String> first = () -> {
      bothStarted.countDown();
      return bothStarted.await(10, TimeUnit.SECONDS) ? "requests" : "alone";
    };
    Callable<String> second = () -> {
      bothStarted.countDown();
      return bothStarted.await(10, TimeUnit.SECONDS) ? "interactions" : "alone";
    };
    assertEquals(List.of("requests", "interactions"), SideBySide.run(List.of(first, second)));
  }

  @Test
  void aFailureIsRethrownAsItWasOnlyOnceEveryOtherActionHasEnded() {
    IllegalStateException overtaken = new IllegalStateException("another run stored some of these events");
    AtomicBoolean slowOneEnded = new AtomicBoolean();
    Callable<Long> failing = () -> {
      throw overtaken;
    };
    Callable<Long> slow = () -> {
      Thread.sleep(300);
      slowOneEnded.set(true);
      return 7L;
    };
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> SideBySide.run(List.of(failing, slow)));
    assertSame(overtaken, thrown);
    assertTrue(slowOneEnded.get(), "the other publish had ended before the failure was reported");
  }

  @Test
  void aSingleActionRunsOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    assertEquals(List.of(true), SideBySide.run(List.<Callable<Boolean>>of(() -> Thread.currentThread() == caller)));
  }
}
