package io.goodhart.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Generated requests as the daily per-user reports count them (contract section 7): each person's UTC day
 * with at least one request is one row, its counts derived from that day's requests; a day without a request
 * writes no row. Every request counts as something the person did with the tool (a message, a generation, a
 * suggestion shown), so every row is active by its source's rule and engagement computed from the reports
 * equals engagement computed from the requests, day for day.
 *
 * <p>What a request counts as: a {@code text_completion} is an inline (Tab) suggestion shown, accepted when
 * the request was; any other request is a message or generation of the kind of its operation (chat and
 * embeddings: chat; {@code invoke_agent} and {@code execute_tool}: agent; {@code generate_content}: an edit or
 * composer generation), and in Amazon Q's report by its task type first (a code review, a test or a doc
 * generation). Lines are the request's {@code lines_accepted}; a kept request's lines are the kept lines.
 */
final class DailyRows {
  /** The account the generated Amazon Q reports are delivered for (AWS's documentation example account). */
  static final String Q_ACCOUNT = "111122223333";
  static final String Q_REGION = "us-east-1";
  /** The enterprise the generated Copilot reports are of. */
  static final String COPILOT_ENTERPRISE = "4821";
  private static final long SALT_Q_USER = 0x0A1DL;
  private static final long COPILOT_FIRST_USER_ID = 10_000_000L;
  private static final DateTimeFormatter SAMPLED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The columns of an Amazon Q Developer user activity report, in the order AWS writes them. */
  static final List<String> Q_COLUMNS = List.of("UserId", "Date", "Chat_AICodeLines", "Chat_MessagesInteracted",
      "Chat_MessagesSent", "CodeFix_AcceptanceEventCount", "CodeFix_AcceptedLines", "CodeFix_GeneratedLines",
      "CodeFix_GenerationEventCount", "CodeReview_FailedEventCount", "CodeReview_FindingsCount",
      "CodeReview_SucceededEventCount", "Dev_AcceptanceEventCount", "Dev_AcceptedLines", "Dev_GeneratedLines",
      "Dev_GenerationEventCount", "DocGeneration_AcceptedFileUpdates", "DocGeneration_AcceptedFilesCreations",
      "DocGeneration_AcceptedLineAdditions", "DocGeneration_AcceptedLineUpdates", "DocGeneration_EventCount",
      "DocGeneration_RejectedFileCreations", "DocGeneration_RejectedFileUpdates",
      "DocGeneration_RejectedLineAdditions", "DocGeneration_RejectedLineUpdates", "InlineChat_AcceptanceEventCount",
      "InlineChat_AcceptedLineAdditions", "InlineChat_AcceptedLineDeletions", "InlineChat_DismissalEventCount",
      "InlineChat_DismissedLineAdditions", "InlineChat_DismissedLineDeletions", "InlineChat_RejectedLineAdditions",
      "InlineChat_RejectedLineDeletions", "InlineChat_RejectionEventCount", "InlineChat_TotalEventCount",
      "Inline_AICodeLines", "Inline_AcceptanceCount", "Inline_SuggestionsCount", "TestGeneration_AcceptedLines",
      "TestGeneration_AcceptedTests", "TestGeneration_EventCount", "TestGeneration_GeneratedLines",
      "TestGeneration_GeneratedTests", "Transformation_EventCount", "Transformation_LinesGenerated",
      "Transformation_LinesIngested");
  private static final int Q_CHAT_LINES = q("Chat_AICodeLines");
  private static final int Q_CHAT_INTERACTED = q("Chat_MessagesInteracted");
  private static final int Q_CHAT_SENT = q("Chat_MessagesSent");
  private static final int Q_REVIEW = q("CodeReview_SucceededEventCount");
  private static final int Q_DEV_ACCEPTED = q("Dev_AcceptanceEventCount");
  private static final int Q_DEV_ACCEPTED_LINES = q("Dev_AcceptedLines");
  private static final int Q_DEV_LINES = q("Dev_GeneratedLines");
  private static final int Q_DEV = q("Dev_GenerationEventCount");
  private static final int Q_DOC_UPDATES = q("DocGeneration_AcceptedFileUpdates");
  private static final int Q_DOC_LINES = q("DocGeneration_AcceptedLineAdditions");
  private static final int Q_DOC = q("DocGeneration_EventCount");
  private static final int Q_DOC_REJECTED = q("DocGeneration_RejectedFileUpdates");
  private static final int Q_INLINE_LINES = q("Inline_AICodeLines");
  private static final int Q_INLINE_ACCEPTED = q("Inline_AcceptanceCount");
  private static final int Q_INLINE = q("Inline_SuggestionsCount");
  private static final int Q_TEST_ACCEPTED_LINES = q("TestGeneration_AcceptedLines");
  private static final int Q_TEST_ACCEPTED = q("TestGeneration_AcceptedTests");
  private static final int Q_TEST = q("TestGeneration_EventCount");
  private static final int Q_TEST_LINES = q("TestGeneration_GeneratedLines");
  private static final int Q_TEST_GENERATED = q("TestGeneration_GeneratedTests");

