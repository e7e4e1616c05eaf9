package io.goodhart.lake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL text as people write it in {@code sql/} and pass to {@code goodhart sql -f}: {@code ${name}}
 * placeholders bound to values, and scripts split into statements. A placeholder left unbound is an
 * error naming it, never a statement sent to Spark with {@code ${...}} inside.
 */
public final class SqlText {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.-]*)}");

  private SqlText() {}

  /** The text with every {@code ${name}} replaced by {@code values.get(name)}. */
  public static String bind(String text, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    TreeSet<String> unbound = new TreeSet<>();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        unbound.add(m.group(1));
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
      } else {
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
    }
    m.appendTail(out);
    if (!unbound.isEmpty()) {
      throw new IllegalArgumentException("no value for " + String.join(", ", unbound.stream().map(n -> "${" + n + "}").toList())
          + " (pass --var NAME=VALUE; bound: " + String.join(", ", new TreeSet<>(values.keySet())) + ")");
    }
    return out.toString();
  }

  /** Built-in values plus the user's, the user's winning. */
  public static Map<String, String> merge(Map<String, String> builtIn, Map<String, String> user) {
    Map<String, String> all = new LinkedHashMap<>(builtIn);
    all.putAll(user);
    return all;
  }

  /** Splits a script on semicolons outside quotes, dropping {@code --} comments. */
  public static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (quote != 0) {
        current.append(c);
        if (c == '\\' && i + 1 < script.length()) {
          current.append(script.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
        current.append(c);
      } else if (c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
        while (i < script.length() && script.charAt(i) != '\n') {
          i++;
        }
        current.append('\n');
      } else if (c == ';') {
        addIfNotBlank(statements, current);
      } else {
        current.append(c);
      }
    }
    addIfNotBlank(statements, current);
    return statements;
  }

  private static void addIfNotBlank(List<String> statements, StringBuilder current) {
    String statement = current.toString().trim();
    if (!statement.isEmpty()) {
      statements.add(statement);
    }
    current.setLength(0);
  }

}
