package io.goodhart.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * One row of a daily per-user report (Amazon Q Developer, GitHub Copilot, Cursor): what one person did with one
 * tool on one UTC day, as the source counts it ({@code raw.usage_daily}, contract section 7). Its key is
 * (source, preferred person key, day); which delivery of a key wins is decided by the report's coverage
 * ({@code reportEndDay}, then {@code reportGeneratedAt}), never by the order files are ingested in.
 *
 * @param personKeys the keys the source names the person by; the preferred one is the row's {@code user_id}
 * @param active whether the person used the tool that day, by the source's activity rule
 * @param sourceColumns every column or field of the row as delivered, name -> text
 * @param reportGeneratedAt when the report was generated, where the delivery says; null when it does not
 */
public record DailyRow(
    String tool,
    PersonKeys personKeys,
    LocalDate day,
    boolean active,
    Long interactions,
    Long suggestions,
    Long acceptances,
    Long linesSuggested,
    Long linesKept,
    Long inputTokens,
    Long outputTokens,
    Map<String, String> sourceColumns,
    LocalDate reportStartDay,
    LocalDate reportEndDay,
    Instant reportGeneratedAt) {

  /** The row's natural key as one text (its {@code event_id} while judged): source, person key and day. */
  public static String key(String source, String userId, LocalDate day) {
    return "daily\u001f" + source + "\u001f" + userId + "\u001f" + day;
  }

  /** The same row with the coverage of the report that delivered it (known once the whole file is read). */
  public DailyRow coveredBy(LocalDate start, LocalDate end, Instant generatedAt) {
    return new DailyRow(tool, personKeys, day, active, interactions, suggestions, acceptances, linesSuggested,
        linesKept, inputTokens, outputTokens, sourceColumns, start, end, generatedAt);
  }
}
