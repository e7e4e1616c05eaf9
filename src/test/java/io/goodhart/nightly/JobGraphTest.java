package io.goodhart.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.cli.GoodhartCli;
import io.goodhart.lake.LakeConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** jobs/nightly.yaml, the job registry, the runner and the CLI describe the same jobs. */
class JobGraphTest {

  @Test
  void theNightlyOrderIsDirectoryAndIdentitiesFirstThenIngestThenTheCuratedJobs() {
    assertEquals(List.of("load-directory", "load-identities", "ingest", "outcomes", "user-usage", "features", "train", "classify", "engagement",
            "leaderboard", "bi-publish", "bi-views"),
        JobGraph.load().order().stream().map(JobGraph.Job::name).toList());
  }

  private static final List<JobRegistry.Job> REGISTRY = JobRegistry.jobs(LakeConfig.defaults());

  @Test
  void everyDeclaredJobHasARunnerAndACommandThatParses() {
    Set<String> declared = JobGraph.load().jobs().stream().map(JobGraph.Job::name).collect(Collectors.toSet());
    assertEquals(REGISTRY.stream().map(JobRegistry.Job::name).collect(Collectors.toSet()), declared);
    CommandLine cli = GoodhartCli.commandLine();
    for (JobGraph.Job job : JobGraph.load().jobs()) {
      assertTrue(job.command().startsWith("goodhart "), job.command());
      String[] args = job.command().substring("goodhart ".length())
          .replace("{date}", "2026-11-23").replace("{input}", "feed/events").replace("{directory}", "directory.csv")
          .replace("{identities}", "identities.csv")
          .split(" ");
      // Parsing (not running) proves the command and its options exist as the spec writes them.
      GoodhartCli.commandLine().parseArgs(args);
      if (!job.name().equals(NightlyRunner.BI_VIEWS)) {
        assertEquals(job.name(), args[0], "a job's command is the command of the same name");
      }
    }
    for (JobRegistry.Job job : REGISTRY) {
      assertNotNull(job.cli(), job.name() + " has no command line");
      assertEquals(job.cli().invocation(), JobGraph.load().jobs().stream().filter(j -> j.name().equals(job.name()))
          .findFirst().orElseThrow().command(), job.name() + " command, in " + JobGraph.RESOURCE);
      String command = job.cli().invocation().split(" ")[1];
      assertTrue(cli.getSubcommands().containsKey(command), job.name() + ": goodhart has no command " + command);
      if (job.cli().command() != null) {
        assertEquals(job.name(), command, "a job's own command has the job's name");
      } else {
        assertFalse(REGISTRY.stream().anyMatch(j -> j.name().equals(command)),
            job.name() + " runs through " + command + ", a command the CLI registers itself");
      }
    }
  }

  @Test
  void theGraphDeclaresEachJobOfTheRegistryWithTheSameReadsWritesAndDependencies() {
    assertEquals(REGISTRY.stream().map(JobRegistry.Job::name).sorted().toList(),
        JobGraph.load().jobs().stream().map(JobGraph.Job::name).sorted().toList());
    Map<String, Set<String>> dependencies = JobRegistry.dependencies(REGISTRY);
    for (JobGraph.Job job : JobGraph.load().jobs()) {
      JobRegistry.Job declared = JobRegistry.byName(job.name()).orElseThrow();
      assertEquals(Set.copyOf(declared.reads()), Set.copyOf(job.reads()), job.name() + " reads, in " + JobGraph.RESOURCE);
      assertEquals(Set.copyOf(declared.writes()), Set.copyOf(job.writes()), job.name() + " writes, in "
          + JobGraph.RESOURCE);
      assertEquals(dependencies.get(job.name()), Set.copyOf(job.dependsOn()), job.name() + " depends_on, in "
          + JobGraph.RESOURCE + " (the jobs that write what it reads, less those reached through another)");
    }
  }

