package io.goodhart.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * datasets/sample is exactly what the generate command of docs/testing.md produces, so the committed sample can
 * always be reproduced (and regenerated when the generator changes on purpose).
 */
class CommittedSampleTest {
  private static final Path SAMPLE = Path.of("datasets/sample");

  @TempDir Path dir;

  @Test
  void theCommittedSampleIsTheOutputOfTheDocumentedCommand() throws IOException {
    // docs/testing.md documents: goodhart generate --out datasets/sample --seed 7 --users 200 --weeks 4 --start 2026-10-26
    new UsageGenerator().generate(GeneratorConfig.builder()
        .seed(7).users(200).weeks(4).start(LocalDate.of(2026, 10, 26)).out(dir).build());
    List<Path> expected = files(dir);
    assertEquals(expected, files(SAMPLE), "file list differs: regenerate datasets/sample with the command in docs/testing.md");
    for (Path relative : expected) {
      assertArrayEquals(Files.readAllBytes(dir.resolve(relative)), Files.readAllBytes(SAMPLE.resolve(relative)),
          relative + " differs: regenerate datasets/sample with the command in docs/testing.md");
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
