package io.goodhart.directory;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses and validates {@code directory.csv} (contract section 2): RFC 4180 CSV with a header row,
 * columns found by name (extra columns are ignored). A directory is all-or-nothing, because a partial
 * one would silently change every engagement denominator: {@link #parse} returns the stints, or every
 * problem found, each naming its line and column.
 */
public final class DirectoryCsv {
  static final List<String> REQUIRED = List.of("user_id", "team_id", "team_name", "org", "is_developer", "valid_from");
  static final List<String> OPTIONAL = List.of("manager_id", "valid_to", "email", "time_zone");

  /** Stints when {@code problems} is empty; otherwise the problems, in file order. */
  public record Parsed(List<DirectoryStint> stints, List<String> problems) {}

  public Parsed parse(String source, String text) {
    List<String> problems = new ArrayList<>();
    List<List<String>> records = new ArrayList<>();
    List<Long> lineOf = new ArrayList<>();
    splitRecords(text, records, lineOf, problems, source);
    if (records.isEmpty()) {
      problems.add(source + ": file is empty (a header row is required)");
      return new Parsed(List.of(), problems);
    }
    Map<String, Integer> column = columns(records.get(0), REQUIRED, source, problems);
    List<String> header = records.get(0);
    if (column == null) {
      return new Parsed(List.of(), problems);
    }
    if (records.size() == 1) {
      problems.add(source + ": no rows after the header");
    }
    List<DirectoryStint> stints = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      List<String> rec = records.get(r);
      long line = lineOf.get(r);
      String where = source + ":" + line + ": ";
      if (rec.size() != header.size()) {
        problems.add(where + "has " + rec.size() + " fields, the header has " + header.size());
        continue;
      }
      int before = problems.size();
      Map<String, String> v = new HashMap<>();
      column.forEach((name, i) -> v.put(name, rec.get(i).trim()));
      for (String c : REQUIRED) {
        if (v.get(c).isEmpty()) {
          problems.add(where + c + " is required but empty");
        }
      }
      Boolean developer = switch (v.get("is_developer").toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        case "" -> null;
        default -> {
          problems.add(where + "is_developer must be true or false, found \"" + v.get("is_developer") + "\"");
          yield null;
        }
      };
      LocalDate from = date(v.get("valid_from"), "valid_from", where, problems);
      LocalDate to = date(v.getOrDefault("valid_to", ""), "valid_to", where, problems);
      if (from != null && to != null && to.isBefore(from)) {
        problems.add(where + "valid_to " + to + " is before valid_from " + from);
      }
      String timeZone = v.getOrDefault("time_zone", "");
      if (!timeZone.isEmpty() && !isZoneId(timeZone)) {
        problems.add(where + "time_zone must be an IANA time zone id such as Europe/Paris, found \"" + timeZone + "\"");
      }
      if (problems.size() == before) {
        String manager = v.getOrDefault("manager_id", "");
        String email = v.getOrDefault("email", "");
        stints.add(new DirectoryStint(v.get("user_id"), v.get("team_id"), v.get("team_name"), v.get("org"),
            manager.isEmpty() ? null : manager, developer, from, to, email.isEmpty() ? null : email,
            timeZone.isEmpty() ? null : timeZone, line));
      }
    }
    problems.addAll(overlaps(source, stints));
    return new Parsed(problems.isEmpty() ? stints : List.of(), problems);
  }

  /**
   * Whether the text names a region of the IANA time zone database (Europe/Paris, UTC): a fixed offset such as
   * +02:00 is not a person's time zone, since it ignores their daylight-saving changes.
   */
  static boolean isZoneId(String text) {
    return ZoneId.getAvailableZoneIds().contains(text);
  }

  static LocalDate date(String text, String field, String where, List<String> problems) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(where + field + " must be a date YYYY-MM-DD, found \"" + text + "\"");
      return null;
    }
  }

  /** A person is in one team on any given day: overlapping stints make team attribution ambiguous. */
  private static List<String> overlaps(String source, List<DirectoryStint> stints) {
    List<String> problems = new ArrayList<>();
    Map<String, List<DirectoryStint>> byUser = stints.stream()
        .collect(Collectors.groupingBy(DirectoryStint::userId));
    byUser.values().forEach(list -> {
      list.sort(Comparator.comparing(DirectoryStint::validFrom));
      for (int i = 1; i < list.size(); i++) {
        DirectoryStint a = list.get(i - 1);
        DirectoryStint b = list.get(i);
        if (a.overlaps(b)) {
          problems.add(source + ":" + b.sourceLine() + ": stint of " + b.userId() + " from " + b.validFrom()
              + " overlaps the stint on line " + a.sourceLine() + " (" + a.validFrom() + " to "
              + (a.validTo() == null ? "open" : a.validTo()) + ")");
        }
      }
    });
    problems.sort(Comparator.naturalOrder());
    return problems;
  }

  /**
   * The columns of a header row by lower-cased name (a byte-order mark opening it dropped; a name twice is a
   * problem); null, with the problem added, when a required column is missing.
   */
  static Map<String, Integer> columns(List<String> header, List<String> required, String source,
      List<String> problems) {
    Map<String, Integer> column = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim().toLowerCase(Locale.ROOT);
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1);
      }
      if (column.putIfAbsent(name, i) != null) {
        problems.add(source + ":1: column " + name + " appears twice in the header");
      }
    }
    List<String> missing = required.stream().filter(c -> !column.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      problems.add(source + ":1: header lacks required column(s) " + String.join(", ", missing)
          + " (found: " + String.join(", ", header) + ")");
      return null;
    }
    return column;
  }

  /** RFC 4180 records with the 1-based line each starts on; quoted fields may hold commas, quotes, newlines. */
  static void splitRecords(String text, List<List<String>> records, List<Long> lineOf,
      List<String> problems, String source) {
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    long line = 1;
    long recordLine = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          quoted = true;
          any = true;
        }
        case ',' -> {
          record.add(field.toString());
          field.setLength(0);
          any = true;
        }
        case '\r' -> { }
        case '\n' -> {
          if (any || field.length() > 0) {
            record.add(field.toString());
            records.add(record);
            lineOf.add(recordLine);
          }
          record = new ArrayList<>();
          field.setLength(0);
          any = false;
          line++;
          recordLine = line;
        }
        default -> {
          field.append(c);
          any = true;
        }
      }
    }
    if (quoted) {
      problems.add(source + ":" + recordLine + ": a quoted field is never closed");
    }
    if (any || field.length() > 0) {
      record.add(field.toString());
      records.add(record);
      lineOf.add(recordLine);
    }
  }
}
