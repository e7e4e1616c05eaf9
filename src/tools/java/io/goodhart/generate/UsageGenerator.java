package io.goodhart.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a deterministic synthetic data set per the usage-events contract:
 *
 * <pre>
 * out/directory.csv
 * out/events/date=YYYY-MM-DD/part-NNNNN.jsonl[.gz]   (folder date = delivery date)
 * out/ground_truth.csv                                 (evaluation only)
 * out/generation-summary.json
 * </pre>
 *
 * <p>In a vendor format the requests are written in that format's files under {@code out/events/} instead; a
 * daily format writes each person's UTC day of requests as one row of a daily report ({@link DailyRows}), and
 * for Amazon Q and Copilot, whose reports name people by their own keys, {@code out/identities.csv} maps those
 * keys to the directory's people.
 *
 * <p>Every random decision comes from a stream seeded by (seed, person, day or week, ...), and
 * parallel work is always merged in a fixed order, so the same config gives byte-identical files
 * whatever the thread scheduling.
 */
public final class UsageGenerator {

  public static final String SUMMARY_FILE = "generation-summary.json";
  public static final String DIRECTORY_FILE = "directory.csv";
  public static final String GROUND_TRUTH_FILE = "ground_truth.csv";
  public static final String IDENTITIES_FILE = "identities.csv";
  public static final String EVENTS_DIR = "events";

  static final long DAY = WeekSchedule.DAY;
  static final long HOUR = WeekSchedule.HOUR;
  private static final long SALT_PLAN = 0x91A4L;
  private static final long SALT_FAULT = 0xFA017L;
  private static final int CHUNK = 32; // people per parallel task (keeps buffers small)
  /** Fast deflate: the generator's files are scratch data, so writing speed matters more than their size. */
  private static final int GZIP_LEVEL = Deflater.BEST_SPEED;

  /** Generates the data set described by {@code cfg}. */
  public GenerationSummary generate(GeneratorConfig cfg) throws IOException {
    Path out = cfg.out();
    prepareOutput(out);
    Files.writeString(out.resolve(SUMMARY_FILE), "{\"status\":\"incomplete\"}\n");

    Directory dir = Directory.build(cfg);
    writeDirectory(dir, out.resolve(DIRECTORY_FILE), cfg.emit() != EmitFormat.GOODHART);
    if (cfg.emit() == EmitFormat.Q_DEVELOPER_CSV || cfg.emit() == EmitFormat.COPILOT_USER_NDJSON) {
      writeIdentities(dir, cfg, out.resolve(IDENTITIES_FILE));
    }

    Run run = new Run(cfg, dir);
    run.execute();

    writeGroundTruth(run, out.resolve(GROUND_TRUTH_FILE));
    GenerationSummary summary = run.summary();
    writeSummary(cfg, summary, out.resolve(SUMMARY_FILE));
    return summary;
  }

  // ------------------------------------------------------------------ output folder

