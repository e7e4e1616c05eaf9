package io.goodhart.nightly;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * A job's own command ({@code goodhart features --date D}), declared with the job in {@link JobRegistry}: an
 * implementation carries picocli's {@code @Command} (name and description) and {@code @Option} fields (the
 * job's options); the CLI adds the options every command that touches the lake shares, opens the lake and
 * calls {@link #run}.
 */
public interface JobCommand {
  /** Runs the job on the open lake; false when it ran to the end with an outcome that is an internal error. */
  boolean run(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress);
}
