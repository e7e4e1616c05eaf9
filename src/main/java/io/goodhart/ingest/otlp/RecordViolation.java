package io.goodhart.ingest.otlp;

/**
 * A record of an export request that breaks the format or the contract: the field at fault (named as in the
 * record, e.g. {@code attributes.input_tokens}) and why. Carried out of the mapping to become one rejected
 * record; the other records of the batch are read on.
 */
final class RecordViolation extends Exception {
  private static final long serialVersionUID = 1L;
  final String field;

  RecordViolation(String field, String reason) {
    super(reason, null, false, false);
    this.field = field;
  }
}
