package io.goodhart.generate;

import java.util.Map;

/**
 * Counts of one generator run; {@code generation-summary.json} holds the same figures.
 *
 * @param events distinct real events (each has a unique event_id); in a daily format, the requests its rows count
 * @param dailyRows rows of the daily reports written (a daily format's person-days with a request), else 0
 * @param duplicateLines extra exact copies of event lines (re-deliveries)
 * @param lateEvents events delivered 1-3 days after their UTC event day
 * @param malformedLines garbage lines (never counted as events)
 * @param linesTotal every line written: events + duplicateLines + malformedLines
 * @param users people in the directory
 * @param unknownUsers user_ids that appear in events but in no directory stint (contractors)
 * @param weeks weeks generated
 * @param seed root seed
 * @param teams teams in the directory
 * @param directoryRows data rows of directory.csv (one per stint)
 * @param files event files written
 * @param paddingUserWeeks user-weeks labelled as padding in ground_truth.csv
 * @param usersByArchetype base (genuine) archetype of every user, contractors included
 * @param userWeeksByArchetype ground-truth label counts over all user-weeks
 * @param eventsByArchetype events by the label of their user-week
 * @param malformedByKind malformed lines by kind
 */
public record GenerationSummary(
    long events,
    long dailyRows,
    long duplicateLines,
    long lateEvents,
    long malformedLines,
    long linesTotal,
    int users,
    int unknownUsers,
    int weeks,
    long seed,
    int teams,
    int directoryRows,
    int files,
    long paddingUserWeeks,
    Map<Archetype, Long> usersByArchetype,
    Map<Archetype, Long> userWeeksByArchetype,
    Map<Archetype, Long> eventsByArchetype,
    Map<MalformedKind, Long> malformedByKind) {

  public GenerationSummary {
    usersByArchetype = Map.copyOf(usersByArchetype);
    userWeeksByArchetype = Map.copyOf(userWeeksByArchetype);
    eventsByArchetype = Map.copyOf(eventsByArchetype);
    malformedByKind = Map.copyOf(malformedByKind);
  }
}
