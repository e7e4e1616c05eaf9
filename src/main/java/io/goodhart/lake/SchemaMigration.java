package io.goodhart.lake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.CreateTable;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Rolls a table's DDL out to a lake where the table already exists. {@code CREATE TABLE IF NOT EXISTS}
 * does nothing there, so a column added to a script would never reach an existing lake; this compares
 * the script's columns with the table's and brings the table up to the script with Iceberg schema
 * evolution, which changes metadata only: no data file is rewritten, and every earlier snapshot keeps
 * reading with the schema it was written with. Only changes every existing row and reader survive are
 * applied (a new nullable column, a widened type, a dropped NOT NULL, a new comment); anything else
 * (a dropped or renamed column, a narrowed or changed type, a new NOT NULL) is refused with the
 * reasons, so the lake never silently diverges from its DDL.
 */
public final class SchemaMigration {

  /** One change to apply; {@code describe} is what the run prints. */
  public sealed interface Change {
    String describe();
  }

  /** A new nullable column, placed after {@code after} (null: first), as in the DDL. */
  public record AddColumn(StructField field, String after) implements Change {
    public String describe() {
      return "add column " + field.name() + " " + field.dataType().sql();
    }
  }

  public record WidenType(String column, DataType from, DataType to) implements Change {
    public String describe() {
      return "widen " + column + " from " + from.sql() + " to " + to.sql();
    }
  }

  public record DropNotNull(String column) implements Change {
    public String describe() {
      return "make " + column + " nullable";
    }
  }

  public record UpdateComment(String column, String comment) implements Change {
    public String describe() {
      return "update the comment of " + column;
    }
  }

  private SchemaMigration() {}

  /** The columns a {@code CREATE TABLE} statement declares, as Spark's own parser reads them. */
  public static StructType declaredSchema(SparkSession spark, String createStatement) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(createStatement);
    } catch (ParseException e) {
      throw new IllegalStateException("the DDL cannot be parsed: " + e.getMessage(), e);
    }
    if (!(plan instanceof CreateTable create)) {
      throw new IllegalStateException("a DDL script must start with CREATE TABLE, found " + plan.nodeName());
    }
    return create.tableSchema();
  }

  /**
   * The changes that bring {@code current} (the table's schema) to {@code declared} (its DDL's), in
   * DDL order; empty when they agree.
   *
   * @throws IncompatibleSchemaException naming every change that cannot be applied safely
   */
  public static List<Change> plan(String table, String script, StructType current, StructType declared) {
    Map<String, StructField> existing = new LinkedHashMap<>();
    for (StructField f : current.fields()) {
      existing.put(f.name(), f);
    }
    List<Change> changes = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    String previous = null;
    for (StructField want : declared.fields()) {
      StructField have = existing.remove(want.name());
      if (have == null) {
        if (want.nullable()) {
          changes.add(new AddColumn(want, previous));
        } else {
          refused.add("new column " + want.name() + " is declared NOT NULL, but the rows already in the table have no "
              + "value for it: declare it nullable (the jobs fill it for the weeks they rewrite)");
        }
      } else {
        compareColumn(have, want, changes, refused);
      }
      previous = want.name();
    }
    for (String gone : existing.keySet()) {
      refused.add("column " + gone + " is in the table but no longer in the DDL (dropped or renamed?): goodhart "
          + "never drops or renames a column by itself; do it by hand with ALTER TABLE if it is meant");
    }
    if (!refused.isEmpty()) {
      throw new IncompatibleSchemaException(table, script, refused);
    }
    return changes;
  }

  private static void compareColumn(StructField have, StructField want, List<Change> changes, List<String> refused) {
    String name = want.name();
    DataType from = withoutComments(have.dataType());
    DataType to = withoutComments(want.dataType());
    if (!from.equals(to)) {
      if (isWidening(from, to)) {
        changes.add(new WidenType(name, from, to));
      } else {
        refused.add("column " + name + " is " + from.sql() + " in the table but " + to.sql() + " in the DDL: only "
            + "int to bigint, float to double and a larger decimal precision are applied in place; any other type "
            + "change needs a new column");
      }
    }
    if (have.nullable() != want.nullable()) {
      if (want.nullable()) {
        changes.add(new DropNotNull(name));
      } else {
        refused.add("column " + name + " is nullable in the table but NOT NULL in the DDL: rows already stored may "
            + "lack it, so it cannot be made required");
      }
    }
    String comment = comment(want);
    if (comment != null && !comment.equals(comment(have))) {
      changes.add(new UpdateComment(name, comment));
    }
  }

  /** Iceberg's in-place type promotions (format v2). */
  static boolean isWidening(DataType from, DataType to) {
    if (from.equals(DataTypes.IntegerType) && to.equals(DataTypes.LongType)) {
      return true;
    }
    if (from.equals(DataTypes.FloatType) && to.equals(DataTypes.DoubleType)) {
      return true;
    }
    return from instanceof DecimalType a && to instanceof DecimalType b
        && a.scale() == b.scale() && b.precision() > a.precision();
  }

  /** Nested field comments are documentation only; nested shape and nullability must match exactly. */
  private static DataType withoutComments(DataType type) {
    if (type instanceof StructType struct) {
      StructField[] fields = new StructField[struct.fields().length];
      for (int i = 0; i < fields.length; i++) {
        StructField f = struct.fields()[i];
        fields[i] = new StructField(f.name(), withoutComments(f.dataType()), f.nullable(), Metadata.empty());
      }
      return new StructType(fields);
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(withoutComments(array.elementType()), array.containsNull());
    }
    if (type instanceof MapType map) {
      return new MapType(withoutComments(map.keyType()), withoutComments(map.valueType()), map.valueContainsNull());
    }
    return type;
  }

  private static String comment(StructField f) {
    return f.metadata().contains("comment") ? f.metadata().getString("comment") : null;
  }

  /**
   * Applies the changes in one Iceberg schema update (one metadata commit, all or nothing); does
   * nothing, and commits nothing, when there are none.
   */
  public static void apply(Table table, List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    UpdateSchema update = table.updateSchema();
    for (Change change : changes) {
      if (change instanceof AddColumn add) {
        StructField f = add.field();
        update.addColumn(f.name(), SparkSchemaUtil.convert(f.dataType()), comment(f));
        if (add.after() == null) {
          update.moveFirst(f.name());
        } else {
          update.moveAfter(f.name(), add.after());
        }
      } else if (change instanceof WidenType widen) {
        update.updateColumn(widen.column(), (Type.PrimitiveType) SparkSchemaUtil.convert(widen.to()));
      } else if (change instanceof DropNotNull optional) {
        update.makeColumnOptional(optional.column());
      } else if (change instanceof UpdateComment doc) {
        update.updateColumnDoc(doc.column(), doc.comment());
      }
    }
    update.commit();
  }

  /** The table's schema as Spark types, comments included. */
  public static StructType currentSchema(Table table) {
    return SparkSchemaUtil.convert(table.schema());
  }

  /** A DDL change that cannot be rolled out in place; lists every reason. */
  public static final class IncompatibleSchemaException extends IllegalStateException {
    private final List<String> reasons;

    public IncompatibleSchemaException(String table, String script, List<String> reasons) {
      super("table " + table + " cannot be brought up to " + script + " without losing or rewriting data, so it "
          + "was left unchanged: " + String.join("; ", reasons));
      this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
      return reasons;
    }
  }
}