  /** The output folder is not empty and holds no previous generator output; nothing written. */
  public static final class RefusedOutputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RefusedOutputException(String message) {
      super(message);
    }
  }

  /**
   * Ensures {@code out} is empty or a previous generator output (which is then cleared).
   *
   * @throws RefusedOutputException if it holds anything else
   */
  static void prepareOutput(Path out) throws IOException {
    if (Files.exists(out)) {
      if (!Files.isDirectory(out)) {
        throw new RefusedOutputException("output path " + out + " exists and is not a folder");
      }
      boolean empty;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(out)) {
        empty = !ds.iterator().hasNext();
      }
      if (!empty) {
        if (!Files.isRegularFile(out.resolve(SUMMARY_FILE))) {
          throw new RefusedOutputException(
              "refusing to write into non-empty folder "
                  + out
                  + ": it is not a previous generator output (no "
                  + SUMMARY_FILE
                  + ")");
        }
        deleteRecursively(out.resolve(EVENTS_DIR));
        Files.deleteIfExists(out.resolve(DIRECTORY_FILE));
        Files.deleteIfExists(out.resolve(GROUND_TRUTH_FILE));
        Files.deleteIfExists(out.resolve(IDENTITIES_FILE));
        Files.deleteIfExists(out.resolve(SUMMARY_FILE));
      }
    }
    Files.createDirectories(out);
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  // ------------------------------------------------------------------ directory.csv

  static String csv(String v) {
    if (v == null) {
      return "";
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  /**
   * The directory; with {@code email} (the address the vendor formats name each person by) when the
   * requests are written in one of them.
   */
  private static void writeDirectory(Directory dir, Path file, boolean withEmail) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < dir.directoryUsers; i++) {
      Directory.Person p = dir.people[i];
      for (Directory.Stint s : p.stints) {
        Directory.Team t = dir.teams.get(s.team());
        rows.add(
            new String[] {
              p.userId,
              t.teamId(),
              t.name(),
              t.org(),
              dir.people[dir.managerOfTeam[t.index()]].userId,
              Boolean.toString(p.developer),
              s.validFrom().toString(),
              s.validTo() == null ? "" : s.validTo().toString(),
              OtlpLogs.email(p.userId)
            });
      }
    }
    rows.sort(Comparator.<String[], String>comparing(r -> r[0]).thenComparing(r -> r[6]));
    StringBuilder sb = new StringBuilder(rows.size() * 90 + 100);
    sb.append("user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to");
    sb.append(withEmail ? ",email\n" : "\n");
    int columns = withEmail ? 9 : 8;
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(csv(r[i]));
      }
      sb.append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * The identities of the keys an Amazon Q or Copilot report names the directory's people by (contract section
   * 6): a person's Identity Center id, or GitHub login, stands for them from the first day of their first stint
   * on. People the directory does not know have no row, as their requests name nobody it knows.
   */
  private static void writeIdentities(Directory dir, GeneratorConfig cfg, Path file) throws IOException {
    boolean q = cfg.emit() == EmitFormat.Q_DEVELOPER_CSV;
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < dir.directoryUsers; i++) {
      Directory.Person p = dir.people[i];
      LocalDate from = p.stints.stream().map(Directory.Stint::validFrom).min(Comparator.naturalOrder()).orElseThrow();
      rows.add(new String[] {
        q ? "amazon-q" : "copilot",
        q ? DailyRows.qUserId(cfg.seed(), p.index) : DailyRows.copilotLogin(p.userId),
        p.userId,
        from.toString()
      });
    }
    rows.sort(Comparator.comparing(r -> r[2]));
    StringBuilder sb = new StringBuilder(rows.size() * 70 + 60);
    sb.append("source,source_user_key,user_id,valid_from,valid_to\n");
    for (String[] r : rows) {
      sb.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append(',').append(r[3]).append(",\n");
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ ground truth & summary

  private static void writeGroundTruth(Run run, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("user_id,week_start,archetype,padding\n");
      for (Directory.Person p : run.dir.people) {
        for (int wk = 0; wk < run.cfg.weeks(); wk++) {
          Archetype a = run.labels[p.index][wk];
          w.write(p.userId);
          w.write(',');
          w.write(run.cfg.start().plusWeeks(wk).toString());
          w.write(',');
          w.write(a.name());
          w.write(',');
          w.write(Boolean.toString(a.padding()));
          w.write('\n');
        }
      }
    }
  }

  private static void writeSummary(GeneratorConfig cfg, GenerationSummary s, Path file)
      throws IOException {
    StringBuilder b = new StringBuilder(1024);
    b.append("{\n");
    field(b, "events", s.events());
    if (cfg.emit().daily()) {
      field(b, "daily_rows", s.dailyRows());
    }
    field(b, "duplicate_lines", s.duplicateLines());
    field(b, "late_events", s.lateEvents());
    field(b, "malformed_lines", s.malformedLines());
    field(b, "lines_total", s.linesTotal());
    field(b, "users", s.users());
    field(b, "unknown_users", s.unknownUsers());
    field(b, "weeks", s.weeks());
    field(b, "seed", s.seed());
    field(b, "teams", s.teams());
    field(b, "directory_rows", s.directoryRows());
    field(b, "files", s.files());
    field(b, "padding_user_weeks", s.paddingUserWeeks());
    b.append("  \"config\": {");
    b.append("\"start\": \"").append(cfg.start()).append("\", ");
    b.append("\"launch_week\": ").append(cfg.launchWeek()).append(", ");
    b.append("\"gzip\": ").append(cfg.gzip()).append(", ");
    b.append("\"duplicate_rate\": ").append(cfg.duplicateRate()).append(", ");
    b.append("\"late_rate\": ").append(cfg.lateRate()).append(", ");
    b.append("\"malformed_rate\": ").append(cfg.malformedRate()).append(", ");
    b.append("\"files_per_day\": ").append(cfg.filesPerDay());
    if (cfg.emit() != EmitFormat.GOODHART) { // the contract is the default, so its summaries do not name it
      b.append(", \"emit\": \"").append(cfg.emit().cliName()).append('"');
    }
    b.append("},\n");
    map(b, "users_by_archetype", s.usersByArchetype(), Archetype.values(), false);
    map(b, "user_weeks_by_archetype", s.userWeeksByArchetype(), Archetype.values(), false);
    map(b, "events_by_archetype", s.eventsByArchetype(), Archetype.values(), false);
    map(b, "malformed_by_kind", s.malformedByKind(), MalformedKind.values(), true);
    b.append("}\n");
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  private static void field(StringBuilder b, String k, long v) {
    b.append("  \"").append(k).append("\": ").append(v).append(",\n");
  }

  private static <E extends Enum<E>> void map(
      StringBuilder b, String k, Map<E, Long> m, E[] keys, boolean last) {
    b.append("  \"").append(k).append("\": {");
    for (int i = 0; i < keys.length; i++) {
      E e = keys[i];
      String name =
          e instanceof MalformedKind mk ? mk.key() : e.name();
      b.append(i == 0 ? "" : ", ").append('"').append(name).append("\": ");
      b.append(m.getOrDefault(e, 0L));
    }
    b.append(last ? "}\n" : "},\n");
  }

  // ------------------------------------------------------------------ the event run

  /** Lines and counters produced for one chunk of people on one UTC day. */
  private static final class ChunkResult {
    final TreeMap<Long, PartBuffer[]> days = new TreeMap<>();
    final int parts;
    long events;
    long dailyRows;
    long late;
    long duplicates;
    final long[] malformed = new long[MalformedKind.values().length];

    ChunkResult(int parts) {
      this.parts = parts;
    }

    PartBuffer part(long day, int part) {
      PartBuffer[] ps = days.computeIfAbsent(day, d -> new PartBuffer[parts]);
      if (ps[part] == null) {
        ps[part] = new PartBuffer();
      }
      return ps[part];
    }
  }

  private static final class Run {
    final GeneratorConfig cfg;
    final Directory dir;
    final EventFactory factory;
    final int people;
    final Archetype[][] padPlan; // [person][week], null = no padding planned
    final Archetype[][] labels; // [person][week]
    final long[] eventsByArchetype = new long[Archetype.values().length];
    long events;
    long dailyRows;
    long late;
    long duplicates;
    final long[] malformed = new long[MalformedKind.values().length];
    int files;
    final TreeMap<Long, PartBuffer.Lines[]> pending = new TreeMap<>();
    final ExecutorService writers;
    final List<Future<?>> writes = new ArrayList<>();
    final long startDay;
    final long endDay; // exclusive

    Run(GeneratorConfig cfg, Directory dir) {
      this.cfg = cfg;
      this.dir = dir;
      this.factory = new EventFactory(cfg.seed());
      this.people = dir.people.length;
      this.padPlan = new Archetype[people][cfg.weeks()];
      this.labels = new Archetype[people][cfg.weeks()];
      this.startDay = cfg.start().toEpochDay();
      this.endDay = startDay + 7L * cfg.weeks();
      this.nextPeriodDay = startDay;
      int threads = Math.max(1, Math.min(cfg.filesPerDay(), Runtime.getRuntime().availableProcessors()));
      this.writers =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "goodhart-generate-writer");
                t.setDaemon(true);
                return t;
              });
      planPadding();
    }

    private void planPadding() {
      Archetype[] padTypes = {
        Archetype.LOOP_PADDER, Archetype.WEEKEND_FLOODER, Archetype.REPEATER
      };
      for (Directory.Person p : dir.people) {
        for (int w = 0; w < cfg.weeks(); w++) {
          SplittableRandom r = Rng.stream(cfg.seed(), SALT_PLAN, p.index, w);
          double draw = r.nextDouble();
          double other = r.nextDouble();
          int alt = r.nextInt(padTypes.length);
          if (p.padType == null || w < cfg.launchWeek()) {
            continue;
          }
          double prob = p.padWeekProb * (w == cfg.launchWeek() ? 0.8 : 1.0);
          if (draw < prob) {
            padPlan[p.index][w] = other < 0.12 ? padTypes[alt] : p.padType;
          }
        }
      }
    }

    private double intensity(Directory.Person p, int w) {
      if (w < 0 || w >= cfg.weeks()) {
        return 1.0;
      }
      if (padPlan[p.index][w] != null) {
        return 0.7;
      }
      return w >= cfg.launchWeek() ? 1.1 : 1.0;
    }

    void execute() throws IOException {
      try {
        WeekSchedule[] schedules = null;
        for (int w = 0; w < cfg.weeks(); w++) {
          final int week = w;
          long weekStartDay = startDay + 7L * w;
          schedules = null; // let last week's schedules go before building this week's
          schedules =
              IntStream.range(0, people)
                  .parallel()
                  .mapToObj(
                      i -> {
                        Directory.Person p = dir.people[i];
                        return WeekSchedule.build(
                            cfg.seed(),
                            p,
                            week,
                            weekStartDay,
                            padPlan[i][week],
                            intensity(p, week - 1),
                            intensity(p, week),
                            intensity(p, week + 1));
                      })
                  .toArray(WeekSchedule[]::new);
          for (int i = 0; i < people; i++) {
            Directory.Person p = dir.people[i];
            WeekSchedule s = schedules[i];
            Archetype label = s.paddingEvents > 0 ? padPlan[i][w] : p.base;
            labels[i][w] = label;
            eventsByArchetype[label.ordinal()] += s.n;
          }
          for (int d = 0; d < 7; d++) {
            long day = weekStartDay + d;
            buildDay(week, day, schedules);
            flushThrough(day);
          }
        }
        flushThrough(Long.MAX_VALUE);
        awaitWrites(0);
      } finally {
        writers.shutdownNow();
      }
    }

    private void buildDay(int week, long day, WeekSchedule[] schedules) {
      int chunks = (people + CHUNK - 1) / CHUNK;
      List<ChunkResult> results =
          IntStream.range(0, chunks)
              .parallel()
              .mapToObj(c -> buildChunk(week, day, schedules, c * CHUNK, Math.min(people, (c + 1) * CHUNK)))
              .collect(Collectors.toList());
      for (ChunkResult r : results) {
        events += r.events;
        dailyRows += r.dailyRows;
        late += r.late;
        duplicates += r.duplicates;
        for (int k = 0; k < malformed.length; k++) {
          malformed[k] += r.malformed[k];
        }
        for (Map.Entry<Long, PartBuffer[]> e : r.days.entrySet()) {
          PartBuffer.Lines[] target = pendingDay(e.getKey());
          PartBuffer[] src = e.getValue();
          for (int i = 0; i < src.length; i++) {
            if (src[i] != null) {
              src[i].trim();
              target[i].segs.add(src[i]);
            }
          }
        }
      }
    }

    private PartBuffer.Lines[] pendingDay(long day) {
      return pending.computeIfAbsent(
          day,
          d -> {
            PartBuffer.Lines[] ps = new PartBuffer.Lines[cfg.filesPerDay()];
            for (int i = 0; i < ps.length; i++) {
              ps[i] = new PartBuffer.Lines();
            }
            return ps;
          });
    }

    private ChunkResult buildChunk(int week, long day, WeekSchedule[] schedules, int from, int to) {
      ChunkResult out = new ChunkResult(cfg.filesPerDay());
      EventFactory.Fields f = new EventFactory.Fields();
      EventFactory.Fields scratch = new EventFactory.Fields();
      Bytes b = new Bytes();
      long lo = day * DAY;
      long hi = lo + DAY;
      int parts = cfg.filesPerDay();
      MalformedKind[] kinds = MalformedKind.values();
      for (int i = from; i < to; i++) {
        WeekSchedule s = schedules[i];
        if (s.n == 0) {
          continue;
        }
        Directory.Person p = dir.people[i];
        int first = s.lowerBound(lo);
        int last = s.lowerBound(hi);
        if (cfg.emit() == EmitFormat.OTLP) {
          otlpRequests(out, week, day, p, s, first, last, f, b);
          continue;
        }
        if (cfg.emit().daily()) {
          dailyRow(out, week, day, p, s, first, last, f, b);
          continue;
        }
        if (cfg.emit() == EmitFormat.CURSOR_EVENTS) {
          String email = OtlpLogs.email(p.userId);
          for (int k = first; k < last; k++) {
            factory.fill(f, p, week, s.kind[k], s.t[k], s.sess[k], s.ev[k], EventFactory.eventKey(i, week, k));
            b.reset();
            CursorPages.event(b, f, email);
            out.events++;
            out.part(day, 0).add(-f.time, b.buf, 0, b.len); // newest first, as the API lists them
          }
          continue;
        }
        for (int k = first; k < last; k++) {
          long key = EventFactory.eventKey(i, week, k);
          factory.fill(f, p, week, s.kind[k], s.t[k], s.sess[k], s.ev[k], key);
          b.reset();
          EventFactory.write(b, f);
          out.events++;

          SplittableRandom r = new SplittableRandom(Rng.mix64(s.ev[k] ^ SALT_FAULT));
          double lateDraw = r.nextDouble();
          int lateDays = 1 + r.nextInt(3);
          double dupDraw = r.nextDouble();
          double dupMode = r.nextDouble();
          int dupDays = 1 + r.nextInt(3);
          double malDraw = r.nextDouble();
          int malKind = r.nextInt(kinds.length);
          int part = r.nextInt(parts);
          int dupPart = r.nextInt(parts);
          long lateKey = r.nextLong(DAY);
          long dupDelta = 1_000 + r.nextLong(4 * HOUR);
          long dupKey = r.nextLong(DAY);
          long malDelta = r.nextLong(2 * HOUR) - HOUR;
          long malSeed = r.nextLong();

          long eventDay = Math.floorDiv(f.time, DAY);
          long delivery = eventDay;
          long sortKey = f.time;
          if (lateDraw < cfg.lateRate()) {
            delivery = eventDay + lateDays;
            sortKey = delivery * DAY + lateKey;
            out.late++;
          }
          out.part(delivery, part).add(sortKey, b.buf, 0, b.len);
          if (dupDraw < cfg.duplicateRate()) {
            // an exact copy, always after the original in (folder, part, line) order
            out.duplicates++;
            if (dupMode < 0.4) {
              out.part(delivery, part).add(sortKey + dupDelta, b.buf, 0, b.len);
            } else if (dupMode < 0.7 && part < parts - 1) {
              int other = part + 1 + (dupPart % (parts - 1 - part));
              out.part(delivery, other).add(sortKey + dupDelta, b.buf, 0, b.len);
            } else {
              long dd = delivery + dupDays;
              out.part(dd, dupPart).add(dd * DAY + dupKey, b.buf, 0, b.len);
            }
          }
          if (malDraw < cfg.malformedRate()) {
            MalformedKind mk = kinds[malKind];
            copy(f, scratch);
            b.reset();
            EventFactory.writeMalformed(
                b, scratch, mk, new SplittableRandom(malSeed), factory.malformedIdHi(key));
            out.malformed[malKind]++;
            out.part(delivery, part).add(sortKey + malDelta, b.buf, 0, b.len);
          }
        }
      }
      return out;
    }

    /**
     * The requests of one person on one UTC day as Claude Code log records, a line per session (or per
     * {@link OtlpLogs#MAX_RECORDS_PER_LINE} records), each line in a part file chosen by its session.
     */
    private void otlpRequests(ChunkResult out, int week, long day, Directory.Person p, WeekSchedule s,
        int first, int last, EventFactory.Fields f, Bytes b) {
      String email = OtlpLogs.email(p.userId);
      String installation = OtlpLogs.installationId(cfg.seed(), p.index);
      Map<Long, OtlpLogs.Batch> sessions = new LinkedHashMap<>();
      for (int k = first; k < last; k++) {
        factory.fill(f, p, week, s.kind[k], s.t[k], s.sess[k], s.ev[k], EventFactory.eventKey(p.index, week, k));
        out.events++;
        long session = s.sess[k];
        OtlpLogs.Batch batch = sessions.computeIfAbsent(session, x -> new OtlpLogs.Batch());
        OtlpLogs.addRequest(batch, f, email, installation);
        if (batch.count >= OtlpLogs.MAX_RECORDS_PER_LINE) {
          otlpLine(out, day, session, batch, b);
          sessions.remove(session);
        }
      }
      for (Map.Entry<Long, OtlpLogs.Batch> e : sessions.entrySet()) {
        otlpLine(out, day, e.getKey(), e.getValue(), b);
      }
    }

    /**
     * The row of one person's UTC day in the daily report being written, when they made a request that day;
     * rows are in the order of the people, and an Amazon Q report's rows are spread over its part files.
     */
    private void dailyRow(ChunkResult out, int week, long day, Directory.Person p, WeekSchedule s, int first,
        int last, EventFactory.Fields f, Bytes b) {
      if (first >= last) {
        return;
      }
      DailyRows.PersonDay personDay = new DailyRows.PersonDay();
      for (int k = first; k < last; k++) {
        factory.fill(f, p, week, s.kind[k], s.t[k], s.sess[k], s.ev[k], EventFactory.eventKey(p.index, week, k));
        personDay.add(f);
        out.events++;
      }
      LocalDate date = LocalDate.ofEpochDay(day);
      b.reset();
      int part = 0;
      switch (cfg.emit()) {
        case Q_DEVELOPER_CSV -> {
          DailyRows.qRow(b, personDay, DailyRows.qUserId(cfg.seed(), p.index), date);
          part = p.index % cfg.filesPerDay();
        }
        case COPILOT_USER_NDJSON -> DailyRows.copilotRow(b, personDay, DailyRows.copilotLogin(p.userId),
            DailyRows.copilotUserId(p.index), date);
        case CURSOR_DAILY -> DailyRows.cursorRow(b, personDay, OtlpLogs.email(p.userId), date);
        default -> throw new IllegalStateException("not a daily format: " + cfg.emit());
      }
      out.dailyRows++;
      out.part(day, part).add(p.index, b.buf, 0, b.len);
    }

    private void otlpLine(ChunkResult out, long day, long session, OtlpLogs.Batch batch, Bytes b) {
      b.reset();
      OtlpLogs.line(b, batch);
      int part = (int) Math.floorMod(Rng.mix64(session ^ SALT_FAULT), (long) cfg.filesPerDay());
      out.part(day, part).add(batch.firstTime, b.buf, 0, b.len);
    }

    private static void copy(EventFactory.Fields a, EventFactory.Fields b) {
      b.idHi = a.idHi;
      b.idLo = a.idLo;
      b.time = a.time;
      b.offsetSeconds = a.offsetSeconds;
      b.utc = a.utc;
      b.millis = a.millis;
      b.userId = a.userId;
      b.tool = a.tool;
      b.op = a.op;
      b.model = a.model;
      b.input = a.input;
      b.output = a.output;
      b.cacheRead = a.cacheRead;
      b.hasSession = a.hasSession;
      b.session = a.session;
      b.task = a.task;
      b.trigger = a.trigger;
      b.hasFingerprint = a.hasFingerprint;
      b.fingerprint = a.fingerprint;
      b.duration = a.duration;
      b.accepted = a.accepted;
      b.lines = a.lines;
      b.artifact = a.artifact;
      b.clientVersion = a.clientVersion;
      b.spaced = a.spaced;
    }

    /** Writes every delivery day up to {@code lastDay} (no later line can land there any more). */
    private void flushThrough(long lastDay) throws IOException {
      // days of the period get their files even when empty
      long limit = Math.min(lastDay, endDay - 1);
      for (; nextPeriodDay <= limit; nextPeriodDay++) {
        pendingDay(nextPeriodDay);
      }
      while (!pending.isEmpty() && pending.firstKey() <= lastDay) {
        Map.Entry<Long, PartBuffer.Lines[]> e = pending.pollFirstEntry();
        writeDay(e.getKey(), e.getValue());
      }
    }

    private long nextPeriodDay;

    private void writeDay(long day, PartBuffer.Lines[] parts) throws IOException {
      if (cfg.emit().daily()) {
        writeDailyReports(day, parts);
        return;
      }
      Path folder = cfg.out().resolve(EVENTS_DIR).resolve("date=" + LocalDate.ofEpochDay(day));
      Files.createDirectories(folder);
      if (cfg.emit() == EmitFormat.CURSOR_EVENTS) {
        List<PartBuffer> events = parts[0].segs;
        files += CursorPages.pages(events.stream().mapToLong(e -> e.n).sum());
        writes.add(
            writers.submit(
                () -> {
                  CursorPages.writeDay(folder, day, events, cfg.gzip());
                  return null;
                }));
        awaitWrites(1);
        return;
      }
      for (int i = 0; i < parts.length; i++) {
        PartBuffer.Lines lines = parts[i];
        Path file =
            folder.resolve(
                String.format(Locale.ROOT, "part-%05d.jsonl%s", i, cfg.gzip() ? ".gz" : ""));
        files++;
        writes.add(
            writers.submit(
                () -> {
                  writeFile(file, lines, cfg.gzip());
                  return null;
                }));
      }
      awaitWrites(parts.length); // at most one day queued while the next one is built
    }

    /**
     * The daily reports of one UTC day: none when nobody made a request that day. Amazon Q's rows are in as many
     * part files as hold rows ({@code _part_N} when more than one); Copilot's and Cursor's in one file.
     */
    private void writeDailyReports(long day, PartBuffer.Lines[] parts) throws IOException {
      Path events = cfg.out().resolve(EVENTS_DIR);
      boolean gzip = cfg.gzip();
      List<PartBuffer.Lines> filled = new ArrayList<>();
      for (PartBuffer.Lines lines : parts) {
        if (lines.segs.stream().anyMatch(seg -> seg.n > 0)) {
          filled.add(lines);
        }
      }
      for (int i = 0; i < filled.size(); i++) {
        List<PartBuffer> rows = filled.get(i).segs;
        Path file;
        String head;
        String separator = "\n";
        String tail = "\n";
        switch (cfg.emit()) {
          case Q_DEVELOPER_CSV -> {
            file = DailyRows.qFile(events, day, i, filled.size(), gzip);
            head = DailyRows.qHeader() + "\n";
          }
          case COPILOT_USER_NDJSON -> {
            file = DailyRows.copilotFile(events, day, gzip);
            head = "";
          }
          case CURSOR_DAILY -> {
            file = DailyRows.cursorFile(events, day, gzip);
            head = DailyRows.CURSOR_HEAD;
            separator = ",\n";
            tail = DailyRows.cursorTail(day);
          }
          default -> throw new IllegalStateException("not a daily format: " + cfg.emit());
        }
        files++;
        String h = head;
        String sep = separator;
        String t = tail;
        writes.add(writers.submit(() -> {
          DailyRows.writeReport(file, h, rows, sep, t, gzip);
          return null;
        }));
      }
      awaitWrites(parts.length);
    }

    private void awaitWrites(int keep) throws IOException {
      while (writes.size() > keep) {
        Future<?> f = writes.remove(0);
        try {
          f.get();
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while writing", ex);
        } catch (ExecutionException ex) {
          Throwable c = ex.getCause();
          if (c instanceof IOException io) {
            throw io;
          }
          if (c instanceof UncheckedIOException u) {
            throw u.getCause();
          }
          throw new IllegalStateException(c);
        }
      }
    }

    private static void writeFile(Path file, PartBuffer.Lines lines, boolean gzip)
        throws IOException {
      try (OutputStream raw = Files.newOutputStream(file);
          OutputStream z = gzip ? new FastGzip(raw) : raw;
          OutputStream o = new BufferedOutputStream(z, 1 << 18)) {
        PartBuffer.writeSorted(lines.segs, o);
      }
    }

    GenerationSummary summary() {
      Map<Archetype, Long> users = new EnumMap<>(Archetype.class);
      Map<Archetype, Long> userWeeks = new EnumMap<>(Archetype.class);
      Map<Archetype, Long> ev = new EnumMap<>(Archetype.class);
      long paddingWeeks = 0;
      for (Archetype a : Archetype.values()) {
        users.put(a, 0L);
        userWeeks.put(a, 0L);
        ev.put(a, eventsByArchetype[a.ordinal()]);
      }
      for (Directory.Person p : dir.people) {
        users.merge(p.base, 1L, Long::sum);
        for (int w = 0; w < cfg.weeks(); w++) {
          userWeeks.merge(labels[p.index][w], 1L, Long::sum);
          if (labels[p.index][w].padding()) {
            paddingWeeks++;
          }
        }
      }
      Map<MalformedKind, Long> mal = new EnumMap<>(MalformedKind.class);
      long malTotal = 0;
      for (MalformedKind k : MalformedKind.values()) {
        mal.put(k, malformed[k.ordinal()]);
        malTotal += malformed[k.ordinal()];
      }
      int rows = 0;
      for (int i = 0; i < dir.directoryUsers; i++) {
        rows += dir.people[i].stints.size();
      }
      return new GenerationSummary(
          events,
          dailyRows,
          duplicates,
          late,
          malTotal,
          events + duplicates + malTotal,
          dir.directoryUsers,
          people - dir.directoryUsers,
          cfg.weeks(),
          cfg.seed(),
          dir.teams.size(),
          rows,
          files,
          paddingWeeks,
          users,
          userWeeks,
          ev,
          mal);
    }
  }

  /** GZIP at a fast level (output is still deterministic for a given input). */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(GZIP_LEVEL);
    }
  }
}
