package io.goodhart.cli;

import io.goodhart.nightly.JobCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A registry job's command as the CLI runs it: the job's name, description and options (from its
 * {@link JobCommand}), the options every command that touches the lake shares, and the job run on the lake
 * they open.
 */
@Command(mixinStandardHelpOptions = true)
final class JobCommandLine implements Callable<Integer> {
  @Mixin LakeOptions lake;

  private final JobCommand job;

  private JobCommandLine(JobCommand job) {
    this.job = job;
  }

  static CommandLine of(JobCommand job) {
    CommandSpec spec = CommandSpec.forAnnotatedObject(new JobCommandLine(job));
    spec.addMixin("job", CommandSpec.forAnnotatedObject(job));
    return new CommandLine(spec);
  }

  @Override
  public Integer call() {
    try (LakeOptions.Lake open = lake.open()) {
      return job.run(open.spark(), open.tables(), open.config(), System.out::println) ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
  }
}
