package io.goodhart.cli;

import io.goodhart.padding.ClassifyJob;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Re-score the date's week (and weeks with late events) with a kept model run instead of "
        + "training a new one, replacing their rows of curated.usage_classification.")
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--model-run", required = true, paramLabel = "RUN_ID", description = "A run_id of curated.model_runs.")
  String modelRun;

  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The logical date.")
  LocalDate date;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    lake.conf.put(ClassifyJob.PINNED_RUN, modelRun);
    try (LakeOptions.Lake open = lake.open()) {
      new ClassifyJob(open.spark(), open.tables(), open.config(), System.out::println).run(date);
      return ExitCodes.OK;
    }
  }
}
