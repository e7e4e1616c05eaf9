package io.goodhart.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every relative link of the README and docs/ points at a file that exists, and every #anchor at a heading. */
class DocLinksTest {
  private static final Pattern CODE_BLOCK = Pattern.compile("```.*?```", Pattern.DOTALL);
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*$", Pattern.MULTILINE);

  @Test
  void everyInternalLinkResolves() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      Matcher m = LINK.matcher(text(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^(https?|mailto):.*")) {
          continue;
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(page + ": " + target + " (no such file)");
        } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
          broken.add(page + ": " + target + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken, "broken links in the README or docs/");
  }

  private static String text(Path page) throws IOException {
    return CODE_BLOCK.matcher(Files.readString(page, StandardCharsets.UTF_8)).replaceAll("");
  }

  /** GitHub's anchors for the headings of a Markdown file. */
  private static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = HEADING.matcher(text(page));
    while (m.find()) {
      String a = m.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").strip().toLowerCase(Locale.ROOT)
          .replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
      int n = seen.merge(a, 1, Integer::sum) - 1;
      anchors.add(n == 0 ? a : a + "-" + n);
    }
    return anchors;
  }
}
