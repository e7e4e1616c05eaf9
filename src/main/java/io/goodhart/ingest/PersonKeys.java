package io.goodhart.ingest;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys a source names a person by, before resolution to the directory. A record may carry several (a
 * Claude Code event has an email, an account uuid and an installation id); resolution
 * ({@link PersonResolution}) tries them in the order of {@link Type} through {@code raw.identities}
 * and the directory's {@code email} column. Stored as {@code person_keys} (type name -> key); the
 * preferred key (the first present) is the record's {@code user_id} until it resolves.
 */
public record PersonKeys(Map<Type, String> keys) implements Serializable {

  /** Kinds of person key, in the order they are tried. */
  public enum Type {
    /** The directory's own user_id (the native contract). */
    DIRECTORY("directory"),
    /** An email address ({@code user.email}, Cursor's {@code userEmail}); matched case-insensitively. */
    EMAIL("email"),
    /**
     * An account of the vendor ({@code user.account_uuid}; Amazon Q's {@code UserId}, an IAM Identity Center id;
     * GitHub Copilot's {@code user_login}).
     */
    ACCOUNT("account"),
    /** A numeric account id of the vendor that stands beside its login (GitHub Copilot's {@code user_id}). */
    ACCOUNT_ID("account_id"),
    /** An end user id set by an application ({@code enduser.id}, {@code user.id} on GenAI spans). */
    ENDUSER("enduser"),
    /** An installation or device id (Claude Code's {@code user.id}): resolves only through an explicit identity row. */
    INSTALLATION("installation");

    private final String column;

    Type(String column) {
      this.column = column;
    }

    /** The name stored in {@code person_keys} and {@code user_key_type}, and used in {@code raw.identities.key_type}. */
    public String column() {
      return column;
    }
  }

  public PersonKeys {
    EnumMap<Type, String> kept = new EnumMap<>(Type.class);
    keys.forEach((type, value) -> {
      if (value != null && !value.isBlank()) {
        kept.put(type, value);
      }
    });
    keys = kept;
  }

  public static PersonKeys directory(String userId) {
    return new PersonKeys(Map.of(Type.DIRECTORY, userId));
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The first key present, in the order of {@link Type}; null when there is none. */
  public String preferred() {
    return keys.isEmpty() ? null : keys.values().iterator().next();
  }

  /** The type of {@link #preferred()}. */
  public Type preferredType() {
    return keys.isEmpty() ? null : keys.keySet().iterator().next();
  }

  /** As stored: type column name -> key, in resolution order. */
  public Map<String, String> asColumn() {
    Map<String, String> out = new LinkedHashMap<>();
    keys.forEach((type, value) -> out.put(type.column(), value));
    return out;
  }
}
