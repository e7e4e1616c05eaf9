package io.goodhart.ingest.daily;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.ingest.DailyRow;
import io.goodhart.ingest.EventFormats;
import io.goodhart.ingest.SourceRecord;
import io.goodhart.lake.InputException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's section 7, row by row: what each daily format makes of a report, and what it rejects. */
class DailyFormatsTest {
  private final QDeveloperCsvFormat q = new QDeveloperCsvFormat();
  private final CopilotUserNdjsonFormat copilot = new CopilotUserNdjsonFormat();
  private final CursorDailyFormat cursor = new CursorDailyFormat();

  /** What a record is, in one line: its kind, line and index, then the row's key figures or the rejection. */
  private static String shown(SourceRecord r) {
    if (r.kind() != SourceRecord.Kind.DAILY) {
      return r.kind() + " " + r.line() + "#" + r.index() + " " + r.field() + ": " + r.reason();
    }
    DailyRow d = r.daily();
    return "DAILY " + r.line() + "#" + r.index() + " " + d.tool() + " " + d.personKeys().asColumn() + " " + d.day()
        + " active=" + d.active() + " " + d.interactions() + "/" + d.suggestions() + "/" + d.acceptances() + " lines "
        + d.linesSuggested() + "/" + d.linesKept() + " tokens " + d.inputTokens() + "/" + d.outputTokens() + " report "
        + d.reportStartDay() + ".." + d.reportEndDay() + " at " + d.reportGeneratedAt();
  }

  private static List<String> shown(List<SourceRecord> records) {
    return records.stream().map(DailyFormatsTest::shown).toList();
  }

  @Test
  void aQuotedCsvFieldMayHoldCommasQuotesAndLineEndsAndAFieldCountThatDiffersFromTheHeaderIsRejected() {
    String csv = "\uFEFFUserId,Date,Chat_MessagesSent,Inline_SuggestionsCount,Note\r\n"
        + "u-1,2026-11-17,2,5,\"said \"\"hi\"\",\r\nthen left\"\r\n"
        + "u-2,2026/11/17,0,0,\r\n"
        + "u-3,2026-11-17,1\r\n"
        + ",2026-11-17,1,1,\r\n"
        + "u-5,17.11.2026,1,1,\r\n";
    List<SourceRecord> records = q.read(csv, 1,
        "s3a://b/AWSLogs/1/QDeveloperLogs/by_user_analytic/eu-west-1/2026/11/17/00/1_by_user_analytic_20261118001502.csv");

    assertEquals(List.of(
            "DAILY 2#0 amazon-q {account=u-1} 2026-11-17 active=true 2/5/null lines null/null tokens null/null "
                + "report 2026-11-17..2026-11-17 at 2026-11-18T00:15:02Z",
            "DAILY 4#1 amazon-q {account=u-2} 2026-11-17 active=false 0/0/null lines null/null tokens null/null "
                + "report 2026-11-17..2026-11-17 at 2026-11-18T00:15:02Z",
            "REJECTED 5#2 null: has 3 fields, the header 5",
            "REJECTED 6#3 UserId: required column is empty: the person of the row",
            "REJECTED 7#4 Date: must be a date YYYY-MM-DD, found \"17.11.2026\""),
        shown(records));
    assertEquals("said \"hi\",\r\nthen left", records.get(0).daily().sourceColumns().get("Note"));
  }

  @Test
  void theGenerationTimeIsReadFromTheFileNameWhenItHasOneOfTheUsualForms() {
    assertEquals(Instant.parse("2026-11-18T00:05:12Z"),
        QDeveloperCsvFormat.generatedAt("x/111122223333_by_user_analytic_20261118T000512Z_part_1.csv"));
    assertEquals(Instant.parse("2026-11-18T00:05:12Z"),
        QDeveloperCsvFormat.generatedAt("111122223333_by_user_analytic_1794960312.csv"));
    assertEquals(Instant.parse("2026-11-18T00:05:12Z"),
        QDeveloperCsvFormat.generatedAt("111122223333_by_user_analytic_1794960312000.csv"));
    assertNull(QDeveloperCsvFormat.generatedAt("report.csv"));
    assertNull(QDeveloperCsvFormat.generatedAt("1_by_user_analytic_2026-11-18.csv"));
  }

