package io.goodhart.cli;

import io.goodhart.lake.LakeConfig;
import io.goodhart.maintain.MaintainJob;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code goodhart maintain}: snapshot expiry, compaction and orphan removal on every goodhart table. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = "Expire old snapshots (never those job_runs or leaderboards still reference), compact small "
        + "files and remove orphan files, on every goodhart table. Run it weekly, outside the nightly window.")
final class MaintainCommand implements Callable<Integer> {
  @Option(names = "--retain-days", paramLabel = "N",
      description = "Expire snapshots older than N days (default 30, or goodhart.maintain.retain-days).")
  Integer retainDays;

  @Option(names = "--retain-last", paramLabel = "N",
      description = "Always keep each table's last N snapshots (default 5, or goodhart.maintain.retain-last).")
  Integer retainLast;

  @Option(names = "--orphan-age-hours", paramLabel = "H",
      description = "Remove only orphan files older than H hours, at least 24 (default 72, or goodhart.maintain.orphan-age-hours).")
  Integer orphanAgeHours;

  @Option(names = "--compact-min-files", paramLabel = "N",
      description = "Compact a partition when it has N or more small files (default 5, or goodhart.maintain.compact-min-files).")
  Integer compactMinFiles;

  @Option(names = "--target-file-size-mb", paramLabel = "MB",
      description = "Size of compacted files (default: the table's write.target-file-size-bytes, 512 MB; or goodhart.maintain.target-file-size-mb).")
  Integer targetFileSizeMb;

  @Option(names = "--table", paramLabel = "NAME",
      description = "Only this table (repeatable), e.g. raw.usage_events; default every goodhart table.")
  List<String> only = new ArrayList<>();

  @Mixin LakeOptions lake;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, String> given = new LinkedHashMap<>();
    put(given, MaintainJob.Config.RETAIN_DAYS, retainDays);
    put(given, MaintainJob.Config.RETAIN_LAST, retainLast);
    put(given, MaintainJob.Config.ORPHAN_AGE_HOURS, orphanAgeHours);
    put(given, MaintainJob.Config.COMPACT_MIN_FILES, compactMinFiles);
    put(given, MaintainJob.Config.TARGET_FILE_SIZE_MB, targetFileSizeMb);
    LakeConfig settings = lake.config().with(given);
    List<String> tables = new ArrayList<>();
    for (String name : only) {
      // Names as people write them (raw.usage_events) or fully qualified (lake.raw.usage_events).
      tables.add(name.startsWith(settings.catalog() + ".") ? name : settings.catalog() + "." + name);
    }
    MaintainJob.Config config;
    try {
      config = MaintainJob.Config.from(settings, tables, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (LakeOptions.Lake open = lake.open()) {
      List<String> unknown = tables.stream().filter(t -> !open.tables().all().contains(t)).toList();
      if (!unknown.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "not a goodhart table: " + String.join(", ", unknown)
            + "; they are " + String.join(", ", open.tables().all()));
      }
      new MaintainJob(open.spark(), open.tables(), config, System.out::println).run();
      return ExitCodes.OK;
    }
  }

  private static void put(Map<String, String> settings, String key, Integer value) {
    if (value != null) {
      settings.put(key, String.valueOf(value));
    }
  }
}
