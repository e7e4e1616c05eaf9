package io.goodhart.serve;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * One line per statement a BI reader ran on the endpoint, refused or granted, with who ran it, from where,
 * and what it read or which rule refused it, on the server's standard output:
 * <pre>
 * goodhart serve access: 2026-11-30T10:15:02Z granted user=analyst from=10.0.3.7 read=curated.adoption_vs_target statement="SELECT ..."
 * goodhart serve access: 2026-11-30T10:15:09Z refused user=analyst from=10.0.3.7 rule=not-published-for-bi reason="..." statement="..."
 * </pre>
 */
final class AccessLog {
  static final String PREFIX = "goodhart serve access: ";
  private static final int STATEMENT_CHARS = 500;
  private static volatile PrintStream out = System.out;
  private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> false);

  private AccessLog() {}

  static void to(PrintStream stream) {
    out = stream;
  }

  static void granted(SparkSession session, List<String> objects, String what) {
    EndpointSessions.Who who = EndpointSessions.who(session);
    write("granted user=" + field(who.user()) + " from=" + field(who.address()) + " " + what + "=" + String.join(",", objects)
        + " statement=" + quoted(statement(session)));
  }

  static void refused(SparkSession session, String rule, String reason) {
    EndpointSessions.Who who = EndpointSessions.who(session);
    write("refused user=" + field(who.user()) + " from=" + field(who.address()) + " rule=" + rule + " reason=" + quoted(reason)
        + " statement=" + quoted(statement(session)));
  }

  /** A connection refused as it opens, before it has a session: who and from where, as the server saw them. */
  static void refusedConnection(String user, String address, String rule, String reason) {
    write("refused user=" + field(user == null ? "(unknown)" : user) + " from=" + field(address == null ? "-" : address)
        + " rule=" + rule + " reason=" + quoted(reason) + " statement=\"(connecting)\"");
  }

  /** Runs the endpoint's own checks of itself without logging them as a reader's statements. */
  static void quietly(Runnable run) {
    QUIET.set(true);
    try {
      run.run();
    } finally {
      QUIET.set(false);
    }
  }

  private static void write(String line) {
    if (QUIET.get()) {
      return;
    }
    PrintStream stream = out;
    synchronized (stream) {
      stream.println(PREFIX + Instant.now() + " " + line);
      stream.flush();
    }
  }

  /** The statement being run: the Thrift server sets it as the job description of the thread that runs it. */
  private static String statement(SparkSession session) {
    String text = session == null ? null : session.sparkContext().getLocalProperty("spark.job.description");
    return text == null ? "" : text;
  }

  /**
   * A user name or address as one field: as it is when it is a plain name, quoted otherwise, so a user
   * named {@code x rule=... } or holding a quote, a {@code |} or a line break cannot forge fields or lines.
   */
  static String field(String text) {
    if (text != null && PLAIN.matcher(text).matches()) {
      return text;
    }
    return quoted(String.valueOf(text));
  }

  private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[A-Za-z0-9._@:()-]{1,128}");

  static String quoted(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    if (oneLine.length() > STATEMENT_CHARS) {
      oneLine = oneLine.substring(0, STATEMENT_CHARS) + "...";
    }
    return "\"" + oneLine.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
