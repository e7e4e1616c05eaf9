package io.goodhart.cli;

import io.goodhart.directory.DirectoryLoadJob;
import io.goodhart.ingest.IngestJob;
import io.goodhart.ingest.IngestLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The README's first command: loads the bundled sample (directory and event deliveries) into the
 * embedded lake and shows what landed, so a newcomer sees the whole path from files to tables.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Load a sample data set (default: the bundled datasets/sample) into the lake and show what landed.")
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
      throw new io.goodhart.ingest.InputException(
          "sample " + sample.toAbsolutePath() + " needs directory.csv and events/ (run from the repository root, or pass --sample)");
    }
    try (LakeOptions.Lake open = lake.open()) {
      SparkSession spark = open.spark();
      new DirectoryLoadJob(spark, open.tables(), System.out::println).run(directory.toAbsolutePath().toString());
      IngestLedger ledger = new IngestJob(spark, open.tables(), System.out::println)
          .run(new IngestJob.Config(events.toAbsolutePath().toString(), null));
      System.out.println();
      System.out.println("Events per ISO week in " + open.tables().usageEvents() + ":");
      spark.sql("SELECT date_format(date_trunc('week', event_time), 'yyyy-MM-dd') AS week_start, "
          + "count(*) AS events, count(DISTINCT user_id) AS users, "
          + "sum(input_tokens + output_tokens) AS total_tokens, "
          + "round(avg(CASE WHEN accepted THEN 1.0 WHEN NOT accepted THEN 0.0 END), 3) AS accepted_share "
          + "FROM " + open.tables().usageEvents() + " GROUP BY 1 ORDER BY 1").show(100, false);
      System.out.println("Requests by tool and trigger:");
      spark.sql("SELECT tool, trigger, count(*) AS events, sum(input_tokens + output_tokens) AS total_tokens "
          + "FROM " + open.tables().usageEvents() + " GROUP BY 1, 2 ORDER BY total_tokens DESC").show(100, false);
      System.out.println("Rejected lines by field and reason (" + open.tables().usageEventsRejected() + "):");
      spark.sql("SELECT coalesce(field, '(whole line)') AS field, "
          + "regexp_replace(reason, '(, found | \\\\(like |: ).*$', '') AS reason_kind, count(*) AS lines "
          + "FROM " + open.tables().usageEventsRejected() + " GROUP BY 1, 2 ORDER BY lines DESC").show(100, false);
      System.out.println("Ledger of this run: " + ledger.describe());
      System.out.println("Explore: ./goodhart sql -e \"SELECT * FROM " + open.tables().usageEvents() + " LIMIT 10\"");
      return ExitCodes.OK;
    }
  }
}
