package io.goodhart.curated;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.goodhart.audit.Audit;
import io.goodhart.audit.CheckKind;
import io.goodhart.audit.RowCheck;
import io.goodhart.audit.ScopeCheck;
import io.goodhart.calendar.ReportingCalendar;
import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
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
    List<LocalDate> withUsage = new IncrementalScope(spark, tables, calendar).weeksWithUsage(scope.outcomesSnapshot(),
        scope.dailySnapshot());
    LocalDate last = ReportingCalendar.weekStart(date);
    if (!withUsage.isEmpty() && withUsage.get(withUsage.size() - 1).isAfter(last)) {
      last = withUsage.get(withUsage.size() - 1);
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
  protected boolean countsMetricOnlyTokens() {
    return true;
  }

  /** A developer with an active daily row of a tool's report in a week is engaged that week. */
  @Override
  protected boolean countsDailyRows() {
    return true;
  }

  @Override
  protected Dataset<Row> compute(Inputs in) {
    Dataset<Row> verdicts = in.read(tables.usageClassification())
        .filter(col("week_start").isin(weeksToRead(in.weeks()).stream().map(java.sql.Date::valueOf).toArray()));
    Dataset<Row> prices = ModelPrices.load(spark, config.value(io.goodhart.lake.Settings.PRICING_FILE));
    return WeeklyEngagement.compute(in.attributed(), in.metricOnlyDays(), in.activeDailyRows(), in.directory(), verdicts, prices, in.weeks(),
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
  protected Audit audit(Inputs in) {
    Column company = col("level").equalTo("company");
    List<ScopeCheck> weekChecks = new ArrayList<>(List.of(
        reconcile("company rows", sum(when(company, 1L).otherwise(0L)), (from, to) -> 1),
        reconcile("company events", sum(when(company, col("events"))), in.raw()::events),
        reconcile("company total tokens", sum(when(company, col("total_tokens"))), in.raw()::tokens)));
    weekChecks.addAll(reconcileWithRaw("team", col("level").equalTo("team"), in));
    return perWeek(in, List.of(
            RowCheck.noNulls("no null keys", "week_start", "level", "group_key"),
            RowCheck.within("engagement_rate within [0, 1]", "engagement_rate", 0, 1),
            RowCheck.noneWhere(CheckKind.RANGE, "engaged_developers <= eligible_developers",
                col("engaged_developers").gt(col("eligible_developers")))),
        weekChecks);
  }
}