  /** The kinds of request the Copilot and Cursor reports tell apart, by operation. */
  private static final int TAB = 0;
  private static final int CHAT = 1;
  private static final int EDIT = 2;
  private static final int AGENT = 3;
  /** Copilot's {@code totals_by_feature} name of each kind. */
  private static final String[] COPILOT_FEATURES = {
    "code_completion", "chat_panel_ask_mode", "chat_panel_edit_mode", "chat_panel_agent_mode"
  };

  private DailyRows() {}

  private static int q(String column) {
    int i = Q_COLUMNS.indexOf(column);
    if (i < 0) {
      throw new IllegalStateException("not a Q column: " + column);
    }
    return i;
  }

  /** The IAM Identity Center user id a person has in the generated Amazon Q reports (a UUID). */
  static String qUserId(long seed, int person) {
    Bytes b = new Bytes();
    long hi = Rng.derive(seed, SALT_Q_USER, person, 0);
    long lo = Rng.derive(seed, SALT_Q_USER, person, 1);
    b.hex(hi >>> 32, 8).ch('-').hex(hi >>> 16, 4).ch('-').hex(hi, 4).ch('-').hex(lo >>> 48, 4).ch('-').hex(lo, 12);
    return new String(b.buf, 0, b.len, StandardCharsets.US_ASCII);
  }

  /** The GitHub login a person has in the generated Copilot reports (an enterprise-managed user's form). */
  static String copilotLogin(String userId) {
    return userId + "_example";
  }

  /** The numeric GitHub user id a person has in the generated Copilot reports. */
  static long copilotUserId(int person) {
    return COPILOT_FIRST_USER_ID + person;
  }

  /** One person's requests of one UTC day, counted. */
  static final class PersonDay {
    long requests;
    long lastTime = Long.MIN_VALUE;
    final long[] q = new long[Q_COLUMNS.size()];
    /** Per kind: requests, generations, acceptances, rejections, lines (of the requests that report them), kept lines. */
    final long[][] kinds = new long[4][6];
    final Map<String, Integer> models = new TreeMap<>();

