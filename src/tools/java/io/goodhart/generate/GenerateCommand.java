package io.goodhart.generate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code goodhart generate}: writes a deterministic synthetic usage data set. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
        "Write a deterministic synthetic data set of AI-usage events per the usage-events"
            + " contract: directory.csv, events/date=YYYY-MM-DD/part-NNNNN.jsonl.gz (folder ="
            + " delivery date), ground_truth.csv (padding label per user and week, for evaluation"
            + " only) and generation-summary.json. The same options give byte-identical files.",
          "With --emit otlp or cursor-events the same requests (a seed gives the same ones in every"
            + " format) are written"
            + " in that vendor format instead, each request once, in the folder of its UTC day, and"
            + " directory.csv gets an email column (<user_id>@example.com) that names each person as"
            + " those formats do. Every request keeps its time to the millisecond, its person, its"
            + " model and its tokens (as the contract counts them), and in otlp its session and"
            + " duration; what differs: the tool is"
            + " claude-code (otlp) or cursor (cursor-events) and the operation chat, whatever the"
            + " native tool and operation; times are UTC without the person's offset; task_type,"
            + " trigger, prompt_fingerprint, accepted, lines_accepted and artifact_id are not written;"
            + " a request without cache_read_tokens reports 0 of them. otlp: Claude Code log events"
            + " as the OpenTelemetry Collector's file exporter writes them (part-NNNNN.jsonl[.gz], one"
            + " export request per line, one person's session per line), each request a"
            + " claude_code.api_request with a prompt.id, preceded by a claude_code.user_prompt when"
            + " it is interactive. cursor-events: Cursor Admin API filtered-usage-events pages"
            + " (page-NNNNN.json[.gz], " + CursorPages.PAGE_SIZE + " events a page, newest first)."
            + " --duplicate-rate, --late-rate and --malformed-rate apply to the goodhart format only.",
          "With --emit q-developer-csv, copilot-user-ndjson or cursor-daily the same requests are"
            + " written as daily per-user reports: each person's UTC day with at least one request is one"
            + " row, with counts derived from that day's requests (a day without a request writes no"
            + " row), every row active by its source's rule, so engagement from the reports equals"
            + " engagement from the requests when the reporting time zone is UTC. A request counts as"
            + " an inline suggestion (text_completion) or a message or generation of its operation's kind;"
            + " Q reports count it by its task type first (code review, test, doc generation); lines are"
            + " its lines_accepted. q-developer-csv: Amazon Q Developer user activity reports under"
            + " events/AWSLogs/" + DailyRows.Q_ACCOUNT + "/QDeveloperLogs/by_user_analytic/"
            + DailyRows.Q_REGION + "/{yyyy}/{mm}/{dd}/00/ (_part_N files when --files-per-day > 1),"
            + " people by an Identity Center id. copilot-user-ndjson: GitHub Copilot users-1-day reports"
            + " (events/date=D/users-1-day-D.ndjson), people by login (<user_id>_example); every"
            + " request counts as an interaction the person started. cursor-daily: Cursor"
            + " daily-usage-data responses for one day (events/date=D/daily-usage-data-D.json), people by"
            + " email. For q-developer-csv and copilot-user-ndjson, identities.csv maps the report's"
            + " keys to the directory's people (load it with goodhart load-identities)."
        })
