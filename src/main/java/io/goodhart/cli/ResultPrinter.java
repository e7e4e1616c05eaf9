package io.goodhart.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Prints a query result for a person (an aligned table) or for a program (CSV with a header, or a JSON
 * array of objects). Values are rendered by Spark itself (its string cast, its JSON writer), so a date,
 * a map or an array reads the same here as in any other Spark client.
 */
public final class ResultPrinter {
  public enum Format { TABLE, CSV, JSON }

  private static final String NULL_IN_TABLE = "NULL";

  private ResultPrinter() {}

  /** Prints the rows; the table format stops after {@code maxRows} and says so, CSV and JSON print all. */
  public static void print(Dataset<Row> result, Format format, int maxRows, PrintWriter out) {
    String[] columns = result.columns();
    if (columns.length == 0) {
      return; // a statement without a result (DDL, INSERT): nothing to print
    }
    switch (format) {
      case TABLE -> printTable(result, columns, maxRows, out);
      case CSV -> printCsv(result, columns, out);
      case JSON -> printJson(result, columns, out);
    }
    out.flush();
  }

  /** The result with columns named by position: a result may have two columns of the same name. */
  private static Dataset<Row> positional(Dataset<Row> result) {
    return result.toDF(java.util.stream.IntStream.range(0, result.columns().length).mapToObj(i -> "_c" + i)
        .toArray(String[]::new));
  }

  private static List<String[]> asStrings(Dataset<Row> result, String[] columns, int limit) {
    Column[] cast = java.util.stream.IntStream.range(0, columns.length).mapToObj(i -> col("_c" + i).cast("string"))
        .toArray(Column[]::new);
    Dataset<Row> strings = positional(result).select(cast);
    List<Row> rows = limit < 0 ? strings.collectAsList() : strings.limit(limit).collectAsList();
    List<String[]> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      String[] values = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        values[i] = row.isNullAt(i) ? null : row.getString(i);
      }
      out.add(values);
    }
    return out;
  }

  private static void printTable(Dataset<Row> result, String[] columns, int maxRows, PrintWriter out) {
    List<String[]> rows = asStrings(result, columns, maxRows + 1);
    boolean truncated = rows.size() > maxRows;
    if (truncated) {
      rows = rows.subList(0, maxRows);
    }
    int[] width = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      width[i] = columns[i].length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], (row[i] == null ? NULL_IN_TABLE : row[i]).length());
      }
    }
    out.println(line(columns, width));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < columns.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(rule);
    for (String[] row : rows) {
      String[] shown = Arrays.stream(row).map(v -> v == null ? NULL_IN_TABLE : v).toArray(String[]::new);
      out.println(line(shown, width));
    }
    out.println(truncated
        ? "(first " + maxRows + " rows shown; --max-rows N for more, or --format csv for all)"
        : "(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String line(String[] values, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(" | ");
      }
      b.append(values[i]);
      if (i < values.length - 1) {
        b.append(" ".repeat(width[i] - values[i].length()));
      }
    }
    return b.toString();
  }

  private static void printCsv(Dataset<Row> result, String[] columns, PrintWriter out) {
    out.println(String.join(",", Arrays.stream(columns).map(ResultPrinter::csvField).toList()));
    for (String[] row : asStrings(result, columns, -1)) {
      out.println(String.join(",", Arrays.stream(row).map(v -> v == null ? "" : csvField(v)).toList()));
    }
  }

  /** RFC 4180: quote a field holding a comma, quote, or line break, doubling inner quotes. */
  static String csvField(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }

  private static void printJson(Dataset<Row> result, String[] columns, PrintWriter out) {
    Column all = struct(java.util.stream.IntStream.range(0, columns.length).mapToObj(i -> col("_c" + i).as(columns[i]))
        .toArray(Column[]::new));
    List<Row> rows = positional(result).select(to_json(all, Map.of("ignoreNullFields", "false"))).collectAsList();
    out.println("[");
    for (int i = 0; i < rows.size(); i++) {
      out.println("  " + rows.get(i).getString(0) + (i < rows.size() - 1 ? "," : ""));
    }
    out.println("]");
  }
}
