package io.goodhart.curated;

import io.goodhart.lake.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Token prices per model, the basis of {@code estimated_cost_usd} and {@code padding_cost_usd} in
 * {@code curated.team_weekly_engagement} ({@link WeeklyEngagement}). A UTF-8 CSV with a header naming the
 * columns {@code model, input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok} (found by name,
 * extra columns ignored; no quoting, model names hold no commas), prices in US dollars per million
 * tokens. The row with model {@value #DEFAULT} prices every event whose model is absent or has no row.
 *
 * <p>The bundled file {@value #BUNDLED}: list prices of the vendors' public pay-as-you-go APIs (Anthropic,
 * OpenAI, Amazon Bedrock on-demand, DeepSeek) as published in autumn 2025, cache read being the vendor's
 * cached-input or cache-hit price; they were written down from the vendors' price pages as known at the
 * time and should be checked against the live pages before a cost figure is quoted. {@code cursor-small}
 * has no public per-token price and the {@code mesh-*} models belong to an internal tool: their rows are
 * estimates (priced like a model of the same class). The {@value #DEFAULT} row is priced like the most
 * common model of the feed (a mid-tier model), so that unknown models are not counted as free.
 * Negotiated discounts, batch prices and cache writes are not modelled.
 *
 * <p>The file is checked whole: it must exist, have the four columns, a {@value #DEFAULT} row, finite
 * non-negative prices and each model once. Any problem throws {@link InputException} naming the file,
 * the line and the problem, every problem found listed.
 */
public final class ModelPrices {
  /** The price list shipped with the repository. */
  public static final String BUNDLED = "datasets/pricing.csv";
  /** The model name of the fallback row. */
  public static final String DEFAULT = "default";

  public static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("input_usd_per_mtok", DataTypes.DoubleType, false)
      .add("output_usd_per_mtok", DataTypes.DoubleType, false)
      .add("cache_read_usd_per_mtok", DataTypes.DoubleType, false);

  private static final List<String> COLUMNS =
      List.of("model", "input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok");

  private ModelPrices() {}

  /** The validated price list as a frame of {@link #SCHEMA}, one row per model. */
  public static Dataset<Row> load(SparkSession spark, String path) {
    return spark.createDataFrame(parse(path, read(spark, path)), SCHEMA);
  }

  private static String read(SparkSession spark, String file) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        throw new InputException("price file " + file + " does not exist");
      }
      if (!fs.getFileStatus(path).isFile()) {
        throw new InputException("price file " + file + " is not a file");
      }
      try (InputStream in = fs.open(path)) {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(in.readAllBytes())).toString();
      }
    } catch (CharacterCodingException e) {
      throw new InputException("price file " + file + " is not valid UTF-8", e);
    } catch (IOException e) {
      throw InputException.unlessStorageFailed("cannot read price file " + file, e);
    }
  }

  /** The rows of the file, or an {@link InputException} listing every problem by line. */
  static List<Row> parse(String file, String text) {
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    int headerIndex = 0;
    while (headerIndex < lines.length && lines[headerIndex].isBlank()) {
      headerIndex++;
    }
    if (headerIndex == lines.length) {
      throw rejected(file, List.of(file + ": file is empty (a header row is required)"));
    }
    String[] header = lines[headerIndex].split(",", -1);
    Map<String, Integer> column = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      String name = header[i].trim().toLowerCase(Locale.ROOT);
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1);
      }
      if (column.putIfAbsent(name, i) != null) {
        problems.add(file + ":" + (headerIndex + 1) + ": column " + name + " appears twice in the header");
      }
    }
    List<String> missing = COLUMNS.stream().filter(c -> !column.containsKey(c)).toList();
    if (!missing.isEmpty()) {
      problems.add(file + ":" + (headerIndex + 1) + ": header lacks column(s) " + String.join(", ", missing)
          + " (found: " + lines[headerIndex].trim() + ")");
      throw rejected(file, problems);
    }

    List<Row> rows = new ArrayList<>();
    Map<String, Integer> lineOfModel = new HashMap<>();
    for (int i = headerIndex + 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      int line = i + 1;
      String where = file + ":" + line + ": ";
      String[] fields = lines[i].split(",", -1);
      if (fields.length != header.length) {
        problems.add(where + "has " + fields.length + " fields, the header has " + header.length);
        continue;
      }
      String model = fields[column.get("model")].trim();
      int before = problems.size();
      if (model.isEmpty()) {
        problems.add(where + "model is required but empty");
      } else {
        Integer first = lineOfModel.putIfAbsent(model, line);
        if (first != null) {
          problems.add(where + "model " + model + " is listed twice (first on line " + first + ")");
        }
      }
      double[] prices = new double[3];
      for (int p = 0; p < 3; p++) {
        String name = COLUMNS.get(p + 1);
        prices[p] = price(fields[column.get(name)].trim(), name, where, problems);
      }
      if (problems.size() == before) {
        rows.add(RowFactory.create(model, prices[0], prices[1], prices[2]));
      }
    }
    if (!lineOfModel.containsKey(DEFAULT)) {
      problems.add(file + ": no row for model " + DEFAULT
          + " (it prices events whose model is absent or not listed)");
    }
    if (!problems.isEmpty()) {
      throw rejected(file, problems);
    }
    return rows;
  }

  private static double price(String text, String name, String where, List<String> problems) {
    if (text.isEmpty()) {
      problems.add(where + name + " is required but empty");
      return Double.NaN;
    }
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      problems.add(where + name + " must be a number, found \"" + text + "\"");
      return Double.NaN;
    }
    if (!Double.isFinite(value)) {
      problems.add(where + name + " must be a finite number, found \"" + text + "\"");
    } else if (value < 0) {
      problems.add(where + name + " must be >= 0, found " + text);
    }
    return value;
  }

  private static InputException rejected(String file, List<String> problems) {
    return new InputException("price file " + file + " rejected; " + problems.size() + " problem(s):\n  "
        + String.join("\n  ", problems));
  }
}
