package io.goodhart.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reads of attribute values that do without the general parsers give what those parsers give. */
class AttributesTest {
  @Test
  void aUtcTimeInTheSendersFormIsTheInstantTheIsoParserReads() {
    for (String text : List.of("2026-01-16T09:56:57.572Z", "2026-01-16T09:56:57Z", "2026-01-16T09:56:57.5Z",
        "2026-01-16T09:56:57.123456789Z", "2024-02-29T23:59:59.000Z", "2000-01-01T00:00:00Z")) {
      assertEquals(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(),
          Attributes.utcTime(text), text);
    }
    assertEquals(Instant.parse("2026-01-16T09:56:57.572Z"), Attributes.utcTime("2026-01-16T09:56:57.572Z"));
  }

  @Test
  void anyOtherFormOrAnImpossibleTimeIsLeftToTheIsoParser() {
    for (String text : List.of("2026-01-16T10:56:57.572+01:00", "2026-01-16T09:56Z", "2026-01-16t09:56:57Z",
        "2026-01-16T09:56:57.Z", "2026-01-16T09:56:57.1234567890Z", "2026-01-16T09:56:57", "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z", "2026-01-16T24:00:00Z", "2026-01-16T23:60:00Z", "2026-01-16T23:59:60Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "+026-01-16T09:56:57Z",
        "2026-01-16T09:56:5xZ", "\u0662026-01-16T09:56:57Z")) {
      assertNull(Attributes.utcTime(text), text);
    }
  }

  @Test
  void aWholeNumberIsAnOptionalMinusAndAsciiDigits() {
    for (String text : List.of("0", "4", "-1", "007", "9007199254740992")) {
      assertTrue(Attributes.isWholeNumber(text), text);
    }
    for (String text : List.of("", "-", "+1", "4.0", "4 tokens", " 4", "1e3", "\u0664", "--1")) {
      assertFalse(Attributes.isWholeNumber(text), text);
    }
  }
}
