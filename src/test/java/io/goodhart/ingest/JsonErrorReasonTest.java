package io.goodhart.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A line rejected as not JSON is described by what broke and what was expected, never by its own text. */
class JsonErrorReasonTest {
  private static String reason(String line) {
    return new EventLineParser().parse(line).reason();
  }

  @Test
  void anUnquotedWordIsNotRepeatedInTheReason() {
    assertEquals("not valid JSON: Unrecognized token: was expecting (JSON String, Number (or 'NaN'/'INF'/'+INF'), "
        + "Array, Object or token 'null', 'true' or 'false') (near column 41)", reason("{\"event_id\":\"e1\",\"prompt\": mySecretWords here}"));
  }

  @Test
  void anUnexpectedCharacterIsNotShown() {
    assertEquals("not valid JSON: Unexpected character: was expecting double-quote to start field name (near column 4)",
        reason("{ S}"));
    assertEquals("not valid JSON: Unexpected character: was expecting comma to separate Object entries (near column 18)",
        reason("{\"event_id\":\"e1\"'Secret'}"));
  }

  @Test
  void theSourceTextOfAnUnclosedObjectIsNotShown() {
    assertEquals("not valid JSON: Unexpected end-of-input: expected close marker for Object (start marker at "
        + "line 1, column 1) (near column 33)", reason("{\"event_id\":\"e1\",\"note\":\"SECRET\""));
  }

  @Test
  void messagesWithoutInputAreKeptWhole() {
    assertEquals("Unexpected end-of-input in VALUE_STRING", JsonErrorReason.of("Unexpected end-of-input in VALUE_STRING"));
    assertEquals("Unexpected close marker: expected '}' (for Object starting at line 1, column 1)",
        JsonErrorReason.of("Unexpected close marker ']': expected '}' (for Object starting at [Source: (String)"
            + "\"{\"prompt\":\"SECRET\"]\"; line: 1, column: 1])"));
    assertEquals("Unexpected character in numeric value: Exponent indicator not followed by a digit",
        JsonErrorReason.of("Unexpected character ('S' (code 83)) in numeric value: Exponent indicator not followed by a digit"));
    assertEquals("Unexpected character: was expecting comma to separate Array entries",
        JsonErrorReason.of("Unexpected character ('(' (code 40)): was expecting comma to separate Array entries"));
  }
}
