package io.goodhart.cli;

import io.goodhart.runs.AuditFailedException;
import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.nightly.JobRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code goodhart} command line: one subcommand per job, each usable alone, so Airflow, a person
 * at a terminal and the tests all drive the same entry points. The jobs' commands come from the job
 * registry ({@link JobRegistry}); the commands listed here are the others. Exit codes are in {@link ExitCodes}.
 */
@Command(name = "goodhart", mixinStandardHelpOptions = true, version = "goodhart 0.1.0",
    description = "AI-usage analytics that still mean something: Spark jobs on an Iceberg lake.",
    subcommands = {
        NightlyCommand.class,
        ScoreCommand.class,
        SqlCommand.class,
        ServeCommand.class,
        ReportCommand.class,
        MaintainCommand.class,
        ForgetCommand.class,
    })
public final class GoodhartCli implements Runnable {

  @Spec
  private CommandSpec spec;

  /** Without a command: the usage of the command line this runs in, with every command added to it. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new GoodhartCli());
    // Built before --config is parsed, so with the jobs every lake has.
    for (JobRegistry.Job job : JobRegistry.jobs(LakeConfig.defaults())) {
      if (job.cli().command() != null) {
        cli.addSubcommand(JobCommandLine.of(job.cli().command().get()));
      }
    }
    cli.setExecutionExceptionHandler((e, command, parseResult) -> {
      int code = exitCodeFor(e);
      Throwable unreachable = code == ExitCodes.INFRASTRUCTURE ? storageUnreachable(e) : null;
      String contention = code == ExitCodes.INFRASTRUCTURE && unreachable == null ? contention(e) : null;
      command.getErr().println("goodhart " + command.getCommandName() + ": " + label(code) + ": "
          + (unreachable != null ? storageMessage(unreachable) : contention != null ? contention : message(e)));
      // An unreachable store or a concurrent run is said in one line (a scheduler's log needs no stack
      // trace to act on it); anything else unexpected keeps its trace.
      boolean traced = code == ExitCodes.INTERNAL
          || code == ExitCodes.INFRASTRUCTURE && unreachable == null && contention == null;
      if (traced || System.getenv("GOODHART_DEBUG") != null) {
        e.printStackTrace(command.getErr());
      }
      return code;
    });
    return cli;
  }

  public static int exitCodeFor(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.goodhart.lake.SettingException) {
        return ExitCodes.USAGE;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException) {
        return ExitCodes.BAD_INPUT;
      }
      if (t instanceof AuditFailedException) {
        return ExitCodes.AUDIT_FAILED;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException
          || t instanceof java.sql.SQLException || isAwsClientFailure(t)
          || t instanceof org.apache.iceberg.exceptions.CommitFailedException
          || t instanceof org.apache.iceberg.exceptions.RuntimeIOException) {
        return ExitCodes.INFRASTRUCTURE;
      }
    }
    return ExitCodes.INTERNAL;
  }

  /**
   * The AWS SDK's "could not talk to the service" exceptions (v1 {@code com.amazonaws.SdkClientException},
   * v2 {@code software.amazon.awssdk.core.exception.SdkClientException}) are unchecked, so they can reach
   * us without an IOException around them. Matched by name: goodhart does not depend on either SDK.
   */
  static boolean isAwsClientFailure(Throwable t) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("com.amazonaws.SdkClientException")
          || c.getName().equals("software.amazon.awssdk.core.exception.SdkClientException")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The failure that says the store could not be reached (refused or timed-out connection, unknown
   * host, the AWS SDK giving up on a request), or null. Returns the outermost exception of the chain
   * that names a storage operation (S3A's say {@code getFileStatus on s3a://bucket/key: ...}), so the
   * message tells both what was being done and why it failed.
   */
  static Throwable storageUnreachable(Throwable e) {
    boolean network = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
          || t instanceof java.net.UnknownHostException || t instanceof java.net.NoRouteToHostException
          || isAwsClientFailure(t) || t.getClass().getName().equals("org.apache.hadoop.fs.s3a.AWSClientIOException")
          || t.getClass().getName().equals("org.apache.http.conn.ConnectTimeoutException")
          || t.getClass().getName().equals("org.apache.http.conn.HttpHostConnectException")) {
        network = true;
      }
    }
    if (!network) {
      return null;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException && t.getMessage() != null && t.getMessage().contains("://")) {
        return t;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException || isAwsClientFailure(t)) {
        return t;
      }
    }
    return e;
  }

  /**
   * One line for a failure caused by another process using the lake at the same moment, or null: a
   * publish refused by optimistic concurrency, a commit that lost the race for a table's metadata
   * pointer, or the embedded SQLite catalog still locked after its busy timeout. Each leaves every
   * table at a committed state, so retrying is the remedy.
   */
  static String contention(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.goodhart.runs.ConcurrentPublishException
          || t instanceof io.goodhart.ingest.ConcurrentIngestException) {
        return "concurrent run: " + firstLine(t);
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.iceberg.exceptions.CommitFailedException) {
        return "concurrent run: another process committed to the same table first (" + firstLine(t)
            + "); nothing half-done was committed, re-running is safe";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException && (String.valueOf(t.getMessage()).contains("SQLITE_BUSY")
          || String.valueOf(t.getMessage()).contains("database is locked"))) {
        return "catalog busy: another process held the catalog database locked for longer than its busy timeout ("
            + firstLine(t) + "); nothing half-done was committed, re-running is safe";
      }
    }
    return null;
  }

  private static String firstLine(Throwable t) {
    return String.valueOf(t.getMessage()).lines().findFirst().orElse("").trim();
  }

  private static String storageMessage(Throwable t) {
    String text = String.valueOf(t.getMessage()).lines().findFirst().orElse("").trim();
    return "storage unreachable: " + text + " (no partial snapshot was committed; re-running is safe)";
  }

  private static String label(int code) {
    return switch (code) {
      case ExitCodes.USAGE -> "usage error";
      case ExitCodes.BAD_INPUT -> "bad input";
      case ExitCodes.AUDIT_FAILED -> "audit failed";
      case ExitCodes.INFRASTRUCTURE -> "infrastructure error";
      default -> "internal error";
    };
  }

  private static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException || t instanceof AuditFailedException
          || t instanceof io.goodhart.lake.SettingException) {
        return t.getMessage();
      }
    }
    return String.valueOf(e.getMessage());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
