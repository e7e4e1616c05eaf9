package io.goodhart.generate;

import java.util.SplittableRandom;

/**
 * Turns one scheduled request into the JSON line of contract §1 (or into a malformed variant).
 * All randomness comes from the session and event seeds, so a line never depends on which thread
 * built it or on what was built before.
 */
final class EventFactory {

  static final String[] TASKS = {
    "code_generation", "debugging", "code_review", "testing", "documentation",
    "summarization", "other", "deployment", "email_triage"
  };
  static final int T_CODEGEN = 0;
  static final int T_DEBUG = 1;
  static final int T_REVIEW = 2;
  static final int T_TESTING = 3;
  static final int T_DOCS = 4;
  static final int T_SUMMARY = 5;
  static final int T_OTHER = 6;
  static final int T_DEPLOY = 7;
  static final int T_EMAIL = 8;
  static final double[] GENUINE_TASK_WEIGHTS = {34, 18, 12, 12, 8, 5, 5, 3, 3};

  static final String[] OPS = {
    "chat", "text_completion", "embeddings", "execute_tool", "invoke_agent", "generate_content"
  };
  static final int OP_CHAT = 0;
  static final int OP_COMPLETION = 1;
  static final int OP_EMBED = 2;
  static final int OP_TOOL = 3;
  static final int OP_AGENT = 4;
  static final int OP_GENERATE = 5;

  /** Operation weights per tool (claude-code, copilot, cursor, q-developer, meshclaw, other). */
  static final double[][] OP_WEIGHTS = {
    {0.45, 0.05, 0.00, 0.35, 0.15, 0.00},
    {0.38, 0.60, 0.02, 0.00, 0.00, 0.00},
    {0.50, 0.35, 0.05, 0.00, 0.10, 0.00},
    {0.50, 0.05, 0.00, 0.00, 0.15, 0.30},
    {0.25, 0.00, 0.05, 0.30, 0.40, 0.00},
    {0.70, 0.30, 0.00, 0.00, 0.00, 0.00},
  };

