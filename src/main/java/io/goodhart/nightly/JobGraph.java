package io.goodhart.nightly;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nightly job graph declared in {@code jobs/nightly.yaml}: when it runs ({@link #schedule()}), the
 * scheduling defaults every job gets ({@link #defaults()}), and each job's name, the run option it needs,
 * its command, what it reads and writes, what it depends on and its own scheduling overrides.
 * {@link #order()} is the order the nightly runner follows: dependencies first, otherwise the file's
 * order. The scheduling facts are for the Airflow DAG in {@code orchestration/}, which reads the same file;
 * they are validated here too so that a bad value fails the Java build's tests, not only the DAG import.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record JobGraph(
    @JsonProperty("schedule") String schedule,
    @JsonProperty("defaults") Scheduling defaults,
    @JsonProperty("jobs") List<Job> jobs) {

  /**
   * Scheduling facts: retries after a retryable failure, the wait between tries, {@code timeout} the hard
   * limit on one try, and {@code sla} the soft limit on how long after the run's start the job should be
   * done. Durations are written {@code 90s}, {@code 10m}, {@code 1h} or {@code 2d}. In {@code defaults}
   * all four are required; on a job each is optional and overrides the default.
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Scheduling(
      @JsonProperty("retries") Integer retries,
      @JsonProperty("retry_delay") String retryDelay,
      @JsonProperty("timeout") String timeout,
      @JsonProperty("sla") String sla) {}

  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Job(
      @JsonProperty("name") String name,
      @JsonProperty("when") String when,
      @JsonProperty("command") String command,
      @JsonProperty("per_source") String perSource,
      @JsonProperty("reads") List<String> reads,
      @JsonProperty("writes") List<String> writes,
      @JsonProperty("depends_on") List<String> dependsOn,
      @JsonProperty("retries") Integer retries,
      @JsonProperty("retry_delay") String retryDelay,
      @JsonProperty("timeout") String timeout,
      @JsonProperty("sla") String sla) {}

  /**
   * The graph of a lake with these input sources ({@code goodhart.ingest.sources}): each job with a
   * {@code per_source} command becomes one job per source, {@code <name>-<source>}, running that command with
   * {@code {source}} and {@code {format}} filled in and reading the source's own feed folder
   * ({@code feed/<source>/...} for {@code feed/events/...}); the jobs that waited for it wait for all of them.
   * Without sources the graph is as declared.
   */
  public JobGraph forSources(List<io.goodhart.lake.Setting.Pair> sources) {
    if (sources == null || sources.isEmpty()) {
      return this;
    }
    Map<String, List<String>> expandedNames = new LinkedHashMap<>();
    List<Job> out = new ArrayList<>();
    for (Job job : jobs) {
      if (job.perSource() == null) {
        out.add(job);
        continue;
      }
      List<String> names = new ArrayList<>();
      for (io.goodhart.lake.Setting.Pair source : sources) {
        String name = job.name() + "-" + source.name();
        names.add(name);
        out.add(new Job(name, job.when(), job.perSource().replace("{source}", source.name())
            .replace("{format}", source.value()), null, job.reads().stream()
            .map(r -> r.replace("feed/events/", "feed/" + source.name() + "/")).toList(), job.writes(),
            job.dependsOn(), job.retries(), job.retryDelay(), job.timeout(), job.sla()));
      }
      expandedNames.put(job.name(), names);
    }
    List<Job> rewired = new ArrayList<>();
    for (Job job : out) {
      List<String> dependsOn = new ArrayList<>();
      for (String d : job.dependsOn() == null ? List.<String>of() : job.dependsOn()) {
        dependsOn.addAll(expandedNames.getOrDefault(d, List.of(d)));
      }
      rewired.add(new Job(job.name(), job.when(), job.command(), job.perSource(), job.reads(), job.writes(), dependsOn,
          job.retries(), job.retryDelay(), job.timeout(), job.sla()));
    }
    return new JobGraph(schedule, defaults, rewired);
  }

  /** A job's scheduling after its overrides are applied to the defaults. */
  public record Effective(int retries, Duration retryDelay, Duration timeout, Duration sla) {}

  public static final String RESOURCE = "jobs/nightly.yaml";

  private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");
  private static final Pattern CRON = Pattern.compile("\\S+( \\S+){4}");
  private static final Set<String> PRESETS = Set.of("@hourly", "@daily", "@weekly", "@monthly", "@yearly");

  public static JobGraph load() {
    try (InputStream in = JobGraph.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static JobGraph parse(InputStream in) throws IOException {
    JobGraph graph = new ObjectMapper(new YAMLFactory()).readValue(in, JobGraph.class);
    graph.validateScheduling();
    graph.order();
    return graph;
  }

  /** The job's retries, retry delay, timeout and sla: its own where it sets them, else the defaults. */
  public Effective effective(Job job) {
    String where = "job " + job.name();
    return new Effective(
        retries(job.retries() != null ? job.retries() : defaults.retries(), where),
        duration(job.retryDelay() != null ? job.retryDelay() : defaults.retryDelay(), where, "retry_delay", false),
        duration(job.timeout() != null ? job.timeout() : defaults.timeout(), where, "timeout", true),
        duration(job.sla() != null ? job.sla() : defaults.sla(), where, "sla", true));
  }

  /** A duration of the spec: digits and one unit, {@code s}, {@code m}, {@code h} or {@code d}. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 10m, 1h or 2d");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private void validateScheduling() {
    if (schedule == null || !(PRESETS.contains(schedule.trim()) || CRON.matcher(schedule.trim()).matches())) {
      throw new IllegalStateException(RESOURCE + ": schedule '" + schedule
          + "' is neither one of " + new TreeSet<>(PRESETS) + " nor a five-field cron expression");
    }
    if (defaults == null) {
      throw new IllegalStateException(RESOURCE + ": defaults (retries, retry_delay, timeout, sla) are missing");
    }
    Map<String, Object> required = new LinkedHashMap<>();
    required.put("retries", defaults.retries());
    required.put("retry_delay", defaults.retryDelay());
    required.put("timeout", defaults.timeout());
    required.put("sla", defaults.sla());
    required.forEach((key, value) -> {
      if (value == null) {
        throw new IllegalStateException(RESOURCE + ": defaults." + key + " is missing");
      }
    });
    retries(defaults.retries(), "defaults");
    duration(defaults.retryDelay(), "defaults", "retry_delay", false);
    duration(defaults.timeout(), "defaults", "timeout", true);
    duration(defaults.sla(), "defaults", "sla", true);
    for (Job job : jobs) {
      effective(job);
    }
  }

  private static int retries(int retries, String where) {
    if (retries < 0) {
      throw new IllegalStateException(RESOURCE + ": " + where + ": retries is " + retries + ", must be 0 or more");
    }
    return retries;
  }

  private static Duration duration(String text, String where, String key, boolean positive) {
    Duration d;
    try {
      d = parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(RESOURCE + ": " + where + ": " + key + " " + e.getMessage());
    }
    if (positive && d.isZero()) {
      throw new IllegalStateException(RESOURCE + ": " + where + ": " + key + " must be longer than 0");
    }
    return d;
  }

  /** Jobs with every dependency before its dependants; fails on unknown names, duplicates and cycles. */
  public List<Job> order() {
    Map<String, Job> byName = new LinkedHashMap<>();
    for (Job job : jobs) {
      if (byName.put(job.name(), job) != null) {
        throw new IllegalStateException(RESOURCE + ": job " + job.name() + " is declared twice");
      }
    }
    for (Job job : jobs) {
      for (String dependency : job.dependsOn()) {
        if (!byName.containsKey(dependency)) {
          throw new IllegalStateException(RESOURCE + ": job " + job.name() + " depends on unknown job " + dependency);
        }
      }
    }
    List<Job> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    while (ordered.size() < jobs.size()) {
      Job next = jobs.stream()
          .filter(j -> !done.contains(j.name()) && done.containsAll(j.dependsOn()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(RESOURCE + ": the depends_on links form a cycle"));
      ordered.add(next);
      done.add(next.name());
    }
    return ordered;
  }
}
