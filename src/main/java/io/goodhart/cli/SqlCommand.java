package io.goodhart.cli;

import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import io.goodhart.publish.BiViews;
import io.goodhart.lake.SqlText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Ad-hoc Spark SQL on the catalog the nightly jobs write: one statement ({@code -e}) or a script
 * ({@code -f}) with {@code ${name}} placeholders, printed for a person or a program. Placeholders
 * {@code ${catalog}}, {@code ${raw}} and {@code ${curated}} are always bound to this lake's names, so
 * the same script runs against any deployment.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run Spark SQL on the configured catalog: -e STATEMENT or -f FILE, printed as a table, CSV or JSON; "
        + "--init-views creates the BI views; no option opens an interactive shell.")
final class SqlCommand implements Callable<Integer> {
  static final class Source {
    @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "Statements to run (separated by ;).")
    String statements;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A script of statements separated by ;.")
    Path file;

    @Option(names = "--init-views", description = "Create or update the BI views of sql/views/ in the curated namespace.")
    boolean initViews;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  @Option(names = "--var", paramLabel = "NAME=VALUE",
      description = "A value for ${NAME} in the SQL; repeatable. Built in: catalog, raw, curated, curated_private.")
  Map<String, String> vars = new LinkedHashMap<>();

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
      description = "table, csv or json (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--max-rows", defaultValue = "100",
      description = "Rows the table format prints at most (default ${DEFAULT-VALUE}); csv and json print all.")
  int maxRows;

  @Mixin LakeOptions lake;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (source == null) {
      return shell();
    }
    if (source.initViews) {
      try (LakeOptions.Lake open = lake.open()) {
        new BiViews(open.spark(), open.tables(), spec.commandLine().getOut()::println).install();
        return ExitCodes.OK;
      }
    }
    ResultPrinter.Format outputFormat = parseFormat();
    String text = readSource();
    LakeConfig config = lake.config();
    Map<String, String> values = SqlText.merge(builtInVars(config), vars);
    List<String> statements = new ArrayList<>();
    try {
      for (String statement : SqlText.statements(text)) {
        statements.add(SqlText.bind(statement, values));
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (statements.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no SQL statement to run");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (LakeOptions.Lake open = lake.open()) {
      SparkSession spark = open.spark();
      spark.sql("USE " + config.catalog());
      for (int i = 0; i < statements.size(); i++) {
        try {
          ResultPrinter.print(spark.sql(statements.get(i)), outputFormat, maxRows, out);
        } catch (Exception e) {
          // Spark's Scala code throws AnalysisException (a checked exception to Java) undeclared.
          if (e instanceof AnalysisException analysis) {
            throw new InputException(where(i, statements.size()) + analysis.getSimpleMessage(), e);
          }
          throw e;
        }
      }
      return ExitCodes.OK;
    }
  }

  /**
   * The interactive Spark SQL shell (Spark's own CLI driver: line editing, history in ~/.hivehistory,
   * statements over several lines until ;), on this lake's catalog, which is the default catalog so
   * {@code SHOW TABLES IN curated} and {@code SELECT * FROM curated.adoption_vs_target} just work.
   */
  private int shell() {
    LakeConfig config = lake.config();
    Map<String, String> settings = new LinkedHashMap<>(config.sparkSettings());
    settings.putIfAbsent("spark.master", "local[*]");
    settings.putIfAbsent("spark.sql.defaultCatalog", config.catalog());
    // The shell's own session catalog stays in memory: the lake's catalog is the Iceberg one.
    settings.put("spark.sql.catalogImplementation", "in-memory");
    settings.forEach(System::setProperty);
    spec.commandLine().getOut().println("goodhart sql: Spark SQL shell on catalog " + config.catalog()
        + " (namespaces " + config.rawNamespace() + ", " + config.curatedNamespace() + ", " + config.privateNamespace()
        + "); end statements with ; and leave with quit;");
    spec.commandLine().getOut().flush();
    // The driver reads its settings from system properties and exits the JVM itself when done.
    org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver.main(new String[] {"--hiveconf", "hive.cli.print.header=true"});
    return ExitCodes.OK;
  }

  static Map<String, String> builtInVars(LakeConfig config) {
    return Map.of("catalog", config.catalog(), "raw", config.rawNamespace(), "curated", config.curatedNamespace(),
        "curated_private", config.privateNamespace());
  }

  private String where(int index, int count) {
    String origin = source.file != null ? source.file.toString() : "-e";
    return count == 1 ? origin + ": " : origin + ", statement " + (index + 1) + " of " + count + ": ";
  }

  private ResultPrinter.Format parseFormat() {
    try {
      return ResultPrinter.Format.valueOf(format.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--format must be table, csv or json, found " + format);
    }
  }

  private String readSource() {
    if (source.statements != null) {
      return source.statements;
    }
    if (!Files.isRegularFile(source.file)) {
      throw new InputException("SQL file " + source.file + " does not exist or is not a file");
    }
    try {
      return Files.readString(source.file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException("SQL file " + source.file + " cannot be read: " + e.getMessage(), e);
    }
  }
}
