package io.goodhart.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.goodhart.lake.LakeConfig;
import io.goodhart.lake.LakeTables;
import io.goodhart.publish.BiObjects;
import io.goodhart.testing.TestLake;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's statement guard as a statement is parsed, under the policy {@code goodhart serve} enables:
 * the operational tables beside the private ones are no BI object, whichever way they are named.
 */
class BiAccessTest {
  private final SparkSession spark = TestLake.spark();

  private static Set<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  private LogicalPlan parsed(String sql) throws Exception {
    return spark.sessionState().sqlParser().parsePlan(sql);
  }

  @Test
  void theAuditResultsAreNotPublishedForBi() throws Exception {
    LakeConfig config = TestLake.freshConfig("serve_guard");
    LakeTables tables = new LakeTables(spark, config);
    String results = tables.auditResults();
    String bare = results.substring(results.lastIndexOf('.') + 1);
    BiAccess.enable(new BiAccess.Policy(config.catalog(), config.curatedNamespace(), lower(BiObjects.TABLES),
        lower(BiObjects.views()), 100, Map.of()));
    try {
      for (String sql : List.of(
          "SELECT * FROM " + results,
          "SELECT check_name FROM " + tables.logicalName(results),
          "SELECT * FROM " + config.curatedNamespace() + "." + bare,
          "DESCRIBE " + tables.logicalName(results))) {
        LogicalPlan plan = parsed(sql);
        AccessDenied denied = assertThrows(AccessDenied.class,
            () -> AccessLog.quietly(() -> BiAccess.checkParsed(spark, plan)), sql);
        assertEquals(BiAccess.NOT_PUBLISHED, denied.rule(), sql);
      }
      // The same statement on a published table passes.
      LogicalPlan published = parsed("SELECT * FROM " + config.curatedNamespace() + ".team_weekly_engagement");
      AccessLog.quietly(() -> BiAccess.checkParsed(spark, published));
    } finally {
      BiAccess.enable(null);
    }
  }
}
