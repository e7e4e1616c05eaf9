package io.goodhart.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Brings a lake written by the previous release to the current layout, in place, before the tables are
 * checked against their scripts. Each step looks at what is there, so it runs once and is harmless after:
 * <ul>
 *   <li>the engagement table with every group's figures used to sit in the BI namespace: its rows move to
 *       {@code curated_private.team_weekly_engagement}, and the BI namespace gets the suppressed table of
 *       the same name, filled by the next {@code bi-publish} (until then BI readers see no engagement
 *       rows, never unsuppressed ones);</li>
 *   <li>{@code curated.model_health} used to be a view over {@code model_runs}, which BI readers may not
 *       read: the view is dropped, and a table of the same name takes its place.</li>
 * </ul>
 * The per-person BI copies need no step here: their team columns become nullable through the ordinary
 * schema update, and {@code bi-publish} republishes every week of a copy that was not written under the
 * current publication rules.
 */
final class LakeUpgrade {
  private final SparkSession spark;
  private final LakeTables tables;

  LakeUpgrade(SparkSession spark, LakeTables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  void apply() {
    moveUnsuppressedEngagement();
    dropModelHealthView();
  }

  private void moveUnsuppressedEngagement() {
    String old = tables.curatedNamespace() + ".team_weekly_engagement";
    Table existing = tables.loadIfExists(old);
    if (existing == null || existing.schema().findField("suppressed") != null) {
      return;
    }
    tables.createFromScript("sql/curated_private/team_weekly_engagement.sql");
    String target = tables.teamWeeklyEngagement();
    Dataset<Row> rows = spark.table(old);
    List<String> present = Arrays.asList(rows.columns());
    Column[] columns = Arrays.stream(spark.table(target).schema().fields())
        .map(f -> present.contains(f.name()) ? col(f.name()) : lit(null).cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new);
    long moved = rows.count();
    // Replacing rather than appending makes a repeat after a crash between the copy and the drop harmless.
    tables.replaceAll(rows.select(columns), target, "upgrade-" + UUID.randomUUID());
    spark.sql("DROP TABLE IF EXISTS " + old + " PURGE");
    System.err.println("goodhart: " + old + " held every group's figures where BI readers can see them: its "
        + moved + " row(s) moved to " + target + "; " + old + " is now the suppressed table, filled by the next "
        + "goodhart bi-publish");
  }

  private void dropModelHealthView() {
    String view = tables.curatedNamespace() + ".model_health";
    int dot = view.lastIndexOf('.');
    boolean isView = spark.sql("SHOW VIEWS IN " + view.substring(0, dot) + " LIKE '" + view.substring(dot + 1) + "'")
        .count() > 0;
    if (isView) {
      spark.sql("DROP VIEW IF EXISTS " + view);
      System.err.println("goodhart: the view " + view + " read curated.model_runs, which BI readers may not read: "
          + "dropped; the table of the same name is filled by the next goodhart bi-publish");
    }
  }
}
