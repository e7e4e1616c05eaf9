package io.goodhart.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.spark.source.SparkTable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.PlanWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.RelationTimeTravel;
import org.apache.spark.sql.catalyst.analysis.ResolvedNamespace;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedNamespace;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableOrView;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.InputFileBlockLength;
import org.apache.spark.sql.catalyst.expressions.InputFileBlockStart;
import org.apache.spark.sql.catalyst.expressions.InputFileName;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationDef;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationRef;
import org.apache.spark.sql.catalyst.plans.logical.DescribeColumn;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Range;
import org.apache.spark.sql.catalyst.plans.logical.SetCatalogAndNamespace;
import org.apache.spark.sql.catalyst.plans.logical.ShowColumns;
import org.apache.spark.sql.catalyst.plans.logical.ShowNamespaces;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.views.ResolvedV2View;
import org.apache.spark.sql.catalyst.plans.logical.views.ShowIcebergViews;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.execution.command.SetCommand;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * What a BI reader may do on {@code goodhart serve}: read the objects published for BI, and nothing else.
 * Once {@link #enable} is called (by the endpoint, after its own start-up work), every statement of every
 * session of the process is checked twice:
 * <ol>
 *   <li>when it is parsed ({@link #checkParsed}), before Spark resolves anything -- so a refused statement
 *       never touches a file, a catalog or a table: it must be a read-only query, or one of the few
 *       harmless commands ({@code SHOW TABLES/VIEWS/NAMESPACES}, {@code USE}, plain {@code DESCRIBE},
 *       {@code SHOW COLUMNS}, {@code SET} of a harmless key); every table name must be a BI object's; no
 *       time travel, no read options, no reflection or file-name functions;</li>
 *   <li>when it is analysed ({@link #checkAnalyzed}), on what Spark resolved, views expanded (a view runs
 *       with its reader's rights): every relation read must be a BI table of the lake's catalog, at its
 *       current snapshot on {@code main}, without metadata columns; and the session's settings must be the
 *       endpoint's, so settings passed when connecting (which never pass through the parser) cannot widen
 *       access either.</li>
 * </ol>
 * A refusal is an {@link AccessDenied} naming the rule; refusals and accepted reads are written to the
 * access log with the user. Listing is narrowed by {@link BiListing}, result size by {@link RowCap}.
 */
public final class BiAccess {
  /** What the endpoint serves: the lake's catalog, its BI namespace and objects, limits, and the settings every session keeps. */
  public record Policy(String catalog, String namespace, Set<String> tables, Set<String> views, int maxRows,
      Map<String, String> baseline) {
    boolean isBiObject(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      return tables.contains(n) || views.contains(n);
    }

    String published() {
      return namespace + ".{" + String.join(", ", new TreeSet<>(tables)) + "} and the views "
          + namespace + ".{" + String.join(", ", new TreeSet<>(views)) + "}";
    }
  }

  /** Settings a session may hold with other values than the endpoint's: none widens access. */
  static final Set<String> SESSION_SETTINGS = Set.of(
      "spark.sql.session.timeZone",
      // the one setting the Hive JDBC client sends when it connects (digits only, see ConnectionSettings)
      "hive.server2.thrift.resultset.default.fetch.size");
  /** Keys a BI reader may SET (or read with SET key). */
  static final Set<String> SETTABLE = Set.of("spark.sql.session.timeZone");
  /** Functions that reach outside the tables: Java reflection, and the paths of data files. */
  static final Set<String> FUNCTIONS_REFUSED = Set.of("reflect", "java_method", "try_reflect", "input_file_name",
      "input_file_block_start", "input_file_block_length");
  /** Operators a read-only query is made of, as the parser writes them. */
  static final Set<String> QUERY_OPERATORS = Set.of("Project", "Filter", "Aggregate", "Sort", "GlobalLimit",
      "LocalLimit", "Offset", "Tail", "Join", "LateralJoin", "Union", "Intersect", "Except", "Distinct", "Deduplicate",
      "Window", "WithWindowDefinition", "SubqueryAlias", "UnresolvedWith", "WithCTE", "CTERelationDef",
      "CTERelationRef", "Generate", "Pivot", "Unpivot", "Expand", "Sample", "Range", "OneRowRelation", "LocalRelation",
      "UnresolvedRelation", "UnresolvedInlineTable", "UnresolvedSubqueryColumnAliases", "UnresolvedHaving",
      "UnresolvedHint", "ResolvedHint", "RepartitionByExpression", "Repartition", "RebalancePartitions",
      "UnresolvedTableValuedFunction", "UnresolvedTVFAliases", "PlanWithUnresolvedIdentifier", "View", "Subquery");

  /** Rule names, as refusals and the access log say them. */
  static final String READ_ONLY = "read-only";
  static final String NOT_PUBLISHED = "not-published-for-bi";
  static final String TIME_TRAVEL = "no-time-travel";
  static final String FILES = "no-files-or-metadata";
  static final String FUNCTIONS = "no-reflection";
  static final String SETTINGS = "endpoint-settings";

  private static volatile Policy policy;

  private BiAccess() {}

  /** From now on every statement of this process is checked under {@code p}. */
  public static void enable(Policy p) {
    policy = p;
  }

  /**
   * The running server, whose connections tell who runs each session's statements, and whose reference
   * session's settings become the ones every session must keep.
   */
  public static void serving(org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 server)
      throws org.apache.hive.service.cli.HiveSQLException {
    EndpointSessions.serving(server);
    Policy p = policy;
    policy = new Policy(p.catalog(), p.namespace(), p.tables(), p.views(), p.maxRows(),
        EndpointSessions.referenceSettings(server));
  }

  /**
   * The checks must be in force before the first connection: a fresh session is refused a raw table and a
   * reflection call, or the server does not start.
   */
  public static void selfTest(SparkSession spark, String rawTable) {
    SparkSession probe = spark.newSession();
    Map<String, String> attempts = new LinkedHashMap<>();
    attempts.put("a raw table", "SELECT * FROM " + rawTable + " LIMIT 1");
    attempts.put("a reflection call", "SELECT reflect('java.lang.System', 'getenv', 'HOME')");
    AccessLog.quietly(() -> {
      for (Map.Entry<String, String> attempt : attempts.entrySet()) {
        boolean refused;
        try {
          probe.sql(attempt.getValue()).collectAsList();
          refused = false;
        } catch (Exception e) {
          refused = isRefusal(e);
        }
        if (!refused) {
          throw new IllegalStateException("the BI-reader checks are not in force (" + attempt.getKey()
              + " was not refused); not serving");
        }
      }
    });
  }

  static Policy policy() {
    return policy;
  }

  static boolean enabled() {
    return policy != null;
  }

  // ---- when parsed --------------------------------------------------------------------------------------

  /** Refuses a statement, as the parser wrote it, that is not a read of BI objects or a harmless command. */
  static void checkParsed(SparkSession session, LogicalPlan plan) {
    Policy p = policy;
    if (p == null) {
      return;
    }
    if (plan instanceof SetCommand set) {
      checkSet(session, set);
      return;
    }
    if (plan instanceof SetCatalogAndNamespace use) {
      checkUse(session, namespaceOf(use.child()));
      return;
    }
    if (plan instanceof ShowTables || plan instanceof ShowIcebergViews || plan instanceof ShowNamespaces) {
      return;
    }
    if (plan instanceof DescribeRelation describe) {
      if (describe.isExtended()) {
        throw refuse(session, READ_ONLY, "DESCRIBE EXTENDED shows storage locations; use DESCRIBE without EXTENDED");
      }
      checkNamed(session, describe.relation());
      return;
    }
    if (plan instanceof DescribeColumn column) {
      if (column.isExtended()) {
        throw refuse(session, READ_ONLY, "DESCRIBE ... EXTENDED is not available on the BI endpoint");
      }
      checkNamed(session, column.relation());
      return;
    }
    if (plan instanceof ShowColumns columns) {
      if (columns.namespace().isDefined() && columns.child() instanceof UnresolvedTableOrView named) {
        List<String> name = new ArrayList<>(JavaConverters.seqAsJavaList(columns.namespace().get()));
        name.addAll(JavaConverters.seqAsJavaList(named.multipartIdentifier()));
        checkName(session, name, Set.of());
      } else {
        checkNamed(session, columns.child());
      }
      return;
    }
    Set<String> cteNames = cteNames(plan);
    for (LogicalPlan node : everyPlan(plan)) {
      String operator = node.getClass().getSimpleName();
      if (node instanceof RelationTimeTravel) {
        throw refuse(session, TIME_TRAVEL, "time travel (VERSION AS OF, TIMESTAMP AS OF) reads history that was "
            + "never published for BI; read the current tables");
      }
      if (!QUERY_OPERATORS.contains(operator)) {
        throw refuse(session, READ_ONLY, "the BI endpoint runs read-only queries (and SHOW, DESCRIBE, USE); "
            + operator + " is not one");
      }
      if (node instanceof UnresolvedRelation relation) {
        if (!relation.options().isEmpty()) {
          throw refuse(session, TIME_TRAVEL, "read options (WITH (...)) can select snapshots, branches and files; "
              + "they are not available on the BI endpoint");
        }
        checkName(session, JavaConverters.seqAsJavaList(relation.multipartIdentifier()), cteNames);
      }
      if (node instanceof PlanWithUnresolvedIdentifier identified) {
        checkName(session, identifierLiteral(session, identified.identifierExpr()), Set.of());
      }
      if (node instanceof UnresolvedTableValuedFunction function) {
        List<String> name = JavaConverters.seqAsJavaList(function.name());
        if (!(name.size() == 1 && name.get(0).equalsIgnoreCase("range"))) {
          throw refuse(session, FILES, "the table function " + String.join(".", name) + " is not available on the "
              + "BI endpoint (only range)");
        }
      }
      for (Expression e : JavaConverters.seqAsJavaList(node.expressions())) {
        for (Expression x : everyExpression(e)) {
          if (x instanceof ExpressionWithUnresolvedIdentifier identified) {
            List<String> parts = identifierLiteral(session, identified.identifierExpr());
            String last = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
            if (FUNCTIONS_REFUSED.contains(last)) {
              throw refuse(session, FUNCTIONS, last + "() reaches outside the published tables (Java reflection, or the "
                  + "paths of data files)");
            }
          }
          if (x instanceof UnresolvedFunction f) {
            List<String> parts = JavaConverters.seqAsJavaList(f.nameParts());
            String last = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
            if (FUNCTIONS_REFUSED.contains(last)) {
              throw refuse(session, FUNCTIONS, last + "() reaches outside the published tables (Java reflection, or the "
                  + "paths of data files)");
            }
          }
        }
      }
    }
  }

  private static void checkSet(SparkSession session, SetCommand set) {
    Option<Tuple2<String, Option<String>>> kv = set.kv();
    if (kv.isEmpty() || !SETTABLE.contains(kv.get()._1().trim())) {
      throw refuse(session, SETTINGS, "settings belong to the endpoint"
          + (kv.isEmpty() ? "" : " (" + kv.get()._1().trim() + ")") + "; a BI reader may set only "
          + String.join(", ", SETTABLE));
    }
  }

  private static void checkNamed(SparkSession session, LogicalPlan relation) {
    if (relation instanceof UnresolvedTableOrView named) {
      checkName(session, JavaConverters.seqAsJavaList(named.multipartIdentifier()), Set.of());
    } else if (relation instanceof UnresolvedRelation named) {
      checkName(session, JavaConverters.seqAsJavaList(named.multipartIdentifier()), Set.of());
    } else if (relation instanceof PlanWithUnresolvedIdentifier identified) {
      checkName(session, identifierLiteral(session, identified.identifierExpr()), Set.of());
    }
  }

  /**
   * The name an {@code IDENTIFIER(...)} clause stands for. Only a string literal is accepted: anything else
   * is computed during analysis, after this check, and would reach the catalog unchecked.
   */
  private static List<String> identifierLiteral(SparkSession session, Expression expression) {
    if (!(expression instanceof Literal literal) || !(literal.value() instanceof org.apache.spark.unsafe.types.UTF8String text)) {
      throw refuse(session, NOT_PUBLISHED, "IDENTIFIER() takes a string literal on the BI endpoint, not an expression");
    }
    try {
      return JavaConverters.seqAsJavaList(session.sessionState().sqlParser().parseMultipartIdentifier(text.toString()));
    } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
      throw refuse(session, NOT_PUBLISHED, "IDENTIFIER('" + text + "') is not a name of a published object");
    }
  }

  /** The names a statement's WITH clauses define: a one-part name among them is a CTE, not a table. */
  private static Set<String> cteNames(LogicalPlan plan) {
    Set<String> names = new java.util.HashSet<>();
    for (LogicalPlan node : everyPlan(plan)) {
      if (node instanceof org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith with) {
        for (Tuple2<String, org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias> cte
            : JavaConverters.seqAsJavaList(with.cteRelations())) {
          names.add(cte._1().toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  /**
   * {@code USE} of the BI namespace, or of the empty {@code default} one a JDBC client opens its session
   * with, in the lake's catalog. Anything else is refused before it is resolved, with the same words
   * whether it exists or not.
   */
  private static void checkUse(SparkSession session, List<String> parts) {
    Policy p = policy;
    List<String> names = parts;
    if (names.size() == 2 && names.get(0).equalsIgnoreCase(p.catalog())) {
      names = names.subList(1, 2);
    }
    boolean ok = names.size() == 1 && (names.get(0).equalsIgnoreCase(p.namespace()) || names.get(0).equalsIgnoreCase("default"));
    if (!ok) {
      throw refuse(session, NOT_PUBLISHED, "USE " + String.join(".", parts) + ": BI readers may use only "
          + p.catalog() + "." + p.namespace() + " (or default)");
    }
  }

  /**
   * A table name of a BI object: {@code name} in the current namespace when that is the lake's BI
   * namespace, or a CTE of the statement; {@code namespace.name} or {@code catalog.namespace.name} in the
   * BI namespace. Decided on the name alone, before any catalog is asked, so a refusal says nothing about
   * whether the object exists.
   */
  private static void checkName(SparkSession session, List<String> parts, Set<String> cteNames) {
    Policy p = policy;
    boolean ok = switch (parts.size()) {
      case 1 -> cteNames.contains(parts.get(0).toLowerCase(Locale.ROOT)) || inBiNamespace(session) && p.isBiObject(parts.get(0));
      case 2 -> parts.get(0).equalsIgnoreCase(p.namespace()) && p.isBiObject(parts.get(1));
      case 3 -> parts.get(0).equalsIgnoreCase(p.catalog()) && parts.get(1).equalsIgnoreCase(p.namespace())
          && p.isBiObject(parts.get(2));
      default -> false;
    };
    if (!ok) {
      String name = String.join(".", parts);
      throw refuse(session, parts.size() == 2 && parts.get(1).contains("/") ? FILES : NOT_PUBLISHED,
          name + " is not published for BI: BI readers see only " + p.published());
    }
  }

  private static boolean inBiNamespace(SparkSession session) {
    Policy p = policy;
    org.apache.spark.sql.connector.catalog.CatalogManager catalogs = session.sessionState().catalogManager();
    String[] namespace = catalogs.currentNamespace();
    return catalogs.currentCatalog().name().equalsIgnoreCase(p.catalog()) && namespace.length == 1
        && namespace[0].equalsIgnoreCase(p.namespace());
  }

  // ---- while resolved -----------------------------------------------------------------------------------

  /**
   * Every relation as soon as the analyser has resolved it, in the middle of analysis: a statement that
   * would fail later (an unknown column lists the columns of the table it was looked for in) is refused
   * here first, so an error never describes an object that is not published.
   */
  static void checkResolving(SparkSession session, LogicalPlan plan) {
    if (policy == null) {
      return;
    }
    for (LogicalPlan node : everyPlan(plan)) {
      if (node instanceof DataSourceV2Relation relation) {
        if (relation.catalog().isEmpty() || relation.identifier().isEmpty()) {
          throw refuse(session, FILES, "only the published tables can be read");
        }
        checkIdentifier(session, relation.catalog().get(), relation.identifier().get());
      } else if (node instanceof ResolvedTable t) {
        checkIdentifier(session, t.catalog(), t.identifier());
      } else if (node instanceof ResolvedV2View v) {
        checkIdentifier(session, v.catalog(), v.identifier());
      }
    }
  }

  // ---- when analysed ------------------------------------------------------------------------------------

  /** Refuses a resolved statement that reads anything but BI tables, or a session whose settings were changed. */
  static void checkAnalyzed(SparkSession session, LogicalPlan plan) {
    Policy p = policy;
    if (p == null) {
      return;
    }
    checkSettings(session, p);
    if (plan instanceof SetCommand set) {
      checkSet(session, set);
      return;
    }
    if (plan instanceof SetCatalogAndNamespace) {
      return;
    }
    if (plan instanceof DescribeRelation || plan instanceof DescribeColumn || plan instanceof ShowColumns) {
      for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
        checkResolvedObject(session, child);
      }
      AccessLog.granted(session, List.of(described(plan)), "describe");
      return;
    }
    Set<String> read = new LinkedHashSet<>();
    for (LogicalPlan node : everyPlan(plan)) {
      if (node instanceof DataSourceV2Relation relation) {
        read.add(checkRelation(session, relation));
      } else if (node.children().isEmpty() && !(node instanceof LocalRelation || node instanceof OneRowRelation
          || node instanceof Range || node instanceof CTERelationRef)) {
        throw refuse(session, FILES, "only the published tables can be read; " + node.getClass().getSimpleName()
            + " is not one of them (files, other catalogs and caches are not readable from the BI endpoint)");
      } else if (!node.children().isEmpty() && !QUERY_OPERATORS.contains(node.getClass().getSimpleName())
          && !isAnalyzedQueryNode(node)) {
        throw refuse(session, READ_ONLY, "the BI endpoint runs read-only queries; " + node.getClass().getSimpleName()
            + " is not one");
      }
      for (Expression e : JavaConverters.seqAsJavaList(node.expressions())) {
        for (Expression x : everyExpression(e)) {
          if (x instanceof CallMethodViaReflection || x instanceof InputFileName || x instanceof InputFileBlockStart
              || x instanceof InputFileBlockLength) {
            throw refuse(session, FUNCTIONS, x.prettyName() + "() reaches outside the published tables");
          }
        }
      }
    }
    if (!read.isEmpty()) {
      AccessLog.granted(session, List.copyOf(read), "read");
    }
  }

  /**
   * Operators that only appear once a query is resolved: CTE definitions, Iceberg's view node, and the
   * deserializer Spark puts on top of a query whose rows it collects for the Thrift server.
   */
  private static boolean isAnalyzedQueryNode(LogicalPlan node) {
    return node instanceof CTERelationDef || node instanceof org.apache.spark.sql.catalyst.plans.logical.DeserializeToObject
        || node.getClass().getSimpleName().equals("IcebergView");
  }

  private static String described(LogicalPlan plan) {
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      if (child instanceof ResolvedTable t) {
        return t.catalog().name() + "." + t.identifier();
      }
      if (child instanceof ResolvedV2View v) {
        return v.catalog().name() + "." + v.identifier();
      }
    }
    return plan.getClass().getSimpleName();
  }

  private static void checkResolvedObject(SparkSession session, LogicalPlan child) {
    if (child instanceof ResolvedTable t) {
      checkIdentifier(session, t.catalog(), t.identifier());
    } else if (child instanceof ResolvedV2View v) {
      checkIdentifier(session, v.catalog(), v.identifier());
    } else {
      throw refuse(session, NOT_PUBLISHED, "only the published tables and views can be described");
    }
  }

  private static String checkRelation(SparkSession session, DataSourceV2Relation relation) {
    if (relation.catalog().isEmpty() || relation.identifier().isEmpty()) {
      throw refuse(session, FILES, "only the published tables can be read, not " + relation.name());
    }
    String name = checkIdentifier(session, relation.catalog().get(), relation.identifier().get());
    if (!relation.options().isEmpty()) {
      throw refuse(session, TIME_TRAVEL, "read options can select snapshots, branches and files; not on the BI endpoint");
    }
    if (!(relation.table() instanceof SparkTable table) || table.snapshotId() != null || table.branch() != null) {
      throw refuse(session, TIME_TRAVEL, name + " is readable as it is now, not at another snapshot, branch or tag");
    }
    Set<String> columns = new java.util.HashSet<>();
    for (org.apache.spark.sql.types.StructField f : table.schema().fields()) {
      columns.add(f.name().toLowerCase(Locale.ROOT));
    }
    for (Attribute a : JavaConverters.seqAsJavaList(relation.output())) {
      if (!columns.contains(a.name().toLowerCase(Locale.ROOT))) {
        throw refuse(session, FILES, "the metadata column " + a.name() + " of " + name + " tells where its files are; "
            + "BI readers see the table's own columns only");
      }
    }
    return name;
  }

  private static String checkIdentifier(SparkSession session, CatalogPlugin catalog, Identifier id) {
    Policy p = policy;
    String name = catalog.name() + "." + id;
    String[] ns = id.namespace();
    boolean ok = catalog.name().equalsIgnoreCase(p.catalog()) && ns.length == 1
        && ns[0].equalsIgnoreCase(p.namespace()) && p.isBiObject(id.name());
    if (!ok) {
      throw refuse(session, NOT_PUBLISHED, name + " is not published for BI: BI readers see only " + p.published());
    }
    return p.namespace() + "." + id.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Settings never change from the endpoint's: {@link ConnectionSettings} refuses a connection that sends
   * any, and {@code SET} is checked when parsed; this catches whatever else could change a session's.
   * The baseline is a session the running server opened ({@link EndpointSessions#referenceSettings}).
   */
  private static void checkSettings(SparkSession session, Policy p) {
    Map<String, String> now = JavaConverters.mapAsJavaMap(session.sessionState().conf().getAllConfs());
    Set<String> keys = new TreeSet<>(now.keySet());
    keys.addAll(p.baseline().keySet());
    for (String key : keys) {
      if (SESSION_SETTINGS.contains(key)) {
        continue;
      }
      if (!java.util.Objects.equals(now.get(key), p.baseline().get(key))) {
        throw refuse(session, SETTINGS, "this session's setting " + key + " differs from the endpoint's (settings "
            + "given when connecting or with SET belong to the endpoint); reconnect without it");
      }
    }
  }

  /**
   * The settings of a fresh session, before the server runs: until {@link #serving} replaces them with those
   * of a session the server opened, a client's session differs (the server adds its own) and is refused.
   */
  public static Map<String, String> baseline(SparkSession fresh) {
    return new LinkedHashMap<>(JavaConverters.mapAsJavaMap(fresh.sessionState().conf().getAllConfs()));
  }

  /** Listing: only the BI namespace (and the empty default one JDBC clients start in) may be listed. */
  static boolean listable(CatalogPlugin catalog, List<String> namespace) {
    Policy p = policy;
    return catalog.name().equalsIgnoreCase(p.catalog()) && namespace.size() == 1
        && (namespace.get(0).equalsIgnoreCase(p.namespace()) || namespace.get(0).equalsIgnoreCase("default"));
  }

  static List<String> namespaceOf(LogicalPlan plan) {
    if (plan instanceof ResolvedNamespace ns) {
      return JavaConverters.seqAsJavaList(ns.namespace());
    }
    if (plan instanceof UnresolvedNamespace ns) {
      return JavaConverters.seqAsJavaList(ns.multipartIdentifier());
    }
    return List.of();
  }

  // ---- walking plans ------------------------------------------------------------------------------------

  /** Every plan node: children, inner children (CTE definitions) and subquery plans, without recursion. */
  static List<LogicalPlan> everyPlan(LogicalPlan root) {
    List<LogicalPlan> out = new ArrayList<>();
    Deque<LogicalPlan> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      LogicalPlan node = pending.pop();
      out.add(node);
      JavaConverters.seqAsJavaList(node.children()).forEach(pending::push);
      for (Object inner : JavaConverters.seqAsJavaList(node.innerChildren())) {
        if (inner instanceof LogicalPlan plan) {
          pending.push(plan);
        }
      }
      JavaConverters.seqAsJavaList(node.subqueries()).forEach(pending::push);
      if (node instanceof org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith with) {
        for (Tuple2<String, org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias> cte
            : JavaConverters.seqAsJavaList(with.cteRelations())) {
          pending.push(cte._2());
        }
      }
    }
    return out;
  }

  static List<Expression> everyExpression(Expression root) {
    List<Expression> out = new ArrayList<>();
    Deque<Expression> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      Expression e = pending.pop();
      out.add(e);
      JavaConverters.seqAsJavaList(e.children()).forEach(pending::push);
    }
    return out;
  }

  /**
   * Logs and throws the refusal. {@link AccessDenied} is a checked exception (the Thrift server's own type),
   * thrown here through Spark's Scala callbacks, which declare none; callers write {@code throw refuse(...)}.
   */
  static RuntimeException refuse(SparkSession session, String rule, String reason) {
    AccessLog.refused(session, rule, reason);
    throw BiAccess.<RuntimeException>unchecked(new AccessDenied(rule, reason));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E unchecked(Throwable t) throws E {
    throw (E) t;
  }

  /** Whether a failure is a refusal (it may arrive wrapped by Spark). */
  static boolean isRefusal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AccessDenied) {
        return true;
      }
    }
    return false;
  }
}
