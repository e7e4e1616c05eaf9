package io.goodhart.cli;

import io.goodhart.curated.AuditFailedException;
import io.goodhart.generate.GenerateCommand;
import io.goodhart.ingest.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code goodhart} command line: one subcommand per job, each usable alone, so Airflow, a person
 * at a terminal and the tests all drive the same entry points. Exit codes are in {@link ExitCodes}.
 */
@Command(name = "goodhart", mixinStandardHelpOptions = true, version = "goodhart 0.1.0",
    description = "AI-usage analytics that still mean something: Spark jobs on an Iceberg lake.",
    subcommands = {
        QuickstartCommand.class,
       GenerateCommand.class,
        IngestCommand.class,
        LoadDirectoryCommand.class,
        NightlyCommand.class,
        CuratedCommands.UserUsage.class,
        CuratedCommands.Features.class,
        CuratedCommands.Classify.class,
        ScoreCommand.class,
        EvaluateCommand.class,
        CuratedCommands.Engagement.class,
        CuratedCommands.Leaderboard.class,
        SqlCommand.class,
        ServeCommand.class,
        ReportCommand.class,
    })
public final class GoodhartCli implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new GoodhartCli());
    cli.setExecutionExceptionHandler((e, command, parseResult) -> {
      int code = exitCodeFor(e);
      command.getErr().println("goodhart " + command.getCommandName() + ": " + label(code) + ": " + message(e));
      if (code == ExitCodes.INTERNAL || code == ExitCodes.INFRASTRUCTURE || System.getenv("GOODHART_DEBUG") != null) {
        e.printStackTrace(command.getErr());
      }
      return code;
    });
    return cli;
  }

  public static int exitCodeFor(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException) {
        return ExitCodes.BAD_INPUT;
      }
      if (t instanceof AuditFailedException) {
        return ExitCodes.AUDIT_FAILED;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.sql.SQLException
          || t instanceof org.apache.iceberg.exceptions.CommitFailedException
          || t instanceof org.apache.iceberg.exceptions.RuntimeIOException) {
        return ExitCodes.INFRASTRUCTURE;
      }
    }
    return ExitCodes.INTERNAL;
  }

  private static String label(int code) {
    return switch (code) {
      case ExitCodes.BAD_INPUT -> "bad input";
      case ExitCodes.AUDIT_FAILED -> "audit failed";
      case ExitCodes.INFRASTRUCTURE -> "infrastructure error";
      default -> "internal error";
    };
  }

  private static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException || t instanceof AuditFailedException) {
        return t.getMessage();
      }
    }
    return String.valueOf(e.getMessage());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
