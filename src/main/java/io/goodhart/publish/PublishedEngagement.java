package io.goodhart.publish;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.curated.AttributedEvents;
import io.goodhart.privacy.GroupSuppression;
import io.goodhart.privacy.GroupSuppression.Group;
import io.goodhart.privacy.GroupSuppression.Reason;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code curated.team_weekly_engagement} as BI readers see it, from the private table of the same name:
 * each group of a week is published or suppressed as {@link GroupSuppression} decides, a suppressed row
 * keeps who it is (week, level, group, org, team) and loses every figure, and a week-over-week change is
 * published only when the group's previous week is published too (or had no row: then the change is the
 * figure itself). So no published figure, and no difference of two, is a suppressed group's figure.
 * A published group's per-tool counts ({@code engaged_by_tool}) follow the minimum group size too
 * ({@link #publishedToolCounts}).
 */
public final class PublishedEngagement {
  /** Figures withheld on a suppressed row; everything else on the row says who the group is. */
  static final List<String> FIGURES = List.of("eligible_developers", "engaged_developers", "active_people",
      "engaged_by_tool", "engagement_rate", "target_met", "events", "input_tokens", "output_tokens",
      "cache_read_tokens", "total_tokens", "active_days", "tokens_per_engaged_developer", "events_per_engaged_developer", "genuine_engaged_developers",
      "genuine_engagement_rate", "padding_tokens", "estimated_cost_usd", "padding_cost_usd");
  static final List<String> CHANGES = List.of("engagement_rate_change", "engaged_developers_change", "total_tokens_change");

  /** The schema of the suppression decisions: one row per suppressed group of a week, with why. */
  public static final StructType DECISIONS = new StructType()
      .add("week_start", DataTypes.DateType, false)
      .add("level", DataTypes.StringType, false)
      .add("group_key", DataTypes.StringType, false)
      .add("suppression", DataTypes.StringType, false);

  private PublishedEngagement() {}

  /**
   * The people a group has for the minimum group size: its eligible developers, or for the unassigned group
   * (people in no stint, so never eligible) the people with events in it.
   */
  static long size(String groupKey, long eligible, Long activePeople) {
    return AttributedEvents.UNASSIGNED.equals(groupKey) ? (activePeople == null ? 0 : activePeople) : eligible;
  }

  /** The schema of the published teams: one row per team of a week whose figures are published. */
  public static final StructType TEAMS = new StructType()
      .add("week_start", DataTypes.DateType, false)
      .add("team_id", DataTypes.StringType, false);

  /**
   * The suppression decisions of some weeks: the suppressed groups with why, the teams published, and how
   * many groups were suppressed for each reason. Small frames built on the driver.
   */
  public record Decisions(Dataset<Row> suppressed, Dataset<Row> publishedTeams, long small, long protecting) {}

  /**
   * The suppressed groups of every week of the private rows (all three levels of each week), decided on the
   * driver: a week has a few hundred groups at most.
   */
  public static Dataset<Row> decide(Dataset<Row> privateRows, int minGroupSize) {
    return decisions(privateRows, minGroupSize).suppressed();
  }

  /** {@link #decide}, with the published teams (every team row of a week not suppressed) beside it. */
  public static Decisions decisions(Dataset<Row> privateRows, int minGroupSize) {
    Map<LocalDate, List<Group>> weeks = new TreeMap<>();
    for (Row r : privateRows.select("week_start", "level", "group_key", "org", "eligible_developers", "active_people")
        .collectAsList()) {
      String level = r.getString(1);
      String key = r.getString(2);
      weeks.computeIfAbsent(r.getDate(0).toLocalDate(), w -> new ArrayList<>()).add(new Group(level, key,
          GroupSuppression.TEAM.equals(level) ? r.getString(3) : null,
          size(key, r.getLong(4), r.isNullAt(5) ? null : r.getLong(5))));
    }
    List<Row> suppressed = new ArrayList<>();
    List<Row> published = new ArrayList<>();
    long small = 0;
    for (Map.Entry<LocalDate, List<Group>> week : weeks.entrySet()) {
      Date date = Date.valueOf(week.getKey());
      Map<String, Reason> hidden = GroupSuppression.decide(week.getValue(), minGroupSize);
      for (Map.Entry<String, Reason> h : hidden.entrySet()) {
        int slash = h.getKey().indexOf('/');
        suppressed.add(RowFactory.create(date, h.getKey().substring(0, slash), h.getKey().substring(slash + 1),
            h.getValue().words()));
        small += h.getValue() == Reason.SMALL_GROUP ? 1 : 0;
      }
      for (Group g : week.getValue()) {
        if (g.level().equals(GroupSuppression.TEAM) && !hidden.containsKey(GroupSuppression.id(g.level(), g.key()))) {
          published.add(RowFactory.create(date, g.key()));
        }
      }
    }
    SparkSession spark = privateRows.sparkSession();
    return new Decisions(spark.createDataFrame(suppressed, DECISIONS), spark.createDataFrame(published, TEAMS),
        small, suppressed.size() - small);
  }

  /** The published teams of each week: (week_start, team_id) of every team row not suppressed. */
  public static Dataset<Row> publishedTeams(Dataset<Row> privateRows, Dataset<Row> decisions) {
    return privateRows.filter(col("level").equalTo(GroupSuppression.TEAM))
        .join(decisions, seq("week_start", "level", "group_key"), "left_anti")
        .select(col("week_start"), col("group_key").as("team_id"));
  }

  /**
   * The BI rows of {@code weeks}, in the BI table's column order. {@code privateRows} must hold the
   * requested weeks and the week before each; {@code decisions} the suppressed groups of those weeks.
   */
  public static Dataset<Row> compute(Dataset<Row> privateRows, Dataset<Row> decisions, List<LocalDate> weeks,
      int minGroupSize) {
    Dataset<Row> flagged = privateRows.join(decisions, seq("week_start", "level", "group_key"), "left")
        .withColumn("suppressed", col("suppression").isNotNull());
    Dataset<Row> toolCounts = publishedToolCounts(flagged, minGroupSize);
    Dataset<Row> previous = flagged.select(
        date_add(col("week_start"), 7).as("week_start"), col("level"), col("group_key"),
        col("suppressed").as("_previous_suppressed"));
    Dataset<Row> joined = flagged.join(previous, seq("week_start", "level", "group_key"), "left")
        .join(toolCounts, seq("week_start", "level", "group_key"), "left");
    Column published = col("suppressed").unary_$bang();
    Column changeKnown = published.and(col("_previous_suppressed").isNull().or(col("_previous_suppressed").unary_$bang()));
    List<Column> out = new ArrayList<>();
    for (String c : List.of("week_start", "iso_week", "level", "group_key", "org", "team_id", "team_name",
        "suppressed", "suppression")) {
      out.add(col(c));
    }
    for (String c : List.of("eligible_developers", "engaged_developers", "active_people")) {
      out.add(when(published, col(c)).as(c));
    }
    // A row computed before per-tool counts existed keeps them unknown (null), not empty.
    out.add(when(published.and(col("engaged_by_tool").isNotNull()),
        coalesce(col("_published_by_tool"), EMPTY_TOOL_COUNTS)).as("engaged_by_tool"));
    out.add(when(published, col("engagement_rate")).as("engagement_rate"));
    out.add(col("target_rate"));
    for (String c : List.of("target_met", "events", "input_tokens", "output_tokens", "cache_read_tokens",
        "total_tokens", "active_days", "tokens_per_engaged_developer", "events_per_engaged_developer")) {
      out.add(when(published, col(c)).as(c));
    }
    for (String c : CHANGES) {
      out.add(when(changeKnown, col(c)).as(c));
    }
    for (String c : List.of("genuine_engaged_developers", "genuine_engagement_rate", "padding_tokens",
        "estimated_cost_usd", "padding_cost_usd")) {
      out.add(when(published, col(c)).as(c));
    }
    out.add(col("week_status"));
    return joined.filter(col("week_start").isin(weeks.stream().map(Date::valueOf).toArray()))
        .select(out.toArray(Column[]::new));
  }

  private static final Column EMPTY_TOOL_COUNTS = functions.map().cast(
      DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));

  /**
   * The per-tool counts each published group may show ({@code _published_by_tool}), docs/security.md: a count
   * below the minimum group size is withheld (left out of the map, so it reads like a tool nobody used), and
   * so is a parent's count of a tool when it minus the published counts of that tool beneath it is above 0
   * and below the minimum: that difference would be a withheld count, or the count of a suppressed group, or
   * the sum of a few of them. An org's count is set against its teams' published counts; the company's
   * against the orgs' published counts and, for an org whose count is not published, its teams' (the finest
   * published breakdown, which leaves the least hidden). {@code flagged}: the private rows with
   * {@code suppressed}.
   */
  static Dataset<Row> publishedToolCounts(Dataset<Row> flagged, int minGroupSize) {
    Dataset<Row> counts = flagged.filter(col("suppressed").unary_$bang().and(col("engaged_by_tool").isNotNull()))
        .select(col("week_start"), col("level"), col("group_key"), col("org"),
            functions.explode(col("engaged_by_tool")).as(new String[] {"tool", "n"}))
        .filter(col("n").geq(minGroupSize));
    Dataset<Row> teams = counts.filter(col("level").equalTo(GroupSuppression.TEAM));
    Dataset<Row> orgs = withoutSmallRemainder(counts.filter(col("level").equalTo("org")),
        teams.groupBy(col("week_start"), col("org").as("group_key"), col("tool")).agg(sum("n").as("_children")),
        minGroupSize);
    Dataset<Row> publishedOrgs = orgs.select(col("week_start"), col("group_key").as("org"), col("tool"), col("n"));
    Dataset<Row> finest = publishedOrgs
        .unionByName(teams.join(publishedOrgs.select("week_start", "org", "tool"), seq("week_start", "org", "tool"),
            "left_anti").select("week_start", "org", "tool", "n"));
    Dataset<Row> company = withoutSmallRemainder(counts.filter(col("level").equalTo("company")),
        finest.groupBy(col("week_start"), lit("all").as("group_key"), col("tool")).agg(sum("n").as("_children")),
        minGroupSize);
    return teams.select("week_start", "level", "group_key", "tool", "n")
        .unionByName(orgs.select("week_start", "level", "group_key", "tool", "n"))
        .unionByName(company.select("week_start", "level", "group_key", "tool", "n"))
        .groupBy("week_start", "level", "group_key")
        .agg(functions.map_from_entries(functions.array_sort(functions.collect_list(
            functions.struct(col("tool"), col("n"))))).as("_published_by_tool"));
  }

  /** The parents' counts whose difference from their published children's is not in 1 .. minimum - 1. */
  private static Dataset<Row> withoutSmallRemainder(Dataset<Row> parents, Dataset<Row> children, int minGroupSize) {
    Column remainder = col("n").minus(coalesce(col("_children"), lit(0L)));
    return parents.join(children, seq("week_start", "group_key", "tool"), "left")
        .filter(remainder.between(1, minGroupSize - 1).unary_$bang());
  }

  static scala.collection.immutable.Seq<String> seq(String... columns) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(columns)).toList();
  }
}
