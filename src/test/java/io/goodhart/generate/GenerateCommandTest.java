package io.goodhart.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class GenerateCommandTest {

  @TempDir Path tmp;

  /** Parses {@code args} and runs the command, returning its result or throwing. */
  private static Integer run(StringWriter out, String... args) throws Exception {
    GenerateCommand cmd = new GenerateCommand();
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out));
    cl.parseArgs(args);
    return cmd.call();
  }

  private void assertRejected(String option, String... args) {
    ParameterException e = assertThrows(ParameterException.class, () -> run(new StringWriter(), args));
    assertTrue(e.getMessage().contains(option), e.getMessage());
  }

  @Test
  void rejectsBadValues() {
    String out = tmp.resolve("o").toString();
    assertRejected("--users", "--out", out, "--users", "0");
    assertRejected("--users", "--out", out, "--users", "-3");
    assertRejected("--weeks", "--out", out, "--weeks", "-1");
    assertRejected("--weeks", "--out", out, "--weeks", "0");
    assertRejected("--duplicate-rate", "--out", out, "--duplicate-rate", "1");
    assertRejected("--late-rate", "--out", out, "--late-rate", "-0.1");
    assertRejected("--malformed-rate", "--out", out, "--malformed-rate", "1.5");
    assertRejected("--files-per-day", "--out", out, "--files-per-day", "0");
    assertRejected("--launch-week", "--out", out, "--launch-week", "-2");
    assertRejected("--start", "--out", out, "--start", "next monday");
    assertRejected("--emit", "--out", out, "--emit", "csv");
    assertTrue(Files.notExists(tmp.resolve("o")), "nothing written for bad values");
  }

  @Test
  void outIsRequiredAndUsageErrorsExitWithTwo() {
    CommandLine cl = new CommandLine(new GenerateCommand());
    cl.setErr(new PrintWriter(new StringWriter()));
    assertEquals(2, cl.execute("--users", "5"));
    StringWriter err = new StringWriter();
    cl = new CommandLine(new GenerateCommand());
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("--out", tmp.resolve("p").toString(), "--users", "0"));
    assertTrue(err.toString().contains("--users must be at least 1"), err.toString());
  }

  @Test
  void refusesNonEmptyFolderThatIsNoGeneratorOutput() throws Exception {
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("keep.txt"), "x");
    ParameterException e =
        assertThrows(
            ParameterException.class,
            () -> run(new StringWriter(), "--out", foreign.toString(), "--users", "3", "--weeks", "1"));
    assertTrue(e.getMessage().contains("--out"), e.getMessage());
    assertTrue(Files.exists(foreign.resolve("keep.txt")));
  }

  @Test
  void generatesAndPrintsOneSummaryLine() throws Exception {
    Path out = tmp.resolve("gen");
    StringWriter sw = new StringWriter();
    Integer rc =
        run(sw, "--out", out.toString(), "--users", "12", "--weeks", "2", "--seed", "3",
            "--start", "2026-11-04", "--launch-week", "1", "--no-gzip", "--files-per-day", "1",
            "--duplicate-rate", "0.05", "--late-rate", "0.05", "--malformed-rate", "0.01");
    assertEquals(0, rc);
    String printed = sw.toString().trim();
    assertEquals(1, printed.lines().count(), printed);
    assertTrue(printed.matches("generated \\d+ events .* lines.* events/s\\)"), printed);
    assertTrue(Files.exists(out.resolve("events/date=2026-11-02/part-00000.jsonl")), "start snapped to Monday");
    assertTrue(Files.exists(out.resolve("generation-summary.json")));
    // a rerun over the previous output is accepted
    assertEquals(0, run(new StringWriter(), "--out", out.toString(), "--users", "12", "--weeks", "2"));
  }

  @Test
  void writesDailyReportsWithTheIdentitiesOfTheirKeysAndPrintsTheRows() throws Exception {
    Path out = tmp.resolve("daily");
    StringWriter sw = new StringWriter();
    assertEquals(0, run(sw, "--out", out.toString(), "--users", "5", "--weeks", "1", "--start", "2026-11-02",
        "--emit", "copilot-user-ndjson"));
    String printed = sw.toString().trim();
    assertTrue(printed.matches("generated \\d+ daily rows of \\d+ requests as copilot-user-ndjson for 5 users .*"),
        printed);
    assertTrue(Files.exists(out.resolve("events/date=2026-11-02/users-1-day-2026-11-02.ndjson.gz")));
    assertEquals("source,source_user_key,user_id,valid_from,valid_to",
        Files.readAllLines(out.resolve(UsageGenerator.IDENTITIES_FILE)).get(0));
    // Cursor's rows name people by the directory's email: a rerun leaves no identities behind
    assertEquals(0, run(new StringWriter(), "--out", out.toString(), "--users", "5", "--weeks", "1", "--start",
        "2026-11-02", "--emit", "cursor-daily"));
    assertTrue(Files.exists(out.resolve("events/date=2026-11-02/daily-usage-data-2026-11-02.json.gz")));
    assertTrue(Files.notExists(out.resolve(UsageGenerator.IDENTITIES_FILE)));
    assertTrue(Files.notExists(out.resolve("events/date=2026-11-02/users-1-day-2026-11-02.ndjson.gz")));
  }
}
