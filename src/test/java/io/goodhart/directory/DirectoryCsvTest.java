package io.goodhart.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's section 2: a directory file is loaded whole, or rejected with every problem named. */
class DirectoryCsvTest {
  private static final String HEADER = "user_id,team_id,team_name,org,manager_id,is_developer,valid_from,valid_to\n";

  private static DirectoryCsv.Parsed parse(String text) {
    return new DirectoryCsv().parse("dir.csv", text);
  }

  @Test
  void stintsAreReadWithQuotedCommasOpenEndsAndLineNumbers() {
    DirectoryCsv.Parsed p = parse(HEADER
        + "u1,t1,\"Payments, EU\",org-a,m1,true,2026-01-01,2026-11-18\r\n"
        + "u1,t2,\"Search \"\"Core\"\"\",org-a,,true,2026-11-19,\n"
        + "m1,t1,Payments,org-a,,false,2025-06-01,\n");
    assertEquals(List.of(), p.problems());
    assertEquals(List.of(
        new DirectoryStint("u1", "t1", "Payments, EU", "org-a", "m1", true,
            LocalDate.of(2026, 1, 1), LocalDate.of(2026, 11, 18), 2),
        new DirectoryStint("u1", "t2", "Search \"Core\"", "org-a", null, true,
            LocalDate.of(2026, 11, 19), null, 3),
        new DirectoryStint("m1", "t1", "Payments", "org-a", null, false,
            LocalDate.of(2025, 6, 1), null, 4)), p.stints());
  }

  @Test
  void columnsAreFoundByNameAndExtraColumnsIgnored() {
    DirectoryCsv.Parsed p = parse("valid_from,user_id,is_developer,org,team_name,team_id,cost_centre\n"
        + "2026-01-01,u1,true,o,T,t,cc-9\n");
    assertEquals(List.of(new DirectoryStint("u1", "t", "T", "o", null, true, LocalDate.of(2026, 1, 1), null, 2)),
        p.stints());
  }

  @Test
  void theOptionalEmailAndTimeZoneAreReadWhenGiven() {
    DirectoryCsv.Parsed p = parse("user_id,team_id,team_name,org,is_developer,valid_from,email,time_zone\n"
        + "u1,t,T,o,true,2026-01-01,ana@corp.example,Europe/Paris\n"
        + "u2,t,T,o,true,2026-01-01,,\n");
    assertEquals(List.of(), p.problems());
    assertEquals(List.of(
        new DirectoryStint("u1", "t", "T", "o", null, true, LocalDate.of(2026, 1, 1), null, "ana@corp.example",
            "Europe/Paris", 2),
        new DirectoryStint("u2", "t", "T", "o", null, true, LocalDate.of(2026, 1, 1), null, null, null, 3)),
        p.stints());
  }

  @Test
  void aTimeZoneThatIsNoIanaZoneIdRejectsTheFileWithItsLine() {
    DirectoryCsv.Parsed p = parse("user_id,team_id,team_name,org,is_developer,valid_from,time_zone\n"
        + "u1,t,T,o,true,2026-01-01,Europe/Paris\n"
        + "u2,t,T,o,true,2026-01-01,CEST\n"
        + "u3,t,T,o,true,2026-01-01,+02:00\n");
    assertEquals(List.of(
        "dir.csv:3: time_zone must be an IANA time zone id such as Europe/Paris, found \"CEST\"",
        "dir.csv:4: time_zone must be an IANA time zone id such as Europe/Paris, found \"+02:00\""), p.problems());
    assertEquals(List.of(), p.stints());
  }

  @Test
  void aMissingRequiredColumnRejectsTheFile() {
    DirectoryCsv.Parsed p = parse("user_id,team_id,team_name,org,valid_from\nu1,t1,T,o,2026-01-01\n");
    assertEquals(List.of("dir.csv:1: header lacks required column(s) is_developer "
        + "(found: user_id, team_id, team_name, org, valid_from)"), p.problems());
    assertEquals(List.of(), p.stints());
  }

  @Test
  void everyBadRowIsReportedWithLineAndField() {
    DirectoryCsv.Parsed p = parse(HEADER
        + "u1,t1,T,o,,yes,2026-01-01,\n"
        + "u2,,T,o,,true,2026-01-01,\n"
        + "u3,t1,T,o,,true,01/02/2026,\n"
        + "u4,t1,T,o,,true,2026-03-01,2026-02-01\n"
        + "u5,t1,T\n");
    assertEquals(List.of(
        "dir.csv:2: is_developer must be true or false, found \"yes\"",
        "dir.csv:3: team_id is required but empty",
        "dir.csv:4: valid_from must be a date YYYY-MM-DD, found \"01/02/2026\"",
        "dir.csv:5: valid_to 2026-02-01 is before valid_from 2026-03-01",
        "dir.csv:6: has 3 fields, the header has 8"), p.problems());
    assertEquals(List.of(), p.stints(), "a directory with problems yields no stints at all");
  }

  @Test
  void overlappingStintsOfOnePersonAreRejected() {
    DirectoryCsv.Parsed p = parse(HEADER
        + "u1,t1,T,o,,true,2026-01-01,2026-06-30\n"
        + "u1,t2,T2,o,,true,2026-06-30,\n"
        + "u2,t1,T,o,,true,2026-01-01,\n"
        + "u2,t2,T2,o,,true,2026-05-01,\n");
    assertEquals(List.of(
        "dir.csv:3: stint of u1 from 2026-06-30 overlaps the stint on line 2 (2026-01-01 to 2026-06-30)",
        "dir.csv:5: stint of u2 from 2026-05-01 overlaps the stint on line 4 (2026-01-01 to open)"), p.problems());
  }

  @Test
  void emptyFilesAndHeaderOnlyFilesAreRejected() {
    assertEquals(List.of("dir.csv: file is empty (a header row is required)"), parse("").problems());
    assertEquals(List.of("dir.csv: no rows after the header"), parse(HEADER).problems());
  }

  @Test
  void anUnclosedQuoteIsReported() {
    assertEquals(List.of("dir.csv:2: a quoted field is never closed"),
        parse(HEADER + "u1,t1,\"Payments,o,,true,2026-01-01,\n").problems().subList(0, 1));
  }
}
