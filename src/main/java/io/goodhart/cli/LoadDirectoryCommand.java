package io.goodhart.cli;

import io.goodhart.directory.DirectoryLoadJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "load-directory", mixinStandardHelpOptions = true,
    description = "Replace raw.developer_directory with the stints of a directory.csv (validated whole first).")
final class LoadDirectoryCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "FILE", description = "The directory.csv (local or s3a://).")
  String input;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    try (LakeOptions.Lake open = lake.open()) {
      new DirectoryLoadJob(open.spark(), open.tables(), System.out::println).run(input);
      return ExitCodes.OK;
    }
  }
}
