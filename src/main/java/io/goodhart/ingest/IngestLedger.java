package io.goodhart.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The count every ingest run must balance: each line read is accepted (stored now), a duplicate (its
 * event_id seen earlier in this input, or stored by an earlier run), or rejected with a reason.
 * {@code rejectedAlreadyRecorded} counts rejected lines whose rejection an earlier run already stored.
 */
public record IngestLedger(
    int files,
    long linesRead,
    long accepted,
    long duplicatesInInput,
    long duplicatesAlreadyLoaded,
    long rejected,
    long rejectedAlreadyRecorded) {

  public long duplicates() {
    return duplicatesInInput + duplicatesAlreadyLoaded;
  }

  public boolean balances() {
    return linesRead == accepted + duplicates() + rejected;
  }

  public Map<String, Long> asMetrics() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("files", (long) files);
    m.put("lines_read", linesRead);
    m.put("accepted", accepted);
    m.put("duplicates", duplicates());
    m.put("duplicates_in_input", duplicatesInInput);
    m.put("duplicates_already_loaded", duplicatesAlreadyLoaded);
    m.put("rejected", rejected);
    m.put("rejected_already_recorded", rejectedAlreadyRecorded);
    return m;
  }

  public String describe() {
    return String.format("%,d lines read = %,d accepted + %,d duplicates (%,d within the input, %,d already loaded) "
            + "+ %,d rejected%s",
        linesRead, accepted, duplicates(), duplicatesInInput, duplicatesAlreadyLoaded, rejected,
        rejectedAlreadyRecorded > 0 ? String.format(" (%,d of them already recorded by an earlier run)", rejectedAlreadyRecorded) : "");
  }
}
