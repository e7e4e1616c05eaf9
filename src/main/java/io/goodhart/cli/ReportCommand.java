package io.goodhart.cli;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.report.Dashboard;
import io.goodhart.report.DashboardData;
import io.goodhart.publish.BiViews;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code goodhart report}: writes the static HTML dashboard of one ISO week (one file, works offline). */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write the static HTML dashboard of an ISO week to DIR/index.html (no server, works offline).")
final class ReportCommand implements Callable<Integer> {
  private static final Pattern ISO_WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

  @Option(names = "--week", required = true, paramLabel = "WEEK",
      description = "The ISO week, as 2026-W47 or any date in it (2026-11-18).")
  String week;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write index.html to.")
  Path out;

  @Mixin LakeOptions lake;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LocalDate monday = monday(week);
    try (LakeOptions.Lake open = lake.open()) {
      String published = open.tables().biCopyOf(open.tables().teamWeeklyEngagement());
      if (open.tables().holdsNoRows(published)
          || open.spark().table(published).where("week_start = DATE '" + monday + "'").isEmpty()) {
        throw new io.goodhart.lake.InputException("nothing to report for " + ReportingCalendar.weekLabel(monday) + ": "
            + published + " holds no published figures for that week; run goodhart nightly (ingest, the curated jobs "
            + "and bi-publish) for a date of that week first");
      }
      new BiViews(open.spark(), open.tables(), line -> { }).install();
      String html = Dashboard.render(DashboardData.load(open.spark(), open.tables(), monday));
      Files.createDirectories(out);
      Path file = out.resolve("index.html");
      Files.writeString(file, html, StandardCharsets.UTF_8);
      spec.commandLine().getOut().println("report: " + ReportingCalendar.weekLabel(monday) + " -> " + file.toAbsolutePath()
          + " (" + html.length() / 1024 + " KiB, self-contained)");
      return ExitCodes.OK;
    }
  }

  private LocalDate monday(String text) {
    Matcher m = ISO_WEEK.matcher(text.trim());
    try {
      if (m.matches()) {
        return LocalDate.of(Integer.parseInt(m.group(1)), 6, 1)
            .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(m.group(2)))
            .with(java.time.DayOfWeek.MONDAY);
      }
      return ReportingCalendar.weekStart(LocalDate.parse(text.trim()));
    } catch (java.time.DateTimeException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--week must be an ISO week like 2026-W47 or a date, found " + text);
    }
  }
}