  @Test
  void withInputSourcesConfiguredTheGraphAndTheRegistryHaveOneIngestPerSource() {
    LakeConfig config = LakeConfig.defaults().with(Map.of(io.goodhart.lake.Settings.INGEST_SOURCES.key(),
        "claude-code:otlp, cursor:cursor-events"));
    List<JobRegistry.Job> registry = JobRegistry.jobs(config);
    JobGraph graph = JobGraph.load().forSources(config.value(io.goodhart.lake.Settings.INGEST_SOURCES));
    assertEquals(List.of("load-directory", "load-identities", "ingest-claude-code", "ingest-cursor", "outcomes", "user-usage",
            "features", "train",
            "classify", "engagement", "leaderboard", "bi-publish", "bi-views"),
        graph.order().stream().map(JobGraph.Job::name).toList());
    Map<String, Set<String>> dependencies = JobRegistry.dependencies(registry);
    for (JobGraph.Job job : graph.jobs()) {
      JobRegistry.Job declared = registry.stream().filter(j -> j.name().equals(job.name())).findFirst().orElseThrow();
      assertEquals(Set.copyOf(declared.reads()), Set.copyOf(job.reads()), job.name() + " reads");
      assertEquals(Set.copyOf(declared.writes()), Set.copyOf(job.writes()), job.name() + " writes");
      assertEquals(dependencies.get(job.name()), Set.copyOf(job.dependsOn()), job.name() + " depends_on");
      assertEquals(declared.cli().invocation(), job.command(), job.name() + " command");
    }
    JobGraph.Job cursor = graph.jobs().stream().filter(j -> j.name().equals("ingest-cursor")).findFirst().orElseThrow();
    assertEquals("goodhart ingest --input {input}/cursor --format cursor-events --date {date}", cursor.command());
    assertTrue(cursor.reads().contains("feed/cursor/date={date}"), cursor.reads().toString());
    assertEquals(Set.of("load-directory", "load-identities"),
        Set.copyOf(cursor.dependsOn()), "each source's ingest counts tonight's unresolved people");
    assertEquals(Set.of("ingest-claude-code", "ingest-cursor"),
        Set.copyOf(graph.jobs().stream().filter(j -> j.name().equals("features")).findFirst().orElseThrow()
            .dependsOn()), "the curated jobs wait for every source's ingest");
    assertEquals(Set.of("ingest-claude-code", "ingest-cursor"),
        Set.copyOf(graph.jobs().stream().filter(j -> j.name().equals("outcomes")).findFirst().orElseThrow()
            .dependsOn()), "the metric tokens are counted once every source is ingested");
    assertEquals(Set.of("outcomes"),
        Set.copyOf(graph.jobs().stream().filter(j -> j.name().equals("user-usage")).findFirst().orElseThrow()
            .dependsOn()), "user-usage waits for every source's ingest through outcomes");
    GoodhartCli.commandLine().parseArgs(cursor.command().substring("goodhart ".length())
        .replace("{input}", "feed").replace("{date}", "2026-11-23").split(" "));

    io.goodhart.lake.SettingException bad = org.junit.jupiter.api.Assertions.assertThrows(
        io.goodhart.lake.SettingException.class, () -> JobRegistry.jobs(LakeConfig.defaults().with(Map.of(
            io.goodhart.lake.Settings.INGEST_SOURCES.key(), "cursor:csv"))));
    assertTrue(bad.getMessage().contains("source cursor has format csv; goodhart reads goodhart, otlp, cursor-events, "
        + "q-developer-csv, copilot-user-ndjson, cursor-daily, auto"), bad.getMessage());
  }

  @Test
  void aJobWaitsForTheWritersOfWhatItReadsButNotForThoseAnotherWriterWaitsFor() {
    JobRegistry.Job events = registryJob("events", List.of(), List.of("raw.e"));
    JobRegistry.Job people = registryJob("people", List.of(), List.of("raw.p"));
    JobRegistry.Job weekly = registryJob("weekly", List.of("raw.e", "raw.p"), List.of("c.w"));
    JobRegistry.Job board = registryJob("board", List.of("raw.e", "c.w", "c.b"), List.of("c.b"));
    assertEquals(Map.of("events", Set.of(), "people", Set.of(), "weekly", Set.of("events", "people"),
            "board", Set.of("weekly")),
        JobRegistry.dependencies(List.of(events, people, weekly, board)));
  }

  private static JobRegistry.Job registryJob(String name, List<String> reads, List<String> writes) {
    return new JobRegistry.Job(name, reads, writes, (spark, tables, config, progress) -> (date, options) -> { },
        new JobRegistry.Cli("goodhart " + name, null));
  }

  @Test
  void dependenciesComeFirstWhateverTheFileOrder() throws IOException {
    JobGraph graph = parse(HEADER + """
        jobs:
          - {name: c, command: x, reads: [], writes: [], depends_on: [b]}
          - {name: a, command: x, reads: [], writes: [], depends_on: []}
          - {name: b, command: x, reads: [], writes: [], depends_on: [a]}
        """);
    assertEquals(List.of("a", "b", "c"), graph.order().stream().map(JobGraph.Job::name).toList());
  }