  static final String[][] MODELS = {
    {"claude-sonnet-4-5", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"},
    {"gpt-4.1", "gpt-5-mini", "claude-sonnet-4-5", "gpt-4o-mini"},
    {"gpt-5", "claude-sonnet-4-5", "cursor-small"},
    {"amazon-nova-pro", "claude-sonnet-4", "amazon-nova-lite"},
    {"mesh-large-2", "mesh-small-2", "claude-haiku-4-5"},
    {"gpt-4o", "deepseek-coder-v2"},
  };
  static final String[] EMBED_MODELS = {
    "text-embedding-3-small", "text-embedding-3-small", "amazon-titan-embed-v2", "mesh-embed-1"
  };
  static final String[] CLIENT_VERSIONS = {"1.4.2", "1.4.3", "2.0.0-beta.3", "0.9.17"};
  static final String[] TICKET_PROJECTS = {"PAY", "IDN", "SRCH", "OPS", "WEB", "DATA", "MOB"};
  static final String[] BAD_TIMES = {
    "yesterday", "not-a-time", "2026-13-41T25:61:00Z", "10/06/2026 09:14", "", "NaN"
  };

  private static final long SALT_ID = 0x1DL;
  private static final long SALT_FP = 0xF9L;

  /** One event's values; reused per thread. Absent optional values are null / -1 / 0. */
  static final class Fields {
    long idHi;
    long idLo;
    long time;
    int offsetSeconds;
    boolean utc;
    boolean millis;
    String userId;
    String tool;
    int op;
    String model;
    long input;
    long output;
    long cacheRead = -1;
    boolean hasSession;
    long session;
    int task = -1;
    String trigger;
    boolean hasFingerprint;
    long fingerprint;
    long duration = -1;
    int accepted; // 0 absent, 1 false, 2 true
    long lines = -1;
    String artifact;
    String clientVersion;
    boolean spaced;
  }

  private final long seed;
  private final long idMask;

  EventFactory(long seed) {
    this.seed = seed;
    this.idMask = Rng.derive(seed, SALT_ID);
  }

  /** Unique key of a real event; malformed lines set the top bit, so keys never collide. */
  static long eventKey(int person, int week, int seq) {
    return ((long) person << 40) | ((long) week << 28) | seq;
  }

  private static int toolIndex(String tool) {
    for (int i = 0; i < Directory.TOOLS.length; i++) {
      if (Directory.TOOLS[i].equals(tool)) {
        return i;
      }
    }
    return 5;
  }

  /** High half of the id of a malformed line (distinct key space from real events). */
  long malformedIdHi(long key) {
    return Rng.mix64((key | Long.MIN_VALUE) ^ idMask);
  }

  private long poolFingerprint(long salt, long... keys) {
    return Rng.derive(seed, SALT_FP + salt, keys);
  }

  /** Fills {@code f} for one real event. */
  void fill(
      Fields f,
      Directory.Person p,
      int week,
      byte kind,
      long time,
      long sessionSeed,
      long eventSeed,
      long key) {
    f.idHi = Rng.mix64(key ^ idMask);
    f.idLo = Rng.mix64(f.idHi + 0x5DEECE66DL);
    f.time = time;
    f.userId = p.userId;
    f.cacheRead = -1;
    f.duration = -1;
    f.lines = -1;
    f.accepted = 0;
    f.artifact = null;
    f.clientVersion = null;
    f.model = null;
    f.trigger = null;
    f.task = -1;
    f.hasFingerprint = false;
    f.hasSession = false;

    SplittableRandom s = new SplittableRandom(sessionSeed);
    SplittableRandom e = new SplittableRandom(eventSeed);

    int toolIdx;
    switch (kind) {
      case WeekSchedule.K_INTERACTIVE -> interactive(f, p, s, e);
      case WeekSchedule.K_DIGEST -> digest(f, p, s, e);
      case WeekSchedule.K_NIGHTLY, WeekSchedule.K_DEPLOY -> automation(f, p, kind, s, e);
      case WeekSchedule.K_LOOP -> loop(f, p, s, e);
      case WeekSchedule.K_FLOOD -> flood(f, p, week, s, e);
      case WeekSchedule.K_REPEAT -> repeat(f, p, week, s, e);
      default -> throw new IllegalStateException("kind " + kind);
    }
    toolIdx = toolIndex(f.tool);

    // session id: most sessions carry one
    f.hasSession = s.nextDouble() >= 0.07;
    f.session = s.nextLong();
    // client_version: an unknown extra field on some sessions
    if (s.nextDouble() < 0.05) {
      f.clientVersion = CLIENT_VERSIONS[s.nextInt(CLIENT_VERSIONS.length)];
    } else {
      s.nextInt(CLIENT_VERSIONS.length);
    }
    // time format depends on the tool (and for meshclaw on the session)
    switch (toolIdx) {
      case Directory.TOOL_CLAUDE -> {
        f.utc = false;
        f.millis = true;
      }
      case Directory.TOOL_COPILOT -> {
        f.utc = true;
        f.millis = true;
      }
      case Directory.TOOL_Q -> {
        f.utc = true;
        f.millis = false;
      }
      case Directory.TOOL_MESHCLAW -> {
        f.utc = false;
        f.millis = s.nextBoolean();
      }
      default -> {
        f.utc = false;
        f.millis = false;
      }
    }
    f.spaced = toolIdx == Directory.TOOL_MESHCLAW;
    if (!f.millis) {
      f.time = Math.floorDiv(time, 1000L) * 1000L;
    }
    f.offsetSeconds =
        f.utc ? 0 : p.rules.getOffset(java.time.Instant.ofEpochMilli(time)).getTotalSeconds();

    // model: per session, sometimes switched, sometimes not reported
    if (f.op == OP_EMBED) {
      f.model = EMBED_MODELS[e.nextInt(EMBED_MODELS.length)];
    } else {
      String[] models = MODELS[toolIdx];
      String sessionModel = models[s.nextInt(models.length)];
      f.model = e.nextDouble() < 0.1 ? models[e.nextInt(models.length)] : sessionModel;
    }
    if (e.nextDouble() < 0.08) {
      f.model = null;
    }
    if (f.op == OP_EMBED) {
      f.output = 0;
      f.accepted = 0;
      f.lines = -1;
      f.artifact = e.nextDouble() < 0.9 ? null : f.artifact;
    }
    if (f.duration < 0 && e.nextDouble() >= 0.08) {
      double perToken = 8 + 17 * e.nextDouble();
      long d =
          f.op == OP_EMBED
              ? 40 + e.nextInt(360)
              : (long) ((300 + f.output * perToken) * Math.exp(0.3 * Rng.gaussian(e)));
      if (f.op == OP_TOOL) {
        d += 100 + e.nextInt(4_900);
      }
      f.duration = d;
    }
  }

  // ------------------------------------------------------------------ genuine interactive

  private void interactive(Fields f, Directory.Person p, SplittableRandom s, SplittableRandom e) {
    double toolDraw = s.nextDouble();
    String rare = Directory.RARE_TOOLS[s.nextInt(Directory.RARE_TOOLS.length)];
    f.tool =
        toolDraw < 0.72
            ? Directory.TOOLS[p.primaryTool]
            : toolDraw < 0.97 ? Directory.TOOLS[p.secondaryTool] : rare;
    int toolIdx = toolIndex(f.tool);
    int sessionTask = Rng.weighted(s, GENUINE_TASK_WEIGHTS);
    boolean sessionHasArtifact =
        s.nextDouble()
            < switch (p.base) {
              case POWER -> 0.75;
              case LIGHT -> 0.3;
              default -> 0.55;
            };
    double artX = s.nextDouble();
    long artH = s.nextLong();
    int artN = 100 + s.nextInt(9_900);
    int artP = s.nextInt(TICKET_PROJECTS.length);
    boolean triggerPresent = s.nextDouble() < 0.55;

    f.task = e.nextDouble() < 0.15 ? Rng.weighted(e, GENUINE_TASK_WEIGHTS) : sessionTask;
    if (e.nextDouble() < 0.1) {
      f.task = -1;
    }
    f.op = Rng.weighted(e, OP_WEIGHTS[toolIdx]);
    f.trigger = triggerPresent ? (e.nextDouble() < 0.02 ? "automation" : "interactive") : null;
    genuineTokens(f, p, e);
    cache(f, toolIdx, e, 0.35);
    genuineFingerprint(f, p, e);

    // acceptance
    if (f.op == OP_TOOL) {
      f.accepted = e.nextDouble() < 0.8 ? 0 : (e.nextDouble() < 0.85 ? 2 : 1);
    } else if (e.nextDouble() < 0.12) {
      f.accepted = 0;
    } else {
      f.accepted = e.nextDouble() < p.acceptance ? 2 : 1;
    }
    boolean codeTask = f.task == T_CODEGEN || f.task == T_DEBUG || f.task == T_TESTING;
    if (f.accepted == 2) {
      if (codeTask || (f.task < 0 && f.op == OP_COMPLETION)) {
        f.lines =
            f.op == OP_COMPLETION
                ? Rng.logNormal(e, 3, 0.7, 1, 40)
                : Rng.logNormal(e, 14, 0.9, 1, 400);
      } else {
        f.lines = e.nextDouble() < 0.5 ? 0 : -1;
      }
    } else if (f.accepted == 1) {
      f.lines = e.nextDouble() < 0.6 ? 0 : -1;
    }
    if (sessionHasArtifact && hasGenuineArtifact(sessionTask, artX)) {
      double pa = f.accepted == 2 ? 0.85 : 0.25;
      if (e.nextDouble() < pa) {
        f.artifact = genuineArtifact(sessionTask, artX, artH, artN, artP);
      }
    } else if (e.nextDouble() < 0.02) {
      f.artifact = "ticket:" + TICKET_PROJECTS[e.nextInt(TICKET_PROJECTS.length)] + "-"
          + (100 + e.nextInt(9_900));
    }
  }

  private static boolean hasGenuineArtifact(int task, double x) {
    return switch (task) {
      case T_CODEGEN, T_DEBUG, T_TESTING, T_REVIEW, T_DOCS, T_DEPLOY -> true;
      default -> x < 0.5;
    };
  }

  private static String genuineArtifact(int task, double x, long h, int n, int projIdx) {
    String proj = TICKET_PROJECTS[projIdx];
    return switch (task) {
      case T_CODEGEN, T_DEBUG, T_TESTING -> x < 0.6 ? commit(h) : "pr:" + n;
      case T_REVIEW -> "pr:" + n;
      case T_DOCS -> x < 0.5 ? "ticket:" + proj + "-" + n : "pr:" + n;
      case T_DEPLOY -> "deploy:" + (10_000 + (n * 7L) % 90_000);
      default -> x < 0.5 ? "ticket:" + proj + "-" + n : null;
    };
  }

  private static String commit(long h) {
    char[] c = {'c', 'o', 'm', 'm', 'i', 't', ':', '0', '0', '0', '0', '0', '0', '0'};
    for (int i = c.length - 1; i >= 7; i--) {
      c[i] = Character.forDigit((int) (h & 0xF), 16);
      h >>>= 4;
    }
    return new String(c);
  }

  private static void genuineTokens(Fields f, Directory.Person p, SplittableRandom e) {
    double scale = p.base == Archetype.POWER ? 1.3 : 1.0;
    switch (f.op) {
      case OP_COMPLETION -> {
        f.input = Rng.logNormal(e, 1_200 * scale, 0.7, 150, 6_000);
        f.output = Rng.logNormal(e, 60, 0.9, 5, 600);
      }
      case OP_EMBED -> {
        f.input = Rng.logNormal(e, 800, 0.8, 50, 8_000);
        f.output = 0;
      }
      case OP_TOOL -> {
        f.input = Rng.logNormal(e, 6_000 * scale, 0.8, 800, 40_000);
        f.output = Rng.logNormal(e, 250, 0.9, 20, 2_500);
      }
      case OP_AGENT -> {
        if (p.base == Archetype.POWER && e.nextDouble() < 0.08) {
          f.input = Rng.logNormal(e, 60_000, 0.5, 30_000, 180_000); // big-context agent run
        } else {
          f.input = Rng.logNormal(e, 12_000 * scale, 0.9, 2_000, 90_000);
        }
        f.output = Rng.logNormal(e, 1_200, 0.8, 100, 6_000);
      }
      default -> {
        f.input = Rng.logNormal(e, 3_500 * scale, 0.9, 500, 20_000);
        f.output = Rng.logNormal(e, 700, 0.8, 100, 4_000);
      }
    }
  }

  private static void cache(Fields f, int toolIdx, SplittableRandom e, double p) {
    boolean supports = toolIdx != Directory.TOOL_COPILOT && toolIdx != 5;
    if (supports && f.op != OP_EMBED && e.nextDouble() < p) {
      f.cacheRead = (long) (f.input * (0.2 + 0.75 * e.nextDouble()));
    } else {
      f.cacheRead = -1;
    }
  }

  private void genuineFingerprint(Fields f, Directory.Person p, SplittableRandom e) {
    double x = e.nextDouble();
    long fresh = e.nextLong();
    int poolIdx = e.nextInt(6);
    if (x < 0.08) {
      f.hasFingerprint = false;
    } else if (x < 0.20) {
      f.hasFingerprint = true; // a habitual prompt ("run the tests", "explain this error")
      f.fingerprint = poolFingerprint(1, p.index, poolIdx);
    } else {
      f.hasFingerprint = true;
      f.fingerprint = fresh;
    }
  }

  // ------------------------------------------------------------------ genuine automation

  private void digest(Fields f, Directory.Person p, SplittableRandom s, SplittableRandom e) {
    int t = p.primaryTool;
    f.tool =
        Directory.TOOLS[
            t == Directory.TOOL_COPILOT || t == Directory.TOOL_CURSOR ? Directory.TOOL_MESHCLAW : t];
    f.op = e.nextDouble() < 0.7 ? OP_CHAT : OP_GENERATE;
    if (f.tool.equals("claude-code") && f.op == OP_GENERATE) {
      f.op = OP_CHAT;
    }
    f.trigger = "scheduled";
    f.task = e.nextDouble() < 0.7 ? T_SUMMARY : T_EMAIL;
    f.hasFingerprint = true;
    f.fingerprint = poolFingerprint(2, p.index);
    f.input = Rng.logNormal(e, 12_000, 0.6, 3_000, 40_000);
    f.output = Rng.logNormal(e, 800, 0.5, 150, 3_000);
    double a = e.nextDouble();
    f.accepted = a < 0.7 ? 0 : a < 0.9 ? 2 : 1;
    cache(f, toolIndex(f.tool), e, 0.5);
  }

  private void automation(
      Fields f, Directory.Person p, byte kind, SplittableRandom s, SplittableRandom e) {
    f.tool = Directory.TOOLS[p.automationTool];
    boolean nightly = kind == WeekSchedule.K_NIGHTLY;
    f.trigger = nightly ? "scheduled" : "automation";
    int sessionTask =
        nightly ? (s.nextDouble() < 0.8 ? T_TESTING : T_DEPLOY) : (s.nextDouble() < 0.85 ? T_DEPLOY : T_TESTING);
    double artDraw = s.nextDouble();
    int n = s.nextInt(1_000_000);
    String artifact;
    if (nightly) {
      artifact = artDraw < 0.45 ? "build:" + (100_000 + n % 900_000) : artDraw < 0.7 ? "pr:" + (100 + n % 9_900) : null;
    } else {
      artifact = artDraw < 0.9 ? "deploy:" + (10_000 + n % 90_000) : artDraw < 0.95 ? "pr:" + (100 + n % 9_900) : null;
    }
    f.task = e.nextDouble() < 0.05 ? -1 : sessionTask;
    f.op = e.nextDouble() < 0.55 ? OP_AGENT : (f.tool.equals("q-developer") ? OP_GENERATE : OP_TOOL);
    f.input = Rng.logNormal(e, 8_000, 0.7, 1_500, 40_000);
    f.output = Rng.logNormal(e, 600, 0.7, 60, 4_000);
    cache(f, toolIndex(f.tool), e, 0.4);
    // templated prompts repeat (like a loop), but runs are few and produce artifacts
    double x = e.nextDouble();
    int tpl = e.nextInt(nightly ? 3 : 5);
    long fresh = e.nextLong();
    f.hasFingerprint = x >= 0.05;
    f.fingerprint = x < 0.75 ? poolFingerprint(nightly ? 3 : 4, p.index, tpl) : fresh;
    double a = e.nextDouble();
    if (nightly) {
      f.accepted = a < 0.4 ? 2 : a < 0.6 ? 1 : 0;
    } else {
      f.accepted = a < 0.7 ? 2 : a < 0.8 ? 1 : 0;
    }
    double ld = e.nextDouble();
    long ln = Rng.logNormal(e, 4, 0.8, 1, 60);
    if (f.accepted == 2) {
      f.lines = ld < 0.85 ? 0 : ln;
    } else if (f.accepted == 1) {
      f.lines = 0;
    }
    f.artifact = artifact != null && e.nextDouble() < 0.92 ? artifact : null;
  }

  // ------------------------------------------------------------------ padding

  private void loop(Fields f, Directory.Person p, SplittableRandom s, SplittableRandom e) {
    f.tool = Directory.TOOLS[p.loopTool];
    SplittableRandom pr = new SplittableRandom(Rng.derive(seed, 0x100FL, p.index));
    int loopOp = new int[] {OP_AGENT, OP_CHAT, OP_GENERATE}[Rng.weighted(pr, new double[] {0.5, 0.35, 0.15})];
    int prompts = Rng.between(pr, 2, 5);
    f.op = e.nextDouble() < 0.9 ? loopOp : OP_CHAT;
    if (f.op == OP_GENERATE && !f.tool.equals("q-developer")) {
      f.op = OP_CHAT;
    }
    f.trigger = p.loopScheduled ? "scheduled" : "automation";
    if (e.nextDouble() < 0.05) {
      f.trigger = null; // badly configured client: looks interactive
    }
    double t = e.nextDouble();
    f.task = t < 0.35 ? T_SUMMARY : t < 0.6 ? T_EMAIL : t < 0.84 ? T_OTHER : t < 0.92 ? T_DOCS : -1;
    double x = e.nextDouble();
    int idx = e.nextInt(prompts);
    long fresh = e.nextLong();
    f.hasFingerprint = x >= 0.05;
    f.fingerprint = x < 0.97 ? poolFingerprint(5, p.index, idx) : fresh;
    f.input = Rng.logNormal(e, 90_000, 0.5, 20_000, 400_000);
    f.output = Rng.logNormal(e, 900, 0.7, 50, 6_000);
    if (p.loopCaches && e.nextDouble() < 0.8) {
      f.cacheRead = (long) (f.input * (0.5 + 0.45 * e.nextDouble()));
    }
    double a = e.nextDouble();
    f.accepted = a < 0.70 ? 1 : a < 0.97 ? 0 : 2;
    if (f.accepted != 0) {
      f.lines = e.nextDouble() < 0.5 ? 0 : -1;
    }
    if (e.nextDouble() < 0.01) {
      f.artifact = "ticket:OPS-" + (100 + e.nextInt(9_900));
    }
  }

  private void flood(
      Fields f, Directory.Person p, int week, SplittableRandom s, SplittableRandom e) {
    f.tool = Directory.TOOLS[s.nextDouble() < 0.8 ? p.primaryTool : p.secondaryTool];
    int toolIdx = toolIndex(f.tool);
    double tr = s.nextDouble();
    f.trigger = tr < 0.5 ? "interactive" : tr < 0.75 ? null : "automation";
    double o = e.nextDouble();
    f.op = o < 0.5 ? OP_CHAT : o < 0.85 ? OP_AGENT : OP_GENERATE;
    if (f.op == OP_GENERATE && toolIdx != Directory.TOOL_Q) {
      f.op = OP_CHAT;
    }
    double t = e.nextDouble();
    f.task = t < 0.3 ? T_CODEGEN : t < 0.55 ? T_DOCS : t < 0.8 ? T_OTHER : t < 0.9 ? T_REVIEW : T_SUMMARY;
    double x = e.nextDouble();
    int idx = e.nextInt(3 + (int) Math.floorMod(Rng.derive(seed, 0xF1L, p.index, week), 6L));
    long fresh = e.nextLong();
    f.hasFingerprint = true;
    f.fingerprint = x < 0.5 ? poolFingerprint(6, p.index, week, idx) : fresh;
    f.input = Rng.logNormal(e, 110_000, 0.5, 30_000, 400_000);
    f.output = Rng.logNormal(e, 3_500, 0.5, 500, 16_000);
    cache(f, toolIdx, e, 0.2);
    double a = e.nextDouble();
    f.accepted = a < 0.75 ? 1 : a < 0.92 ? 0 : 2;
    if (f.accepted == 2) {
      f.lines = Rng.between(e, 1, 20);
    } else if (f.accepted == 1) {
      f.lines = 0;
    }
    if (e.nextDouble() < 0.03) {
      f.artifact = "pr:" + (100 + e.nextInt(9_900));
    }
  }

  private void repeat(
      Fields f, Directory.Person p, int week, SplittableRandom s, SplittableRandom e) {
    f.tool = Directory.TOOLS[s.nextDouble() < 0.85 ? p.primaryTool : p.secondaryTool];
    int toolIdx = toolIndex(f.tool);
    boolean triggerPresent = s.nextDouble() < 0.55;
    f.trigger = triggerPresent ? "interactive" : null;
    double o = e.nextDouble();
    f.op = o < 0.7 ? OP_CHAT : o < 0.9 ? OP_AGENT : OP_COMPLETION;
    double t = e.nextDouble();
    f.task = t < 0.4 ? T_CODEGEN : t < 0.6 ? T_REVIEW : t < 0.8 ? T_DOCS : t < 0.93 ? T_DEBUG : -1;
    double x = e.nextDouble();
    int pool = 3 + (int) Math.floorMod(Rng.derive(seed, 0x8EL, p.index, week), 4L);
    int idx = e.nextInt(pool);
    long fresh = e.nextLong();
    f.hasFingerprint = x >= 0.04;
    f.fingerprint = x < 0.92 ? poolFingerprint(7, p.index, week, idx) : fresh;
    f.input = Rng.logNormal(e, 15_000, 0.7, 3_000, 80_000);
    f.output = Rng.logNormal(e, 1_800, 0.6, 300, 8_000);
    if (f.op == OP_COMPLETION) {
      f.input = Rng.logNormal(e, 3_000, 0.5, 500, 8_000);
      f.output = Rng.logNormal(e, 300, 0.5, 50, 1_200);
    }
    cache(f, toolIdx, e, 0.3);
    double a = e.nextDouble();
    f.accepted = a < 0.80 ? 1 : a < 0.92 ? 0 : 2;
    if (f.accepted == 2) {
      f.lines = Rng.between(e, 1, 12);
    } else if (f.accepted == 1) {
      f.lines = e.nextDouble() < 0.7 ? 0 : -1;
    }
    if (e.nextDouble() < 0.02) {
      f.artifact = commit(e.nextLong());
    }
  }

  // ------------------------------------------------------------------ serialisation

  /** Which required field a MISSING_FIELD line drops, by index in this list. */
  static final String[] REQUIRED = {
    "event_id", "event_time", "user_id", "tool", "operation", "input_tokens", "output_tokens"
  };

  /** Writes a valid line (no trailing newline). */
  static void write(Bytes b, Fields f) {
    write(b, f, null, -1, -1, -1);
  }

  /**
   * Writes a line. {@code badTime} replaces event_time (null: the real one); {@code omit} drops
   * required field #omit; {@code stringCount} writes count #0 (input) or #1 (output) as a JSON
   * string; {@code negate} writes count #0/#1 negative.
   */
  static void write(Bytes b, Fields f, String badTime, int omit, int stringCount, int negate) {
    String sep = f.spaced ? "\", \"" : "\",\"";
    String colon = f.spaced ? "\": " : "\":";
    b.ch('{');
    boolean first = true;
    if (omit != 0) {
      b.ch('"').str("event_id").str(colon).ch('"');
      uuid(b, f.idHi, f.idLo);
      b.ch('"');
      first = false;
    }
    if (omit != 1) {
      comma(b, first, f.spaced);
      first = false;
      b.ch('"').str("event_time").str(colon).ch('"');
      if (badTime != null) {
        b.str(badTime);
      } else {
        time(b, f.time, f.offsetSeconds, f.millis, f.utc);
      }
      b.ch('"');
    }
    if (omit != 2) {
      comma(b, first, f.spaced);
      first = false;
      b.ch('"').str("user_id").str(colon).ch('"').str(f.userId).ch('"');
    }
    if (omit != 3) {
      comma(b, first, f.spaced);
      first = false;
      b.ch('"').str("tool").str(colon).ch('"').str(f.tool).ch('"');
    }
    if (omit != 4) {
      comma(b, first, f.spaced);
      first = false;
      b.ch('"').str("operation").str(colon).ch('"').str(OPS[f.op]).ch('"');
    }
    if (f.model != null) {
      comma(b, first, f.spaced);
      first = false;
      b.ch('"').str("model").str(colon).ch('"').str(f.model).ch('"');
    }
    if (omit != 5) {
      comma(b, first, f.spaced);
      first = false;
      b.ch('"').str("input_tokens").str(colon);
      count(b, f.input, stringCount == 0, negate == 0);
    }
    if (omit != 6) {
      comma(b, first, f.spaced);
      first = false;
      b.ch('"').str("output_tokens").str(colon);
      count(b, f.output, stringCount == 1, negate == 1);
    }
    if (f.cacheRead >= 0) {
      comma(b, first, f.spaced);
      b.ch('"').str("cache_read_tokens").str(colon).num(f.cacheRead);
    }
    if (f.hasSession) {
      comma(b, first, f.spaced);
      b.ch('"').str("session_id").str(colon).ch('"').str("sess-").hex(f.session, 12).ch('"');
    }
    if (f.task >= 0) {
      comma(b, first, f.spaced);
      b.ch('"').str("task_type").str(colon).ch('"').str(TASKS[f.task]).ch('"');
    }
    if (f.trigger != null) {
      comma(b, first, f.spaced);
      b.ch('"').str("trigger").str(colon).ch('"').str(f.trigger).ch('"');
    }
    if (f.hasFingerprint) {
      comma(b, first, f.spaced);
      b.ch('"').str("prompt_fingerprint").str(colon).ch('"').hex(f.fingerprint, 16).ch('"');
    }
    if (f.duration >= 0) {
      comma(b, first, f.spaced);
      b.ch('"').str("duration_ms").str(colon).num(f.duration);
    }
    if (f.accepted != 0) {
      comma(b, first, f.spaced);
      b.ch('"').str("accepted").str(colon).str(f.accepted == 2 ? "true" : "false");
    }
    if (f.lines >= 0) {
      comma(b, first, f.spaced);
      b.ch('"').str("lines_accepted").str(colon).num(f.lines);
    }
    if (f.artifact != null) {
      comma(b, first, f.spaced);
      b.ch('"').str("artifact_id").str(colon).ch('"').str(f.artifact).ch('"');
    }
    if (f.clientVersion != null) {
      comma(b, first, f.spaced);
      b.ch('"').str("client_version").str(colon).ch('"').str(f.clientVersion).ch('"');
    }
    b.ch('}');
  }

  private static void comma(Bytes b, boolean first, boolean spaced) {
    if (!first) {
      b.ch(',');
      if (spaced) {
        b.ch(' ');
      }
    }
  }

  private static void count(Bytes b, long v, boolean asString, boolean negative) {
    long x = negative ? -Math.max(1, v) : v;
    if (asString) {
      b.ch('"').num(x).ch('"');
    } else {
      b.num(x);
    }
  }

  static void uuid(Bytes b, long hi, long lo) {
    b.hex(hi >>> 32, 8).ch('-').hex(hi >>> 16, 4).ch('-').hex(hi, 4).ch('-');
    b.hex(lo >>> 48, 4).ch('-').hex(lo, 12);
  }

  /** ISO-8601 with offset: {@code 2026-11-23T09:14:03.120Z} or {@code ...T10:14:03+01:00}. */
  static void time(Bytes b, long epochMs, int offsetSeconds, boolean millis, boolean utc) {
    localTime(b, epochMs + offsetSeconds * 1000L, millis);
    if (offsetSeconds == 0) {
      b.str(utc ? "Z" : "+00:00");
    } else {
      int o = Math.abs(offsetSeconds) / 60;
      b.ch(offsetSeconds < 0 ? '-' : '+').pad(o / 60, 2).ch(':').pad(o % 60, 2);
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.SSS]} of a local epoch-millisecond value. */
  static void localTime(Bytes b, long localMs, boolean millis) {
    long days = Math.floorDiv(localMs, 86_400_000L);
    long msOfDay = Math.floorMod(localMs, 86_400_000L);
    // civil-from-days (H. Hinnant)
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) {
      y++;
    }
    b.pad((int) y, 4).ch('-').pad((int) m, 2).ch('-').pad((int) d, 2).ch('T');
    int secOfDay = (int) (msOfDay / 1000);
    b.pad(secOfDay / 3600, 2).ch(':').pad(secOfDay / 60 % 60, 2).ch(':').pad(secOfDay % 60, 2);
    if (millis) {
      b.ch('.').pad((int) (msOfDay % 1000), 3);
    }
  }

