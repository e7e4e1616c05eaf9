package io.goodhart.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageGeneratorTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> OPERATIONS =
      Set.of("chat", "text_completion", "embeddings", "execute_tool", "invoke_agent", "generate_content");
  static final Set<String> TASKS =
      Set.of(
          "code_generation", "code_review", "debugging", "testing", "documentation",
          "deployment", "email_triage", "summarization", "other");
  static final Set<String> TRIGGERS = Set.of("interactive", "scheduled", "automation");
  static final List<String> REQUIRED =
      List.of("event_id", "event_time", "user_id", "tool", "operation", "input_tokens", "output_tokens");

  @TempDir Path tmp;

  GeneratorConfig cfg;
  GenerationSummary summary;
  List<GeneratedData.RawLine> lines;

  /** Small but with raised fault rates, so every fault kind shows up. */
  static GeneratorConfig.Builder small(Path out) {
    return GeneratorConfig.builder()
        .out(out)
        .seed(7)
        .users(150)
        .weeks(3)
        .launchWeek(1)
        .duplicateRate(0.03)
        .lateRate(0.05)
        .malformedRate(0.01)
        .filesPerDay(3);
  }

  @BeforeAll
  void generateOnce(@TempDir Path shared) throws IOException {
    cfg = small(shared.resolve("main")).build();
    summary = new UsageGenerator().generate(cfg);
    lines = GeneratedData.readEventLines(cfg.out());
  }

  // ------------------------------------------------------------------ helpers

  /** Contract §1 validation: null when the line is a valid event, else the reason. */
  static String rejectReason(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      return "not json";
    }
    if (n == null || !n.isObject()) {
      return "not an object";
    }
    for (String f : REQUIRED) {
      if (!n.has(f) || n.get(f).isNull()) {
        return "missing " + f;
      }
    }
    for (String f : List.of("event_id", "event_time", "user_id", "tool", "operation")) {
      if (!n.get(f).isTextual()) {
        return "wrong type " + f;
      }
    }
    for (String f : List.of("input_tokens", "output_tokens")) {
      if (!n.get(f).isIntegralNumber()) {
        return "wrong type " + f;
      }
      if (n.get(f).asLong() < 0) {
        return "negative " + f;
      }
    }
    try {
      OffsetDateTime.parse(n.get("event_time").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (RuntimeException e) {
      return "bad time";
    }
    return null;
  }

  static LocalDate utcDay(JsonNode n) {
    return OffsetDateTime.parse(n.get("event_time").asText())
        .withOffsetSameInstant(ZoneOffset.UTC)
        .toLocalDate();
  }

  static Map<String, byte[]> snapshot(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  static void assertSameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
    assertEquals(a.keySet(), b.keySet(), "same file names");
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), "bytes of " + k);
    }
  }

  // ------------------------------------------------------------------ determinism

  @Test
  void sameConfigGivesByteIdenticalFilesAndOtherSeedDiffers() throws IOException {
    GeneratorConfig c1 = small(tmp.resolve("a")).users(40).weeks(2).build();
    GeneratorConfig c2 = small(tmp.resolve("b")).users(40).weeks(2).build();
    GenerationSummary s1 = new UsageGenerator().generate(c1);
    GenerationSummary s2 = new UsageGenerator().generate(c2);
    assertEquals(s1, s2);
    Map<String, byte[]> a = snapshot(c1.out());
    assertSameFiles(a, snapshot(c2.out()));

    // rerun into the same folder: the previous output is cleared, files identical again
    new UsageGenerator().generate(c1);
    assertSameFiles(a, snapshot(c1.out()));

    GeneratorConfig c3 = small(tmp.resolve("c")).users(40).weeks(2).seed(8).build();
    new UsageGenerator().generate(c3);
    Map<String, byte[]> c = snapshot(c3.out());
    long differing =
        a.keySet().stream()
            .filter(k -> k.startsWith("events/"))
            .filter(k -> c.containsKey(k) && !java.util.Arrays.equals(a.get(k), c.get(k)))
            .count();
    assertTrue(differing > 0, "another seed gives other events");
    assertFalse(
        java.util.Arrays.equals(a.get("directory.csv"), c.get("directory.csv")),
        "another seed gives another directory");
  }

  @Test
  void refusesForeignNonEmptyFolderAndClearsPreviousOutput() throws IOException {
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    GeneratorConfig c = small(foreign).users(5).weeks(1).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new UsageGenerator().generate(c));
    assertTrue(e.getMessage().contains("generation-summary.json"), e.getMessage());
    assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));
    assertEquals(1, Files.list(foreign).count(), "nothing written");

    // a previous output with stale extra day folders is cleared before writing
    Path prev = tmp.resolve("prev");
    new UsageGenerator().generate(small(prev).users(5).weeks(1).build());
    Path stale = prev.resolve("events/date=2099-01-01");
    Files.createDirectories(stale);
    Files.writeString(stale.resolve("part-00000.jsonl.gz"), "stale");
    new UsageGenerator().generate(small(prev).users(5).weeks(1).build());
    assertFalse(Files.exists(stale), "stale day folder removed");
  }

  // ------------------------------------------------------------------ events

  @Test
  void everyLineIsAValidEventOrACountedMalformedLine() throws IOException {
    long malformed = 0;
    long valid = 0;
    Set<String> tools = new HashSet<>();
    Set<String> offsets = new HashSet<>();
    Map<String, Integer> absent = new HashMap<>();
    boolean unknownField = false;
    boolean millis = false;
    for (GeneratedData.RawLine l : lines) {
      String reason = rejectReason(l.text());
      if (reason != null) {
        malformed++;
        continue;
      }
      valid++;
      JsonNode n = JSON.readTree(l.text());
      String where = l.file() + ":" + l.lineNo();
      assertTrue(n.get("event_id").asText().matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"), where);
      assertTrue(OPERATIONS.contains(n.get("operation").asText()), where);
      String tool = n.get("tool").asText();
      assertEquals(tool.toLowerCase(java.util.Locale.ROOT), tool, where);
      tools.add(tool);
      String time = n.get("event_time").asText();
      offsets.add(OffsetDateTime.parse(time).getOffset().getId());
      millis |= time.matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*");
      // optional fields: right type when present
      optionalText(n, "model", where);
      optionalText(n, "session_id", where);
      optionalText(n, "prompt_fingerprint", where);
      optionalText(n, "artifact_id", where);
      optionalCount(n, "cache_read_tokens", where);
      optionalCount(n, "duration_ms", where);
      optionalCount(n, "lines_accepted", where);
      if (n.has("task_type")) {
        assertTrue(TASKS.contains(n.get("task_type").asText()), where);
      }
      if (n.has("trigger")) {
        assertTrue(TRIGGERS.contains(n.get("trigger").asText()), where);
      }
      if (n.has("accepted")) {
        assertTrue(n.get("accepted").isBoolean(), where);
      }
      if (n.has("cache_read_tokens")) {
        assertTrue(n.get("cache_read_tokens").asLong() <= n.get("input_tokens").asLong(), where);
      }
      if (n.has("lines_accepted") && n.get("lines_accepted").asLong() > 0) {
        assertTrue(n.path("accepted").asBoolean(false), "lines only when accepted: " + where);
      }
      for (String f :
          List.of("model", "cache_read_tokens", "session_id", "task_type", "trigger",
              "prompt_fingerprint", "duration_ms", "accepted", "lines_accepted", "artifact_id")) {
        if (!n.has(f)) {
          absent.merge(f, 1, Integer::sum);
        }
      }
      unknownField |= n.has("client_version");
    }
    assertEquals(summary.malformedLines(), malformed, "malformed lines");
    assertEquals(summary.linesTotal(), lines.size(), "lines read back");
    assertEquals(summary.events() + summary.duplicateLines(), valid, "valid lines");
    assertEquals(
        summary.linesTotal(),
        summary.events() + summary.duplicateLines() + summary.malformedLines());
    assertTrue(tools.containsAll(Set.of("claude-code", "copilot", "cursor", "q-developer", "meshclaw")), tools.toString());
    assertTrue(offsets.contains("Z") && offsets.size() >= 3, "mixed offsets: " + offsets);
    assertTrue(millis, "some times carry milliseconds");
    assertTrue(unknownField, "an unknown extra field appears");
    for (String f :
        List.of("model", "session_id", "task_type", "trigger", "prompt_fingerprint", "duration_ms",
            "accepted", "artifact_id", "cache_read_tokens")) {
      assertTrue(absent.getOrDefault(f, 0) > 0, "optional field sometimes absent: " + f);
    }
  }

  private static void optionalText(JsonNode n, String f, String where) {
    if (n.has(f)) {
      assertTrue(n.get(f).isTextual(), f + " textual at " + where);
    }
  }

  private static void optionalCount(JsonNode n, String f, String where) {
    if (n.has(f)) {
      assertTrue(n.get(f).isIntegralNumber() && n.get(f).asLong() >= 0, f + " count at " + where);
    }
  }

  @Test
  void everyMalformedKindOccursAndIsRejected() {
    for (MalformedKind k : MalformedKind.values()) {
      assertTrue(summary.malformedByKind().get(k) > 0, "kind occurs: " + k);
    }
    Map<String, Long> reasons =
        lines.stream()
            .map(l -> rejectReason(l.text()))
            .filter(r -> r != null)
            .collect(Collectors.groupingBy(r -> r.split(" ")[0], Collectors.counting()));
    assertTrue(reasons.keySet().containsAll(Set.of("not", "missing", "wrong", "negative", "bad")), reasons.toString());
    assertTrue(lines.stream().anyMatch(l -> l.text().equals("{}")), "empty object");
  }

  @Test
  void duplicatesRepeatAnEarlierLineExactly() throws IOException {
    Map<String, String> first = new HashMap<>();
    long dups = 0;
    Set<String> dupKinds = new HashSet<>();
    Map<String, GeneratedData.RawLine> firstLine = new HashMap<>();
    for (GeneratedData.RawLine l : lines) {
      if (rejectReason(l.text()) != null) {
        continue;
      }
      String id = JSON.readTree(l.text()).get("event_id").asText();
      String prev = first.putIfAbsent(id, l.text());
      if (prev != null) {
        dups++;
        assertEquals(prev, l.text(), "a re-delivery is an exact copy");
        GeneratedData.RawLine o = firstLine.get(id);
        dupKinds.add(
            !o.folderDate().equals(l.folderDate())
                ? "later day"
                : o.file().equals(l.file()) ? "same file" : "other file");
      } else {
        firstLine.put(id, l);
      }
    }
    assertEquals(summary.duplicateLines(), dups);
    assertEquals(summary.events(), first.size(), "distinct event ids");
    assertEquals(Set.of("later day", "same file", "other file"), dupKinds);
  }

  @Test
  void lateEventsSitOneToThreeDaysAfterTheirUtcDay() throws IOException {
    Set<String> seen = new HashSet<>();
    long late = 0;
    Map<Long, Long> lateness = new TreeMap<>();
    LocalDate lastDay = cfg.endExclusive().minusDays(1);
    boolean beyondPeriod = false;
    for (GeneratedData.RawLine l : lines) {
      if (rejectReason(l.text()) != null) {
        continue;
      }
      JsonNode n = JSON.readTree(l.text());
      LocalDate eventDay = utcDay(n);
      assertFalse(eventDay.isBefore(cfg.start()), "event inside the period");
      assertFalse(eventDay.isAfter(lastDay), "event inside the period");
      long d = ChronoUnit.DAYS.between(eventDay, l.folderDate());
      beyondPeriod |= l.folderDate().isAfter(lastDay);
      if (seen.add(n.get("event_id").asText())) {
        assertTrue(d >= 0 && d <= 3, "first delivery 0-3 days after the event day: " + d);
        if (d > 0) {
          late++;
          lateness.merge(d, 1L, Long::sum);
        }
      } else {
        assertTrue(d >= 0 && d <= 6, "re-delivery within 6 days: " + d);
      }
    }
    assertEquals(summary.lateEvents(), late);
    assertEquals(Set.of(1L, 2L, 3L), lateness.keySet());
    assertTrue(beyondPeriod, "late lines after the last week are still written");
  }

  @Test
  void gzipOffWritesPlainJsonl() throws IOException {
    GeneratorConfig c = small(tmp.resolve("plain")).users(10).weeks(1).gzip(false).build();
    new UsageGenerator().generate(c);
    try (Stream<Path> s = Files.walk(c.out().resolve("events"))) {
      List<Path> files = s.filter(Files::isRegularFile).collect(Collectors.toList());
      assertFalse(files.isEmpty());
      for (Path f : files) {
        assertTrue(f.getFileName().toString().matches("part-\\d{5}\\.jsonl"), f.toString());
      }
    }
  }

  // ------------------------------------------------------------------ ground truth

  @Test
  void groundTruthLabelsEveryUserWeekAndNoPaddingBeforeLaunch() throws IOException {
    List<List<String>> rows = GeneratedData.readCsv(cfg.out().resolve("ground_truth.csv"));
    assertEquals(List.of("user_id", "week_start", "archetype", "padding"), rows.get(0));
    rows = rows.subList(1, rows.size());
    assertEquals((long) (summary.users() + summary.unknownUsers()) * cfg.weeks(), rows.size());
    Set<String> users = new HashSet<>();
    Map<Archetype, Long> counts = new HashMap<>();
    long paddingAfterLaunch = 0;
    for (List<String> r : rows) {
      LocalDate week = LocalDate.parse(r.get(1));
      assertEquals(DayOfWeek.MONDAY, week.getDayOfWeek());
      int index = (int) (ChronoUnit.DAYS.between(cfg.start(), week) / 7);
      assertTrue(index >= 0 && index < cfg.weeks());
      Archetype a = Archetype.valueOf(r.get(2));
      boolean padding = Boolean.parseBoolean(r.get(3));
      assertTrue(r.get(3).equals("true") || r.get(3).equals("false"));
      assertEquals(a.padding(), padding);
      if (index < cfg.launchWeek()) {
        assertFalse(padding, "no padding before the launch week: " + r);
      } else if (padding) {
        paddingAfterLaunch++;
      }
      users.add(r.get(0));
      counts.merge(a, 1L, Long::sum);
    }
    assertEquals(summary.paddingUserWeeks(), paddingAfterLaunch);
    long activeAfter = (long) (summary.users() + summary.unknownUsers()) * (cfg.weeks() - cfg.launchWeek());
    double share = paddingAfterLaunch / (double) activeAfter;
    assertTrue(share > 0.1 && share < 0.4, "padding share after launch " + share);
    for (Archetype a : Archetype.values()) {
      assertTrue(counts.getOrDefault(a, 0L) > 0, "archetype present: " + a);
      assertEquals(summary.userWeeksByArchetype().get(a), counts.getOrDefault(a, 0L));
    }
    // every user in events is labelled; some event users are in no directory stint
    Set<String> directoryUsers =
        GeneratedData.readCsv(cfg.out().resolve("directory.csv")).stream()
            .skip(1)
            .map(r -> r.get(0))
            .collect(Collectors.toSet());
    Set<String> eventUsers = new HashSet<>();
    for (GeneratedData.RawLine l : lines) {
      if (rejectReason(l.text()) == null) {
        eventUsers.add(JSON.readTree(l.text()).get("user_id").asText());
      }
    }
    assertTrue(users.containsAll(eventUsers));
    assertTrue(eventUsers.stream().anyMatch(u -> !directoryUsers.contains(u)), "unknown users");
    assertTrue(users.containsAll(directoryUsers));
  }

  // ------------------------------------------------------------------ directory

  @Test
  void directoryHasValidNonOverlappingStints() throws IOException {
    List<List<String>> rows = GeneratedData.readCsv(cfg.out().resolve("directory.csv"));
    assertEquals(
        List.of("user_id", "team_id", "team_name", "org", "manager_id", "is_developer", "valid_from", "valid_to"),
        rows.get(0));
    String raw = Files.readString(cfg.out().resolve("directory.csv"));
    assertTrue(raw.contains(",\"Payments, EU\","), "comma in a team name is quoted");
    rows = rows.subList(1, rows.size());
    assertEquals(summary.directoryRows(), rows.size());
    Map<String, List<LocalDate[]>> stints = new TreeMap<>();
    Set<String> userIds = rows.stream().map(r -> r.get(0)).collect(Collectors.toSet());
    Map<String, String> teamNames = new HashMap<>();
    Set<String> orgs = new HashSet<>();
    Map<String, Set<String>> members = new HashMap<>();
    int nonDev = 0;
    for (List<String> r : rows) {
      assertEquals(8, r.size(), r.toString());
      assertFalse(r.get(0).isEmpty() || r.get(1).isEmpty() || r.get(2).isEmpty() || r.get(3).isEmpty());
      assertTrue(r.get(5).equals("true") || r.get(5).equals("false"));
      nonDev += r.get(5).equals("false") ? 1 : 0;
      assertTrue(userIds.contains(r.get(4)), "manager is a directory user: " + r);
      String prevName = teamNames.putIfAbsent(r.get(1), r.get(2));
      assertTrue(prevName == null || prevName.equals(r.get(2)), "stable team name");
      orgs.add(r.get(3));
      members.computeIfAbsent(r.get(1), k -> new HashSet<>()).add(r.get(0));
      LocalDate from = LocalDate.parse(r.get(6));
      LocalDate to = r.get(7).isEmpty() ? null : LocalDate.parse(r.get(7));
      if (to != null) {
        assertFalse(to.isBefore(from), "valid range " + r);
      }
      stints.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(new LocalDate[] {from, to});
    }
    assertEquals(summary.users(), stints.size());
    assertTrue(orgs.size() >= 3 && orgs.size() <= 4, orgs.toString());
    assertTrue(members.values().stream().anyMatch(m -> m.size() < 5), "a team below 5");
    assertTrue(nonDev > 0, "non-developers");
    int movers = 0;
    int leavers = 0;
    int joiners = 0;
    LocalDate end = cfg.endExclusive();
    for (Map.Entry<String, List<LocalDate[]>> e : stints.entrySet()) {
      List<LocalDate[]> s = e.getValue();
      s.sort((x, y) -> x[0].compareTo(y[0]));
      for (int i = 1; i < s.size(); i++) {
        assertNotNull(s.get(i - 1)[1], "only the last stint may be open: " + e.getKey());
        assertTrue(s.get(i - 1)[1].isBefore(s.get(i)[0]), "no overlap: " + e.getKey());
        assertEquals(s.get(i - 1)[1].plusDays(1), s.get(i)[0], "switch is contiguous");
      }
      if (s.size() > 1) {
        movers++;
      }
      LocalDate[] last = s.get(s.size() - 1);
      if (last[1] != null && !last[1].isBefore(cfg.start()) && last[1].isBefore(end)) {
        leavers++;
      }
      if (s.size() == 1 && s.get(0)[0].isAfter(cfg.start()) && s.get(0)[0].isBefore(end)) {
        joiners++;
      }
    }
    assertTrue(movers > 0 && leavers > 0 && joiners > 0, movers + "/" + leavers + "/" + joiners);
  }

  // ------------------------------------------------------------------ summary

  @Test
  void summaryFileMatchesReturnedSummary() throws IOException {
    JsonNode s = JSON.readTree(cfg.out().resolve("generation-summary.json").toFile());
    assertEquals(summary.events(), s.get("events").asLong());
    assertEquals(summary.duplicateLines(), s.get("duplicate_lines").asLong());
    assertEquals(summary.lateEvents(), s.get("late_events").asLong());
    assertEquals(summary.malformedLines(), s.get("malformed_lines").asLong());
    assertEquals(summary.linesTotal(), s.get("lines_total").asLong());
    assertEquals(
        s.get("lines_total").asLong(),
        s.get("events").asLong() + s.get("duplicate_lines").asLong() + s.get("malformed_lines").asLong());
    assertEquals(150, s.get("users").asInt());
    assertEquals(3, s.get("weeks").asInt());
    assertEquals(7, s.get("seed").asLong());
    long byArchetype = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = s.get("events_by_archetype").fields(); it.hasNext(); ) {
      byArchetype += it.next().getValue().asLong();
    }
    assertEquals(summary.events(), byArchetype);
    assertNull(s.get("status"), "final summary replaces the in-progress marker");
  }

  @Test
  void configDefaultsAndValidation() {
    GeneratorConfig d = GeneratorConfig.defaults(tmp.resolve("x"));
    assertEquals(42, d.seed());
    assertEquals(300, d.users());
    assertEquals(4, d.weeks());
    assertEquals(LocalDate.of(2026, 10, 5), d.start());
    assertEquals(2, d.launchWeek());
    assertTrue(d.gzip());
    assertEquals(0.01, d.duplicateRate());
    assertEquals(0.02, d.lateRate());
    assertEquals(0.002, d.malformedRate());
    assertEquals(2, d.filesPerDay());
    assertEquals(
        LocalDate.of(2026, 10, 5),
        GeneratorConfig.builder().out(tmp).start(LocalDate.of(2026, 10, 11)).build().start());
    assertEquals(3, GeneratorConfig.builder().out(tmp).weeks(7).build().launchWeek());
    assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.builder().out(tmp).users(0).build());
    assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.builder().out(tmp).weeks(-1).build());
    assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.builder().out(tmp).lateRate(1.0).build());
    assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.builder().out(tmp).duplicateRate(-0.1).build());
    assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.builder().out(tmp).malformedRate(Double.NaN).build());
    assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.builder().out(tmp).filesPerDay(0).build());
    try {
      GeneratorConfig.builder().out(tmp).launchWeek(-1).build();
      fail("negative launch week accepted");
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("launchWeek"));
    }
  }
}
