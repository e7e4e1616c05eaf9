package io.goodhart.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.goodhart.testing.TestLake;
import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Which DDL changes are rolled out to an existing table in place, and which are refused, and why. */
class SchemaMigrationTest {
  private static StructType ddl(String columns) {
    return SchemaMigration.declaredSchema(TestLake.spark(), "CREATE TABLE IF NOT EXISTS lake.ns.t (" + columns + ") USING iceberg");
  }

  private static List<String> plan(String table, String script) {
    return SchemaMigration.plan("lake.ns.t", "sql/t.sql", ddl(table), ddl(script)).stream()
        .map(SchemaMigration.Change::describe).toList();
  }

  private static List<String> refused(String table, String script) {
    return assertThrows(SchemaMigration.IncompatibleSchemaException.class,
        () -> SchemaMigration.plan("lake.ns.t", "sql/t.sql", ddl(table), ddl(script))).reasons();
  }

  @Test
  void theSameColumnsNeedNothing() {
    String columns = "a STRING NOT NULL COMMENT 'key', b MAP<STRING, BIGINT>, c ARRAY<STRUCT<id: INT, xs: ARRAY<DOUBLE>>> NOT NULL";
    assertEquals(List.of(), plan(columns, columns));
  }

  @Test
  void aNewNullableColumnIsAddedWhereTheDdlPutsIt() {
    List<SchemaMigration.Change> changes = SchemaMigration.plan("lake.ns.t", "sql/t.sql",
        ddl("a STRING NOT NULL, c INT"), ddl("a STRING NOT NULL, b DOUBLE COMMENT 'new', c INT"));
    assertEquals(1, changes.size());
    SchemaMigration.AddColumn add = (SchemaMigration.AddColumn) changes.get(0);
    assertEquals("b", add.field().name());
    assertEquals("a", add.after());
    assertEquals("add column b DOUBLE", add.describe());
  }

  @Test
  void safeChangesAreWideningDroppingNotNullAndComments() {
    assertEquals(List.of("widen n from INT to BIGINT", "widen f from FLOAT to DOUBLE",
            "widen d from DECIMAL(10,2) to DECIMAL(12,2)", "make s nullable", "update the comment of s"),
        plan("n INT, f FLOAT, d DECIMAL(10,2), s STRING NOT NULL COMMENT 'old'",
            "n BIGINT, f DOUBLE, d DECIMAL(12,2), s STRING COMMENT 'new'"));
  }

  @Test
  void aNewRequiredColumnIsRefusedBecauseStoredRowsHaveNoValue() {
    assertEquals(List.of("new column b is declared NOT NULL, but the rows already in the table have no value for it: "
            + "declare it nullable (the jobs fill it for the weeks they rewrite)"),
        refused("a STRING", "a STRING, b BIGINT NOT NULL"));
  }

  @Test
  void droppedAndRenamedColumnsAreRefusedNotApplied() {
    assertEquals(List.of("column c is in the table but no longer in the DDL (dropped or renamed?): goodhart never drops "
            + "or renames a column by itself; do it by hand with ALTER TABLE if it is meant"),
        refused("a STRING, c INT", "a STRING"));
    assertEquals(2, refused("a STRING, old_name INT", "a STRING, new_name INT NOT NULL").size(),
        "a rename reads as a new column and a dropped one: both are named");
  }

  @Test
  void typeChangesOtherThanWideningAreRefused() {
    assertEquals(List.of("column n is BIGINT in the table but INT in the DDL: only int to bigint, float to double and a "
            + "larger decimal precision are applied in place; any other type change needs a new column",
            "column s is STRING in the table but INT in the DDL: only int to bigint, float to double and a larger "
            + "decimal precision are applied in place; any other type change needs a new column",
            "column c is ARRAY<STRUCT<id: INT>> in the table but ARRAY<STRUCT<id: INT, extra: STRING>> in the DDL: only "
            + "int to bigint, float to double and a larger decimal precision are applied in place; any other type change "
            + "needs a new column"),
        refused("n BIGINT, s STRING, c ARRAY<STRUCT<id: INT>>", "n INT, s INT, c ARRAY<STRUCT<id: INT, extra: STRING>>"));
  }

  @Test
  void aColumnCannotBecomeRequired() {
    assertEquals(List.of("column a is nullable in the table but NOT NULL in the DDL: rows already stored may lack it, "
            + "so it cannot be made required"),
        refused("a STRING", "a STRING NOT NULL"));
  }

  @Test
  void theErrorNamesTheTableTheScriptAndEveryReason() {
    SchemaMigration.IncompatibleSchemaException e = assertThrows(SchemaMigration.IncompatibleSchemaException.class,
        () -> SchemaMigration.plan("lake.ns.t", "sql/t.sql", ddl("a STRING, c INT"), ddl("a INT")));
    assertEquals("table lake.ns.t cannot be brought up to sql/t.sql without losing or rewriting data, so it was left "
        + "unchanged: column a is STRING in the table but INT in the DDL: only int to bigint, float to double and a "
        + "larger decimal precision are applied in place; any other type change needs a new column; column c is in the "
        + "table but no longer in the DDL (dropped or renamed?): goodhart never drops or renames a column by itself; do "
        + "it by hand with ALTER TABLE if it is meant", e.getMessage());
  }
}
