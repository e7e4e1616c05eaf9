package io.goodhart.publish;

import io.goodhart.lake.SqlText;
import io.goodhart.lake.LakeTables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchViewException;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.ViewCatalog;

/**
 * The BI views of {@code sql/views/}, created in the curated namespace as Iceberg views, so every
 * engine on the catalog sees them. A view is replaced only when the SQL the catalog holds for it differs
 * from the shipped file's: the nightly run calls this every night, and an unchanged view should not gain a
 * new version each time. The comparison is with the view's own SQL, not with a property stored beside it,
 * so a view replaced by anyone with write access to the catalog is put back the next night. (The SHA-256
 * property the views carry says which file version made them, for people; nothing trusts it.)
 */
public final class BiViews {
  /** The view scripts, in creation order (a view may read an earlier one). */
  public static final List<String> SCRIPTS = List.of(
      "sql/views/adoption_vs_target.sql",
      "sql/views/genuine_engagement_trend.sql",
      "sql/views/padding_by_team.sql",
      "sql/views/leaderboard_latest.sql",
      "sql/views/top_movers.sql",
      "sql/views/unresolved_usage_by_source.sql",
      "sql/views/source_health_by_day.sql");

  static final String SOURCE_PROPERTY = "goodhart.source-sha256";
  private static final Pattern CREATE_VIEW =
      Pattern.compile("(?is)^\\s*CREATE\\s+OR\\s+REPLACE\\s+VIEW\\s+(\\S+)\\s+AS\\s");

  private final SparkSession spark;
  private final LakeTables tables;
  private final Consumer<String> progress;

  public BiViews(SparkSession spark, LakeTables tables, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.progress = progress;
  }

  public record Outcome(List<String> created, List<String> unchanged) {}

  /** Creates missing views and replaces changed ones; the tables they read are created if missing. */
  public Outcome install() {
    tables.ensureCreated();
    List<String> created = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    for (String script : SCRIPTS) {
      String statement = single(script);
      Matcher m = CREATE_VIEW.matcher(statement);
      if (!m.find()) {
        throw new IllegalStateException(script + " must hold one CREATE OR REPLACE VIEW <name> AS ... statement");
      }
      String view = m.group(1);
      String sha = sha256(statement);
      String query = statement.substring(m.end());
      if (query.strip().equals(currentQuery(view))) {
        unchanged.add(view);
        continue;
      }
      try {
        spark.sql(statement.substring(0, m.end() - 3) + "\nTBLPROPERTIES ('" + SOURCE_PROPERTY + "' = '" + sha + "')\n"
            + statement.substring(m.end() - 3));
      } catch (RuntimeException e) {
        // Two nightly runs at once both find the view missing or old and both create it; the catalog
        // lets one commit win. If the winner installed this very SQL, the view is what we wanted.
        if (!query.strip().equals(currentQuery(view))) {
          throw e;
        }
        unchanged.add(view);
        continue;
      }
      created.add(view);
    }
    progress.accept(String.format("bi-views: %d created or replaced%s, %d unchanged", created.size(),
        created.isEmpty() ? "" : " (" + String.join(", ", created) + ")", unchanged.size()));
    return new Outcome(created, unchanged);
  }

  /** The SQL the catalog holds for the view (stripped), or null when there is no such view. */
  String currentQuery(String view) {
    String[] parts = view.split("\\.");
    if (parts.length != 3) {
      throw new IllegalStateException("a BI view's name must be catalog.namespace.view: " + view);
    }
    CatalogPlugin catalog = spark.sessionState().catalogManager().catalog(parts[0]);
    if (!(catalog instanceof ViewCatalog views)) {
      throw new IllegalStateException("catalog " + parts[0] + " cannot hold views");
    }
    try {
      return views.loadView(Identifier.of(new String[] {parts[1]}, parts[2])).query().strip();
    } catch (NoSuchViewException e) {
      return null;
    }
  }

  /** Whether the view exists; Spark's catalog API sees only tables in a V2 catalog, SHOW VIEWS sees views. */
  public static boolean exists(SparkSession spark, String view) {
    int dot = view.lastIndexOf('.');
    return spark.sql("SHOW VIEWS IN " + view.substring(0, dot) + " LIKE '" + view.substring(dot + 1) + "'").count() > 0;
  }

  private String single(String script) {
    List<String> statements = SqlText.statements(SqlText.bind(read(script), Map.of(
        "curated", tables.curatedNamespace(), "raw", tables.rawNamespace(), "curated_private", tables.privateNamespace())));
    if (statements.size() != 1) {
      throw new IllegalStateException(script + " must hold exactly one statement, found " + statements.size());
    }
    return statements.get(0);
  }

  private static String read(String resource) {
    try (InputStream in = BiViews.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
