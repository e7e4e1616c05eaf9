package io.goodhart.tools;

import io.goodhart.cli.GoodhartCli;
import io.goodhart.evaluation.EvaluateCommand;
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
    return cli;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
