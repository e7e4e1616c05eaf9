package io.goodhart.nightly;

import io.goodhart.curated.EngagementJob;
import io.goodhart.curated.FeaturesJob;
import io.goodhart.curated.LeaderboardJob;
import io.goodhart.curated.OutcomesJob;
import io.goodhart.curated.UserUsageJob;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.directory.IdentitiesLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.padding.ClassifyJob;
import io.goodhart.padding.TrainJob;
import io.goodhart.publish.BiPublishJob;
import io.goodhart.publish.BiViews;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Every job, declared once: its name, what it reads and writes (tables by their part in the lake,
 * {@code raw.usage_events}, {@code curated_private.user_weekly_usage}; files by their place in the feed),
 * how it runs in a night, and its command line. {@code goodhart nightly} runs the jobs from here and the
 * CLI takes each job's command from here; {@code jobs/nightly.yaml}, which adds the scheduling, must declare
 * the same jobs with the same reads, writes and commands, and with the dependencies the reads and writes
 * imply ({@link #dependencies}); a test fails on drift, and a test checks each job's recorded commits
 * against its declared writes.
 */
public final class JobRegistry {
  private JobRegistry() {}

  /** Runs one job for one date of a night. */
  @FunctionalInterface
  public interface Runner {
    void run(LocalDate date, NightlyRunner.Options options);
  }

  /** Builds a job's runner on the lake at hand. */
  @FunctionalInterface
  public interface Factory {
    Runner create(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress);
  }

  /**
   * A job's command line: {@code invocation}, the call that runs the job alone as {@code jobs/nightly.yaml}
   * writes it ({date}, {input}, {directory} and {identities} stand for the run's options), and {@code command}, a new
   * object of the job's own command, or null when the invocation is a command the CLI registers itself
   * ({@code bi-views} is {@code goodhart sql --init-views}).
   */
  public record Cli(String invocation, Supplier<JobCommand> command) {}

  /** One job: name, reads, writes, entry point, command line. */
  public record Job(String name, List<String> reads, List<String> writes, Factory factory, Cli cli) {}

  private static final String EVENTS = "raw.usage_events";
  private static final String DIRECTORY = "raw.developer_directory";
  private static final String INTERACTIONS = "raw.interaction_events";
  private static final String METRIC_POINTS = "raw.metric_points";
  private static final String IDENTITIES = "raw.identities";
  private static final String DAILY = "raw.usage_daily";
  private static final String OUTCOMES = "curated_private.daily_outcomes";
  private static final String FEATURES = "curated_private.user_weekly_features";
  private static final String MODEL_RUNS = "curated.model_runs";
  /** Where {@link TrainJob} saves fitted models: {@code goodhart.model.dir}, one folder per training run. */
  private static final String MODEL_FOLDER = "<goodhart.model.dir>/<run_id>";

  private static final List<Job> FIXED = List.of(
      new Job(DirectoryLoadJob.NAME, List.of("feed/directory.csv", "raw.erased_people"), List.of(DIRECTORY),
          (spark, tables, config, progress) -> (date, options) ->
              new DirectoryLoadJob(spark, tables, progress).run(options.directory()),
          new Cli("goodhart load-directory --input {directory}", JobCommands.LoadDirectory::new)),
      new Job(IdentitiesLoadJob.NAME, List.of("feed/identities.csv", "raw.erased_people"), List.of(IDENTITIES),
          (spark, tables, config, progress) -> (date, options) ->
              new IdentitiesLoadJob(spark, tables, progress).run(options.identities()),
          new Cli("goodhart load-identities --input {identities}", JobCommands.LoadIdentities::new)),
      new Job(IngestJob.NAME,
          List.of("feed/events/date={date}", "feed/events/date=<the 6 days before>", EVENTS, INTERACTIONS, METRIC_POINTS,
              "raw.ingested_files", "raw.erased_people", DIRECTORY, IDENTITIES),
          List.of(EVENTS, INTERACTIONS, METRIC_POINTS, "raw.usage_events_rejected", "raw.ingested_files"),
          (spark, tables, config, progress) -> (date, options) ->
              new IngestJob(spark, tables, progress).run(new IngestJob.Config(options.input(), date)),
          new Cli("goodhart ingest --input {input} --date {date}", JobCommands.Ingest::new)),
      new Job(OutcomesJob.NAME, List.of(METRIC_POINTS, INTERACTIONS, DAILY, DIRECTORY, IDENTITIES),
          List.of(OUTCOMES),
          (spark, tables, config, progress) -> (date, options) ->
              new OutcomesJob(spark, tables, config, progress).run(date),
          dated(OutcomesJob.NAME, JobCommands.Outcomes::new)),
      new Job(UserUsageJob.NAME, List.of(EVENTS, DIRECTORY, IDENTITIES, OUTCOMES),
          List.of("curated_private.user_weekly_usage", "curated_private.unresolved_weekly_usage"),
          (spark, tables, config, progress) -> (date, options) ->
              new UserUsageJob(spark, tables, config, progress).run(date),
          dated(UserUsageJob.NAME, JobCommands.UserUsage::new)),
      new Job(FeaturesJob.NAME, List.of(EVENTS, DIRECTORY, IDENTITIES), List.of(FEATURES),
          (spark, tables, config, progress) -> (date, options) ->
              new FeaturesJob(spark, tables, config, progress).run(date),
          dated(FeaturesJob.NAME, JobCommands.Features::new)),
      new Job(TrainJob.NAME, List.of(FEATURES, MODEL_RUNS), List.of(MODEL_RUNS, MODEL_FOLDER),
          (spark, tables, config, progress) -> (date, options) ->
              new TrainJob(spark, tables, config, progress).run(date),
          dated(TrainJob.NAME, JobCommands.Train::new)),
      new Job(ClassifyJob.NAME, List.of(FEATURES, EVENTS, DIRECTORY, IDENTITIES, MODEL_RUNS, MODEL_FOLDER),
          List.of("curated_private.usage_classification"),
          (spark, tables, config, progress) -> (date, options) ->
              new ClassifyJob(spark, tables, config, progress).run(date),
          dated(ClassifyJob.NAME, JobCommands.Classify::new)),
      new Job(EngagementJob.NAME,
          List.of(EVENTS, DAILY, DIRECTORY, IDENTITIES, OUTCOMES, "curated_private.usage_classification",
              "datasets/pricing.csv"),
          List.of("curated_private.team_weekly_engagement"),
          (spark, tables, config, progress) -> (date, options) ->
              new EngagementJob(spark, tables, config, progress).run(date),
          dated(EngagementJob.NAME, JobCommands.Engagement::new)),
      new Job(LeaderboardJob.NAME,
          List.of(EVENTS, DIRECTORY, IDENTITIES, OUTCOMES, "curated_private.usage_classification",
              "curated_private.leaderboard_snapshots"),
          List.of("curated_private.leaderboard_snapshots"),
          (spark, tables, config, progress) -> (date, options) ->
              new LeaderboardJob(spark, tables, config, progress).run(date),
          dated(LeaderboardJob.NAME, JobCommands.Leaderboard::new)),
      new Job(BiPublishJob.NAME,
          List.of("curated_private.team_weekly_engagement", "curated_private.user_weekly_usage",
              "curated_private.usage_classification", "curated_private.leaderboard_snapshots",
              "curated_private.unresolved_weekly_usage", MODEL_RUNS, "raw.ingested_files"),
          List.of("curated.team_weekly_engagement", "curated.user_weekly_usage", "curated.usage_classification",
              "curated.leaderboard_snapshots", "curated.model_health", "curated.unresolved_weekly_usage",
              "curated.source_health"),
          (spark, tables, config, progress) -> (date, options) ->
              new BiPublishJob(spark, tables, config, progress).run(date),
          dated(BiPublishJob.NAME, JobCommands.BiPublish::new)),
      new Job(NightlyRunner.BI_VIEWS, List.of("curated.team_weekly_engagement", "curated.leaderboard_snapshots",
              "curated.unresolved_weekly_usage", "curated.source_health"),
          List.of("curated views: adoption_vs_target, genuine_engagement_trend, padding_by_team, leaderboard_latest, "
              + "top_movers, unresolved_usage_by_source, source_health_by_day"),
          (spark, tables, config, progress) -> (date, options) -> new BiViews(spark, tables, progress).install(),
          new Cli("goodhart sql --init-views", null)));

  private static Cli dated(String name, Supplier<JobCommand> command) {
    return new Cli("goodhart " + name + " --date {date}", command);
  }

  /**
   * The jobs of a lake with this configuration. Every lake has the same jobs; the configuration is where jobs
   * that exist only when configured would come from.
   */
  public static List<Job> jobs(LakeConfig config) {
    List<io.goodhart.lake.Setting.Pair> sources = config.value(io.goodhart.lake.Settings.INGEST_SOURCES);
    if (sources == null || sources.isEmpty()) {
      return FIXED;
    }
    List<Job> jobs = new java.util.ArrayList<>();
    for (Job job : FIXED) {
      if (!job.name().equals(IngestJob.NAME)) {
        jobs.add(job);
        continue;
      }
      for (io.goodhart.lake.Setting.Pair source : sources) {
        if (!io.goodhart.ingest.InputFormats.names().contains(source.value())) {
          throw new io.goodhart.lake.SettingException(io.goodhart.lake.Settings.INGEST_SOURCES.key(), "source "
              + source.name() + " has format " + source.value() + "; goodhart reads "
              + String.join(", ", io.goodhart.ingest.InputFormats.names()),
              config.get(io.goodhart.lake.Settings.INGEST_SOURCES.key()));
        }
        jobs.add(sourceIngest(source.name(), source.value()));
      }
    }
    return List.copyOf(jobs);
  }

  /** The ingest of one configured source: its own feed folder under the run's input, read as its format. */
  private static Job sourceIngest(String source, String format) {
    return new Job(IngestJob.NAME + "-" + source,
        List.of("feed/" + source + "/date={date}", "feed/" + source + "/date=<the 6 days before>", EVENTS,
            INTERACTIONS, METRIC_POINTS, "raw.ingested_files", "raw.erased_people", DIRECTORY, IDENTITIES),
        List.of(EVENTS, INTERACTIONS, METRIC_POINTS, "raw.usage_events_rejected", "raw.ingested_files"),
        (spark, tables, config, progress) -> (date, options) -> new IngestJob(spark, tables, progress)
            .run(new IngestJob.Config(options.input() + "/" + source, date, false, false, format)),
        new Cli("goodhart ingest --input {input}/" + source + " --format " + format + " --date {date}",
            JobCommands.Ingest::new));
  }

  /** A job every lake has, by name. */
  public static Optional<Job> byName(String name) {
    return FIXED.stream().filter(j -> j.name().equals(name)).findFirst();
  }

  /**
   * What each job waits for: the jobs that write something it reads, less those it already waits for through
   * another of them (the fewest links that give the same order), by job name in the jobs' order.
   */
  public static Map<String, Set<String>> dependencies(List<Job> jobs) {
    Map<String, Set<String>> direct = new LinkedHashMap<>();
    for (Job job : jobs) {
      Set<String> writers = new LinkedHashSet<>();
      // What a job reads and also writes itself (ingest reads the stored ids of the tables it appends to) makes
      // it wait for nobody: two ingests of different sources append to the same tables side by side.
      List<String> needs = job.reads().stream().filter(r -> !job.writes().contains(r)).toList();
      for (Job other : jobs) {
        if (other != job && other.writes().stream().anyMatch(needs::contains)) {
          writers.add(other.name());
        }
      }
      direct.put(job.name(), writers);
    }
    Map<String, Set<String>> reduced = new LinkedHashMap<>();
    direct.forEach((job, writers) -> {
      Set<String> needed = new LinkedHashSet<>(writers);
      for (String writer : writers) {
        needed.removeAll(upstream(writer, direct, new HashSet<>()));
      }
      reduced.put(job, needed);
    });
    return reduced;
  }

  /** Every job {@code job} waits for, directly or through others. */
  private static Set<String> upstream(String job, Map<String, Set<String>> direct, Set<String> seen) {
    for (String writer : direct.getOrDefault(job, Set.of())) {
      if (seen.add(writer)) {
        upstream(writer, direct, seen);
      }
    }
    return seen;
  }
}
