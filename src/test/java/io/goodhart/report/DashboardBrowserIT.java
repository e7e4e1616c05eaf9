package io.goodhart.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.goodhart.testing.GoodhartJar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code goodhart report} on the bundled sample, opened in a real browser (Debian's headless
 * Chromium): the page renders without console errors, holds its charts and the lake's figures, and a
 * screenshot is saved to target/dashboard.png.
 */
class DashboardBrowserIT {
  private static final Path TARGET = GoodhartJar.TARGET;
  private static final String WEEK = "2026-W47";
  private static Path lakeDir;
  private static Path page;
  private static String dom;
  private static String browserLog;

  @BeforeAll
  static void aDashboardOfTheSample() throws Exception {
    // The sample lake is shared with the Python interop tests (src/test/python), which reuse it when
    // its marker is newer than the jar instead of loading the sample a second time.
    lakeDir = TARGET.resolve("sample-lake");
    Path marker = lakeDir.resolve(".quickstart-done");
    Files.deleteIfExists(marker);
    deleteRecursively(lakeDir);
    run("quickstart");
    Files.writeString(marker, "goodhart quickstart on datasets/sample\n");
    Path out = TARGET.resolve("dashboard");
    run("report", "--week", WEEK, "--out", out.toString());
    page = out.resolve("index.html");
    Path chromium = Path.of("/usr/bin/chromium");
    assertTrue(Files.isExecutable(chromium), "Chromium is installed by scripts/test.sh (apt package chromium)");
    List<String> flags = List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--hide-scrollbars",
        "--enable-logging=stderr", "--v=0", "--window-size=1100,3000");
    List<String> dumpDom = new ArrayList<>(flags);
    dumpDom.addAll(List.of("--dump-dom", page.toUri().toString()));
    Process p = new ProcessBuilder(dumpDom).start();
    byte[] stderr = p.getErrorStream().readAllBytes();
    dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    browserLog = new String(stderr, StandardCharsets.UTF_8);
    List<String> shot = new ArrayList<>(flags);
    shot.addAll(List.of("--screenshot=" + TARGET.resolve("dashboard.png"), page.toUri().toString()));
    Process s = new ProcessBuilder(shot).redirectErrorStream(true).redirectOutput(TARGET.resolve("dashboard-screenshot.log").toFile()).start();
    assertTrue(s.waitFor(2, TimeUnit.MINUTES));
  }

  private static String run(String... args) throws Exception {
    Path log = TARGET.resolve("report-it-" + args[0] + ".log");
    Process p = GoodhartJar.command(lakeDir, "3g", args).redirectError(log.toFile()).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + output + Files.readString(log));
    return output;
  }

  private static void deleteRecursively(Path folder) throws java.io.IOException {
    if (Files.exists(folder)) {
      try (var paths = Files.walk(folder)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static int count(String text, String needle) {
    return text.split(Pattern.quote(needle), -1).length - 1;
  }

  @Test
  void theBrowserRendersEveryChartWithoutConsoleErrors() {
    assertFalse(dom.isBlank(), "Chromium returned no DOM; log:\n" + browserLog);
    assertFalse(browserLog.contains("CONSOLE") && browserLog.toLowerCase(Locale.ROOT).contains("error"),
        "console errors:\n" + browserLog);
    assertTrue(count(dom, "<svg") >= 5, "charts: adoption trend, teams, slope, padding, model");
    assertTrue(count(dom, "<polyline class=\"series\"") >= 2, "a line for the company and each org");
    for (String section : List.of("adoption", "teams", "leaderboard", "padding", "model")) {
      assertTrue(dom.contains("<section id=\"" + section + "\">"), section);
    }
    assertTrue(Files.isRegularFile(TARGET.resolve("dashboard.png")), "screenshot saved");
    assertFalse(dom.contains("<script"), "no script: the page works with scripts off");
  }

  @Test
  void theFiguresOnThePageAreTheLakesFigures() throws Exception {
    String csv = run("sql", "--format", "csv", "-e", "SELECT engagement_rate, target_rate FROM curated.adoption_vs_target "
        + "WHERE level = 'company' AND iso_week = '" + WEEK + "'");
    assertEquals(2, csv.strip().split("\n").length, csv);
    String[] company = csv.strip().split("\n")[1].split(",");
    String rate = String.format(Locale.ROOT, "%.1f%%", Double.parseDouble(company[0]) * 100);
    Matcher tile = Pattern.compile("id=\"tile-engagement\">.*?<div class=\"value\">([^<]*)</div>").matcher(dom);
    assertTrue(tile.find(), dom);
    assertEquals(rate, tile.group(1));

    String top = run("sql", "--format", "csv", "-e", "SELECT person_id, total_tokens FROM curated.leaderboard_snapshots "
        + "WHERE snapshot_date = DATE '2026-11-22' AND rank = 1");
    assertEquals(2, top.strip().split("\n").length, top);
    String[] leader = top.strip().split("\n")[1].split(",");
    Matcher firstRow = Pattern.compile("id=\"board-raw\">.*?<tr[^>]*><td>1</td><td>([^<]*)</td><td>[^<]*</td><td class=\"num\">([^<]*)</td>")
        .matcher(dom);
    assertTrue(firstRow.find(), dom);
    assertEquals(leader[0], firstRow.group(1));
    assertEquals(String.format(Locale.ROOT, "%,d", Long.parseLong(leader[1])), firstRow.group(2));
    assertTrue(leader[0].matches("p_[0-9a-f]{16}"), "the board shows pseudonyms");
  }
}
