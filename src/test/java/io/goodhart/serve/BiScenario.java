package io.goodhart.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A hand-made company of 54 developers over two ISO weeks (2026-W46 and 2026-W47), delivered in one folder,
 * built so that suppression has every case to handle, and whose true figures the test knows without
 * reading the lake:
 * <ul>
 *   <li>org Apps: team a1 Atlas grows from 3 developers to 6 (three join on 2026-11-16), a2 Beacon 7,
 *       a3 Comet 8 -- in W46 an org with exactly one small team;</li>
 *   <li>org Core: b1 Delta 2, b2 Echo 6, b3 Falcon 9 -- exactly one small team both weeks;</li>
 *   <li>org Data: c1 Gamma 6, c2 Helix 6; org Edge: d1 Iris 4 -- Edge is a small org, the only one.</li>
 * </ul>
 * Each engaged person makes two requests a week; a few are not engaged. Prompt and output text rides on the
 * requests in every form redaction must catch, and on rejected lines and a line cut short.
 */
final class BiScenario {
  static final LocalDate W46 = LocalDate.of(2026, 11, 9);
  static final LocalDate W47 = LocalDate.of(2026, 11, 16);
  static final String NIGHT = "2026-11-22";
  static final String SECRET = "SECRET-PROMPT-TEXT";

  record Member(String user, String team, String teamName, String org, LocalDate from) {}

  /** True figures of a team-week, as the private table holds them. */
  record Truth(long eligible, long engaged, long events, long tokens) {}

  static final List<Member> MEMBERS = new ArrayList<>();
  /** person-weeks without a request. */
  static final Set<String> IDLE = Set.of("atlas3@W46", "beacon7@W46", "delta2@W46", "echo6@W46", "atlas6@W47",
      "comet8@W47");

  static {
    team("a1", "Atlas", "Apps", 3, LocalDate.of(2026, 1, 1));
    for (int i = 4; i <= 6; i++) {
      MEMBERS.add(new Member("atlas" + i, "a1", "Atlas", "Apps", W47));
    }
    team("a2", "Beacon", "Apps", 7, LocalDate.of(2026, 1, 1));
    team("a3", "Comet", "Apps", 8, LocalDate.of(2026, 1, 1));
    team("b1", "Delta", "Core", 2, LocalDate.of(2026, 1, 1));
    team("b2", "Echo", "Core", 6, LocalDate.of(2026, 1, 1));
    team("b3", "Falcon", "Core", 9, LocalDate.of(2026, 1, 1));
    team("c1", "Gamma", "Data", 6, LocalDate.of(2026, 1, 1));
    team("c2", "Helix", "Data", 6, LocalDate.of(2026, 1, 1));
    team("d1", "Iris", "Edge", 4, LocalDate.of(2026, 1, 1));
  }

  private static void team(String id, String name, String org, int size, LocalDate from) {
    for (int i = 1; i <= size; i++) {
      MEMBERS.add(new Member(name.toLowerCase() + i, id, name, org, from));
    }
  }

  private BiScenario() {}

  static String label(LocalDate week) {
    return week.equals(W46) ? "W46" : "W47";
  }

  static boolean engaged(Member m, LocalDate week) {
    return !m.from().isAfter(week.plusDays(6)) && !IDLE.contains(m.user() + "@" + label(week));
  }

  static long inputTokens(int person, LocalDate week) {
    return 1_000 + 37L * person + (week.equals(W46) ? 0 : 7);
  }

  static long outputTokens(int person) {
    return 100 + person;
  }

