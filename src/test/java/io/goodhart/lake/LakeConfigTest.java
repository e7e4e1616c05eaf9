package io.goodhart.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings resolve as defaults, then the config file, then --conf; the embedded catalog steps aside for a real one. */
class LakeConfigTest {
  @TempDir Path dir;

  @Test
  void theDefaultIsAnEmbeddedJdbcCatalogOnSqliteUnderTheLakeFolder() {
    LakeConfig config = LakeConfig.resolve(null, Map.of(LakeConfig.LAKE_DIR, dir.toString()));
    Map<String, String> spark = config.sparkSettings();
    assertEquals("org.apache.iceberg.spark.SparkCatalog", spark.get("spark.sql.catalog.lake"));
    assertEquals("jdbc", spark.get("spark.sql.catalog.lake.type"));
    assertEquals("jdbc:sqlite:" + dir.resolve("catalog.db"), spark.get("spark.sql.catalog.lake.uri"));
    assertEquals(dir.resolve("warehouse").toUri().toString(), spark.get("spark.sql.catalog.lake.warehouse"));
    assertEquals("V1", spark.get("spark.sql.catalog.lake.jdbc.schema-version"));
    assertEquals("30000", spark.get("spark.sql.catalog.lake.jdbc.busy_timeout"), "ms a process waits for another's lock");
    assertEquals("raw", config.rawNamespace());
    assertEquals("curated", config.curatedNamespace());
    assertTrue(config.embeddedCatalog());
  }

  @Test
  void aConfiguredCatalogTypeReplacesTheEmbeddedDefaults() throws IOException {
    Path file = dir.resolve("rest.properties");
    Files.writeString(file, "spark.sql.catalog.lake.type=rest\nspark.sql.catalog.lake.uri=http://127.0.0.1:8181\n"
        + "spark.sql.catalog.lake.warehouse=s3a://bucket/wh\ngoodhart.namespace.raw=bronze\n");
    LakeConfig config = LakeConfig.resolve(file, Map.of("goodhart.namespace.raw", "landing"));
    Map<String, String> spark = config.sparkSettings();
    assertEquals("rest", spark.get("spark.sql.catalog.lake.type"));
    assertEquals("http://127.0.0.1:8181", spark.get("spark.sql.catalog.lake.uri"));
    assertEquals("s3a://bucket/wh", spark.get("spark.sql.catalog.lake.warehouse"));
    assertFalse(spark.containsKey("spark.sql.catalog.lake.jdbc.schema-version"));
    assertFalse(config.embeddedCatalog());
    assertEquals("landing", config.rawNamespace(), "--conf wins over the file");
  }

  @Test
  void theCatalogNameAndAnySparkSettingPassThrough() {
    LakeConfig config = LakeConfig.resolve(null, Map.of("goodhart.catalog", "prod",
        "spark.sql.shuffle.partitions", "200", "spark.executor.memory", "8g"));
    Map<String, String> spark = config.sparkSettings();
    assertEquals("org.apache.iceberg.spark.SparkCatalog", spark.get("spark.sql.catalog.prod"));
    assertEquals("jdbc", spark.get("spark.sql.catalog.prod.type"));
    assertEquals("200", spark.get("spark.sql.shuffle.partitions"));
    assertEquals("8g", spark.get("spark.executor.memory"));
  }

  @Test
  void aGlueCatalogGivenOnTheSparkSubmitLineIsTheUsersCatalogAndFileAndConfStillWin() throws IOException {
    Map<String, String> submitted = Map.of(
        "spark.sql.catalog.lake.catalog-impl", "org.apache.iceberg.aws.glue.GlueCatalog",
        "spark.sql.catalog.lake.warehouse", "s3://bucket/warehouse",
        "spark.sql.shuffle.partitions", "400",
        "spark.executor.memory", "8g");
    Path file = dir.resolve("lake.properties");
    Files.writeString(file, "spark.sql.shuffle.partitions=64\n");
    LakeConfig config = LakeConfig.resolve(file, Map.of("spark.executor.memory", "16g"), submitted);
    Map<String, String> spark = config.sparkSettings();
    assertFalse(config.embeddedCatalog());
    assertEquals("org.apache.iceberg.aws.glue.GlueCatalog", spark.get("spark.sql.catalog.lake.catalog-impl"));
    assertEquals("s3://bucket/warehouse", spark.get("spark.sql.catalog.lake.warehouse"));
    assertFalse(spark.containsKey("spark.sql.catalog.lake.uri"), "no embedded SQLite catalog beside Glue");
    assertEquals("64", spark.get("spark.sql.shuffle.partitions"), "the config file wins over spark-submit");
    assertEquals("16g", spark.get("spark.executor.memory"), "--conf wins over spark-submit");
  }

  @Test
  void aMissingConfigFileIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LakeConfig.resolve(dir.resolve("nope.properties"), Map.of()));
    assertEquals("config file " + dir.resolve("nope.properties") + " does not exist or is not a file", e.getMessage());
  }
}
