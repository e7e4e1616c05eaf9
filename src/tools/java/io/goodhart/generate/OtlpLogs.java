package io.goodhart.generate;

/**
 * A generated request as Claude Code reports it over OpenTelemetry, in the JSON the Collector's file
 * exporter writes: one line is one {@code resourceLogs} export request holding the log records of one
 * person's session (of one UTC day), up to {@link #MAX_RECORDS_PER_LINE} of them. Each request is a
 * {@code claude_code.api_request} event, preceded by a {@code claude_code.user_prompt} event when a person
 * typed it (an interactive request: one human turn per request); attribute values are strings, as Claude
 * Code sends them.
 *
 * <p>Anthropic counts cached input apart, so the contract's input tokens (cached ones included) are written
 * as {@code input_tokens} = input - cache read, {@code cache_read_tokens} = cache read (0 when the request
 * reports none), {@code cache_creation_tokens} = 0; the adapter adds them back.
 */
final class OtlpLogs {
  /** Records per line: a few hundred, as a Collector batches them. */
  static final int MAX_RECORDS_PER_LINE = 300;

  static final String SERVICE_VERSION = "2.1.7";
  private static final long SALT_PROMPT = 0x9E0D1L;
  private static final long SALT_INSTALLATION = 0x1A57L;

  private OtlpLogs() {}

  /** The log records of one session being gathered into a line. */
  static final class Batch {
    final Bytes records = new Bytes();
    int count;
    long firstTime = Long.MAX_VALUE;
  }

  /** The email a person is known by in the vendor formats; the directory's email column holds it. */
  static String email(String userId) {
    return userId + "@example.com";
  }

  /** Claude Code's {@code user.id}: an anonymous id of the installation, 64 hex digits. */
  static String installationId(long seed, int person) {
    Bytes b = new Bytes();
    for (int i = 0; i < 4; i++) {
      b.hex(Rng.derive(seed, SALT_INSTALLATION, person, i), 16);
    }
    return new String(b.buf, 0, b.len, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Adds the records of one request (its human turn, when a person typed it, then the request). */
  static void addRequest(Batch batch, EventFactory.Fields f, String email, String installation) {
    long promptHi = Rng.mix64(f.idHi ^ SALT_PROMPT);
    long promptLo = Rng.mix64(f.idLo ^ SALT_PROMPT);
    if (f.trigger == null || f.trigger.equals("interactive")) {
      record(batch, f, "user_prompt", installation, email, promptHi, promptLo);
      Bytes b = batch.records;
      attr(b, "prompt_length").num(20 + Math.floorMod(promptLo, 1_500L)).str("\"}}");
      attr(b, "prompt").str("<REDACTED>\"}}");
      b.str("]}");
    }
    record(batch, f, "api_request", installation, email, promptHi, promptLo);
    Bytes b = batch.records;
    if (f.model != null) {
      attr(b, "model").str(f.model).str("\"}}");
    }
    long cacheRead = Math.max(0, f.cacheRead);
    attr(b, "input_tokens").num(f.input - cacheRead).str("\"}}");
    attr(b, "output_tokens").num(f.output).str("\"}}");
    attr(b, "cache_read_tokens").num(cacheRead).str("\"}}");
    attr(b, "cache_creation_tokens").str("0\"}}");
    if (f.duration >= 0) {
      attr(b, "duration_ms").num(f.duration).str("\"}}");
    }
    b.str("]}");
  }

  /** Opens a log record and writes its standard attributes; the caller adds its own and closes it. */
  private static void record(Batch batch, EventFactory.Fields f, String event, String installation, String email,
      long promptHi, long promptLo) {
    Bytes b = batch.records;
    if (batch.count > 0) {
      b.ch(',');
    }
    batch.count++;
    batch.firstTime = Math.min(batch.firstTime, f.time);
    b.str("{\"timeUnixNano\":\"").num(f.time).str("000000\",\"observedTimeUnixNano\":\"").num(f.time)
        .str("000000\",\"body\":{\"stringValue\":\"claude_code.").str(event).str("\"},\"attributes\":[");
    b.str("{\"key\":\"user.id\",\"value\":{\"stringValue\":\"").str(installation).str("\"}}");
    if (f.hasSession) {
      attr(b, "session.id").str("sess-").hex(f.session, 12).str("\"}}");
    }
    attr(b, "user.email").str(email).str("\"}}");
    attr(b, "event.name").str(event).str("\"}}");
    attr(b, "event.timestamp");
    EventFactory.time(b, f.time, 0, true, true);
    b.str("\"}}");
    attr(b, "prompt.id");
    EventFactory.uuid(b, promptHi, promptLo);
    b.str("\"}}");
  }

  /** {@code ,{"key":"NAME","value":{"stringValue":"} - the caller writes the value and {@code "}}}. */
  private static Bytes attr(Bytes b, String key) {
    return b.str(",{\"key\":\"").str(key).str("\",\"value\":{\"stringValue\":\"");
  }

  /** One line of the file: the batch as one export request of one resource (no trailing newline). */
  static void line(Bytes b, Batch batch) {
    b.str("{\"resourceLogs\":[{\"resource\":{\"attributes\":[")
        .str("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"claude-code\"}},")
        .str("{\"key\":\"service.version\",\"value\":{\"stringValue\":\"").str(SERVICE_VERSION).str("\"}}]},")
        .str("\"scopeLogs\":[{\"scope\":{\"name\":\"com.anthropic.claude_code.events\",\"version\":\"")
        .str(SERVICE_VERSION).str("\"},\"logRecords\":[");
    b.bytes(batch.records.buf, 0, batch.records.len);
    b.str("]}]}]}");
  }
}
