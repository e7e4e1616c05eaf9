package io.goodhart.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/performance.md shows the result files kept in docs/bench/ as they are. Run with
 * {@code -Dgoodhart.docs.write=true} to rewrite its generated part after a bench wrote new files.
 */
class BenchDocsTest {
  private static final Path DOC = Path.of("docs/performance.md");
  private static final Path RESULTS = Path.of("docs/bench");

  @Test
  void thePerformanceDocShowsTheKeptBenchResults() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(BenchDocs.BEGIN);
    int end = doc.indexOf(BenchDocs.END);
    assertTrue(begin >= 0 && end > begin, DOC + " must hold the markers " + BenchDocs.BEGIN + " and " + BenchDocs.END);
    String generated = BenchDocs.markdown(RESULTS, "bench");
    String current = doc.substring(begin + BenchDocs.BEGIN.length(), end).strip() + "\n";
    if (Boolean.getBoolean("goodhart.docs.write")) {
      Files.writeString(DOC, doc.substring(0, begin + BenchDocs.BEGIN.length()) + "\n" + generated
          + doc.substring(end), StandardCharsets.UTF_8);
      return;
    }
    assertEquals(generated, current, DOC + " is stale: run mvn -o test -Dtest=BenchDocsTest -Dgoodhart.docs.write=true");
  }

  @Test
  void everyKeptResultHasItsThreeFilesNamedAfterItsRun() {
    assertFalse(BenchTrend.resultFiles(RESULTS).isEmpty(), "docs/bench keeps at least one run");
    for (Path csv : BenchTrend.resultFiles(RESULTS)) {
      BenchTrend.Run run = BenchTrend.read(csv);
      assertTrue(Files.isRegularFile(RESULTS.resolve(run.name() + ".txt")), run.name() + ".txt");
      assertTrue(Files.isRegularFile(RESULTS.resolve(run.name() + ".svg")), run.name() + ".svg");
      assertFalse(run.rows().isEmpty(), csv + " holds figures");
      for (Map<String, String> row : run.rows()) {
        assertEquals(run.name(), row.get("date") + "-" + row.get("machine"), csv + ": " + row);
      }
    }
  }
}
