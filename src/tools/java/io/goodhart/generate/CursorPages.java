package io.goodhart.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Generated requests as Cursor's Admin API reports them: the responses of {@code POST
 * /teams/filtered-usage-events} for one UTC day, page by page ({@link #PAGE_SIZE} events, newest first, as
 * the API lists them), pretty-printed, one file per page. Every request is a token-based call by its
 * person's email; Cursor counts cached input apart, so {@code inputTokens} = input - cache read,
 * {@code cacheReadTokens} = cache read (0 when the request reports none), {@code cacheWriteTokens} = 0.
 */
final class CursorPages {
  static final int PAGE_SIZE = 500;

  private CursorPages() {}

  /** The usage event of one request, as an element of {@code usageEvents} (indented, no separator). */
  static void event(Bytes b, EventFactory.Fields f, String email) {
    long cacheRead = Math.max(0, f.cacheRead);
    long input = f.input - cacheRead;
    b.str("    {\n");
    b.str("      \"timestamp\": \"").num(f.time).str("\",\n");
    if (f.model != null) {
      b.str("      \"model\": \"").str(f.model).str("\",\n");
    }
    b.str("      \"kind\": \"").str((f.idLo & 3) == 0 ? "Usage-based" : "Included in Business").str("\",\n");
    b.str("      \"maxMode\": false,\n");
    b.str("      \"requestsCosts\": 1,\n");
    b.str("      \"isTokenBasedCall\": true,\n");
    b.str("      \"tokenUsage\": {\n");
    b.str("        \"inputTokens\": ").num(input).str(",\n");
    b.str("        \"outputTokens\": ").num(f.output).str(",\n");
    b.str("        \"cacheWriteTokens\": 0,\n");
    b.str("        \"cacheReadTokens\": ").num(cacheRead).str(",\n");
    // priced at 3 cents per thousand input tokens (a tenth of that for cache reads) and 15 per thousand
    // output tokens, in hundredths of a cent so the text has exactly two decimals
    long hundredths = (input * 3 + cacheRead * 3 / 10 + f.output * 15) / 10;
    b.str("        \"totalCents\": ").num(hundredths / 100).ch('.').pad((int) (hundredths % 100), 2).str("\n");
    b.str("      },\n");
    b.str("      \"isFreeBugbot\": false,\n");
    b.str("      \"userEmail\": \"").str(email).str("\"\n");
    b.str("    }");
  }

  /** Pages a day of {@code events} takes: an empty day is still one (empty) page. */
  static int pages(long events) {
    return (int) Math.max(1, (events + PAGE_SIZE - 1) / PAGE_SIZE);
  }

  static String fileName(int page, boolean gzip) {
    return String.format(Locale.ROOT, "page-%05d.json%s", page, gzip ? ".gz" : "");
  }

  /** Writes the pages of one day, events in the order of their sort key (newest first). */
  static void writeDay(Path folder, long day, List<PartBuffer> events, boolean gzip) throws IOException {
    long total = events.stream().mapToLong(e -> e.n).sum();
    Pager pager = new Pager(folder, day * UsageGenerator.DAY, total, gzip);
    try {
      PartBuffer.forEachSorted(events, pager);
      pager.finish();
    } finally {
      pager.closeQuietly();
    }
  }

  /** Cuts the day's events into page files as they come. */
  private static final class Pager implements PartBuffer.LineSink {
    final Path folder;
    final long dayStart;
    final long total;
    final int pages;
    final boolean gzip;
    long written;
    OutputStream page;

    Pager(Path folder, long dayStart, long total, boolean gzip) {
      this.folder = folder;
      this.dayStart = dayStart;
      this.total = total;
      this.pages = pages(total);
      this.gzip = gzip;
    }

    @Override
    public void line(byte[] data, int off, int len) throws IOException {
      if (written % PAGE_SIZE == 0) {
        if (page != null) {
          close(page, dayStart);
        }
        page = open(folder, (int) (written / PAGE_SIZE) + 1, pages, total, gzip);
      } else {
        page.write(',');
        page.write('\n');
      }
      page.write(data, off, len);
      written++;
    }

    void finish() throws IOException {
      if (page == null) {
        page = open(folder, 1, pages, total, gzip);
      }
      OutputStream last = page;
      page = null;
      close(last, dayStart);
    }

    void closeQuietly() throws IOException {
      if (page != null) {
        page.close();
      }
    }
  }

  private static OutputStream open(Path folder, int number, int pages, long total, boolean gzip)
      throws IOException {
    Path file = folder.resolve(fileName(number, gzip));
    OutputStream raw = Files.newOutputStream(file);
    OutputStream out = new BufferedOutputStream(gzip ? new GZIPOutputStream(raw, 1 << 16) : raw, 1 << 16);
    String head = "{\n"
        + "  \"totalUsageEventsCount\": " + total + ",\n"
        + "  \"pagination\": {\n"
        + "    \"numPages\": " + (total == 0 ? 0 : pages) + ",\n"
        + "    \"currentPage\": " + number + ",\n"
        + "    \"pageSize\": " + PAGE_SIZE + ",\n"
        + "    \"hasNextPage\": " + (number < pages) + ",\n"
        + "    \"hasPreviousPage\": " + (number > 1) + "\n"
        + "  },\n"
        + "  \"usageEvents\": [\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    return out;
  }

  private static void close(OutputStream out, long dayStart) throws IOException {
    String tail = "\n  ],\n"
        + "  \"period\": {\n"
        + "    \"startDate\": " + dayStart + ",\n"
        + "    \"endDate\": " + (dayStart + UsageGenerator.DAY) + "\n"
        + "  }\n"
        + "}\n";
    out.write(tail.getBytes(StandardCharsets.US_ASCII));
    out.close();
  }
}
