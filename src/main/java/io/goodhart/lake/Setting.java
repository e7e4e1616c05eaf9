package io.goodhart.lake;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@code goodhart.*} setting: its key, the kind of value, the default, what it does, and how a value is
 * checked. A value that fails the check is a usage error naming the key ({@link SettingException}, exit 2).
 * Every setting is declared once, in {@link Settings}; the configuration reference in the docs is written
 * from there.
 */
public final class Setting<T> {
  /** How a value is written, as the docs say it. */
  public enum Kind {
    TEXT("text"), WHOLE_NUMBER("whole number"), SHARE("number from 0 to 1"), BOOLEAN("true or false"),
    PATH("path"), TIME_ZONE("time zone"), CHOICE("one of"), PAIRS("name:value pairs, comma-separated");

    final String said;

    Kind(String said) {
      this.said = said;
    }
  }

  private final String key;
  private final Kind kind;
  private final String defaultValue;
  private final String description;
  private final Function<String, T> parse;
  private java.util.List<String> choices = java.util.List.of();

  private Setting(String key, Kind kind, String defaultValue, String description, Function<String, T> parse) {
    this.key = key;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.description = description;
    this.parse = parse;
  }

  static Setting<String> text(String key, String defaultValue, String description) {
    return new Setting<>(key, Kind.TEXT, defaultValue, description, v -> v);
  }

  static Setting<String> path(String key, String defaultValue, String description) {
    return new Setting<>(key, Kind.PATH, defaultValue, description, v -> v);
  }

  static Setting<Integer> wholeNumber(String key, Integer defaultValue, int min, String description) {
    return new Setting<>(key, Kind.WHOLE_NUMBER, defaultValue == null ? null : String.valueOf(defaultValue),
        description, v -> {
          int value;
          try {
            value = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new SettingException(key, "must be a whole number", v);
          }
          if (value < min) {
            throw new SettingException(key, "must be at least " + min, v);
          }
          return value;
        });
  }

  static Setting<Double> share(String key, double defaultValue, String description) {
    return new Setting<>(key, Kind.SHARE, String.valueOf(defaultValue), description, v -> {
      double value;
      try {
        value = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new SettingException(key, "must be a share between 0 and 1", v);
      }
      if (!(value >= 0 && value <= 1)) {
        throw new SettingException(key, "must be a share between 0 and 1", v);
      }
      return value;
    });
  }

  static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
    return new Setting<>(key, Kind.BOOLEAN, String.valueOf(defaultValue), description, v -> {
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
      throw new SettingException(key, "must be true or false", v);
    });
  }

  static Setting<String> oneOf(String key, String defaultValue, java.util.List<String> values, String description) {
    Setting<String> setting = new Setting<>(key, Kind.CHOICE, defaultValue, description, v -> {
      for (String allowed : values) {
        if (allowed.equalsIgnoreCase(v)) {
          return allowed;
        }
      }
      throw new SettingException(key, "must be one of " + String.join(", ", values), v);
    });
    setting.choices = java.util.List.copyOf(values);
    return setting;
  }

  /** One {@code name:value} entry of a {@link Kind#PAIRS} setting. */
  public record Pair(String name, String value) {}

  private static final java.util.regex.Pattern PAIR_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /**
   * A list of {@code name:value} entries, comma-separated, in the order written; names are lower-case letters,
   * digits, '-' and '_', each at most once. Unset is the empty list.
   */
  static Setting<java.util.List<Pair>> pairs(String key, String description) {
    return new Setting<>(key, Kind.PAIRS, null, description, v -> {
      java.util.List<Pair> pairs = new java.util.ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String entry : v.split(",")) {
        String trimmed = entry.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        int colon = trimmed.indexOf(':');
        String name = colon < 0 ? trimmed : trimmed.substring(0, colon).strip();
        String value = colon < 0 ? "" : trimmed.substring(colon + 1).strip();
        if (!PAIR_NAME.matcher(name).matches() || value.isEmpty()) {
          throw new SettingException(key, "each entry must be name:value with a name of lower-case letters, digits, "
              + "'-' or '_' (found \"" + trimmed + "\")", v);
        }
        if (!seen.add(name)) {
          throw new SettingException(key, "names " + name + " twice", v);
        }
        pairs.add(new Pair(name, value));
      }
      return java.util.List.copyOf(pairs);
    });
  }

  /** The values a {@link Kind#CHOICE} setting takes; empty for the other kinds. */
  public java.util.List<String> choices() {
    return choices;
  }

  static Setting<ZoneId> timeZone(String key, String defaultValue, String description) {
    return new Setting<>(key, Kind.TIME_ZONE, defaultValue, description, v -> {
      try {
        return ZoneId.of(v);
      } catch (DateTimeException e) {
        throw new SettingException(key, "must be a time zone such as UTC or Europe/Berlin", v);
      }
    });
  }

  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  /** The default as written in a properties file, or null when unset means something of its own. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The value in these settings, else the default; null when neither is there. */
  public T from(Map<String, String> settings) {
    String raw = settings.get(key);
    if (raw == null || raw.isBlank()) {
      raw = defaultValue;
    }
    return raw == null ? null : parse.apply(raw.trim());
  }

  /** Whether the value these settings hold (if any) is valid; throws {@link SettingException} if not. */
  void check(Map<String, String> settings) {
    from(settings);
  }

  @Override
  public String toString() {
    return key;
  }
}
