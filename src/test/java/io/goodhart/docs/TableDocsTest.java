package io.goodhart.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/tables.md is what {@link TableDocs} writes from the DDL comments under sql/: never stale. */
class TableDocsTest {
  private static final Path ROOT = Path.of(".");

  @Test
  void theCommittedTableReferenceIsGeneratedFromTheCurrentDdl() throws IOException {
    Path committed = ROOT.resolve(TableDocs.OUTPUT);
    assertTrue(Files.exists(committed), TableDocs.OUTPUT + " is missing; write it with: " + TableDocs.REGENERATE);
    assertEquals(TableDocs.render(ROOT), Files.readString(committed, StandardCharsets.UTF_8),
        TableDocs.OUTPUT + " is stale: the DDL under sql/ changed. Regenerate it with: " + TableDocs.REGENERATE);
  }

  @Test
  void everyTableOfEveryNamespaceHasADescriptionAndCommentedColumns() {
    for (String namespace : new String[] {"raw", "curated_private", "curated"}) {
      for (TableDocs.Table table : TableDocs.tables(ROOT, namespace)) {
        assertEquals(namespace, table.namespace(), table.script() + " creates a table in another namespace");
        assertFalse(table.description().isEmpty(), table.script().toString());
        assertFalse(table.columns().isEmpty(), table.script().toString());
        for (TableDocs.Column column : table.columns()) {
          assertFalse(column.comment().isBlank(), table.script() + ": " + column.name() + " has an empty COMMENT");
        }
      }
    }
  }

  @Test
  void parsesTypesWithCommasAndNestedBrackets() {
    TableDocs.Table t = TableDocs.parse(Path.of("sql/x/t.sql"), """
        -- x.t: a table.
        CREATE TABLE IF NOT EXISTS ${x}.t (
          a MAP<STRING, BIGINT> COMMENT 'one, two',
          b ARRAY<STRUCT<id: INT, c: ARRAY<DOUBLE>>> NOT NULL COMMENT 'it''s (nested)',
          d DECIMAL(10, 2) NOT NULL COMMENT 'money'
        )
        USING iceberg
        PARTITIONED BY (days(e))
        TBLPROPERTIES ('format-version' = '2');

        ALTER TABLE ${x}.t WRITE ORDERED BY a, b;
        """);
    assertEquals(3, t.columns().size());
    assertEquals(new TableDocs.Column("a", "MAP<STRING, BIGINT>", false, "one, two"), t.columns().get(0));
    assertEquals(new TableDocs.Column("b", "ARRAY<STRUCT<id: INT, c: ARRAY<DOUBLE>>>", true, "it's (nested)"),
        t.columns().get(1));
    assertEquals("DECIMAL(10, 2)", t.columns().get(2).type());
    assertEquals("days(e)", t.partitionedBy());
    assertEquals("a, b", t.writeOrder());
  }
}
