package io.goodhart.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Test helpers that read a generated data set back. */
final class GeneratedData {
  private GeneratedData() {}

  /** One line of an event file, with where it was found. */
  record RawLine(LocalDate folderDate, String file, int lineNo, String text) {}

  /** All event lines in reading order: folder date, then part file, then line. */
  static List<RawLine> readEventLines(Path out) throws IOException {
    Path events = out.resolve(UsageGenerator.EVENTS_DIR);
    List<Path> files;
    try (Stream<Path> s = Files.walk(events)) {
      files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    List<RawLine> lines = new ArrayList<>();
    for (Path f : files) {
      String folder = f.getParent().getFileName().toString();
      if (!folder.startsWith("date=")) {
        throw new AssertionError("unexpected folder " + folder);
      }
      LocalDate date = LocalDate.parse(folder.substring(5));
      try (InputStream raw = Files.newInputStream(f);
          InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
          BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
          lines.add(new RawLine(date, events.relativize(f).toString(), ++no, line));
        }
      }
    }
    return lines;
  }

  /** Minimal RFC-4180 reader (quoted fields, doubled quotes, no embedded newlines needed). */
  static List<List<String>> readCsv(Path file) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      List<String> fields = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
              cur.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            cur.append(c);
          }
        } else if (c == '"') {
          if (cur.length() != 0) {
            throw new AssertionError("quote inside unquoted field: " + line);
          }
          quoted = true;
          wasQuoted = true;
        } else if (c == ',') {
          fields.add(cur.toString());
          cur.setLength(0);
          wasQuoted = false;
        } else {
          if (wasQuoted) {
            throw new AssertionError("text after closing quote: " + line);
          }
          cur.append(c);
        }
      }
      if (quoted) {
        throw new AssertionError("unterminated quote: " + line);
      }
      fields.add(cur.toString());
      rows.add(fields);
    }
    return rows;
  }
}
