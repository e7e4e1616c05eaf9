package io.goodhart.nightly;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart nightly}: runs the job graph of {@code jobs/nightly.yaml} for one date or each date of
 * a backfill range, in the graph's order, stopping at the first failure (whose exception, and so exit
 * code, is the run's). Each job is idempotent, so a failed night is fixed by running it again.
 */
public final class NightlyRunner {

  /** The run: dates (inclusive), and the feed folder, directory file and identities file when they were delivered. */
  public record Options(LocalDate from, LocalDate to, String input, String directory, String identities) {
    /** A run without an identities file. */
    public Options(LocalDate from, LocalDate to, String input, String directory) {
      this(from, to, input, directory, null);
    }
  }

  /** The job that keeps the BI views of sql/views/ in step with the code ({@code goodhart sql --init-views}). */
  public static final String BI_VIEWS = "bi-views";

  private final SparkSession spark;
  private final LakeTables tables;
  private final LakeConfig config;
  private final Consumer<String> progress;
  private final JobGraph graph;
  private final Map<String, JobRegistry.Job> jobs = new LinkedHashMap<>();
  private StepObserver observer = (job, date, step) -> step.run();

  /**
   * Wraps each job of a night: {@code goodhart bench} uses it to time each step and sample the memory
   * it takes, without a second copy of the graph's order and wiring.
   */
  @FunctionalInterface
  public interface StepObserver {
    /** Runs {@code step} (job {@code job} for {@code date}); must run it exactly once and rethrow its failure. */
    void around(String job, LocalDate date, Runnable step);
  }

  /** This runner with every job run through {@code observer}. */
  public NightlyRunner observedBy(StepObserver observer) {
    this.observer = observer;
    return this;
  }

  public NightlyRunner(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    this(spark, tables, config, progress, JobGraph.load());
  }

  NightlyRunner(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress, JobGraph graph) {
    this.spark = spark;
    this.tables = tables;
    this.config = config;
    this.progress = progress;
    this.graph = graph.forSources(config.value(io.goodhart.lake.Settings.INGEST_SOURCES));
    JobRegistry.jobs(config).forEach(job -> jobs.put(job.name(), job));
    for (JobGraph.Job job : graph.jobs()) {
      if (!jobs.containsKey(job.name())) {
        throw new IllegalStateException(JobGraph.RESOURCE + " declares job " + job.name() + ", which goodhart cannot run");
      }
    }
  }

  public void run(Options options) {
    if (options.to().isBefore(options.from())) {
      throw new IllegalArgumentException("--to " + options.to() + " is before --from " + options.from());
    }
    List<JobGraph.Job> order = graph.order();
    for (LocalDate date = options.from(); !date.isAfter(options.to()); date = date.plusDays(1)) {
      Instant night = Instant.now();
      for (JobGraph.Job job : order) {
        if ("input".equals(job.when()) && options.input() == null
            || "directory".equals(job.when()) && options.directory() == null
            || "identities".equals(job.when()) && options.identities() == null) {
          progress.accept(String.format("nightly %s: %s skipped (no --%s given)", date, job.name(), job.when()));
          continue;
        }
        runJob(job.name(), date, options);
      }
      progress.accept(String.format("nightly %s: done in %.1f s", date,
          Duration.between(night, Instant.now()).toMillis() / 1000.0));
    }
  }

  private void runJob(String name, LocalDate date, Options options) {
    JobRegistry.Runner runner = jobs.get(name).factory().create(spark, tables, config, progress);
    observer.around(name, date, () -> runner.run(date, options));
  }
}
