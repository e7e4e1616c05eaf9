package io.goodhart.ingest.daily;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.goodhart.ingest.DailyRow;
import io.goodhart.ingest.EventFormat;
import io.goodhart.ingest.PersonKeys;
import io.goodhart.ingest.SourceRecord;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GitHub Copilot usage metrics, per-user reports ({@code users-1-day} and {@code users-28-day}): the NDJSON files
 * behind the report's signed download links, one user-day per line ({@code day}, {@code user_id},
 * {@code user_login}, {@code user_initiated_interaction_count}, {@code code_generation_activity_count},
 * {@code code_acceptance_activity_count}, {@code loc_suggested_to_add_sum}, {@code loc_added_sum}, ...; contract
 * section 7). A file is read whole, so that its coverage is known: a row's own {@code report_start_day} and
 * {@code report_end_day} when it has them, else the first to the last {@code day} of the file's rows (a 28-day
 * report its 28 days, a 1-day report its day). Nothing says when a report was generated:
 * {@code report_generated_at} is null.
 */
public final class CopilotUserNdjsonFormat implements EventFormat {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "copilot-user-ndjson";
  public static final String TOOL = "copilot";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isEventFile(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return List.of(".ndjson", ".jsonl", ".json").stream().anyMatch(s -> name.endsWith(s) || name.endsWith(s + ".gz"));
  }

  @Override
  public String fileNames() {
    return "*.ndjson, *.jsonl or *.json, with .gz when compressed";
  }

  @Override
  public boolean wholeFile() {
    return true;
  }

  @Override
  public int maxUnitBytes() {
    return DailyReports.MAX_REPORT_BYTES;
  }

  /** A JSON object on its first line naming a user-day: {@code "day"} with {@code "user_login"} or a Copilot count. */
  @Override
  public boolean sniff(String firstUnitPrefix) {
    String first = firstUnitPrefix.strip().lines().findFirst().orElse("").strip();
    return first.startsWith("{") && first.contains("\"day\"") && (first.contains("\"user_login\"")
        || first.contains("\"user_initiated_interaction_count\""));
  }

  @Override
  public String sniffRule() {
    return "JSON lines with \"day\" and \"user_login\" (a GitHub Copilot per-user usage report)";
  }

  @Override
  public List<SourceRecord> read(String unit, long line) {
    if (!unit.isBlank() && !sniff(unit)) {
      throw DailyReports.refusal(this, "a GitHub Copilot per-user usage report (NDJSON, one user-day per line)", unit);
    }
    List<DailyReports.Read> read = new ArrayList<>();
    long number = line;
    for (String text : unit.split("\n", -1)) {
      String row = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      if (!row.isBlank()) {
        try {
          read.add(new DailyReports.Read(number, row, userDay(row), null));
        } catch (DailyReports.Violation v) {
          read.add(new DailyReports.Read(number, row, null, v));
        }
      }
      number++;
    }
    if (read.isEmpty()) {
      return List.of(SourceRecord.empty(line, "the report holds no user-day"));
    }
    return DailyReports.records(NAME, read, null, null, null);
  }

  private static DailyRow userDay(String text) throws DailyReports.Violation {
    JsonNode json;
    try {
      json = DailyReports.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DailyReports.Violation(null, "not valid JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw new DailyReports.Violation(null, "must be a JSON object (one user-day), found "
          + (json == null ? "nothing" : DailyReports.describe(json)));
    }
    String dayText = DailyReports.string(json, "day", "");
    if (dayText == null) {
      throw new DailyReports.Violation("day", "required field is missing");
    }
    LocalDate day;
    try {
      day = LocalDate.parse(dayText);
    } catch (DateTimeParseException e) {
      throw new DailyReports.Violation("day", "must be a date YYYY-MM-DD, found \"" + dayText + "\"");
    }
    String login = DailyReports.string(json, "user_login", "");
    JsonNode idNode = json.get("user_id");
    String id = idNode == null || idNode.isNull() ? null : idNode.isIntegralNumber() || idNode.isTextual()
        ? idNode.asText() : null;
    if (idNode != null && !idNode.isNull() && id == null) {
      throw new DailyReports.Violation("user_id", "must be a number or a string, found " + DailyReports.describe(idNode));
    }
    Map<PersonKeys.Type, String> keys = new EnumMap<>(PersonKeys.Type.class);
    keys.put(PersonKeys.Type.ACCOUNT, login);
    keys.put(PersonKeys.Type.ACCOUNT_ID, id);
    PersonKeys person = new PersonKeys(keys);
    if (person.isEmpty()) {
      throw new DailyReports.Violation("user_login", "required field is missing (and so is user_id): the person of the row");
    }
    Long interactions = DailyReports.count(json, "user_initiated_interaction_count", "");
    Long suggestions = DailyReports.count(json, "code_generation_activity_count", "");
    Long acceptances = DailyReports.count(json, "code_acceptance_activity_count", "");
    Long linesSuggested = DailyReports.count(json, "loc_suggested_to_add_sum", "");
    Long linesKept = DailyReports.count(json, "loc_added_sum", "");
    Long input = null;
    Long output = null;
    JsonNode cli = json.get("totals_by_cli");
    if (cli != null && cli.isObject() && cli.get("token_usage") != null && cli.get("token_usage").isObject()) {
      input = DailyReports.count(cli.get("token_usage"), "prompt_tokens_sum", "totals_by_cli.token_usage.");
      output = DailyReports.count(cli.get("token_usage"), "output_tokens_sum", "totals_by_cli.token_usage.");
    }
    boolean active = DailyReports.positive(interactions) || DailyReports.positive(acceptances);
    LocalDate start = date(json, "report_start_day");
    LocalDate end = date(json, "report_end_day");
    if ((start == null) != (end == null)) {
      throw new DailyReports.Violation(start == null ? "report_start_day" : "report_end_day",
          "required field is missing: a row names both days of its report or neither");
    }
    if (end != null && (day.isBefore(start) || day.isAfter(end))) {
      throw new DailyReports.Violation("day", day + " is outside the report's days " + start + " to " + end);
    }
    return new DailyRow(TOOL, person, day, active, interactions, suggestions, acceptances, linesSuggested, linesKept,
        input, output, DailyReports.fields(json), start, end, null);
  }

  private static LocalDate date(JsonNode json, String field) throws DailyReports.Violation {
    String text = DailyReports.string(json, field, "");
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new DailyReports.Violation(field, "must be a date YYYY-MM-DD, found \"" + text + "\"");
    }
  }
}
