package io.goodhart.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.analysis.ResolvedNamespace;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ShowNamespaces;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.views.ShowIcebergViews;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.catalyst.util.StringUtils;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.ViewCatalog;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * {@code SHOW TABLES}, {@code SHOW VIEWS} and {@code SHOW NAMESPACES} as a BI reader gets them: only the
 * published objects of the BI namespace (and its namespace, beside the empty {@code default} a JDBC client
 * starts in). Listing any other namespace is refused. The listing is answered from the allow-list, narrowed
 * to the objects that exist, so nothing else of the catalog is ever listed for a BI session.
 */
final class BiListing extends Rule<LogicalPlan> {
  private final SparkSession session;

  BiListing(SparkSession session) {
    this.session = session;
  }

  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    BiAccess.Policy p = BiAccess.policy();
    if (p == null) {
      return plan;
    }
    if (plan instanceof ShowTables show && show.namespace() instanceof ResolvedNamespace ns) {
      List<String> names = new ArrayList<>();
      if (isBiNamespace(ns)) {
        TableCatalog catalog = (TableCatalog) ns.catalog();
        for (String table : new TreeSet<>(p.tables())) {
          if (catalog.tableExists(Identifier.of(new String[] {p.namespace()}, table))) {
            names.add(table);
          }
        }
      } else {
        checkListable(ns);
      }
      return rows(show.output(), namespaceText(ns), filter(names, show.pattern()), true);
    }
    if (plan instanceof ShowIcebergViews show && show.namespace() instanceof ResolvedNamespace ns) {
      List<String> names = new ArrayList<>();
      if (isBiNamespace(ns)) {
        ViewCatalog catalog = (ViewCatalog) ns.catalog();
        for (String view : new TreeSet<>(p.views())) {
          if (catalog.viewExists(Identifier.of(new String[] {p.namespace()}, view))) {
            names.add(view);
          }
        }
      } else {
        checkListable(ns);
      }
      return rows(show.output(), namespaceText(ns), filter(names, show.pattern()), true);
    }
    if (plan instanceof ShowNamespaces show && show.namespace() instanceof ResolvedNamespace ns) {
      List<String> names = new ArrayList<>();
      if (JavaConverters.seqAsJavaList(ns.namespace()).isEmpty() && ns.catalog().name().equalsIgnoreCase(p.catalog())) {
        SupportsNamespaces catalog = (SupportsNamespaces) ns.catalog();
        for (String name : List.of("default", p.namespace())) {
          if (catalog.namespaceExists(new String[] {name})) {
            names.add(name);
          }
        }
      } else if (!isBiNamespace(ns)) {
        checkListable(ns);
      }
      return rows(show.output(), null, filter(names, show.pattern()), false);
    }
    return plan;
  }

  private boolean isBiNamespace(ResolvedNamespace ns) {
    BiAccess.Policy p = BiAccess.policy();
    List<String> names = JavaConverters.seqAsJavaList(ns.namespace());
    return ns.catalog().name().equalsIgnoreCase(p.catalog()) && names.size() == 1
        && names.get(0).equalsIgnoreCase(p.namespace());
  }

  private void checkListable(ResolvedNamespace ns) {
    CatalogPlugin catalog = ns.catalog();
    List<String> names = JavaConverters.seqAsJavaList(ns.namespace());
    if (!BiAccess.listable(catalog, names)) {
      throw BiAccess.refuse(session, BiAccess.NOT_PUBLISHED, catalog.name() + (names.isEmpty() ? "" : "." + String.join(".", names))
          + " is not published for BI: BI readers see only " + BiAccess.policy().published());
    }
  }

  private static String namespaceText(ResolvedNamespace ns) {
    return String.join(".", JavaConverters.seqAsJavaList(ns.namespace()));
  }

  private static List<String> filter(List<String> names, Option<String> pattern) {
    if (pattern.isEmpty()) {
      return names;
    }
    return JavaConverters.seqAsJavaList(StringUtils.filterPattern(
        JavaConverters.asScalaBuffer(names).toSeq(), pattern.get()));
  }

  /** The rows SHOW TABLES / SHOW VIEWS (namespace, name, isTemporary) or SHOW NAMESPACES (name) return. */
  private static LogicalPlan rows(scala.collection.Seq<org.apache.spark.sql.catalyst.expressions.Attribute> output,
      String namespace, List<String> names, boolean withNamespace) {
    List<InternalRow> rows = new ArrayList<>();
    for (String name : names) {
      rows.add(withNamespace
          ? new GenericInternalRow(new Object[] {UTF8String.fromString(namespace), UTF8String.fromString(name), false})
          : new GenericInternalRow(new Object[] {UTF8String.fromString(name)}));
    }
    return new LocalRelation(output, JavaConverters.asScalaBuffer(rows).toSeq(), false);
  }
}
