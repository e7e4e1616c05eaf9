package io.goodhart.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The count every ingest run must balance: each line read is accepted (stored now), a duplicate (its
 * event_id seen earlier in this input, or stored by an earlier run), rejected with a reason, or erased (a
 * line of a person erased on request, see {@code goodhart forget}). {@code linesRead} is counted apart from
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
    int filesNotEvent) {

  public IngestLedger(int files, long linesRead, long accepted, long duplicatesInInput, long duplicatesAlreadyLoaded,
      long rejected, long rejectedAlreadyRecorded) {
    this(files, linesRead, accepted, duplicatesInInput, duplicatesAlreadyLoaded, rejected, rejectedAlreadyRecorded, 0,
        0, 0);
  }

  public long duplicates() {
    return duplicatesInInput + duplicatesAlreadyLoaded;
  }

  public boolean balances() {
    return linesRead == accepted + duplicates() + rejected + erased;
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
    return m;
  }

  public String describe() {
    return String.format("%,d lines read = %,d accepted + %,d duplicates (%,d within the input, %,d already loaded) "
            + "+ %,d rejected%s%s%s",
        linesRead, accepted, duplicates(), duplicatesInInput, duplicatesAlreadyLoaded, rejected,
        rejectedAlreadyRecorded > 0 ? String.format(" (%,d of them already recorded by an earlier run)", rejectedAlreadyRecorded) : "",
        erased > 0 ? String.format(" + %,d erased (people erased on request)", erased) : "",
        filesAlreadyIngested + filesNotEvent > 0 ? String.format("; %,d file(s) read, %,d already ingested, %,d not event "
            + "files (skipped)", files, filesAlreadyIngested, filesNotEvent) : "");
  }
}