public final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Output folder. Must be empty, missing, or a previous generator output (which is"
              + " cleared first).")
  Path out;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = GeneratorConfig.DEFAULT_SEED;

  @Option(
      names = "--users",
      paramLabel = "N",
      description = "People in the directory (default: ${DEFAULT-VALUE}).")
  int users = GeneratorConfig.DEFAULT_USERS;

  @Option(names = "--weeks", paramLabel = "N", description = "ISO weeks to generate (default: ${DEFAULT-VALUE}).")
  int weeks = GeneratorConfig.DEFAULT_WEEKS;

  @Option(
      names = "--start",
      paramLabel = "YYYY-MM-DD",
      description = "First day, snapped back to its Monday (default: 2026-10-05).")
  String start;

  @Option(
      names = "--launch-week",
      paramLabel = "N",
      description =
          "0-based week in which the public token leaderboard launches; padding starts then"
              + " (default: weeks/2).")
  Integer launchWeek;

  @Option(names = "--no-gzip", description = "Write plain .jsonl instead of .jsonl.gz.")
  boolean noGzip;

  @Option(
      names = "--duplicate-rate",
      paramLabel = "R",
      description = "Share of events re-delivered once more, in [0,1) (default: ${DEFAULT-VALUE}).")
  double duplicateRate = GeneratorConfig.DEFAULT_DUPLICATE_RATE;

  @Option(
      names = "--late-rate",
      paramLabel = "R",
      description = "Share of events delivered 1-3 days late, in [0,1) (default: ${DEFAULT-VALUE}).")
  double lateRate = GeneratorConfig.DEFAULT_LATE_RATE;

  @Option(
      names = "--malformed-rate",
      paramLabel = "R",
      description = "Extra garbage lines per event, in [0,1) (default: ${DEFAULT-VALUE}).")
  double malformedRate = GeneratorConfig.DEFAULT_MALFORMED_RATE;

  @Option(
      names = "--files-per-day",
      paramLabel = "N",
      description = "Part files per delivery-day folder (default: ${DEFAULT-VALUE}).")
  int filesPerDay = GeneratorConfig.DEFAULT_FILES_PER_DAY;

  @Option(
      names = "--emit",
      paramLabel = "FORMAT",
      description = "Format of the requests: goodhart (default), otlp or cursor-events; or daily reports:"
          + " q-developer-csv, copilot-user-ndjson or cursor-daily.")
  String emit = EmitFormat.GOODHART.cliName();

  /** Checks the options and builds the config; bad values raise {@link ParameterException}. */
  GeneratorConfig config() {
    CommandLine cl = spec.commandLine();
    if (users < 1) {
      throw new ParameterException(cl, "--users must be at least 1 (got " + users + ")");
    }
    if (users > GeneratorConfig.MAX_USERS) {
      throw new ParameterException(
          cl, "--users must be at most " + GeneratorConfig.MAX_USERS + " (got " + users + ")");
    }
    if (weeks < 1 || weeks > GeneratorConfig.MAX_WEEKS) {
      throw new ParameterException(
          cl, "--weeks must be between 1 and " + GeneratorConfig.MAX_WEEKS + " (got " + weeks + ")");
    }
    if (launchWeek != null && launchWeek < 0) {
      throw new ParameterException(cl, "--launch-week must be >= 0 (got " + launchWeek + ")");
    }
    rate(cl, "--duplicate-rate", duplicateRate);
    rate(cl, "--late-rate", lateRate);
    rate(cl, "--malformed-rate", malformedRate);
    if (filesPerDay < 1 || filesPerDay > GeneratorConfig.MAX_FILES_PER_DAY) {
      throw new ParameterException(
          cl,
          "--files-per-day must be between 1 and "
              + GeneratorConfig.MAX_FILES_PER_DAY
              + " (got "
              + filesPerDay
              + ")");
    }
    EmitFormat format = EmitFormat.byCliName(emit);
    if (format == null) {
      throw new ParameterException(
          cl, "--emit must be one of " + EmitFormat.cliNames() + " (got '" + emit + "')");
    }
    LocalDate startDate = GeneratorConfig.DEFAULT_START;
    if (start != null) {
      try {
        startDate = LocalDate.parse(start.trim());
      } catch (DateTimeParseException e) {
        throw new ParameterException(cl, "--start must be a date YYYY-MM-DD (got '" + start + "')");
      }
    }
    return GeneratorConfig.builder()
        .seed(seed)
        .users(users)
        .weeks(weeks)
        .start(startDate)
        .launchWeek(launchWeek)
        .gzip(!noGzip)
        .duplicateRate(duplicateRate)
        .lateRate(lateRate)
        .malformedRate(malformedRate)
        .filesPerDay(filesPerDay)
        .emit(format)
        .out(out)
        .build();
  }

  private static void rate(CommandLine cl, String name, double v) {
    if (!(v >= 0.0 && v < 1.0)) {
      throw new ParameterException(cl, name + " must be in [0, 1) (got " + v + ")");
    }
  }

  @Override
  public Integer call() throws Exception {
    GeneratorConfig cfg = config();
    long t0 = System.nanoTime();
    GenerationSummary s;
    try {
      s = new UsageGenerator().generate(cfg);
    } catch (UsageGenerator.RefusedOutputException e) {
      throw new ParameterException(spec.commandLine(), "--out: " + e.getMessage());
    }
    double secs = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
    PrintWriter w = spec.commandLine().getOut();
    if (cfg.emit().daily()) {
      w.println(
          String.format(
              Locale.ROOT,
              "generated %d daily rows of %d requests as %s for %d users + %d unknown x %d weeks, into %s in"
                  + " %.1f s",
              s.dailyRows(),
              s.events(),
              cfg.emit().cliName(),
              s.users(),
              s.unknownUsers(),
              s.weeks(),
              cfg.out(),
              secs));
      w.flush();
      return 0;
    }
    w.println(
        String.format(
            Locale.ROOT,
            "generated %d events (+%d duplicate, +%d malformed = %d lines; %d late) for %d users"
                + " + %d unknown x %d weeks, %d padding user-weeks, into %s in %.1f s (%.0f events/s)",
            s.events(),
            s.duplicateLines(),
            s.malformedLines(),
            s.linesTotal(),
            s.lateEvents(),
            s.users(),
            s.unknownUsers(),
            s.weeks(),
            s.paddingUserWeeks(),
            cfg.out(),
            secs,
            s.events() / secs));
    w.flush();
    return 0;
  }

  /** Stand-alone entry point (the project normally runs this as {@code goodhart generate}). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new GenerateCommand()).execute(args));
  }
}
