package io.goodhart.cli;

import io.goodhart.tools.LauncherCli;

import io.goodhart.runs.AuditFailedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.LakeConfig;
import io.goodhart.testing.TestLake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a scheduler sees it: exit codes and messages, on the shared test lake. */
class GoodhartCliTest {
  @TempDir Path dir;

  private record Outcome(int code, String err) {}

  private Outcome run(String... args) {
    return run(GoodhartCli.commandLine(), args);
  }

  private Outcome run(CommandLine cli, String... args) {
    TestLake.spark();
    LakeConfig config = TestLake.freshConfig("cli");
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--conf", LakeConfig.LAKE_DIR + "=" + TestLake.lakeDir(),
        "--conf", LakeConfig.RAW_NAMESPACE + "=" + config.rawNamespace(),
        "--conf", LakeConfig.CURATED_NAMESPACE + "=" + config.curatedNamespace()));
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(all.toArray(String[]::new));
    return new Outcome(code, err.toString());
  }

  @Test
  void helpListsTheCommands() {
    StringWriter out = new StringWriter();
    CommandLine cli = LauncherCli.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--help"));
    for (String command : List.of("quickstart", "generate", "ingest", "load-directory", "nightly", "user-usage",
        "features", "train", "classify", "score", "evaluate", "engagement", "leaderboard", "sql", "forget", "bench")) {
      assertTrue(out.toString().contains(command), command + " missing from --help");
    }
  }

  @Test
  void theClusterCommandLineListsEveryJobOfTheRegistryWithOrWithoutHelp() {
    for (String[] args : List.of(new String[] {"--help"}, new String[0])) {
      StringWriter out = new StringWriter();
      CommandLine cli = GoodhartCli.commandLine();
      cli.setOut(new PrintWriter(out));
      assertEquals(0, cli.execute(args));
      for (String command : List.of("ingest", "load-directory", "nightly", "user-usage", "features", "train",
          "classify", "engagement", "leaderboard", "bi-publish", "score", "sql", "serve", "report", "maintain",
          "forget")) {
        assertTrue(out.toString().contains("  " + command + " "), command + " missing from " + String.join(" ", args)
            + ":\n" + out);
      }
    }
  }

  @Test
  void theLauncherAddsItsToolsToTheClusterCommandsAndListsThemWithoutACommand() {
    Set<String> tools = Set.of("quickstart", "generate", "evaluate", "bench");
    Set<String> cluster = GoodhartCli.commandLine().getSubcommands().keySet();
    assertTrue(cluster.stream().noneMatch(tools::contains), "the cluster jar's command line has no tools: " + cluster);
    Set<String> launcher = LauncherCli.commandLine().getSubcommands().keySet();
    assertTrue(launcher.containsAll(tools) && launcher.containsAll(cluster), launcher.toString());

    StringWriter out = new StringWriter();
    CommandLine cli = LauncherCli.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(ExitCodes.OK, cli.execute());
    assertTrue(out.toString().contains("  bench ") && out.toString().contains("  ingest "), out.toString());
  }

  @Test
  void aMissingInputIsBadInputWithTheReason() {
    Outcome o = run("ingest", "--input", dir.resolve("absent").toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertEquals("goodhart ingest: bad input: input " + dir.resolve("absent") + " does not exist", o.err().trim());
  }

  @Test
  void aBrokenDirectoryIsBadInput() throws Exception {
    Path csv = dir.resolve("directory.csv");
    Files.writeString(csv, "user_id,team_id\nu1,t1\n");
    Outcome o = run("load-directory", "--input", csv.toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("header lacks required column(s) team_name, org, is_developer, valid_from"), o.err());
  }

  @Test
  void failuresMapToTheExitCodesASchedulerActsOn() {
    assertEquals(ExitCodes.AUDIT_FAILED, GoodhartCli.exitCodeFor(new RuntimeException("wrapped",
        new io.goodhart.runs.AuditFailedException("t", List.of("events off by 1")))));
    assertEquals(ExitCodes.BAD_INPUT, GoodhartCli.exitCodeFor(new io.goodhart.lake.InputException("missing")));
    assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(new RuntimeException(new java.io.IOException("disk"))));
    assertEquals(ExitCodes.INTERNAL, GoodhartCli.exitCodeFor(new IllegalStateException("bug")));
  }

  @Test
  void curatedJobsWithoutADirectoryAreBadInput() {
    Outcome o = run("engagement", "--date", "2026-11-23");
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("has never been loaded: run goodhart load-directory first"), o.err());
  }

  @Test
  void commandsThatReadResultsSayWhatIsMissingOnAnEmptyLake() throws Exception {
    Path labels = dir.resolve("labels.csv");
    Files.writeString(labels, "user_id,week_start,archetype,padding\nu1,2026-11-16,steady,false\n");
    Outcome evaluate = run(LauncherCli.commandLine(), "evaluate", "--labels", labels.toString());
    assertEquals(ExitCodes.BAD_INPUT, evaluate.code(), evaluate.err());
    assertTrue(evaluate.err().trim().matches("goodhart evaluate: bad input: nothing to evaluate: lake\\.curated_\\w+_private"
        + "\\.usage_classification holds no verdicts yet; run goodhart train and classify --date D \\(or goodhart nightly\\) first"),
        evaluate.err());

    Outcome report = run("report", "--week", "2026-W47", "--out", dir.resolve("report").toString());
    assertEquals(ExitCodes.BAD_INPUT, report.code(), report.err());
    assertTrue(report.err().trim().matches("goodhart report: bad input: nothing to report for 2026-W47: "
        + "lake\\.curated_\\w+\\.team_weekly_engagement holds no published figures for that week; run goodhart nightly "
        + "\\(ingest, the curated jobs and bi-publish\\) for a date of that week first"), report.err());
    assertFalse(Files.exists(dir.resolve("report").resolve("index.html")));

    for (String[] command : List.of(new String[] {"score", "--model-run", "classify-x", "--date", "2026-11-23"},
        new String[] {"leaderboard", "--date", "2026-11-23"}, new String[] {"classify", "--date", "2026-11-23"})) {
      Outcome o = run(command);
      assertEquals(ExitCodes.BAD_INPUT, o.code(), command[0] + ": " + o.err());
      assertTrue(o.err().trim().endsWith("has never been loaded: run goodhart load-directory first"), o.err());
      assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    }
  }

  @Test
  void nightlyTakesADateOrARangeButNotBoth() {
    assertEquals(ExitCodes.USAGE, GoodhartCli.commandLine().execute("nightly"));
    assertEquals(ExitCodes.USAGE, GoodhartCli.commandLine().execute("nightly", "--date", "2026-11-23",
        "--from", "2026-11-01", "--to", "2026-11-02"));
    assertEquals(ExitCodes.USAGE, GoodhartCli.commandLine().execute("nightly", "--from", "2026-11-01"));
  }

  @Test
  void wrongUsageIsAUsageError() {
    assertEquals(ExitCodes.USAGE, GoodhartCli.commandLine().execute("ingest"));
    assertEquals(ExitCodes.USAGE, GoodhartCli.commandLine().execute("ingest", "--input", "x", "--date", "23/11/2026"));
  }

  @Test
  void ingestOfOneDeliveryDayWorksThroughTheCli() throws Exception {
    Path events = dir.resolve("events/date=2026-11-23");
    Files.createDirectories(events);
    Files.writeString(events.resolve("a.jsonl"),
        "{\"event_id\":\"e1\",\"event_time\":\"2026-11-23T09:00:00Z\",\"user_id\":\"u1\",\"tool\":\"cursor\","
            + "\"operation\":\"chat\",\"input_tokens\":5,\"output_tokens\":6}\n");
    assertEquals(ExitCodes.OK, run("ingest", "--input", dir.resolve("events").toString(), "--date", "2026-11-23").code());
  }
}
