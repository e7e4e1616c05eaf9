package io.goodhart.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.cli.GoodhartCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** jobs/nightly.yaml, the runner and the CLI describe the same jobs. */
class JobGraphTest {

  @Test
  void theNightlyOrderIsIngestAndDirectoryFirstThenTheCuratedJobs() {
    assertEquals(List.of("ingest", "load-directory", "user-usage", "features", "classify", "engagement", "leaderboard",
            "bi-views"),
        JobGraph.load().order().stream().map(JobGraph.Job::name).toList());
  }

  @Test
  void everyDeclaredJobHasARunnerAndACommandThatParses() {
    Set<String> declared = JobGraph.load().jobs().stream().map(JobGraph.Job::name).collect(Collectors.toSet());
    assertEquals(NightlyRunner.KNOWN_JOBS, declared);
    for (JobGraph.Job job : JobGraph.load().jobs()) {
      assertTrue(job.command().startsWith("goodhart "), job.command());
      String[] args = job.command().substring("goodhart ".length())
          .replace("{date}", "2026-11-23").replace("{input}", "feed/events").replace("{directory}", "directory.csv")
          .split(" ");
      // Parsing (not running) proves the command and its options exist as the spec writes them.
      GoodhartCli.commandLine().parseArgs(args);
      if (!job.name().equals(NightlyRunner.BI_VIEWS)) {
        assertEquals(job.name(), args[0], "a job's command is the command of the same name");
      }
    }
  }

  @Test
  void dependenciesComeFirstWhateverTheFileOrder() throws IOException {
    JobGraph graph = parse("""
        jobs:
          - {name: c, command: x, reads: [], writes: [], depends_on: [b]}
          - {name: a, command: x, reads: [], writes: [], depends_on: []}
          - {name: b, command: x, reads: [], writes: [], depends_on: [a]}
        """);
    assertEquals(List.of("a", "b", "c"), graph.order().stream().map(JobGraph.Job::name).toList());
  }

  @Test
  void unknownDependenciesAndCyclesAreRejected() {
    IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> parse("""
        jobs:
          - {name: a, command: x, reads: [], writes: [], depends_on: [nope]}
        """));
    assertEquals("jobs/nightly.yaml: job a depends on unknown job nope", unknown.getMessage());
    IllegalStateException cycle = assertThrows(IllegalStateException.class, () -> parse("""
        jobs:
          - {name: a, command: x, reads: [], writes: [], depends_on: [b]}
          - {name: b, command: x, reads: [], writes: [], depends_on: [a]}
        """));
    assertEquals("jobs/nightly.yaml: the depends_on links form a cycle", cycle.getMessage());
  }

  private static JobGraph parse(String yaml) throws IOException {
    return JobGraph.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
