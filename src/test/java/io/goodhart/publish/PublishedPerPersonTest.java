package io.goodhart.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.goodhart.privacy.Pseudonyms;
import io.goodhart.testing.TestLake;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Org A of two weeks: t1 (ann, al) is small in W46, so t1 and its cover t2 (bo, bea) are suppressed that
 * week and only t3 (cy) is published beside the org; in W47 every team is published. A reader who learns
 * t1's and t2's members from W47 must not be able to sum their W46 rows.
 */
class PublishedPerPersonTest {
  private static final LocalDate W46 = LocalDate.of(2026, 11, 9);
  private static final LocalDate W47 = LocalDate.of(2026, 11, 16);
  private final SparkSession spark = TestLake.spark();
  private final Pseudonyms pseudonyms = new Pseudonyms("0123456789abcdef-per-person".getBytes(StandardCharsets.UTF_8));

  private Dataset<Row> privateRows() {
    return spark.sql("SELECT * FROM VALUES "
        + "(DATE '2026-11-09', 'ann', 't1', 'Atlas', 'A', 100L), (DATE '2026-11-09', 'al', 't1', 'Atlas', 'A', 10L), "
        + "(DATE '2026-11-09', 'bo', 't2', 'Beacon', 'A', 200L), (DATE '2026-11-09', 'bea', 't2', 'Beacon', 'A', 20L), "
        + "(DATE '2026-11-09', 'cy', 't3', 'Comet', 'A', 400L), "
        + "(DATE '2026-11-16', 'ann', 't1', 'Atlas', 'A', 101L), (DATE '2026-11-16', 'al', 't1', 'Atlas', 'A', 11L), "
        + "(DATE '2026-11-16', 'bo', 't2', 'Beacon', 'A', 201L), (DATE '2026-11-16', 'bea', 't2', 'Beacon', 'A', 21L), "
        + "(DATE '2026-11-16', 'cy', 't3', 'Comet', 'A', 401L) "
        + "AS t(week_start, user_id, team_id, team_name, org, total_tokens)");
  }

  private Dataset<Row> publishedTeams() {
    return spark.sql("SELECT * FROM VALUES (DATE '2026-11-09', 't3'), (DATE '2026-11-16', 't1'), "
        + "(DATE '2026-11-16', 't2'), (DATE '2026-11-16', 't3') AS t(week_start, team_id)");
  }

  private List<String> published() {
    return PublishedPerPerson.compute(privateRows(), publishedTeams(), pseudonyms)
        .orderBy("week_start", "total_tokens").collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void aRowOfASuppressedTeamHasNoTeamAndAPseudonymOfThatWeekAlone() {
    assertEquals(List.of(
            "[2026-11-09," + pseudonyms.ofWeek("al", W46) + ",null,null,null,10]",
            "[2026-11-09," + pseudonyms.ofWeek("bea", W46) + ",null,null,null,20]",
            "[2026-11-09," + pseudonyms.ofWeek("ann", W46) + ",null,null,null,100]",
            "[2026-11-09," + pseudonyms.ofWeek("bo", W46) + ",null,null,null,200]",
            "[2026-11-09," + pseudonyms.of("cy") + ",t3,Comet,A,400]",
            "[2026-11-16," + pseudonyms.of("al") + ",t1,Atlas,A,11]",
            "[2026-11-16," + pseudonyms.of("bea") + ",t2,Beacon,A,21]",
            "[2026-11-16," + pseudonyms.of("ann") + ",t1,Atlas,A,101]",
            "[2026-11-16," + pseudonyms.of("bo") + ",t2,Beacon,A,201]",
            "[2026-11-16," + pseudonyms.of("cy") + ",t3,Comet,A,401]"),
        published());
    assertNotEquals(pseudonyms.of("ann"), pseudonyms.ofWeek("ann", W46));
    assertNotEquals(pseudonyms.ofWeek("ann", W46), pseudonyms.ofWeek("ann", W47));
  }

  /**
   * The attack: the org's W46 figure (730) minus its published team t3 (400) is t1 + t2 (330); the members of
   * t2 (the cover) and of t1 are read off W47, where their teams are published. Summing their W46 rows would
   * give t2 (220), hence t1 (110), or t1 directly. Their pseudonyms have no W46 row, so both sums are 0.
   */
  @Test
  void summingTheW46RowsOfMembersKnownFromW47RebuildsNoSuppressedTeam() {
    List<Row> rows = PublishedPerPerson.compute(privateRows(), publishedTeams(), pseudonyms).collectAsList();
    Set<String> coverMembers = members(rows, "t2");
    Set<String> smallTeamMembers = members(rows, "t1");
    assertEquals(2, coverMembers.size());
    assertEquals(2, smallTeamMembers.size());
    long orgMinusPublished = 730 - 400;
    long cover = sumIn(rows, W46, coverMembers);
    long small = sumIn(rows, W46, smallTeamMembers);
    assertEquals(0, cover);
    assertEquals(0, small);
    assertNotEquals(110, orgMinusPublished - cover, "org - t3 - t2's members is t1");
  }

  private static Set<String> members(List<Row> rows, String team) {
    return rows.stream().filter(r -> team.equals(r.getAs("team_id"))).map(r -> r.<String>getAs("person_id"))
        .collect(Collectors.toSet());
  }

  private static long sumIn(List<Row> rows, LocalDate week, Set<String> people) {
    return rows.stream().filter(r -> r.<java.sql.Date>getAs("week_start").toLocalDate().equals(week)
        && people.contains(r.<String>getAs("person_id"))).mapToLong(r -> r.<Long>getAs("total_tokens")).sum();
  }
}
