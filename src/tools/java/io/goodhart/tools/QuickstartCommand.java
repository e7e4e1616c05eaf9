package io.goodhart.tools;

import io.goodhart.cli.ExitCodes;
import io.goodhart.evaluation.EvaluateCommand;
import io.goodhart.cli.LakeOptions;
import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.IngestLedger;
import io.goodhart.nightly.NightlyRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The README's first command: loads the bundled sample (directory and every event delivery) into the
 * embedded lake, runs the curated jobs of the nightly graph for the sample's last day, and shows what
 * they produced, so a newcomer sees the whole path from files to the tables dashboards read.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Load a sample data set (default: the bundled datasets/sample), run the curated jobs on it "
        + "and show the results.")
final class QuickstartCommand implements Callable<Integer> {
  @Option(names = "--sample", defaultValue = "datasets/sample", paramLabel = "DIR",
      description = "A folder with directory.csv and events/ (default ${DEFAULT-VALUE}).")
  Path sample;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    Path directory = sample.resolve("directory.csv");
    Path events = sample.resolve("events");
    if (!Files.isRegularFile(directory) || !Files.isDirectory(events)) {
      throw new io.goodhart.lake.InputException(
          "sample " + sample.toAbsolutePath() + " needs directory.csv and events/ (run from the repository root, or pass --sample)");
    }
    try (LakeOptions.Lake open = lake.open()) {
      SparkSession spark = open.spark();
      new DirectoryLoadJob(spark, open.tables(), System.out::println).run(directory.toAbsolutePath().toString());
      IngestLedger ledger = new IngestJob(spark, open.tables(), System.out::println)
          .run(new IngestJob.Config(events.toAbsolutePath().toString(), null));
      LocalDate lastDay = spark.sql("SELECT to_date(max(from_utc_timestamp(event_time, '"
          + open.config().reportingTimeZone().getId() + "'))) FROM " + open.tables().usageEvents())
          .first().getDate(0).toLocalDate();
      // The curated jobs of the nightly graph, for the sample's last day: their first run computes
      // every week the sample holds.
      new NightlyRunner(spark, open.tables(), open.config(), System.out::println)
          .run(new NightlyRunner.Options(lastDay, lastDay, null, null));

      System.out.println();
      System.out.println("Adoption against target, company and orgs, every week (" + open.tables().teamWeeklyEngagement() + "):");
      spark.sql("SELECT iso_week, level, coalesce(org, 'all') AS org, eligible_developers AS eligible, "
          + "engaged_developers AS engaged, round(engagement_rate, 3) AS rate, target_met, total_tokens, week_status "
          + "FROM " + open.tables().teamWeeklyEngagement() + " WHERE level IN ('company', 'org') "
          + "ORDER BY iso_week, level, org").show(100, false);
      System.out.println("Raw token leaderboard and the honest one, top 10 on " + lastDay + " ("
          + open.tables().leaderboardSnapshots() + ", reasons from " + open.tables().usageClassification() + "):");
      spark.sql("SELECT l.rank, l.user_id, l.team_name, l.total_tokens, l.label, round(l.padding_score, 2) AS score, "
          + "l.honest_rank, l.honest_rank_shift AS shift, c.reasons[0] AS first_reason FROM "
          + open.tables().leaderboardSnapshots() + " l LEFT JOIN " + open.tables().usageClassification() + " c "
          + "ON c.week_start = l.week_start AND c.user_id = l.user_id "
          + "WHERE l.snapshot_date = DATE '" + lastDay + "' ORDER BY l.rank LIMIT 10").show(10, false);
      System.out.println("Padding cost by org, every week:");
      spark.sql("SELECT iso_week, org, engaged_developers AS engaged, genuine_engaged_developers AS genuine_engaged, "
          + "total_tokens, padding_tokens, round(estimated_cost_usd, 2) AS cost_usd, "
          + "round(padding_cost_usd, 2) AS padding_cost_usd FROM " + open.tables().teamWeeklyEngagement()
          + " WHERE level = 'org' ORDER BY iso_week, org").show(100, false);
      Path labels = sample.resolve("ground_truth.csv");
      if (Files.isRegularFile(labels)) {
        System.out.println("The padding model against the sample's ground truth (" + labels + "):");
        new EvaluateCommand().print(spark, open.tables(), labels);
      }
      System.out.println("Rejected lines by field and reason (" + open.tables().usageEventsRejected() + "):");
      spark.sql("SELECT coalesce(field, '(whole line)') AS field, "
          + "regexp_replace(reason, '(, found | \\\\(like |: ).*$', '') AS reason_kind, count(*) AS lines "
          + "FROM " + open.tables().usageEventsRejected() + " GROUP BY 1, 2 ORDER BY lines DESC").show(100, false);
      System.out.println("Ledger of this run: " + ledger.describe());
      System.out.println("Explore: ./goodhart sql -e \"SELECT * FROM " + open.tables().teamWeeklyEngagement()
          + " WHERE level = 'team' ORDER BY week_start, team_id\"");
      return ExitCodes.OK;
    }
  }
}
