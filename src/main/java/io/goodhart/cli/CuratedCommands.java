package io.goodhart.cli;

import io.goodhart.curated.CuratedJob;
import io.goodhart.curated.EngagementJob;
import io.goodhart.curated.FeaturesJob;
import io.goodhart.curated.LeaderboardJob;
import io.goodhart.curated.UserUsageJob;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.padding.ClassifyJob;
import io.goodhart.publish.BiPublishJob;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The curated jobs as commands of their own, each runnable alone for one date. */
final class CuratedCommands {
  private CuratedCommands() {}

  interface JobFactory {
    CuratedJob create(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress);
  }

  abstract static class CuratedCommand implements Callable<Integer> {
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
        description = "The logical date: the day whose night this is (its week is recomputed).")
    LocalDate date;

    @Mixin LakeOptions lake;

    abstract JobFactory factory();

    @Override
    public Integer call() {
      try (LakeOptions.Lake open = lake.open()) {
        factory().create(open.spark(), open.tables(), open.config(), System.out::println).run(date);
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "features", mixinStandardHelpOptions = true,
      description = "Recompute curated_private.user_weekly_features (the padding model's inputs) for the weeks that need it.")
  static final class Features extends CuratedCommand {
    @Override
    JobFactory factory() {
      return FeaturesJob::new;
    }
  }

  @Command(name = "classify", mixinStandardHelpOptions = true,
      description = "Train the padding model on a rolling window of weeks and write its verdicts to "
          + "curated_private.usage_classification for the weeks that need them.")
  static final class Classify extends CuratedCommand {
    @Override
    JobFactory factory() {
      return ClassifyJob::new;
    }
  }

  @Command(name = "engagement", mixinStandardHelpOptions = true,
      description = "Recompute curated_private.team_weekly_engagement for the date's week and every week with late events.")
  static final class Engagement extends CuratedCommand {
    @Override
    JobFactory factory() {
      return EngagementJob::new;
    }
  }

  @Command(name = "user-usage", mixinStandardHelpOptions = true,
      description = "Recompute curated_private.user_weekly_usage for the date's week and every week with late events.")
  static final class UserUsage extends CuratedCommand {
    @Override
    JobFactory factory() {
      return UserUsageJob::new;
    }
  }

  @Command(name = "bi-publish", mixinStandardHelpOptions = true,
      description = "Write what BI readers may read (the curated namespace's tables) from the private tables: small "
          + "groups suppressed, pseudonyms for people; the weeks that changed, or everything after a change of key "
          + "or rules.")
  static final class BiPublish implements Callable<Integer> {
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
        description = "The logical date of the night (recorded in job_runs).")
    LocalDate date;

    @Mixin LakeOptions lake;

    @Override
    public Integer call() {
      try (LakeOptions.Lake open = lake.open()) {
        new BiPublishJob(open.spark(), open.tables(), open.config(), System.out::println).run(date);
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "leaderboard", mixinStandardHelpOptions = true,
      description = "Write the date's raw leaderboard snapshot to curated_private.leaderboard_snapshots "
          + "(and re-rank kept snapshots of weeks with late events).")
  static final class Leaderboard extends CuratedCommand {
    @Override
    JobFactory factory() {
      return LeaderboardJob::new;
    }
  }
}
