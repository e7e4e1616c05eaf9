package io.goodhart.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run one Spark SQL statement on the configured catalog and print the result as a table.")
final class SqlCommand implements Callable<Integer> {
  @Option(names = {"-e", "--execute"}, required = true, paramLabel = "SQL", description = "The statement.")
  String statement;

  @Option(names = "--max-rows", defaultValue = "100", description = "Rows to print at most (default ${DEFAULT-VALUE}).")
  int maxRows;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    try (LakeOptions.Lake open = lake.open()) {
      open.spark().sql("USE " + open.config().catalog());
      open.spark().sql(statement).show(maxRows, false);
      return ExitCodes.OK;
    }
  }
}