  /**
   * Writes a malformed line derived from a real event {@code f} (which it may modify: callers
   * pass a scratch copy). The malformed line gets its own event id.
   */
  static void writeMalformed(Bytes b, Fields f, MalformedKind kind, SplittableRandom r, long idHi) {
    f.idHi = idHi;
    f.idLo = Rng.mix64(idHi + 0x5DEECE66DL);
    switch (kind) {
      case TRUNCATED -> {
        write(b, f);
        int cut = 8 + r.nextInt(Math.max(1, b.len - 12));
        b.len = Math.min(cut, b.len - 2);
      }
      case MISSING_FIELD -> write(b, f, null, r.nextInt(REQUIRED.length), -1, -1);
      case WRONG_TYPE -> write(b, f, null, -1, r.nextInt(2), -1);
      case NEGATIVE_COUNT -> write(b, f, null, -1, -1, r.nextInt(2));
      case BAD_TIME -> write(b, f, BAD_TIMES[r.nextInt(BAD_TIMES.length)], -1, -1, -1);
      case TIME_WITHOUT_OFFSET -> {
        Bytes t = new Bytes();
        localTime(t, f.time + f.offsetSeconds * 1000L, f.millis);
        write(b, f, new String(t.buf, 0, t.len, java.nio.charset.StandardCharsets.US_ASCII), -1, -1, -1);
      }
      case EMPTY_OBJECT -> b.str("{}");
      default -> throw new IllegalStateException(kind.name());
    }
  }
}
