package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code goodhart engagement}: writes {@code curated.team_weekly_engagement} ({@link WeeklyEngagement}). */
public class EngagementJob extends CuratedJob {
  public static final String NAME = "engagement";

  public EngagementJob(SparkSession spark, LakeTables tables, LakeConfig config, Consumer<String> progress) {
    super(spark, tables, config, progress, NAME, tables.teamWeeklyEngagement());
  }

  /** A recomputed week changes the week-over-week figures of the week after it, when that week has figures. */
  @Override
  protected List<LocalDate> weeksToWrite(IncrementalScope.Scope scope, LocalDate date) {
    List<LocalDate> withEvents = new IncrementalScope(spark, tables, calendar).weeksWithEvents();
    LocalDate last = ReportingCalendar.weekStart(date);
    if (!withEvents.isEmpty() && withEvents.get(withEvents.size() - 1).isAfter(last)) {
      last = withEvents.get(withEvents.size() - 1);
    }
    TreeSet<LocalDate> weeks = new TreeSet<>(scope.weeks());
    for (LocalDate w : scope.weeks()) {
      if (!w.plusWeeks(1).isAfter(last)) {
        weeks.add(w.plusWeeks(1));
      }
    }
    return List.copyOf(weeks);
  }

  @Override
  protected List<LocalDate> weeksToRead(List<LocalDate> weeksToWrite) {
    return WeeklyEngagement.weeksToRead(weeksToWrite);
  }

  /** The model price list used for costs: {@code goodhart.pricing.file}, by default the bundled one. */
  public static final String PRICING_FILE = io.goodhart.lake.Settings.PRICING_FILE.key();

  @Override
  protected Dataset<Row> compute(Inputs in) {
    Dataset<Row> verdicts = in.read(tables.usageClassification())
        .filter(col("week_start").isin(weeksToRead(in.weeks()).stream().map(java.sql.Date::valueOf).toArray()));
    Dataset<Row> prices = ModelPrices.load(spark, config.value(io.goodhart.lake.Settings.PRICING_FILE));
    return WeeklyEngagement.compute(in.attributed(), in.directory(), verdicts, prices, in.weeks(),
        new WeeklyEngagement.Settings(config.engagementTarget(), config.minGroupSize(), asOf(in.date())));
  }

  /** The latest date this job has run for, this run included: weeks ending by then are final. */
  private LocalDate asOf(LocalDate date) {
    List<Row> latest = spark.table(tables.jobRuns())
        .filter(col("job").equalTo(NAME).and(col("status").equalTo("succeeded")))
        .agg(org.apache.spark.sql.functions.max("logical_date")).collectAsList();
    if (latest.isEmpty() || latest.get(0).isNullAt(0)) {
      return date;
    }
    LocalDate previous = latest.get(0).getDate(0).toLocalDate();
    return previous.isAfter(date) ? previous : date;
  }

  @Override
  protected List<String> audit(Dataset<Row> staged, Inputs in) {
    List<String> findings = new ArrayList<>();
    Row checks = staged.agg(
        sum(when(col("week_start").isNull().or(col("level").isNull()).or(col("group_key").isNull()), 1).otherwise(0)),
        sum(when(col("engagement_rate").lt(0).or(col("engagement_rate").gt(1)), 1).otherwise(0)),
        sum(when(col("engaged_developers").gt(col("eligible_developers")), 1).otherwise(0))).first();
    none(findings, "no null keys", checks.isNullAt(0) ? 0 : checks.getLong(0));
    none(findings, "engagement_rate within [0, 1]", checks.isNullAt(1) ? 0 : checks.getLong(1));
    none(findings, "engaged_developers <= eligible_developers", checks.isNullAt(2) ? 0 : checks.getLong(2));

    Map<LocalDate, Row> company = perWeek(staged.filter(col("level").equalTo("company")),
        count(lit(1)), sum("events"), sum("total_tokens"));
    for (LocalDate week : in.weeks()) {
      LocalDate end = ReportingCalendar.weekEnd(week);
      Row c = company.get(week);
      reconcile(findings, "company rows", week, c == null ? 0 : c.getLong(1), 1);
      reconcile(findings, "company events", week, c == null ? 0 : c.getLong(2), in.raw().events(week, end));
      reconcile(findings, "company total tokens", week, c == null ? 0 : c.getLong(3), in.raw().tokens(week, end));
    }
    reconcileWithRaw(findings, "team", staged.filter(col("level").equalTo("team")), in);
    return findings;
  }
}
