package io.goodhart.generate;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic organisation: teams, orgs, people with their stints, time zones, tools and
 * (hidden) behaviour. Built sequentially from one seeded stream, so it is fully deterministic.
 */
final class Directory {

  static final String[] ORGS = {
    "Platform Engineering", "Product Engineering", "Data & AI", "Enterprise Systems"
  };

  /** Base team names; index 1 has a comma and index 5 a quote, to exercise RFC-4180 quoting. */
  static final String[] TEAM_NAMES = {
    "Checkout",
    "Payments, EU",
    "Identity",
    "Search",
    "Mobile Apps",
    "Build \"Tooling\"",
    "Observability",
    "Data Platform",
    "Growth",
    "Risk Engine",
    "Billing",
    "Notifications",
    "Catalog",
    "Edge Network",
    "ML Serving",
    "Developer Portal",
    "Storage",
    "Ledger",
    "Onboarding",
    "Pricing",
    "Recommendations",
    "Support Tools",
    "Warehouse",
    "Fraud Detection",
    "Infra Automation",
    "Messaging",
    "Maps",
    "Compliance",
    "Design Systems",
    "Partner APIs",
    "Security Engineering",
    "Reporting",
  };

  /** Team sites; people mostly share their team's zone. */
  static final String[] ZONES = {
    "Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC"
  };

  static final double[] ZONE_WEIGHTS = {0.30, 0.20, 0.25, 0.15, 0.10};

  static final String[] TOOLS = {"claude-code", "copilot", "cursor", "q-developer", "meshclaw"};
  static final double[] TOOL_WEIGHTS = {0.30, 0.25, 0.20, 0.15, 0.10};
  static final String[] RARE_TOOLS = {"windsurf", "aider", "continue"};

  static final int TOOL_CLAUDE = 0;
  static final int TOOL_COPILOT = 1;
  static final int TOOL_CURSOR = 2;
  static final int TOOL_Q = 3;
  static final int TOOL_MESHCLAW = 4;

  record Team(int index, String teamId, String name, String org, int zone) {}

  /** One row of directory.csv. {@code validTo == null} means still current. */
  record Stint(int team, LocalDate validFrom, LocalDate validTo) {}

  /** A person (or a contractor, who has no stints). */
  static final class Person {
    int index;
    String userId;
    boolean contractor;
    boolean developer;
    List<Stint> stints = new ArrayList<>();
    long activeFromDay = Long.MIN_VALUE; // epoch day, inclusive
    long activeToDay = Long.MAX_VALUE; // epoch day, inclusive
    ZoneId zone;
    ZoneRules rules;
    Archetype base;
    Archetype padType; // null: never pads
    double padWeekProb;
    double activity; // multiplier on the number of sessions/requests
    double acceptance; // probability that a genuine interactive output is kept
    int primaryTool;
    int secondaryTool;
    int automationTool;
    int loopTool;
    int workStartMinute; // local minute of day
    boolean hasDigest;
    int digestMinute;
    int nightlyMinute;
    boolean loopScheduled; // loop trigger: scheduled vs automation
    boolean loopOneSession;
    boolean loopCaches;
    long personSeed;

    boolean activeOn(long epochDay) {
      return epochDay >= activeFromDay && epochDay <= activeToDay;
    }
  }

  final List<Team> teams = new ArrayList<>();
  final int[] managerOfTeam;
  final Person[] people; // directory users first (index = user number - 1), then contractors
  final int directoryUsers;

  private Directory(List<Team> teams, int[] managerOfTeam, Person[] people, int directoryUsers) {
    this.teams.addAll(teams);
    this.managerOfTeam = managerOfTeam;
    this.people = people;
    this.directoryUsers = directoryUsers;
  }

