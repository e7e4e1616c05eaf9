package io.goodhart.cli;

import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.IngestLedger;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Load usage-event files (*.jsonl, *.ndjson, gzip or not; local or s3a://) into raw.usage_events, "
        + "exactly once per event_id; contract breaks go to raw.usage_events_rejected; every file looked at goes to "
        + "the manifest raw.ingested_files, and a file already there is not read again.")
final class IngestCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "PATH", description = "A file or a folder of event files.")
  String input;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "Read the delivery folder date=YYYY-MM-DD under --input (or under --input/events), and the "
          + "folders of the days before it within goodhart.ingest.lookback-days (default 7): files that arrived late.")
  LocalDate date;

  @Option(names = "--reload",
      description = "Read the files the manifest already holds too (their lines go through the duplicate check).")
  boolean reload;

  @Option(names = "--strict",
      description = "Refuse the input when it holds a file that is not an event file (default: report and skip it).")
  boolean strict;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    try (LakeOptions.Lake open = lake.open()) {
      IngestLedger ledger = new IngestJob(open.spark(), open.tables(), System.out::println)
          .run(new IngestJob.Config(input, date, reload, strict));
      return ledger.balances() ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
  }
}
