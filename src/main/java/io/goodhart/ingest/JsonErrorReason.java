package io.goodhart.ingest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON parser's complaint as a reject reason may keep it: what went wrong and what was expected, never
 * the input's own characters. Jackson quotes the offending token ({@code Unrecognized token 'my'}),
 * shows the offending character ({@code ('p' (code 112))}) or number, and can describe where an object
 * started with the source text itself ({@code [Source: (String)"..."; line: 1, column: 9]}); any of these
 * could be prompt text of a line that is rejected because it is not JSON.
 */
public final class JsonErrorReason {
  private static final Pattern SOURCE = Pattern.compile("\\[Source: .*; line: (\\d+), column: (\\d+)]", Pattern.DOTALL);
  private static final Pattern EXPECTATION = Pattern.compile(": (was expecting|expected) ");
  private static final Pattern QUOTED = Pattern.compile("\\s*'[^']*'");
  private static final Pattern PARENTHESISED = Pattern.compile("\\s*\\((?:[^()]|\\([^()]*\\))*\\)");

  private JsonErrorReason() {}

  /** The parser's message with every quoted or parenthesised piece of the input taken out. */
  public static String of(String parserMessage) {
    if (parserMessage == null) {
      return "unreadable";
    }
    String message = SOURCE.matcher(parserMessage).replaceAll("line $1, column $2").replaceAll("\\s+", " ").strip();
    Matcher expectation = EXPECTATION.matcher(message);
    boolean hasExpectation = expectation.find();
    String problem = hasExpectation ? message.substring(0, expectation.start()) : message;
    String expected = hasExpectation ? message.substring(expectation.start()) : "";
    problem = QUOTED.matcher(PARENTHESISED.matcher(problem).replaceAll("")).replaceAll("");
    // Whatever the patterns missed (a quote or a parenthesis as the offending character) goes too.
    int leftover = firstOf(problem, "'\"()`");
    if (leftover >= 0) {
      problem = problem.substring(0, leftover).strip();
    }
    return problem + expected;
  }

  private static int firstOf(String text, String characters) {
    for (int i = 0; i < text.length(); i++) {
      if (characters.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