  /** Writes directory.csv and events/date=NIGHT/part-0.jsonl under {@code feed}. */
  static void write(Path feed) throws IOException {
    StringBuilder csv = new StringBuilder("user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n");
    for (Member m : MEMBERS) {
      csv.append(String.join(",", m.user(), m.team(), m.teamName(), m.org(), "", "true", m.from().toString(), ""))
          .append('\n');
    }
    Files.createDirectories(feed);
    Files.writeString(feed.resolve("directory.csv"), csv, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    int n = 0;
    for (LocalDate week : List.of(W46, W47)) {
      for (int p = 0; p < MEMBERS.size(); p++) {
        Member m = MEMBERS.get(p);
        if (!engaged(m, week)) {
          continue;
        }
        for (String at : List.of(week.plusDays(1) + "T10:00:00Z", week.plusDays(3) + "T15:00:00Z")) {
          lines.add(String.format("{\"event_id\":\"e%d\",\"event_time\":\"%s\",\"user_id\":\"%s\",\"tool\":\"cursor\","
                  + "\"operation\":\"chat\",\"input_tokens\":%d,\"output_tokens\":%d,\"session_id\":\"s%d\"%s}",
              n, at, m.user(), inputTokens(p, week), outputTokens(p), n, TEXT_FIELDS.get(n % TEXT_FIELDS.size())));
          n++;
        }
      }
    }
    // Rejected lines that carry text too, one per name: a negative count, with the name's text nested in an
    // array and spelled with an escape; and a line cut short inside a 5,000-character string after a text field.
    for (int i = 0; i < TEXT_NAMES.size(); i++) {
      String name = TEXT_NAMES.get(i);
      lines.add("{\"event_id\":\"bad" + i + "\",\"event_time\":\"2026-11-17T09:00:00Z\",\"user_id\":\"atlas1\","
          + "\"tool\":\"cursor\",\"operation\":\"chat\",\"input_tokens\":-1,\"output_tokens\":1,"
          + "\"ctx\":{\"history\":[{\"" + name + "\":\"" + SECRET + " nested\"}]},\"" + escaped(name) + "\":\"" + SECRET
          + " escaped\",\"attributes\":[{\"key\":\"" + name + "\",\"value\":{\"stringValue\":\"" + SECRET + " as attribute\"}}]}");
    }
    lines.add("{\"event_id\":\"cut1\",\"event_time\":\"2026-11-17T09:00:00Z\",\"prompt\":\"" + SECRET + "\",\"model\":\""
        + "x".repeat(5_000));
    Path day = feed.resolve("events/date=" + NIGHT);
    Files.createDirectories(day);
    Files.writeString(day.resolve("part-0.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  /** The names whose values hold prompt or output text: each must lose its value wherever it appears. */
  static final List<String> TEXT_NAMES = List.of("gen_ai.prompt", "gen_ai.completion", "gen_ai.input.messages",
      "gen_ai.output.messages", "gen_ai.system_instructions", "content", "message", "messages", "prompt",
      "completion", "response", "body", "input", "output", "text");

  /** The name with its first letter written as a JSON escape, as some emitters do. */
  static String escaped(String name) {
    return String.format("\\u%04x", (int) name.charAt(0)) + name.substring(1);
  }

  /**
   * Extra fields the accepted requests carry, each name in three forms: plain with free text, nested in an
   * array of objects, and escaped; plus the OpenTelemetry attribute form.
   */
  static final List<String> TEXT_FIELDS = new ArrayList<>();

  static {
    for (String name : TEXT_NAMES) {
      TEXT_FIELDS.add(",\"" + name + "\":\"" + SECRET + " in words\"");
      TEXT_FIELDS.add(",\"ctx\":{\"history\":[{\"role\":\"user\",\"" + name + "\":[\"" + SECRET + " nested\"]}]}");
      TEXT_FIELDS.add(",\"" + escaped(name) + "\":{\"parts\":[\"" + SECRET + " escaped\"]}");
      TEXT_FIELDS.add(",\"attributes\":[{\"key\":\"" + name + "\",\"value\":{\"stringValue\":\"" + SECRET
          + " as attribute\"}}]");
    }
  }

  /** Team-level truth per week: team id to figures. */
  static Map<String, Truth> teams(LocalDate week) {
    Map<String, Truth> out = new TreeMap<>();
    for (int p = 0; p < MEMBERS.size(); p++) {
      Member m = MEMBERS.get(p);
      boolean eligible = !m.from().isAfter(week.plusDays(6));
      boolean active = engaged(m, week);
      Truth t = out.getOrDefault(m.team(), new Truth(0, 0, 0, 0));
      out.put(m.team(), new Truth(t.eligible() + (eligible ? 1 : 0), t.engaged() + (active ? 1 : 0),
          t.events() + (active ? 2 : 0), t.tokens() + (active ? 2 * (inputTokens(p, week) + outputTokens(p)) : 0)));
    }
    return out;
  }

  /** Org-level truth per week. */
  static Map<String, Truth> orgs(LocalDate week) {
    Map<String, String> orgOf = new LinkedHashMap<>();
    MEMBERS.forEach(m -> orgOf.put(m.team(), m.org()));
    Map<String, Truth> out = new TreeMap<>();
    teams(week).forEach((team, t) -> out.merge(orgOf.get(team), t, (a, b) -> new Truth(a.eligible() + b.eligible(),
        a.engaged() + b.engaged(), a.events() + b.events(), a.tokens() + b.tokens())));
    return out;
  }
}