    void add(EventFactory.Fields f) {
      requests++;
      lastTime = Math.max(lastTime, f.time);
      long lines = Math.max(0, f.lines);
      boolean kept = f.accepted == 2;
      long keptLines = kept ? lines : 0;
      if (f.model != null) {
        models.merge(f.model, 1, Integer::sum);
      }
      int kind = switch (f.op) {
        case EventFactory.OP_COMPLETION -> TAB;
        case EventFactory.OP_GENERATE -> EDIT;
        case EventFactory.OP_AGENT, EventFactory.OP_TOOL -> AGENT;
        default -> CHAT;
      };
      long[] k = kinds[kind];
      k[0]++;
      k[1] += f.op == EventFactory.OP_EMBED ? 0 : 1;
      k[2] += kept ? 1 : 0;
      k[3] += f.accepted == 1 ? 1 : 0;
      k[4] += lines;
      k[5] += keptLines;
      if (kind == TAB) {
        q[Q_INLINE]++;
        q[Q_INLINE_ACCEPTED] += kept ? 1 : 0;
        q[Q_INLINE_LINES] += keptLines;
      } else if (f.task == EventFactory.T_REVIEW) {
        q[Q_REVIEW]++;
      } else if (f.task == EventFactory.T_TESTING) {
        q[Q_TEST]++;
        q[Q_TEST_GENERATED]++;
        q[Q_TEST_LINES] += lines;
        q[Q_TEST_ACCEPTED] += kept ? 1 : 0;
        q[Q_TEST_ACCEPTED_LINES] += keptLines;
      } else if (f.task == EventFactory.T_DOCS) {
        q[Q_DOC]++;
        q[Q_DOC_UPDATES] += kept ? 1 : 0;
        q[Q_DOC_REJECTED] += f.accepted == 1 ? 1 : 0;
        q[Q_DOC_LINES] += keptLines;
      } else if (kind == AGENT || kind == EDIT) {
        q[Q_DEV]++;
        q[Q_DEV_LINES] += lines;
        q[Q_DEV_ACCEPTED] += kept ? 1 : 0;
        q[Q_DEV_ACCEPTED_LINES] += keptLines;
      } else {
        q[Q_CHAT_SENT]++;
        q[Q_CHAT_INTERACTED] += kept ? 1 : 0;
        q[Q_CHAT_LINES] += keptLines;
      }
    }

    private long total(int counter) {
      long sum = 0;
      for (long[] k : kinds) {
        sum += k[counter];
      }
      return sum;
    }

    /** The model of most requests (the first by name among equals), or null when no request named one. */
    String mostUsedModel() {
      String best = null;
      int most = 0;
      for (Map.Entry<String, Integer> e : models.entrySet()) {
        if (e.getValue() > most) {
          best = e.getKey();
          most = e.getValue();
        }
      }
      return best;
    }
  }

  // ------------------------------------------------------------------ rows

  /** The CSV header of an Amazon Q report (no line end). */
  static String qHeader() {
    return String.join(",", Q_COLUMNS);
  }

  /** A row of an Amazon Q user activity report (no line end). */
  static void qRow(Bytes b, PersonDay d, String userId, LocalDate day) {
    b.str(userId).ch(',').str(day.toString());
    for (int i = 2; i < d.q.length; i++) {
      b.ch(',').num(d.q[i]);
    }
  }

  /** A line of a Copilot per-user report (no line end). */
  static void copilotRow(Bytes b, PersonDay d, String login, long githubId, LocalDate day) {
    b.str("{\"day\":\"").str(day.toString()).str("\",\"enterprise_id\":\"").str(COPILOT_ENTERPRISE)
        .str("\",\"user_id\":").num(githubId).str(",\"user_login\":\"").str(login).str("\",");
    copilotCounters(b, d.requests, d.total(1), d.total(2), d.total(4), d.total(5));
    b.str(",\"used_agent\":").str(Boolean.toString(d.kinds[AGENT][0] > 0))
        .str(",\"used_chat\":").str(Boolean.toString(d.kinds[CHAT][0] + d.kinds[EDIT][0] > 0))
        .str(",\"used_cli\":false,\"used_copilot_code_review_active\":false,"
            + "\"used_copilot_code_review_passive\":false,");
    String sampledAt = SAMPLED_AT.format(Instant.ofEpochMilli(d.lastTime));
    b.str("\"totals_by_ide\":[{\"ide\":\"vscode\",");
    copilotCounters(b, d.requests, d.total(1), d.total(2), d.total(4), d.total(5));
    b.str(",\"last_known_ide_version\":{\"ide_version\":\"1.105.1\",\"sampled_at\":\"").str(sampledAt)
        .str("\"},\"last_known_plugin_version\":{\"plugin\":\"copilot-chat\",\"plugin_version\":\"0.32.5\","
            + "\"sampled_at\":\"").str(sampledAt).str("\"}}],\"totals_by_feature\":[");
    boolean first = true;
    for (int kind = 0; kind < COPILOT_FEATURES.length; kind++) {
      long[] k = d.kinds[kind];
      if (k[0] == 0) {
        continue;
      }
      b.str(first ? "{" : ",{").str("\"feature\":\"").str(COPILOT_FEATURES[kind]).str("\",");
      copilotCounters(b, k[0], k[1], k[2], k[4], k[5]);
      b.ch('}');
      first = false;
    }
    b.str("],\"totals_by_language_feature\":[],\"totals_by_model_feature\":[]}");
  }

