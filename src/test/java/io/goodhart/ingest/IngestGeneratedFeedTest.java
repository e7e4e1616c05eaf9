package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.goodhart.lake.InputException;
import io.goodhart.generate.GenerationSummary;
import io.goodhart.generate.GeneratorConfig;
import io.goodhart.generate.UsageGenerator;
import io.goodhart.lake.LakeTables;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger on a generated feed with injected faults (re-delivered event_ids, late arrivals, malformed
 * lines), delivered day by day as production would: every line is accounted for, exactly.
 */
class IngestGeneratedFeedTest {
  @TempDir Path dir;

  @Test
  void dayByDayDeliveriesBalanceTheLedgerAndStoreEachEventOnce() throws IOException {
    SparkSession spark = TestLake.spark();
    LakeTables tables = new LakeTables(spark, TestLake.freshConfig("generated_feed"));
    GenerationSummary summary = new UsageGenerator().generate(GeneratorConfig.builder()
        .seed(11).users(40).weeks(2).start(LocalDate.of(2026, 11, 2))
        .duplicateRate(0.03).lateRate(0.05).malformedRate(0.01).out(dir).build());

    IngestJob job = new IngestJob(spark, tables, line -> { });
    long read = 0;
    long accepted = 0;
    long duplicates = 0;
    long rejected = 0;
    List<Path> days;
    try (Stream<Path> s = Files.list(dir.resolve("events"))) {
      days = s.sorted().toList();
    }
    for (Path day : days) {
      LocalDate date = LocalDate.parse(day.getFileName().toString().substring("date=".length()));
      IngestLedger ledger;
      try {
        ledger = job.run(new IngestJob.Config(dir.resolve("events").toString(), date));
      } catch (InputException emptyDay) {
        assertEquals("input holds no lines: every event file is empty", emptyDay.getMessage());
        continue;
      }
      assertEquals(ledger.linesRead(), ledger.accepted() + ledger.duplicates() + ledger.rejected(), date.toString());
      read += ledger.linesRead();
      accepted += ledger.accepted();
      duplicates += ledger.duplicates();
      rejected += ledger.rejected();
    }

    assertEquals(summary.linesTotal(), read);
    assertEquals(summary.events(), accepted);
    assertEquals(summary.duplicateLines(), duplicates);
    assertEquals(summary.malformedLines(), rejected);
    assertEquals(summary.events(), spark.table(tables.usageEvents()).count());
    assertEquals(summary.events(), spark.table(tables.usageEvents()).select("event_id").distinct().count());
    assertEquals(summary.malformedLines(), spark.table(tables.usageEventsRejected()).count());

    IngestLedger again = job.run(new IngestJob.Config(dir.resolve("events").toString(), null));
    assertEquals(0, again.files(), "every file is in the manifest: none is read again");
    long files;
    try (Stream<Path> s = Files.walk(dir.resolve("events"))) {
      files = s.filter(Files::isRegularFile).count();
    }
    assertEquals(files, again.filesAlreadyIngested());
    IngestLedger replay = job.run(new IngestJob.Config(dir.resolve("events").toString(), null, true, false));
    assertEquals(new IngestLedger(replay.files(), summary.linesTotal(), 0, summary.duplicateLines(), summary.events(),
        summary.malformedLines(), summary.malformedLines()), replay, "replaying the whole feed adds nothing");
  }
}
