package io.goodhart.directory;

import io.goodhart.lake.LakeTables;
import io.goodhart.privacy.ErasureList;
import io.goodhart.privacy.PseudonymKey;
import io.goodhart.runs.JobRun;
import io.goodhart.runs.RecordedRun;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code goodhart load-identities}: replaces {@code raw.identities} with the rows of one identities CSV
 * (contract section 6), in a single Iceberg snapshot published through a write-audit-publish branch, as
 * {@code load-directory} does with the directory. The file is validated whole first: any problem fails the
 * load with every problem listed, each naming its line and column, and leaves the table as it was, because a
 * partial mapping would silently move events between people.
 */
public final class IdentitiesLoadJob {
  public static final String NAME = "load-identities";
  static final List<String> REQUIRED = List.of("source", "source_user_key", "user_id", "valid_from");
  static final List<String> OPTIONAL = List.of("valid_to");
  /** The {@code source} of a row that holds for every source. */
  public static final String ANY_SOURCE = "*";

  /** One mapping: a source's key for a person stands for {@code userId} from {@code validFrom} to {@code validTo}. */
  public record Identity(String source, String sourceUserKey, String userId, LocalDate validFrom, LocalDate validTo,
      long sourceLine) {
    boolean overlaps(Identity other) {
      LocalDate end = validTo == null ? LocalDate.MAX : validTo;
      LocalDate otherEnd = other.validTo == null ? LocalDate.MAX : other.validTo;
      return !validFrom.isAfter(otherEnd) && !other.validFrom.isAfter(end);
    }
  }

  /** Rows when {@code problems} is empty; otherwise the problems, in file order. */
  public record Parsed(List<Identity> identities, List<String> problems) {}

  /** The columns that say what a mapping is (lineage columns aside). */
  public static final String[] COLUMNS = {"source", "source_user_key", "user_id", "valid_from", "valid_to"};

  private final SparkSession spark;
  private final LakeTables tables;
  private final Consumer<String> progress;

  public IdentitiesLoadJob(SparkSession spark, LakeTables tables, Consumer<String> progress) {
    this.spark = spark;
    this.tables = tables;
    this.progress = progress;
  }

  /** Loads the file and returns how many rows the table now holds. */
  public long run(String input) {
    String table = tables.identities();
    return RecordedRun.of(spark, tables, NAME, progress).reading(input).publishingTo(List.of(table)).run(run -> {
      List<Identity> delivered = read(input);
      List<Identity> identities = withoutErased(delivered);
      long erasedRows = delivered.size() - identities.size();
      List<Row> rows = identities.stream().map(i -> RowFactory.create(i.source(), i.sourceUserKey(), i.userId(),
          Date.valueOf(i.validFrom()), i.validTo() == null ? null : Date.valueOf(i.validTo()), input, i.sourceLine(),
          run.runId())).toList();
      Dataset<Row> df = spark.createDataFrame(rows, spark.table(table).schema());
      boolean unchanged = WholeTableLoad.unchanged(spark.table(table), df, COLUMNS);
      Long snapshot = unchanged ? tables.currentSnapshotId(table)
          : WholeTableLoad.replace(spark, tables, table, run.runId(), df, identities.size(), "identities");
      long people = identities.stream().map(Identity::userId).distinct().count();
      long sources = identities.stream().map(Identity::source).distinct().count();
      JobRun.Builder record = run.succeeded()
          .rowsRead(Map.of("identity_rows", (long) identities.size()))
          .written(Map.of(table, unchanged ? 0L : (long) identities.size()))
          .snapshots(unchanged ? Map.of() : Map.of(table, snapshot))
          .metrics(Map.of("people", people, "sources", sources, "erased_rows", erasedRows));
      return run.done((long) identities.size(), record, () -> String.format(
          "load-identities: %,d identities of %,d people from %,d source(s) -> %s%s%s",
          identities.size(), people, sources, table,
          erasedRows > 0 ? String.format(" (%,d row(s) of people erased on request dropped)", erasedRows) : "",
          unchanged ? " (unchanged, nothing committed)" : ""));
    });
  }