  private static int[] nonManagers(boolean[] isManager) {
    int n = 0;
    for (boolean m : isManager) {
      n += m ? 0 : 1;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < isManager.length; i++) {
      if (!isManager[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  static String userId(int index) {
    return String.format("u%05d", index + 1);
  }

  static Directory build(GeneratorConfig cfg) {
    SplittableRandom r = Rng.stream(cfg.seed(), 0xD1EC7L);
    int users = cfg.users();
    LocalDate start = cfg.start();
    int days = cfg.weeks() * 7;

    // --- team sizes: mostly 5..15, some 3..4 (below a minimum group size of 5)
    List<Integer> sizes = new ArrayList<>();
    int remaining = users;
    while (remaining > 0) {
      int s = Rng.chance(r, 0.18) ? Rng.between(r, 3, 4) : Rng.between(r, 5, 15);
      if (s >= remaining || remaining - s < 3) {
        s = remaining;
      }
      sizes.add(s);
      remaining -= s;
    }
    int teamCount = sizes.size();

    // --- orgs and names
    int orgCount = teamCount >= 10 ? 4 : Math.min(3, teamCount);
    List<Team> teams = new ArrayList<>();
    for (int t = 0; t < teamCount; t++) {
      int org = t < orgCount ? t : r.nextInt(orgCount);
      String name =
          t < TEAM_NAMES.length
              ? TEAM_NAMES[t]
              : TEAM_NAMES[t % TEAM_NAMES.length] + " " + (t / TEAM_NAMES.length + 1);
      int zone = Rng.weighted(r, ZONE_WEIGHTS);
      teams.add(new Team(t, String.format("team-%03d", t + 1), name, ORGS[org], zone));
    }

    // --- membership: a shuffled permutation of user numbers, cut into teams
    int[] perm = new int[users];
    for (int i = 0; i < users; i++) {
      perm[i] = i;
    }
    for (int i = users - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    int[] teamOf = new int[users];
    int[] managerOfTeam = new int[teamCount];
    boolean[] isManager = new boolean[users];
    int pos = 0;
    for (int t = 0; t < teamCount; t++) {
      for (int k = 0; k < sizes.get(t); k++) {
        teamOf[perm[pos + k]] = t;
      }
      managerOfTeam[t] = perm[pos];
      isManager[perm[pos]] = true;
      pos += sizes.get(t);
    }
    int nonDevManagers = 0;
    boolean[] managerNonDev = new boolean[users];
    for (int t = 0; t < teamCount; t++) {
      if (Rng.chance(r, 0.7)) {
        managerNonDev[managerOfTeam[t]] = true;
        nonDevManagers++;
      }
    }
    double pmProb = Math.max(0.01, 0.08 - nonDevManagers / (double) users);

    // ~3% movers, ~3% leavers, ~3% joiners among non-managers (at least one each when possible)
    int[] category = new int[users]; // 0 stays, 1 mover, 2 leaver, 3 joiner
    int[] eligible = nonManagers(isManager);
    for (int i = eligible.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int tmp = eligible[i];
      eligible[i] = eligible[j];
      eligible[j] = tmp;
    }
    int each = (int) Math.round(eligible.length * 0.03);
    if (each == 0 && eligible.length >= 10) {
      each = 1;
    }
    if (days > 1) {
      int k = 0;
      for (int c = 1; c <= 3; c++) {
        if (c == 1 && teamCount < 2) {
          continue;
        }
        for (int m = 0; m < each && k < eligible.length; m++) {
          category[eligible[k++]] = c;
        }
      }
    }

    int contractors = Math.max(1, (int) Math.round(users / 100.0));
    Person[] people = new Person[users + contractors];
    for (int i = 0; i < users; i++) {
      Person p = new Person();
      p.index = i;
      p.userId = userId(i);
      p.developer = !(managerNonDev[i] || (!isManager[i] && Rng.chance(r, pmProb)));
      int team = teamOf[i];
      int zone = Rng.chance(r, 0.85) ? teams.get(team).zone() : Rng.weighted(r, ZONE_WEIGHTS);
      p.zone = ZoneId.of(ZONES[zone]);
      p.rules = p.zone.getRules();

      LocalDate hired = start.minusDays(Rng.between(r, 1, 6 * 365));
      if (category[i] == 1) {
        // mover: two stints, switch on any day of the period (often mid-week)
        int other = r.nextInt(teamCount - 1);
        if (other >= team) {
          other++;
        }
        LocalDate sw = start.plusDays(Rng.between(r, 1, days - 1));
        p.stints.add(new Stint(team, hired, sw.minusDays(1)));
        p.stints.add(new Stint(other, sw, null));
      } else if (category[i] == 2) {
        // leaver: valid_to inside the period
        LocalDate last = start.plusDays(Rng.between(r, 0, days - 2));
        p.stints.add(new Stint(team, hired, last));
        p.activeToDay = last.toEpochDay();
      } else if (category[i] == 3) {
        // joiner: valid_from after the start
        LocalDate first = start.plusDays(Rng.between(r, 1, days - 1));
        p.stints.add(new Stint(team, first, null));
        p.activeFromDay = first.toEpochDay();
      } else {
        p.stints.add(new Stint(team, hired, null));
      }
      if (p.activeFromDay == Long.MIN_VALUE) {
        p.activeFromDay = p.stints.get(0).validFrom().toEpochDay();
      }
      assignBehaviour(p, r, cfg);
      people[i] = p;
    }
    for (int c = 0; c < contractors; c++) {
      Person p = new Person();
      p.index = users + c;
      p.userId = String.format("ext-%04d", c + 1);
      p.contractor = true;
      p.developer = true;
      p.zone = ZoneId.of(ZONES[Rng.weighted(r, ZONE_WEIGHTS)]);
      p.rules = p.zone.getRules();
      assignBehaviour(p, r, cfg);
      people[users + c] = p;
    }
    return new Directory(teams, managerOfTeam, people, users);
  }

  private static void assignBehaviour(Person p, SplittableRandom r, GeneratorConfig cfg) {
    p.personSeed = r.nextLong();
    if (p.contractor) {
      p.base = Archetype.values()[1 + Rng.weighted(r, new double[] {0.2, 0.6, 0.2})];
    } else if (!p.developer) {
      // managers, PMs: many never use AI, some do a little
      double[] w = {0.5, 0.4, 0.1};
      p.base = Archetype.values()[Rng.weighted(r, w)];
    } else {
      double[] w = {0.10, 0.28, 0.35, 0.15, 0.12};
      p.base = Archetype.values()[Rng.weighted(r, w)];
    }
    p.activity = Math.exp(0.35 * Rng.gaussian(r));
    switch (p.base) {
      case LIGHT -> p.acceptance = 0.25 + 0.3 * r.nextDouble();
      case POWER -> p.acceptance = 0.62 + 0.25 * r.nextDouble();
      default -> p.acceptance = 0.45 + 0.25 * r.nextDouble();
    }
    p.primaryTool = Rng.weighted(r, TOOL_WEIGHTS);
    int sec = Rng.weighted(r, TOOL_WEIGHTS);
    p.secondaryTool = sec == p.primaryTool ? (sec + 1 + r.nextInt(TOOLS.length - 1)) % TOOLS.length : sec;
    p.automationTool = new int[] {TOOL_MESHCLAW, TOOL_CLAUDE, TOOL_Q}[r.nextInt(3)];
    p.loopTool = Rng.weighted(r, new double[] {0.30, 0.0, 0.10, 0.15, 0.45});
    p.workStartMinute = (int) Math.max(6 * 60, Math.min(11 * 60, 9 * 60 + 50 * Rng.gaussian(r)));
    p.hasDigest =
        (p.base == Archetype.REGULAR || p.base == Archetype.POWER) && Rng.chance(r, 0.12);
    p.digestMinute = Rng.between(r, 7 * 60, 9 * 60 + 30);
    p.nightlyMinute = Rng.between(r, 0, 5 * 60);
    p.loopScheduled = Rng.chance(r, 0.7);
    p.loopOneSession = Rng.chance(r, 0.5);
    p.loopCaches = Rng.chance(r, 0.4);

    // padding propensity (used only from the launch week on)
    double padderShare = p.developer ? 0.34 : 0.15;
    if (p.base != Archetype.NON_USER && Rng.chance(r, padderShare)) {
      double[] w = {0.40, 0.30, 0.30};
      p.padType = new Archetype[] {Archetype.LOOP_PADDER, Archetype.WEEKEND_FLOODER, Archetype.REPEATER}
          [Rng.weighted(r, w)];
      p.padWeekProb = 0.45 + 0.55 * r.nextDouble();
    }
  }
}
