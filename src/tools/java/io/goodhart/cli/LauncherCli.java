package io.goodhart.cli;

import io.goodhart.bench.BenchCommand;
import io.goodhart.generate.GenerateCommand;
import picocli.CommandLine;

/**
 * The command line of the {@code ./goodhart} launcher: every command of {@link GoodhartCli} plus the
 * commands that only make sense on the machine holding the repository: {@code quickstart} (the bundled
 * sample and its ground truth), {@code generate}, {@code evaluate} and {@code bench}. They live in the
 * tools source tree so that the cluster jar, which runs {@link GoodhartCli}, carries none of them.
 */
public final class LauncherCli {
  private LauncherCli() {}

  public static CommandLine commandLine() {
    CommandLine cli = GoodhartCli.commandLine();
    cli.addSubcommand(new QuickstartCommand());
    cli.addSubcommand(new GenerateCommand());
    cli.addSubcommand(new EvaluateCommand());
    cli.addSubcommand(new BenchCommand());
    // Without a command, the usage to print is this one, with the launcher's commands in it.
    CommandLine.IExecutionStrategy commands = cli.getExecutionStrategy();
    cli.setExecutionStrategy(parseResult -> {
      if (!parseResult.hasSubcommand() && !parseResult.isUsageHelpRequested()
          && !parseResult.isVersionHelpRequested()) {
        cli.usage(cli.getOut());
        cli.getOut().flush();
        return ExitCodes.OK;
      }
      return commands.execute(parseResult);
    });
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