  /**
   * The counters of a Copilot row or breakdown. Every request counts as an interaction the person started,
   * completions included, so that a day with a request is an active row (Copilot itself counts a completion
   * as generation activity only); lines suggested are the lines the requests report, lines added the kept ones.
   */
  private static void copilotCounters(Bytes b, long requests, long generations, long acceptances, long lines,
      long keptLines) {
    b.str("\"user_initiated_interaction_count\":").num(requests)
        .str(",\"code_generation_activity_count\":").num(generations)
        .str(",\"code_acceptance_activity_count\":").num(acceptances)
        .str(",\"loc_suggested_to_add_sum\":").num(lines)
        .str(",\"loc_suggested_to_delete_sum\":0,\"loc_added_sum\":").num(keptLines)
        .str(",\"loc_deleted_sum\":0");
  }

  /**
   * An element of a Cursor daily-usage-data response's {@code data} (indented, no separator): Tab suggestions
   * are the completions, applies the chat and edit requests whose output was accepted or rejected; lines of
   * agent requests count in {@code totalLinesAdded} and not in {@code acceptedLinesAdded}, as Cursor counts them.
   */
  static void cursorRow(Bytes b, PersonDay d, String email, LocalDate day) {
    long[] tab = d.kinds[TAB];
    long[] chat = d.kinds[CHAT];
    long[] edit = d.kinds[EDIT];
    long[] agent = d.kinds[AGENT];
    long acceptedLines = tab[5] + chat[5] + edit[5];
    long accepts = chat[2] + edit[2];
    long rejects = chat[3] + edit[3];
    String model = d.mostUsedModel();
    b.str("    {\n");
    field(b, "date").num(day.toEpochDay() * UsageGenerator.DAY).str(",\n");
    field(b, "isActive").str("true,\n");
    field(b, "totalLinesAdded").num(acceptedLines + agent[5]).str(",\n");
    field(b, "totalLinesDeleted").str("0,\n");
    field(b, "acceptedLinesAdded").num(acceptedLines).str(",\n");
    field(b, "acceptedLinesDeleted").str("0,\n");
    field(b, "totalApplies").num(accepts + rejects).str(",\n");
    field(b, "totalAccepts").num(accepts).str(",\n");
    field(b, "totalRejects").num(rejects).str(",\n");
    field(b, "totalTabsShown").num(tab[0]).str(",\n");
    field(b, "totalTabsAccepted").num(tab[2]).str(",\n");
    field(b, "composerRequests").num(edit[0]).str(",\n");
    field(b, "chatRequests").num(chat[0]).str(",\n");
    field(b, "agentRequests").num(agent[0]).str(",\n");
    field(b, "cmdkUsages").str("0,\n");
    field(b, "subscriptionIncludedReqs").num(chat[0] + edit[0] + agent[0]).str(",\n");
    field(b, "apiKeyReqs").str("0,\n");
    field(b, "usageBasedReqs").str("0,\n");
    field(b, "bugbotUsages").str("0,\n");
    field(b, "mostUsedModel").str(model == null ? "null" : "\"" + model + "\"").str(",\n");
    field(b, "applyMostUsedExtension").str("null,\n");
    field(b, "tabMostUsedExtension").str("null,\n");
    field(b, "clientVersion").str("null,\n");
    field(b, "email").ch('"').str(email).str("\"\n");
    b.str("    }");
  }

