package io.goodhart.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated part of docs/performance.md: the latest result files of {@code docs/bench/} (its chart
 * and its tables, as the bench wrote them) and a link to every kept run, newest first. Figures in the
 * docs come from these files only. BenchDocsTest fails when the part is stale.
 */
public final class BenchDocs {
  public static final String BEGIN = "<!-- bench results: generated from docs/bench/ by io.goodhart.bench.BenchDocs -->";
  public static final String END = "<!-- end of bench results -->";

  private BenchDocs() {}

  /** The markdown between the markers, for result files in {@code folder}, linked as {@code link/NAME}. */
  public static String markdown(Path folder, String link) {
    List<Path> files = new ArrayList<>(BenchTrend.resultFiles(folder));
    if (files.isEmpty()) {
      return "No results are kept in `" + link + "/` yet: run `goodhart bench` to write some.\n";
    }
    java.util.Collections.reverse(files);
    String latest = name(files.get(0));
    StringBuilder md = new StringBuilder();
    md.append("The latest run, `").append(latest).append("` ([csv](").append(link).append('/').append(latest)
        .append(".csv), [text](").append(link).append('/').append(latest).append(".txt)); its chart shows every run ")
        .append("kept when it ran:\n\n");
    md.append("![The trend across the kept bench results](").append(link).append('/').append(latest).append(".svg)\n\n");
    md.append("```text\n").append(read(folder.resolve(latest + ".txt")).strip()).append("\n```\n\n");
    md.append("Every kept run, newest first:\n\n");
    for (Path file : files) {
      String name = name(file);
      md.append("- `").append(name).append("`: [csv](").append(link).append('/').append(name).append(".csv), [text](")
          .append(link).append('/').append(name).append(".txt), [chart](").append(link).append('/').append(name)
          .append(".svg)\n");
    }
    return md.toString();
  }

  private static String name(Path csv) {
    return csv.getFileName().toString().replaceAll("\\.csv$", "");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("a kept bench result lacks its text file: " + file, e);
    }
  }
}
