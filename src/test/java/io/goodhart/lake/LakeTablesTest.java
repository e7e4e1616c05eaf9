package io.goodhart.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LakeTablesTest {
  @Test
  void scriptsSplitOnSemicolonsOutsideQuotesAndLoseTheirComments() {
    String script = "-- a table; with a comment\nCREATE TABLE t (a INT COMMENT 'x; y', b STRING COMMENT 'it\\'s');\n"
        + "ALTER TABLE t WRITE ORDERED BY a -- trailing; comment\n;\n\n";
    assertEquals(List.of("CREATE TABLE t (a INT COMMENT 'x; y', b STRING COMMENT 'it\\'s')",
        "ALTER TABLE t WRITE ORDERED BY a"), SqlText.statements(script));
  }
}
