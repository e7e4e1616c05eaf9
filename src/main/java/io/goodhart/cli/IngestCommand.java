package io.goodhart.cli;

import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.IngestLedger;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Load usage-event files (*.jsonl, *.jsonl.gz; local or s3a://) into raw.usage_events, "
        + "exactly once per event_id; contract breaks go to raw.usage_events_rejected.")
final class IngestCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "PATH", description = "A file or a folder of event files.")
  String input;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD",
      description = "Read only the delivery folder date=YYYY-MM-DD under --input (or under --input/events).")
  LocalDate date;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    try (LakeOptions.Lake open = lake.open()) {
      IngestLedger ledger = new IngestJob(open.spark(), open.tables(), System.out::println)
          .run(new IngestJob.Config(input, date));
      return ledger.balances() ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
  }
}
