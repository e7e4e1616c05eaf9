package io.goodhart.nightly;

import io.goodhart.curated.EngagementJob;
import io.goodhart.curated.FeaturesJob;
import io.goodhart.curated.LeaderboardJob;
import io.goodhart.curated.UserUsageJob;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.padding.ClassifyJob;
import io.goodhart.publish.BiPublishJob;
import io.goodhart.sql.BiViews;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * Every job of the night, declared once: its name, what it reads and writes (tables by their part in the
 * lake, {@code raw.usage_events}, {@code curated_private.user_weekly_usage}; files by their place in the feed),
 * and how it runs. {@code goodhart nightly} runs the jobs from here; {@code jobs/nightly.yaml}, which adds
 * the order and the scheduling, must declare the same jobs with the same reads and writes (a test fails on
 * drift), and a test checks each job's recorded commits against its declared writes.
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

  /** One job: name, reads, writes, entry point. */
  public record Job(String name, List<String> reads, List<String> writes, Factory factory) {}

  private static final String EVENTS = "raw.usage_events";
  private static final String DIRECTORY = "raw.developer_directory";

  public static final List<Job> JOBS = List.of(
      new Job(IngestJob.NAME,
          List.of("feed/events/date={date}", "feed/events/date=<the 6 days before>", EVENTS, "raw.ingested_files",
              "raw.erased_people"),
          List.of(EVENTS, "raw.usage_events_rejected", "raw.ingested_files"),
          (spark, tables, config, progress) -> (date, options) ->
              new IngestJob(spark, tables, progress).run(new IngestJob.Config(options.input(), date))),
      new Job(DirectoryLoadJob.NAME, List.of("feed/directory.csv", "raw.erased_people"), List.of(DIRECTORY),
          (spark, tables, config, progress) -> (date, options) ->
              new DirectoryLoadJob(spark, tables, progress).run(options.directory())),
      new Job(UserUsageJob.NAME, List.of(EVENTS, DIRECTORY), List.of("curated_private.user_weekly_usage"),
          (spark, tables, config, progress) -> (date, options) ->
              new UserUsageJob(spark, tables, config, progress).run(date)),
      new Job(FeaturesJob.NAME, List.of(EVENTS, DIRECTORY), List.of("curated_private.user_weekly_features"),
          (spark, tables, config, progress) -> (date, options) ->
              new FeaturesJob(spark, tables, config, progress).run(date)),
      new Job(ClassifyJob.NAME, List.of("curated_private.user_weekly_features", EVENTS),
          List.of("curated_private.usage_classification", "curated.model_runs"),
          (spark, tables, config, progress) -> (date, options) ->
              new ClassifyJob(spark, tables, config, progress).run(date)),
      new Job(EngagementJob.NAME,
          List.of(EVENTS, DIRECTORY, "curated_private.usage_classification", "datasets/pricing.csv"),
          List.of("curated_private.team_weekly_engagement"),
          (spark, tables, config, progress) -> (date, options) ->
              new EngagementJob(spark, tables, config, progress).run(date)),
      new Job(LeaderboardJob.NAME,
          List.of(EVENTS, DIRECTORY, "curated_private.usage_classification", "curated_private.leaderboard_snapshots"),
          List.of("curated_private.leaderboard_snapshots"),
          (spark, tables, config, progress) -> (date, options) ->
              new LeaderboardJob(spark, tables, config, progress).run(date)),
      new Job(BiPublishJob.NAME,
          List.of("curated_private.team_weekly_engagement", "curated_private.user_weekly_usage",
              "curated_private.usage_classification", "curated_private.leaderboard_snapshots", "curated.model_runs"),
          List.of("curated.team_weekly_engagement", "curated.user_weekly_usage", "curated.usage_classification",
              "curated.leaderboard_snapshots", "curated.model_health"),
          (spark, tables, config, progress) -> (date, options) ->
              new BiPublishJob(spark, tables, config, progress).run(date)),
      new Job(NightlyRunner.BI_VIEWS, List.of("curated.team_weekly_engagement", "curated.leaderboard_snapshots"),
          List.of("curated views: adoption_vs_target, genuine_engagement_trend, padding_by_team, leaderboard_latest, "
              + "top_movers"),
          (spark, tables, config, progress) -> (date, options) -> new BiViews(spark, tables, progress).install()));

  public static Optional<Job> byName(String name) {
    return JOBS.stream().filter(j -> j.name().equals(name)).findFirst();
  }
}
