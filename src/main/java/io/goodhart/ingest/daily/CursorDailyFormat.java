package io.goodhart.ingest.daily;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.goodhart.ingest.DailyRow;
import io.goodhart.ingest.EventFormat;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.SourceRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cursor daily usage data: a file is one response of {@code POST https://api.cursor.com/teams/daily-usage-data}
 * (at most 90 days per request), a JSON document with {@code data[]} and {@code period{startDate, endDate}}. Each
 * row is one person's UTC day: {@code date} (epoch milliseconds), {@code email}, {@code isActive}, the request
 * counts by kind, tab and apply counts, {@code acceptedLinesAdded}, ... (contract section 7). The report covers
 * the days of its {@code period}, or without one the first to the last {@code date} of its rows; the response
 * does not say when it was made, so {@code report_generated_at} is null.
 */
public final class CursorDailyFormat implements EventFormat {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "cursor-daily";
  public static final String TOOL = "cursor";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isEventFile(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return name.endsWith(".json") || name.endsWith(".json.gz");
  }

  @Override
  public String fileNames() {
    return "*.json or *.json.gz";
  }

  @Override
  public boolean wholeFile() {
    return true;
  }

  @Override
  public int maxUnitBytes() {
    return DailyReports.MAX_REPORT_BYTES;
  }

  /** A JSON object with {@code "data"} and a field only daily-usage rows have among its first bytes. */
  @Override
  public boolean sniff(String firstUnitPrefix) {
    String text = firstUnitPrefix.strip();
    return text.startsWith("{") && text.contains("\"data\"") && (text.contains("\"acceptedLinesAdded\"")
        || text.contains("\"totalTabsShown\"") || text.contains("\"isActive\""));
  }

  @Override
  public String sniffRule() {
    return "a JSON object with \"data\" rows of \"isActive\", \"totalTabsShown\" or \"acceptedLinesAdded\" "
        + "(a Cursor daily-usage-data response)";
  }

  @Override
  public List<SourceRecord> read(String unit, long line) {
    JsonNode doc;
    try {
      doc = DailyReports.JSON.readTree(unit);
    } catch (JsonProcessingException e) {
      if (!sniff(unit)) {
        throw DailyReports.refusal(this, "a Cursor daily-usage-data response", unit);
      }
      return List.of(SourceRecord.rejected(0, line, null, "not valid JSON: " + e.getOriginalMessage(), null));
    }
    if (doc == null || !doc.isObject() || !doc.has("data")) {
      throw DailyReports.refusal(this, "a Cursor daily-usage-data response", unit);
    }
    JsonNode data = doc.get("data");
    if (!data.isArray()) {
      return List.of(SourceRecord.rejected(0, line, "data", "must be a JSON array, found "
          + DailyReports.describe(data), null));
    }
    if (data.isEmpty()) {
      return List.of(SourceRecord.empty(line, "the response's data is empty"));
    }
    LocalDate start = null;
    LocalDate end = null;
    JsonNode period = doc.get("period");
    if (period != null && period.isObject()) {
      try {
        start = day(period.get("startDate"), "period.startDate");
        end = day(period.get("endDate"), "period.endDate");
      } catch (DailyReports.Violation v) {
        return List.of(SourceRecord.rejected(0, line, v.field, v.getMessage(), null));
      }
    }
    // Rows are located by their index: a pretty-printed response spreads one row over many lines.
    List<DailyReports.Read> read = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      JsonNode row = data.get(i);
      try {
        read.add(new DailyReports.Read(line, DailyReports.compact(row), userDay(row, "data[" + i + "]."), null));
      } catch (DailyReports.Violation v) {
        read.add(new DailyReports.Read(line, DailyReports.compact(row), null, v));
      }
    }
    return DailyReports.records(NAME, read, start, end, null);
  }

  private static LocalDate day(JsonNode node, String field) throws DailyReports.Violation {
    if (node == null || node.isNull()) {
      throw new DailyReports.Violation(field, "required field is missing");
    }
    Long millis = DailyReports.count(field, node.isTextual() || node.isIntegralNumber() ? node.asText() : "x");
    if (millis == null) {
      throw new DailyReports.Violation(field, "required field is missing");
    }
    return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  private static DailyRow userDay(JsonNode row, String at) throws DailyReports.Violation {
    if (!row.isObject()) {
      throw new DailyReports.Violation(at.substring(0, at.length() - 1), "must be a JSON object, found "
          + DailyReports.describe(row));
    }
    LocalDate day = day(row.get("date"), at + "date");
    String email = DailyReports.string(row, "email", at);
    if (email == null || email.isBlank()) {
      throw new DailyReports.Violation(at + "email", "required field is missing: the person of the row");
    }
    Long interactions = DailyReports.sum(DailyReports.count(row, "chatRequests", at),
        DailyReports.count(row, "composerRequests", at), DailyReports.count(row, "agentRequests", at),
        DailyReports.count(row, "cmdkUsages", at));
    Long suggestions = DailyReports.sum(DailyReports.count(row, "totalTabsShown", at),
        DailyReports.count(row, "totalApplies", at));
    Long acceptances = DailyReports.sum(DailyReports.count(row, "totalTabsAccepted", at),
        DailyReports.count(row, "totalAccepts", at));
    Long linesKept = DailyReports.count(row, "acceptedLinesAdded", at);
    JsonNode isActive = row.get("isActive");
    if (isActive != null && !isActive.isNull() && !isActive.isBoolean()) {
      throw new DailyReports.Violation(at + "isActive", "must be true or false, found " + DailyReports.describe(isActive));
    }
    boolean active = (isActive != null && isActive.booleanValue()) || DailyReports.positive(interactions);
    PersonKeys person = new PersonKeys(Map.of(PersonKeys.Type.EMAIL, email));
    return new DailyRow(TOOL, person, day, active, interactions, suggestions, acceptances, null, linesKept, null,
        null, DailyReports.fields(row), null, null, null);
  }
}
