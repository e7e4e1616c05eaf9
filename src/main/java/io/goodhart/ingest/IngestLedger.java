package io.goodhart.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The count every ingest run must balance: each record read is accepted (a request stored now, or an
 * interaction or metric point of a telemetry format, a row of a daily per-user report stored new or replacing the
 * stored row of its person and day, or superseded by a report covering later days), a duplicate (its id seen earlier in this input, or
 * stored by an earlier run), rejected with a reason, erased (a record of a person erased on request, see
 * {@code goodhart forget}), or not AI usage (counted only). In the native format a line is one record. {@code linesRead} is counted apart from
 * judging the lines, so a line lost between reading and storing shows as a ledger that does not balance.
 * {@code rejectedAlreadyRecorded} counts rejected lines whose rejection an earlier run already stored. The
 * files: those read, those already in the manifest (not read again), and those that are not event files.
 */
public record IngestLedger(
    int files,
    long linesRead,
    long accepted,
    long duplicatesInInput,
    long duplicatesAlreadyLoaded,
    long rejected,
    long rejectedAlreadyRecorded,
    long erased,
    int filesAlreadyIngested,
    int filesNotEvent,
    long recordsRead,
    long interactions,
    long metricPoints,
    long notUsage,
    long dailyRows,
    long dailyReplaced,
    long dailySuperseded,
    Map<String, Long> unresolvedRecords,
    Map<String, Long> unresolvedKeys) {

  public IngestLedger {
    unresolvedRecords = Map.copyOf(unresolvedRecords);
    unresolvedKeys = Map.copyOf(unresolvedKeys);
  }

  /** A ledger of a run that read no daily per-user report. */
  public IngestLedger(int files, long linesRead, long accepted, long duplicatesInInput, long duplicatesAlreadyLoaded,
      long rejected, long rejectedAlreadyRecorded, long erased, int filesAlreadyIngested, int filesNotEvent,
      long recordsRead, long interactions, long metricPoints, long notUsage, Map<String, Long> unresolvedRecords,
      Map<String, Long> unresolvedKeys) {
    this(files, linesRead, accepted, duplicatesInInput, duplicatesAlreadyLoaded, rejected, rejectedAlreadyRecorded,
        erased, filesAlreadyIngested, filesNotEvent, recordsRead, interactions, metricPoints, notUsage, 0, 0, 0,
        unresolvedRecords, unresolvedKeys);
  }

  /** A ledger whose records all resolved to the directory. */
  public IngestLedger(int files, long linesRead, long accepted, long duplicatesInInput, long duplicatesAlreadyLoaded,
      long rejected, long rejectedAlreadyRecorded, long erased, int filesAlreadyIngested, int filesNotEvent,
      long recordsRead, long interactions, long metricPoints, long notUsage) {
    this(files, linesRead, accepted, duplicatesInInput, duplicatesAlreadyLoaded, rejected, rejectedAlreadyRecorded,
        erased, filesAlreadyIngested, filesNotEvent, recordsRead, interactions, metricPoints, notUsage, Map.of(),
        Map.of());
  }

  /** A ledger of one record per line (the native format): records read = lines read. */
  public IngestLedger(int files, long linesRead, long accepted, long duplicatesInInput, long duplicatesAlreadyLoaded,
      long rejected, long rejectedAlreadyRecorded, long erased, int filesAlreadyIngested, int filesNotEvent) {
    this(files, linesRead, accepted, duplicatesInInput, duplicatesAlreadyLoaded, rejected, rejectedAlreadyRecorded,
        erased, filesAlreadyIngested, filesNotEvent, linesRead, 0, 0, 0);
  }

  public IngestLedger(int files, long linesRead, long accepted, long duplicatesInInput, long duplicatesAlreadyLoaded,
      long rejected, long rejectedAlreadyRecorded) {
    this(files, linesRead, accepted, duplicatesInInput, duplicatesAlreadyLoaded, rejected, rejectedAlreadyRecorded, 0,
        0, 0);
  }

  public long duplicates() {
    return duplicatesInInput + duplicatesAlreadyLoaded;
  }

  /** Whether every record read has exactly one outcome. */
  public boolean balances() {
    return recordsRead == accepted + interactions + metricPoints + dailyRows + dailyReplaced + dailySuperseded
        + duplicates() + rejected + erased + notUsage;
  }

  /** Whether the lines held one record each (the native format), so the ledger reads in lines. */
  private boolean oneRecordPerLine() {
    return recordsRead == linesRead && interactions == 0 && metricPoints == 0 && notUsage == 0 && !readDaily();
  }

  /** Whether the run read rows of daily per-user reports. */
  private boolean readDaily() {
    return dailyRows + dailyReplaced + dailySuperseded > 0;
  }

  public Map<String, Long> asMetrics() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("files", (long) files);
    m.put("files_already_ingested", (long) filesAlreadyIngested);
    m.put("files_not_event_files", (long) filesNotEvent);
    m.put("lines_read", linesRead);
    m.put("accepted", accepted);
    m.put("duplicates", duplicates());
    m.put("duplicates_in_input", duplicatesInInput);
    m.put("duplicates_already_loaded", duplicatesAlreadyLoaded);
    m.put("rejected", rejected);
    m.put("rejected_already_recorded", rejectedAlreadyRecorded);
    m.put("erased", erased);
    m.put("records_read", recordsRead);
    m.put("interactions", interactions);
    m.put("metric_points", metricPoints);
    m.put("not_usage", notUsage);
    if (readDaily()) {
      m.put("daily_rows", dailyRows);
      m.put("daily_replaced", dailyReplaced);
      m.put("daily_superseded", dailySuperseded);
    }
    new java.util.TreeMap<>(unresolvedRecords).forEach((tool, n) -> m.put("unresolved_records." + tool, n));
    new java.util.TreeMap<>(unresolvedKeys).forEach((tool, n) -> m.put("unresolved_keys." + tool, n));
    return m;
  }

  public String describe() {
    return ledger() + unresolved();
  }

  /**
   * The stored records whose person no identity row or directory email resolved, per source (tool): they are
   * kept under the source's key and count under the team unassigned until an identity resolves them.
   */
  private String unresolved() {
    if (unresolvedRecords.isEmpty()) {
      return "";
    }
    return "; unresolved people: " + String.join(", ", new java.util.TreeMap<>(unresolvedRecords).entrySet().stream()
        .map(e -> String.format("%s %,d record(s) of %,d key(s)", e.getKey(), e.getValue(),
            unresolvedKeys.getOrDefault(e.getKey(), 0L))).toList());
  }

  private String ledger() {
    if (!oneRecordPerLine()) {
      return String.format("%,d lines read holding %,d records = %,d accepted requests + %,d interactions + %,d metric "
              + "points%s + %,d duplicates (%,d within the input, %,d already loaded) + %,d rejected%s%s + %,d not AI usage%s",
          linesRead, recordsRead, accepted, interactions, metricPoints, (readDaily() ? String.format(
              " + %,d new daily rows + %,d daily rows replacing stored ones + %,d daily rows superseded by a report "
                  + "covering later days", dailyRows, dailyReplaced, dailySuperseded) : ""),
          duplicates(), duplicatesInInput,
          duplicatesAlreadyLoaded, rejected,
          rejectedAlreadyRecorded > 0 ? String.format(" (%,d of them already recorded by an earlier run)", rejectedAlreadyRecorded) : "",
          erased > 0 ? String.format(" + %,d erased (people erased on request)", erased) : "", notUsage,
          filesAlreadyIngested + filesNotEvent > 0 ? String.format("; %,d file(s) read, %,d already ingested, %,d not event "
              + "files (skipped)", files, filesAlreadyIngested, filesNotEvent) : "");
    }
    return String.format("%,d lines read = %,d accepted + %,d duplicates (%,d within the input, %,d already loaded) "
            + "+ %,d rejected%s%s%s",
        linesRead, accepted, duplicates(), duplicatesInInput, duplicatesAlreadyLoaded, rejected,
        rejectedAlreadyRecorded > 0 ? String.format(" (%,d of them already recorded by an earlier run)", rejectedAlreadyRecorded) : "",
        erased > 0 ? String.format(" + %,d erased (people erased on request)", erased) : "",
        filesAlreadyIngested + filesNotEvent > 0 ? String.format("; %,d file(s) read, %,d already ingested, %,d not event "
            + "files (skipped)", files, filesAlreadyIngested, filesNotEvent) : "");
  }
}
