package io.goodhart.ingest.daily;

import io.goodhart.ingest.DailyRow;
import io.goodhart.ingest.EventFormat;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.SourceRecord;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon Q Developer user activity reports (and Kiro's {@code by_user_analytic} reports, which have the same
 * columns): CSV with a header row, one row per user who used Q that day, delivered daily to
 * {@code .../QDeveloperLogs/by_user_analytic/{region}/{yyyy}/{mm}/{dd}/00/{accountId}_by_user_analytic_{timestamp}.csv}
 * and split into {@code part_N} files for large organisations (contract section 7). UTF-8, with or without a
 * byte-order mark, lines ending in LF or CRLF; every column is kept in {@code source_columns}, unknown ones
 * included. The report covers the first to the last {@code Date} of its rows (a day); it was generated at the
 * timestamp of its file name when that is one goodhart can read, else {@code report_generated_at} is null.
 */
public final class QDeveloperCsvFormat implements EventFormat {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "q-developer-csv";
  public static final String TOOL = "amazon-q";

  /** Turns the person started. */
  static final List<String> INTERACTIONS = List.of("Chat_MessagesSent", "InlineChat_TotalEventCount",
      "Dev_GenerationEventCount", "TestGeneration_EventCount", "DocGeneration_EventCount", "Transformation_EventCount",
      "CodeReview_SucceededEventCount", "CodeReview_FailedEventCount", "CodeFix_GenerationEventCount");
  /** Suggestions and generations shown. */
  static final List<String> SUGGESTIONS = List.of("Inline_SuggestionsCount", "InlineChat_TotalEventCount",
      "Dev_GenerationEventCount", "CodeFix_GenerationEventCount", "TestGeneration_EventCount",
      "DocGeneration_EventCount");
  /** Suggestions and generations accepted. */
  static final List<String> ACCEPTANCES = List.of("Inline_AcceptanceCount", "InlineChat_AcceptanceEventCount",
      "Dev_AcceptanceEventCount", "CodeFix_AcceptanceEventCount");
  /** Lines generated, where a feature counts them (inline suggestions and chat do not). */
  static final List<String> LINES_SUGGESTED = List.of("Dev_GeneratedLines", "CodeFix_GeneratedLines",
      "TestGeneration_GeneratedLines");
  /** Lines of AI code the person kept: the AI code lines and the accepted lines of every feature. */
  static final List<String> LINES_KEPT = List.of("Chat_AICodeLines", "Inline_AICodeLines", "Dev_AcceptedLines",
      "CodeFix_AcceptedLines", "TestGeneration_AcceptedLines", "DocGeneration_AcceptedLineAdditions",
      "InlineChat_AcceptedLineAdditions");
  private static final Pattern FILE_TIMESTAMP =
      Pattern.compile("_by_user_analytic_(\\d{8}T\\d{6}Z?|\\d{14}|\\d{13}|\\d{10})(?:[_.-]|$)");
  private static final Set<String> NOT_COUNTS = Set.of("UserId", "Date");
  /** The date forms the reports are read in (the documented one first). */
  private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
      DateTimeFormatter.ofPattern("uuuu/MM/dd"), DateTimeFormatter.ofPattern("MM/dd/uuuu"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isEventFile(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return name.endsWith(".csv") || name.endsWith(".csv.gz");
  }

  @Override
  public String fileNames() {
    return "*.csv or *.csv.gz";
  }

  @Override
  public boolean wholeFile() {
    return true;
  }

  @Override
  public int maxUnitBytes() {
    return DailyReports.MAX_REPORT_BYTES;
  }

  /** A CSV header naming the {@code UserId} and {@code Date} columns. */
  @Override
  public boolean sniff(String firstUnitPrefix) {
    String first = firstUnitPrefix.strip().lines().findFirst().orElse("");
    List<String> header = List.of(first.split(",", -1)).stream().map(h -> h.strip().replace("\"", "")).toList();
    return header.contains("UserId") && header.contains("Date");
  }

  @Override
  public String sniffRule() {
    return "a CSV header with UserId and Date (an Amazon Q Developer user activity report)";
  }

  @Override
  public List<SourceRecord> read(String unit, long line) {
    return read(unit, line, "");
  }

  /**
   * When the report was generated, by the {@code {timestamp}} of its file name; null when the name has none
   * goodhart can read. AWS documents the name but not the timestamp's form, so the forms a timestamp is written
   * in are read: ISO 8601 basic ({@code 20261117T000512Z}), 14 digits ({@code 20261117000512}, UTC), or epoch
   * seconds or milliseconds.
   */
  static Instant generatedAt(String file) {
    Matcher m = FILE_TIMESTAMP.matcher(file.substring(file.lastIndexOf('/') + 1));
    if (!m.find()) {
      return null;
    }
    String t = m.group(1);
    try {
      if (t.contains("T")) {
        return LocalDateTime.parse(t.replace("Z", ""), DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss"))
            .toInstant(ZoneOffset.UTC);
      }
      if (t.length() == 14) {
        return LocalDateTime.parse(t, DateTimeFormatter.ofPattern("uuuuMMddHHmmss")).toInstant(ZoneOffset.UTC);
      }
      return t.length() == 13 ? Instant.ofEpochMilli(Long.parseLong(t)) : t.length() == 10
          ? Instant.ofEpochSecond(Long.parseLong(t)) : null;
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  @Override
  public List<SourceRecord> read(String unit, long line, String file) {
    String text = unit.startsWith("\uFEFF") ? unit.substring(1) : unit;
    if (text.isBlank()) {
      return List.of(SourceRecord.empty(line, "the report is empty"));
    }
    if (!sniff(text)) {
      throw DailyReports.refusal(this, "an Amazon Q Developer user activity report (CSV with UserId and Date)", text);
    }
    List<Csv.Record> records = Csv.parse(text, line);
    List<String> header = records.get(0).fields().stream().map(String::strip).toList();
    List<DailyReports.Read> read = new ArrayList<>();
    for (Csv.Record record : records.subList(1, records.size())) {
      if (record.fields().size() == 1 && record.fields().get(0).isBlank()) {
        continue;
      }
      try {
        read.add(new DailyReports.Read(record.line(), record.text(), userDay(header, record), null));
      } catch (DailyReports.Violation v) {
        read.add(new DailyReports.Read(record.line(), record.text(), null, v));
      }
    }
    if (read.isEmpty()) {
      return List.of(SourceRecord.empty(line, "the report has a header and no rows"));
    }
    return DailyReports.records(NAME, read, null, null, generatedAt(file));
  }

  private static DailyRow userDay(List<String> header, Csv.Record record) throws DailyReports.Violation {
    if (record.error() != null) {
      throw new DailyReports.Violation(null, record.error());
    }
    if (record.fields().size() != header.size()) {
      throw new DailyReports.Violation(null, "has " + record.fields().size() + " fields, the header "
          + header.size());
    }
    Map<String, String> columns = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      columns.put(header.get(i), record.fields().get(i));
    }
    String user = columns.get("UserId");
    if (user == null || user.isBlank()) {
      throw new DailyReports.Violation("UserId", "required column is empty: the person of the row");
    }
    String dateText = columns.getOrDefault("Date", "").strip();
    LocalDate day = null;
    for (DateTimeFormatter form : DATES) {
      try {
        day = LocalDate.parse(dateText, form);
        break;
      } catch (DateTimeParseException e) {
        day = null;
      }
    }
    if (day == null) {
      throw new DailyReports.Violation("Date", "must be a date YYYY-MM-DD, found \"" + dateText + "\"");
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : columns.entrySet()) {
      if (!NOT_COUNTS.contains(c.getKey()) && isKnownCount(c.getKey())) {
        counts.put(c.getKey(), DailyReports.count(c.getKey(), c.getValue()));
      }
    }
    boolean active = counts.values().stream().anyMatch(DailyReports::positive);
    return new DailyRow(TOOL, new PersonKeys(Map.of(PersonKeys.Type.ACCOUNT, user.strip())), day, active,
        sum(counts, INTERACTIONS), sum(counts, SUGGESTIONS), sum(counts, ACCEPTANCES), sum(counts, LINES_SUGGESTED),
        sum(counts, LINES_KEPT), null, null, columns, null, null, null);
  }

  /** A column of one of the documented families: all counts. Other columns are kept as text, not judged. */
  private static boolean isKnownCount(String column) {
    return List.of("Chat_", "Inline_", "InlineChat_", "CodeFix_", "CodeReview_", "Dev_", "DocGeneration_",
        "TestGeneration_", "Transformation_").stream().anyMatch(column::startsWith);
  }

  private static Long sum(Map<String, Long> counts, List<String> columns) {
    return DailyReports.sum(columns.stream().map(counts::get).toArray(Long[]::new));
  }

  /** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line ends; LF or CRLF. */
  static final class Csv {
    private Csv() {}

    record Record(long line, String text, List<String> fields, String error) {}

    static List<Record> parse(String text, long firstLine) {
      List<Record> out = new ArrayList<>();
      int i = 0;
      long line = firstLine;
      while (i < text.length()) {
        int start = i;
        long startLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        String error = null;
        while (i < text.length()) {
          char c = text.charAt(i);
          if (quoted) {
            if (c == '"') {
              if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                field.append('"');
                i += 2;
                continue;
              }
              quoted = false;
            } else {
              if (c == '\n') {
                line++;
              }
              field.append(c);
            }
            i++;
            continue;
          }
          if (c == '"' && field.length() == 0 && !wasQuoted) {
            quoted = true;
            wasQuoted = true;
            i++;
          } else if (c == ',') {
            fields.add(field.toString());
            field.setLength(0);
            wasQuoted = false;
            i++;
          } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            i++;
          } else if (c == '\n') {
            break;
          } else {
            if (wasQuoted && error == null) {
              error = "text after the closing quote of field " + (fields.size() + 1);
            }
            field.append(c);
            i++;
          }
        }
        if (quoted) {
          error = "a quoted field is not closed before the end of the file";
        }
        fields.add(field.toString());
        int end = i;
        String raw = text.substring(start, end).replace("\r\n", "\n");
        if (raw.endsWith("\r")) {
          raw = raw.substring(0, raw.length() - 1);
        }
        out.add(new Record(startLine, raw, fields, error));
        if (i < text.length()) {
          i++;
          line++;
        }
      }
      return out;
    }
  }
}
