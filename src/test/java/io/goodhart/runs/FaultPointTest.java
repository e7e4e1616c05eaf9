package io.goodhart.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which runs a GOODHART_PAUSE_AT spec holds, and how a held run is seen and let go. */
class FaultPointTest {
  @TempDir Path dir;

  @Test
  void aSpecNamesAPointAndOptionallyItsTableOrJob() {
    assertTrue(FaultPoint.armed("publish", FaultPoint.PUBLISH, "lake.curated.user_weekly_usage"));
    assertTrue(FaultPoint.armed("publish:curated.user_weekly_usage", FaultPoint.PUBLISH, "lake.curated.user_weekly_usage"));
    assertTrue(FaultPoint.armed("bi-copy:classify", FaultPoint.BI_COPY, "classify"));
    // the private table and its BI copy share a name; the namespace tells them apart
    assertFalse(FaultPoint.armed("publish:curated.user_weekly_usage", FaultPoint.PUBLISH,
        "lake.curated_private.user_weekly_usage"));
    assertFalse(FaultPoint.armed("publish:user_weekly_usage", FaultPoint.PUBLISH, "lake.curated.user_weekly_usage_x"));
    assertFalse(FaultPoint.armed("bi-copy:classify", FaultPoint.BI_COPY, "leaderboard"));
    assertFalse(FaultPoint.armed("record-run", FaultPoint.BI_COPY, "classify"));
    assertFalse(FaultPoint.armed("ingest-writing-rejects:x", FaultPoint.INGEST_WRITING_REJECTS, null));
  }

  @Test
  void aHeldRunWritesItsMarkerAndGoesOnWhenTheMarkerIsDeleted() throws Exception {
    Path marker = dir.resolve("held");
    CompletableFuture<Void> run = CompletableFuture.runAsync(() -> FaultPoint.hold(marker, "publish:lake.curated.x"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(marker) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(Files.readString(marker).startsWith("publish:lake.curated.x pid=" + ProcessHandle.current().pid()));
    Thread.sleep(200);
    assertFalse(run.isDone(), "the run must wait while the marker exists");
    Files.delete(marker);
    run.get(10, TimeUnit.SECONDS);
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "no partial marker file is left behind");
    }
  }
}
