package io.goodhart.curated;

import static io.goodhart.testing.FrameAssertions.assertRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goodhart.lake.InputException;
import io.goodhart.testing.TestLake;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The price list is loaded whole, or rejected naming the file, the line and the problem. */
class ModelPricesTest {
  private static final String HEADER = "model,input_usd_per_mtok,output_usd_per_mtok,cache_read_usd_per_mtok\n";
  private final SparkSession spark = TestLake.spark();

  @TempDir
  Path dir;

  private String file(String text) throws IOException {
    Path path = dir.resolve("prices.csv");
    Files.writeString(path, text);
    return path.toString();
  }

  private InputException rejected(String text) throws IOException {
    String path = file(text);
    InputException e = assertThrows(InputException.class, () -> ModelPrices.load(spark, path));
    assertTrue(e.getMessage().contains(path), e.getMessage());
    return e;
  }

  @Test
  void aGoodFileIsReadWithItsSchemaAndColumnsFoundByName() throws IOException {
    Dataset<Row> prices = ModelPrices.load(spark, file(
        "output_usd_per_mtok,model,cache_read_usd_per_mtok,input_usd_per_mtok,note\r\n"
            + "15,default,0.3,3,fallback\r\n"
            + "\r\n"
            + "0.6, gpt-4o-mini ,0.075,0.15,\r\n"));
    assertEquals(ModelPrices.SCHEMA, prices.schema());
    assertRows(prices,
        new Object[] {"default", 3.0, 15.0, 0.3},
        new Object[] {"gpt-4o-mini", 0.15, 0.6, 0.075});
  }

  @Test
  void aFileWithoutADefaultRowIsRejected() throws IOException {
    InputException e = rejected(HEADER + "gpt-5,1.25,10,0.125\n");
    assertTrue(e.getMessage().contains("no row for model default"), e.getMessage());
  }

  @Test
  void aNegativePriceIsRejectedWithItsLine() throws IOException {
    InputException e = rejected(HEADER + "default,3,15,0.3\ngpt-5,1.25,-10,0.125\n");
    assertTrue(e.getMessage().contains(":3: output_usd_per_mtok must be >= 0, found -10"), e.getMessage());
  }

  @Test
  void aModelListedTwiceIsRejectedWithBothLines() throws IOException {
    InputException e = rejected(HEADER + "default,3,15,0.3\ngpt-5,1.25,10,0.125\ngpt-5,1.5,10,0.125\n");
    assertTrue(e.getMessage().contains(":4: model gpt-5 is listed twice (first on line 3)"), e.getMessage());
  }

  @Test
  void unreadableValuesMissingColumnsAndMissingFilesAreRejected() throws IOException {
    InputException bad = rejected(HEADER + "default,3,15,cheap\nx,1,2\n");
    assertTrue(bad.getMessage().contains(":2: cache_read_usd_per_mtok must be a number, found \"cheap\""),
        bad.getMessage());
    assertTrue(bad.getMessage().contains(":3: has 3 fields, the header has 4"), bad.getMessage());
    InputException header = rejected("model,input_usd_per_mtok\ndefault,3\n");
    assertTrue(header.getMessage().contains(":1: header lacks column(s) output_usd_per_mtok, cache_read_usd_per_mtok"),
        header.getMessage());
    String missing = dir.resolve("nowhere.csv").toString();
    InputException e = assertThrows(InputException.class, () -> ModelPrices.load(spark, missing));
    assertEquals("price file " + missing + " does not exist", e.getMessage());
  }

  @Test
  void theBundledListPricesEveryModelTheGeneratorEmits() throws ReflectiveOperationException {
    Set<String> listed = ModelPrices.load(spark, ModelPrices.BUNDLED).select("model").collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toCollection(TreeSet::new));
    Class<?> factory = Class.forName("io.goodhart.generate.EventFactory");
    Field chat = factory.getDeclaredField("MODELS");
    Field embed = factory.getDeclaredField("EMBED_MODELS");
    chat.setAccessible(true);
    embed.setAccessible(true);
    Set<String> emitted = new TreeSet<>(Arrays.asList((String[]) embed.get(null)));
    Arrays.stream((String[][]) chat.get(null)).forEach(models -> emitted.addAll(List.of(models)));
    emitted.add(ModelPrices.DEFAULT);
    assertEquals(emitted, listed);
  }
}