  @Test
  void unknownDependenciesAndCyclesAreRejected() {
    IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> parse(HEADER + """
        jobs:
          - {name: a, command: x, reads: [], writes: [], depends_on: [nope]}
        """));
    assertEquals("jobs/nightly.yaml: job a depends on unknown job nope", unknown.getMessage());
    IllegalStateException cycle = assertThrows(IllegalStateException.class, () -> parse(HEADER + """
        jobs:
          - {name: a, command: x, reads: [], writes: [], depends_on: [b]}
          - {name: b, command: x, reads: [], writes: [], depends_on: [a]}
        """));
    assertEquals("jobs/nightly.yaml: the depends_on links form a cycle", cycle.getMessage());
  }

  @Test
  void theNightlyRunsDailyAndIngestGetsALongerTimeoutAndAnEarlierSla() {
    JobGraph graph = JobGraph.load();
    assertEquals("@daily", graph.schedule());
    assertEquals(new JobGraph.Effective(2, Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofHours(2)),
        graph.effective(job(graph, "ingest")));
    for (String name : List.of("load-directory", "user-usage", "features", "train", "classify", "engagement",
        "leaderboard")) {
      assertEquals(new JobGraph.Effective(2, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(4)),
          graph.effective(job(graph, name)), name);
    }
  }

  @Test
  void aJobsOwnSettingsOverrideTheDefaultsOneByOne() throws IOException {
    JobGraph graph = parse("""
        schedule: "30 2 * * *"
        defaults: {retries: 3, retry_delay: 90s, timeout: 10m, sla: 1h}
        jobs:
          - {name: a, command: x, reads: [], writes: [], depends_on: []}
          - {name: b, command: x, reads: [], writes: [], depends_on: [], retries: 0, sla: 2d}
          - {name: c, command: x, reads: [], writes: [], depends_on: [], retry_delay: 0s, timeout: 3h}
        """);
    assertEquals("30 2 * * *", graph.schedule());
    assertEquals(new JobGraph.Effective(3, Duration.ofSeconds(90), Duration.ofMinutes(10), Duration.ofHours(1)),
        graph.effective(job(graph, "a")));
    assertEquals(new JobGraph.Effective(0, Duration.ofSeconds(90), Duration.ofMinutes(10), Duration.ofDays(2)),
        graph.effective(job(graph, "b")));
    assertEquals(new JobGraph.Effective(3, Duration.ZERO, Duration.ofHours(3), Duration.ofHours(1)),
        graph.effective(job(graph, "c")));
  }

  @Test
  void durationsAreDigitsAndOneUnit() {
    assertEquals(Duration.ofSeconds(90), JobGraph.parseDuration("90s"));
    assertEquals(Duration.ofMinutes(10), JobGraph.parseDuration("10m"));
    assertEquals(Duration.ofHours(1), JobGraph.parseDuration("1h"));
    assertEquals(Duration.ofDays(2), JobGraph.parseDuration("2d"));
    for (String bad : List.of("10", "1h30m", "-5m", "10 minutes", "1.5h", "")) {
      assertThrows(IllegalArgumentException.class, () -> JobGraph.parseDuration(bad), bad);
    }
  }

  @Test
  void badSchedulingValuesAreRejectedNamingTheFileAndTheJob() {
    assertEquals("jobs/nightly.yaml: job a: timeout '10 minutes' is not a duration like 90s, 10m, 1h or 2d",
        rejected(HEADER + "jobs:\n  - {name: a, command: x, reads: [], writes: [], depends_on: [], timeout: 10 minutes}\n"));
    assertEquals("jobs/nightly.yaml: job a: retries is -1, must be 0 or more",
        rejected(HEADER + "jobs:\n  - {name: a, command: x, reads: [], writes: [], depends_on: [], retries: -1}\n"));
    assertEquals("jobs/nightly.yaml: job a: sla must be longer than 0",
        rejected(HEADER + "jobs:\n  - {name: a, command: x, reads: [], writes: [], depends_on: [], sla: 0m}\n"));
    assertEquals("jobs/nightly.yaml: defaults: timeout must be longer than 0",
        rejected("schedule: \"@daily\"\ndefaults: {retries: 1, retry_delay: 1m, timeout: 0s, sla: 1h}\njobs: []\n"));
    assertEquals("jobs/nightly.yaml: defaults.sla is missing",
        rejected("schedule: \"@daily\"\ndefaults: {retries: 1, retry_delay: 1m, timeout: 1h}\njobs: []\n"));
    assertEquals("jobs/nightly.yaml: defaults (retries, retry_delay, timeout, sla) are missing",
        rejected("schedule: \"@daily\"\njobs: []\n"));
    assertEquals("jobs/nightly.yaml: schedule 'daily' is neither one of [@daily, @hourly, @monthly, @weekly, @yearly]"
            + " nor a five-field cron expression",
        rejected(HEADER.replace("@daily", "daily") + "jobs: []\n"));
  }

  @Test
  void aMisspelledSchedulingKeyIsRejected() {
    assertThrows(IOException.class, () -> parse(HEADER
        + "jobs:\n  - {name: a, command: x, reads: [], writes: [], depends_on: [], timout: 1h}\n"));
  }

  private static final String HEADER = """
      schedule: "@daily"
      defaults: {retries: 1, retry_delay: 1m, timeout: 1h, sla: 2h}
      """;

  private static JobGraph.Job job(JobGraph graph, String name) {
    return graph.jobs().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
  }

  private static String rejected(String yaml) {
    return assertThrows(IllegalStateException.class, () -> parse(yaml)).getMessage();
  }

  private static JobGraph parse(String yaml) throws IOException {
    return JobGraph.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