  @Test
  void aCopilotRowNamesItsPersonByLoginAndNumericIdAndABrokenRowIsRejectedWithItsField() {
    String ndjson = "{\"day\":\"2026-11-16\",\"user_id\":583231,\"user_login\":\"octocat\","
        + "\"user_initiated_interaction_count\":0,\"code_generation_activity_count\":9,"
        + "\"code_acceptance_activity_count\":2,\"loc_suggested_to_add_sum\":20,\"loc_added_sum\":11}\r\n"
        + "\n"
        + "{\"day\":\"2026-11-17\",\"user_id\":99}\n"
        + "{\"day\":\"2026-11-17\"}\n"
        + "{\"day\":\"17/11/2026\",\"user_login\":\"x\"}\n"
        + "{\"day\":\"2026-11-17\",\"user_login\":\"y\",\"loc_added_sum\":-1}\n"
        + "[1,2]\n";
    assertEquals(List.of(
            "DAILY 1#0 copilot {account=octocat, account_id=583231} 2026-11-16 active=true 0/9/2 lines 20/11 "
                + "tokens null/null report 2026-11-16..2026-11-17 at null",
            "DAILY 3#1 copilot {account_id=99} 2026-11-17 active=false null/null/null lines null/null "
                + "tokens null/null report 2026-11-16..2026-11-17 at null",
            "REJECTED 4#2 user_login: required field is missing (and so is user_id): the person of the row",
            "REJECTED 5#3 day: must be a date YYYY-MM-DD, found \"17/11/2026\"",
            "REJECTED 6#4 loc_added_sum: must be >= 0, found -1",
            "REJECTED 7#5 null: must be a JSON object (one user-day), found array [1,2]"),
        shown(copilot.read(ndjson, 1)));
  }

  @Test
  void aCopilotRowWithItsReportsDaysKeepsThemAndADayOutsideThemIsRejected() {
    String ndjson = "{\"report_start_day\":\"2026-10-27\",\"report_end_day\":\"2026-11-23\",\"day\":\"2026-11-01\","
        + "\"user_login\":\"octocat\",\"user_initiated_interaction_count\":1}\n"
        + "{\"report_start_day\":\"2026-10-27\",\"report_end_day\":\"2026-11-23\",\"day\":\"2026-11-24\","
        + "\"user_login\":\"octocat\"}\n";
    assertEquals(List.of(
            "DAILY 1#0 copilot {account=octocat} 2026-11-01 active=true 1/null/null lines null/null tokens null/null "
                + "report 2026-10-27..2026-11-23 at null",
            "REJECTED 2#1 day: 2026-11-24 is outside the report's days 2026-10-27 to 2026-11-23"),
        shown(copilot.read(ndjson, 1)));
  }

  @Test
  void aCursorResponseWithoutAPeriodCoversTheDaysOfItsRowsAndARowWithoutEmailIsRejected() {
    String json = "{\"data\": [{\"date\": \"1794873600000\", \"email\": \"ana@example.com\", \"isActive\": false, "
        + "\"agentRequests\": 2, \"acceptedLinesAdded\": 0}, {\"date\": 1794960000000, \"email\": \"bo@example.com\"}, "
        + "{\"date\": 1794960000000, \"isActive\": true}]}";
    assertEquals(List.of(
            "DAILY 1#0 cursor {email=ana@example.com} 2026-11-17 active=true 2/null/null lines null/0 tokens null/null "
                + "report 2026-11-17..2026-11-18 at null",
            "DAILY 1#1 cursor {email=bo@example.com} 2026-11-18 active=false null/null/null lines null/null "
                + "tokens null/null report 2026-11-17..2026-11-18 at null",
            "REJECTED 1#2 data[2].email: required field is missing: the person of the row"),
        shown(cursor.read(json, 1)));
  }

  @Test
  void autoRecognisesEachDailyFormatAndAFileOfAnotherIsRefusedNamingIt() {
    EventFormats formats = EventFormats.standard();
    assertEquals("q-developer-csv", formats.detect("UserId,Date,Chat_MessagesSent\n", "a.csv").format().name());
    assertEquals("copilot-user-ndjson", formats.detect("{\"day\":\"2026-11-16\",\"user_login\":\"octocat\"}\n",
        "r.ndjson").format().name());
    assertEquals("cursor-daily", formats.detect("{\n  \"data\": [\n    {\n      \"date\": 1, \"isActive\": true",
        "d.json").format().name());
    assertNull(formats.detect("user_id,team_id,team_name\n", "directory.csv"), "a directory is none of them");

    InputException refused = assertThrows(InputException.class,
        () -> cursor.read("{\"usageEvents\": [], \"pagination\": {}}", 1));
    assertEquals("not a Cursor daily-usage-data response: it looks like cursor-events (a JSON object with "
        + "\"usageEvents\" (a Cursor filtered-usage-events page)); name its format with --format, or use --format auto",
        refused.getMessage());
    InputException unknown = assertThrows(InputException.class, () -> q.read("hello,world\n1,2\n", 1));
    assertEquals("not an Amazon Q Developer user activity report (CSV with UserId and Date): it starts with "
        + "\"hello,world\"; name its format with --format, or use --format auto", unknown.getMessage());
    assertFalse(copilot.sniff("{\"event_id\":\"e1\",\"event_time\":\"2026-11-16T10:00:00Z\"}"));
    assertTrue(q.isEventFile("1_by_user_analytic_20261118T000512Z_part_2.csv"));
  }
}
