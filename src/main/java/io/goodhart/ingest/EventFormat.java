package io.goodhart.ingest;

import java.io.Serializable;

/**
 * A format event files are delivered in: which file names are its event files, and what it is called. A
 * file of a delivery folder that is not one of the format's is listed as skipped, never read and never
 * silently passed over (and refused with {@code --strict}).
 */
public interface EventFormat extends Serializable {
  /** The name given to {@code --format} and recorded in the file manifest. */
  String name();

  /** Whether a file of this name is an event file of this format. */
  boolean isEventFile(String fileName);

  /** The names of its event files, for messages, e.g. {@code *.jsonl, *.jsonl.gz}. */
  String fileNames();
}