  private static Bytes field(Bytes b, String name) {
    return b.str("      \"").str(name).str("\": ");
  }

  // ------------------------------------------------------------------ files

  /**
   * The file of an Amazon Q report of {@code day}, as AWS delivers it:
   * {@code AWSLogs/{accountId}/QDeveloperLogs/by_user_analytic/{region}/{yyyy}/{mm}/{dd}/00/
   * {accountId}_by_user_analytic_{timestamp}[_part_N].csv}, generated five minutes after the day ends.
   */
  static Path qFile(Path events, long day, int part, int parts, boolean gzip) {
    LocalDate d = LocalDate.ofEpochDay(day);
    LocalDate next = d.plusDays(1);
    String timestamp = String.format(Locale.ROOT, "%04d%02d%02dT000512Z", next.getYear(), next.getMonthValue(),
        next.getDayOfMonth());
    return events.resolve("AWSLogs").resolve(Q_ACCOUNT).resolve("QDeveloperLogs").resolve("by_user_analytic")
        .resolve(Q_REGION).resolve(String.format(Locale.ROOT, "%04d", d.getYear()))
        .resolve(String.format(Locale.ROOT, "%02d", d.getMonthValue()))
        .resolve(String.format(Locale.ROOT, "%02d", d.getDayOfMonth())).resolve("00")
        .resolve(Q_ACCOUNT + "_by_user_analytic_" + timestamp + (parts > 1 ? "_part_" + (part + 1) : "") + ".csv"
            + (gzip ? ".gz" : ""));
  }

  /** The one-day Copilot report of {@code day}, in the delivery folder of that day. */
  static Path copilotFile(Path events, long day, boolean gzip) {
    LocalDate d = LocalDate.ofEpochDay(day);
    return events.resolve("date=" + d).resolve("users-1-day-" + d + ".ndjson" + (gzip ? ".gz" : ""));
  }

  /** The Cursor daily-usage-data response for {@code day} alone, in the delivery folder of that day. */
  static Path cursorFile(Path events, long day, boolean gzip) {
    LocalDate d = LocalDate.ofEpochDay(day);
    return events.resolve("date=" + d).resolve("daily-usage-data-" + d + ".json" + (gzip ? ".gz" : ""));
  }

  /**
   * Writes one report: {@code head}, the rows in the order of their sort keys with {@code separator} between
   * them, and {@code tail}.
   */
  static void writeReport(Path file, String head, List<PartBuffer> rows, String separator, String tail,
      boolean gzip) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] between = separator.getBytes(StandardCharsets.US_ASCII);
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream z = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
        OutputStream o = new BufferedOutputStream(z, 1 << 16)) {
      o.write(head.getBytes(StandardCharsets.US_ASCII));
      boolean[] first = {true};
      PartBuffer.forEachSorted(rows, (data, off, len) -> {
        if (!first[0]) {
          o.write(between);
        }
        o.write(data, off, len);
        first[0] = false;
      });
      o.write(tail.getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** The head of a Cursor response's file, up to its first row. */
  static final String CURSOR_HEAD = "{\n  \"data\": [\n";

  /** The tail of a Cursor response for {@code day} alone: the period asked for, midnight to its last millisecond. */
  static String cursorTail(long day) {
    long start = day * UsageGenerator.DAY;
    return "\n  ],\n  \"period\": {\n    \"startDate\": " + start + ",\n    \"endDate\": "
        + (start + UsageGenerator.DAY - 1) + "\n  }\n}\n";
  }
}
