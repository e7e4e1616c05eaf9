package io.goodhart.nightly;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nightly job graph declared in {@code jobs/nightly.yaml}: each job's name, the run option it needs,
 * its command, what it reads and writes, and what it depends on. {@link #order()} is the order the
 * nightly runner follows: dependencies first, otherwise the file's order.
 */
public record JobGraph(List<Job> jobs) {

  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Job(
      @JsonProperty("name") String name,
      @JsonProperty("when") String when,
      @JsonProperty("command") String command,
      @JsonProperty("reads") List<String> reads,
      @JsonProperty("writes") List<String> writes,
      @JsonProperty("depends_on") List<String> dependsOn) {}

  public static final String RESOURCE = "jobs/nightly.yaml";

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
    graph.order();
    return graph;
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
