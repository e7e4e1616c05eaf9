package io.goodhart.nightly;

import io.goodhart.curated.EngagementJob;
import io.goodhart.curated.FeaturesJob;
import io.goodhart.curated.LeaderboardJob;
import io.goodhart.curated.OutcomesJob;
import io.goodhart.curated.UserUsageJob;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.directory.IdentitiesLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.InputFormats;
import io.goodhart.ingest.NativeFormat;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.padding.ClassifyJob;
import io.goodhart.padding.TrainJob;
import io.goodhart.publish.BiPublishJob;
import java.time.LocalDate;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The commands of the registry's jobs, each running its job alone. */
final class JobCommands {
  private JobCommands() {}

  @Command(name = "ingest",
      description = "Load usage files (the contract's JSON lines, OpenTelemetry exports, Cursor usage pages, or the daily "
          + "per-user reports of Amazon Q Developer, GitHub Copilot and Cursor; local or s3a://) into "
          + "raw.usage_events (requests), raw.interaction_events, raw.metric_points and raw.usage_daily, exactly once "
          + "per id (a person's day: the report covering later days wins); records that break their format go to raw.usage_events_rejected; every file looked at goes to "
          + "the manifest raw.ingested_files, and a file already there is not read again.")
  static final class Ingest implements JobCommand {
    @Option(names = "--input", required = true, paramLabel = "PATH", description = "A file or a folder of event files.")
    String input;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
        description = "Read the delivery folder date=YYYY-MM-DD under --input (or under --input/events, or the "
            + "YYYY/MM/DD folder of Amazon Q's reports), and the folders of the days before it within "
            + "goodhart.ingest.lookback-days (default 7): files that arrived late.")
    LocalDate date;

    @Option(names = "--reload",
        description = "Read the files the manifest already holds too (their lines go through the duplicate check).")
    boolean reload;

    @Option(names = "--strict",
        description = "Refuse the input when it holds a file that is not an event file (default: report and skip it).")
    boolean strict;

    @Option(names = "--format", paramLabel = "NAME", defaultValue = NativeFormat.NAME,
        description = "The format of the files: goodhart (the contract, default), otlp (OpenTelemetry Collector "
            + "file exporter JSON: Claude Code events and metrics, GenAI spans), cursor-events (Cursor Admin API "
            + "usage-event pages), q-developer-csv (Amazon Q Developer user activity reports), copilot-user-ndjson "
            + "(GitHub Copilot per-user usage reports), cursor-daily (Cursor daily usage data), or auto (each file as "
            + "its first bytes say).")
    String format;

    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      if (!InputFormats.names().contains(format)) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "unknown --format " + format + ": goodhart reads " + String.join(", ", InputFormats.names()));
      }
      return new IngestJob(spark, tables, progress).run(new IngestJob.Config(input, date, reload, strict, format))
          .balances();
    }
  }

  @Command(name = "load-directory",
      description = "Replace raw.developer_directory with the stints of a directory.csv (validated whole first).")
  static final class LoadDirectory implements JobCommand {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The directory.csv (local or s3a://).")
    String input;

    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new DirectoryLoadJob(spark, tables, progress).run(input);
      return true;
    }
  }

  @Command(name = "load-identities",
      description = "Replace raw.identities, which maps the keys sources name people by (emails, account and "
          + "installation ids) to directory ids, with the rows of an identities CSV (validated whole first).")
  static final class LoadIdentities implements JobCommand {
    @Option(names = "--input", required = true, paramLabel = "FILE",
        description = "The identities CSV (local or s3a://).")
    String input;

    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new IdentitiesLoadJob(spark, tables, progress).run(input);
      return true;
    }
  }

  /** A job of the night that runs for one logical date. */
  abstract static class Dated implements JobCommand {
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
        description = "The logical date: the day whose night this is (its week is recomputed).")
    LocalDate date;
  }

  @Command(name = "outcomes",
      description = "Recompute curated_private.daily_outcomes (per person, day and tool: lines of code, commits, pull "
          + "requests, tokens and cost from the tools' metrics; human turns and tool decisions from their events) for "
          + "the date's week and every week the metric points and events appended since the last run change.")
  static final class Outcomes extends Dated {
    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new OutcomesJob(spark, tables, config, progress).run(date);
      return true;
    }
  }

  @Command(name = "user-usage",
      description = "Recompute curated_private.user_weekly_usage for the date's week and every week whose inputs "
          + "changed since the last run: late events, erasures, directory stints, identities, metric tokens.")
  static final class UserUsage extends Dated {
    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new UserUsageJob(spark, tables, config, progress).run(date);
      return true;
    }
  }

  @Command(name = "features",
      description = "Recompute curated_private.user_weekly_features (the padding model's inputs) for the weeks that need it.")
  static final class Features extends Dated {
    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new FeaturesJob(spark, tables, config, progress).run(date);
      return true;
    }
  }

  @Command(name = "train",
      description = "Train the padding model on a rolling window of weeks of curated_private.user_weekly_features "
          + "ending with the date's week, and keep it (curated.model_runs and the model folder); nothing is trained "
          + "when goodhart.model.run is set, when goodhart.model.retrain=weekly and the week has a model, or when the "
          + "window holds too little behaviour.")
  static final class Train implements JobCommand {
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
        description = "The logical date: the day whose night this is (the training window ends with its week).")
    LocalDate date;

    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new TrainJob(spark, tables, config, progress).run(date);
      return true;
    }
  }

  @Command(name = "classify",
      description = "Score with the padding model kept for the date's week (goodhart train) and write its verdicts to "
          + "curated_private.usage_classification for the weeks that need them.")
  static final class Classify extends Dated {
    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new ClassifyJob(spark, tables, config, progress).run(date);
      return true;
    }
  }

  @Command(name = "engagement",
      description = "Recompute curated_private.team_weekly_engagement for the date's week, every week whose inputs "
          + "changed since the last run (late events, erasures, directory stints, identities, metric tokens, daily "
          + "rows of the tools' reports), "
          + "and the week after each of them (its week-over-week figures).")
  static final class Engagement extends Dated {
    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new EngagementJob(spark, tables, config, progress).run(date);
      return true;
    }
  }

  @Command(name = "leaderboard",
      description = "Write the date's raw leaderboard snapshot to curated_private.leaderboard_snapshots "
          + "(and re-rank kept snapshots of the weeks whose inputs changed since the last run).")
  static final class Leaderboard extends Dated {
    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new LeaderboardJob(spark, tables, config, progress).run(date);
      return true;
    }
  }

  @Command(name = "bi-publish",
      description = "Write what BI readers may read (the curated namespace's tables) from the private tables: small "
          + "groups suppressed, pseudonyms for people; the weeks that changed, or everything after a change of key "
          + "or rules.")
  static final class BiPublish implements JobCommand {
    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD",
        description = "The logical date of the night (recorded in job_runs).")
    LocalDate date;

    @Override
    public boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
      new BiPublishJob(spark, tables, config, progress).run(date);
      return true;
    }
  }
}
