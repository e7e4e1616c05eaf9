package io.goodhart.testing;

/** Contract-format event lines for tests that go through ingestion. */
public final class EventLines {
  private EventLines() {}

  /** A minimal valid line: the required fields only, tool copilot, operation chat. */
  public static String event(String id, String time, String user, long in, long out) {
    return String.format("{\"event_id\":\"%s\",\"event_time\":\"%s\",\"user_id\":\"%s\",\"tool\":\"copilot\","
        + "\"operation\":\"chat\",\"input_tokens\":%d,\"output_tokens\":%d}", id, time, user, in, out);
  }
}
