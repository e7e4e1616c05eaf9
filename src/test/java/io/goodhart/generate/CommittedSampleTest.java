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
 * datasets/sample is exactly what the README's generate command produces, so the committed sample can
 * always be reproduced (and regenerated when the generator changes on purpose).
 */
class CommittedSampleTest {
  private static final Path SAMPLE = Path.of("datasets/sample");

  @TempDir Path dir;

  @Test
  void theCommittedSampleIsTheOutputOfTheDocumentedCommand() throws IOException {
    // The README documents: goodhart generate --out datasets/sample --seed 7 --users 200 --weeks 4 --start 2026-10-26
    new UsageGenerator().generate(GeneratorConfig.builder()
        .seed(7).users(200).weeks(4).start(LocalDate.of(2026, 10, 26)).out(dir).build());
    List<Path> expected = files(dir);
    assertEquals(expected, files(SAMPLE), "file list differs: regenerate datasets/sample with the README command");
    for (Path relative : expected) {
      assertArrayEquals(Files.readAllBytes(dir.resolve(relative)), Files.readAllBytes(SAMPLE.resolve(relative)),
          relative + " differs: regenerate datasets/sample with the README command");
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
