package io.goodhart.cli;

import io.goodhart.erasure.ForgetJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forget", mixinStandardHelpOptions = true,
    description = "Erase one person on request: their raw events, rejected lines, directory stints and per-person "
        + "rows (private and BI) are deleted, the weeks they counted in are recomputed and republished, the "
        + "snapshots that still hold them are expired, and a keyed hash of the id keeps re-deliveries out. "
        + "Run it while no nightly runs. The delivery files in the feed are not touched.")
final class ForgetCommand implements Callable<Integer> {
  @Option(names = "--user", required = true, paramLabel = "ID", description = "The user_id to erase.")
  String user;

  @Option(names = "--reason", paramLabel = "TEXT",
      description = "Why (a request reference, say); kept on the erasure list. It must not hold the id.")
  String reason;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    try (LakeOptions.Lake open = lake.open()) {
      ForgetJob.Result result = new ForgetJob(open.spark(), open.tables(), open.config(), System.out::println)
          .run(user, reason);
      System.out.println("forget: done (" + result.runId() + ")");
      return ExitCodes.OK;
    }
  }
}