  /**
   * Parses and validates an identities CSV: RFC 4180 with a header row, columns found by name (extra columns
   * are ignored). Two rows of one source and key that hold on a same day are refused: the key would stand
   * for two people, or twice for one.
   */
  public static Parsed parse(String source, String text) {
    List<String> problems = new ArrayList<>();
    List<List<String>> records = new ArrayList<>();
    List<Long> lineOf = new ArrayList<>();
    DirectoryCsv.splitRecords(text, records, lineOf, problems, source);
    if (records.isEmpty()) {
      problems.add(source + ": file is empty (a header row is required)");
      return new Parsed(List.of(), problems);
    }
    Map<String, Integer> column = DirectoryCsv.columns(records.get(0), REQUIRED, source, problems);
    List<String> header = records.get(0);
    if (column == null) {
      return new Parsed(List.of(), problems);
    }
    List<Identity> identities = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      List<String> rec = records.get(r);
      long line = lineOf.get(r);
      String where = source + ":" + line + ": ";
      if (rec.size() != header.size()) {
        problems.add(where + "has " + rec.size() + " fields, the header has " + header.size());
        continue;
      }
      int before = problems.size();
      Map<String, String> v = new HashMap<>();
      column.forEach((name, i) -> v.put(name, rec.get(i).trim()));
      for (String c : REQUIRED) {
        if (v.get(c).isEmpty()) {
          problems.add(where + c + " is required but empty");
        }
      }
      String tool = v.get("source");
      if (!tool.isEmpty() && !tool.equals(tool.toLowerCase(Locale.ROOT))) {
        problems.add(where + "source must be lower-case, as events' tool is, found \"" + tool + "\"");
      }
      LocalDate from = DirectoryCsv.date(v.get("valid_from"), "valid_from", where, problems);
      LocalDate to = DirectoryCsv.date(v.getOrDefault("valid_to", ""), "valid_to", where, problems);
      if (from != null && to != null && to.isBefore(from)) {
        problems.add(where + "valid_to " + to + " is before valid_from " + from);
      }
      if (problems.size() == before) {
        identities.add(new Identity(tool, v.get("source_user_key"), v.get("user_id"), from, to, line));
      }
    }
    problems.addAll(overlaps(source, identities));
    return new Parsed(problems.isEmpty() ? identities : List.of(), problems);
  }

  private static List<String> overlaps(String source, List<Identity> identities) {
    List<String> problems = new ArrayList<>();
    Map<List<String>, List<Identity>> byKey = identities.stream()
        .collect(Collectors.groupingBy(i -> List.of(i.source(), i.sourceUserKey())));
    byKey.values().forEach(list -> {
      list.sort(Comparator.comparing(Identity::validFrom));
      for (int i = 1; i < list.size(); i++) {
        Identity a = list.get(i - 1);
        Identity b = list.get(i);
        if (a.overlaps(b)) {
          problems.add(source + ":" + b.sourceLine() + ": source_user_key " + b.sourceUserKey() + " of source "
              + b.source() + " from " + b.validFrom() + " overlaps the row on line " + a.sourceLine() + " ("
              + a.validFrom() + " to " + (a.validTo() == null ? "open" : a.validTo()) + ")");
        }
      }
    });
    problems.sort(Comparator.naturalOrder());
    return problems;
  }

  private List<Identity> read(String input) {
    byte[] bytes = DirectoryLoadJob.bytes(spark, input, "identities", "an identities CSV");
    Parsed parsed = parse(input, DirectoryLoadJob.text("identities file", input, bytes));
    if (!parsed.problems().isEmpty()) {
      throw WholeTableLoad.refused("identities file", parsed.problems());
    }
    return parsed.identities();
  }

  /** The rows without those of people {@code goodhart forget} erased: a re-delivered file must not bring them back. */
  private List<Identity> withoutErased(List<Identity> identities) {
    ErasureList erasure = ErasureList.read(spark, tables, () -> PseudonymKey.erasureKey(tables.config()));
    if (erasure.isEmpty()) {
      return identities;
    }
    Set<String> ids = new HashSet<>();
    identities.forEach(i -> ids.add(i.userId()));
    Set<String> erased = Set.copyOf(erasure.erasedAmong(ids));
    return identities.stream().filter(i -> !erased.contains(i.userId())).toList();
  }
}
