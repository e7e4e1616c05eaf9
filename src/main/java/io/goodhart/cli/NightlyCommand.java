package io.goodhart.cli;

import io.goodhart.nightly.NightlyRunner;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "nightly", mixinStandardHelpOptions = true,
    description = "Run the nightly job graph (jobs/nightly.yaml) for one date or a backfill range: "
        + "ingest the day's delivery (with --input), refresh the directory (with --directory) and the identities (with --identities), then the curated jobs.")
final class NightlyCommand implements Callable<Integer> {

  static final class Dates {
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "One logical date.")
    LocalDate date;

    @ArgGroup(exclusive = false)
    Range range;
  }

  static final class Range {
    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First date of a backfill.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last date of a backfill (inclusive).")
    LocalDate to;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Dates dates;

  @Option(names = "--input", paramLabel = "PATH",
      description = "The feed's events folder; each date ingests its delivery folder date=YYYY-MM-DD.")
  String input;

  @Option(names = "--directory", paramLabel = "FILE", description = "A directory.csv to load before the curated jobs.")
  String directory;

  @Option(names = "--identities", paramLabel = "FILE",
      description = "An identities CSV (source, source_user_key, user_id, valid_from, valid_to) to load before the "
          + "curated jobs.")
  String identities;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    LocalDate from = dates.date != null ? dates.date : dates.range.from;
    LocalDate to = dates.date != null ? dates.date : dates.range.to;
    try (LakeOptions.Lake open = lake.open()) {
      new NightlyRunner(open.spark(), open.tables(), open.config(), System.out::println)
          .run(new NightlyRunner.Options(from, to, input, directory, identities));
      return ExitCodes.OK;
    }
  }
}
