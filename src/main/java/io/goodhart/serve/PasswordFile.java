package io.goodhart.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users a BI tool may connect as: one line per user, {@code name:pbkdf2-sha256:iterations:salt:hash}
 * (salt and hash base64). Only salted, slow hashes are stored, so the file leaking does not leak the
 * passwords; the file is written owner-only.
 */
public final class PasswordFile {
  static final String SCHEME = "pbkdf2-sha256";
  static final int ITERATIONS = 210_000;

  private final Map<String, String[]> users;

  private PasswordFile(Map<String, String[]> users) {
    this.users = users;
  }

  public static PasswordFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("password file " + file + " does not exist");
    }
    Map<String, String[]> users = new LinkedHashMap<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(":");
        if (parts.length != 5 || !SCHEME.equals(parts[1])) {
          throw new IllegalArgumentException("password file " + file + " line " + (i + 1)
              + ": expected name:" + SCHEME + ":iterations:salt:hash");
        }
        users.put(parts[0], parts);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("password file " + file + " cannot be read: " + e.getMessage(), e);
    }
    return new PasswordFile(users);
  }

  public boolean isEmpty() {
    return users.isEmpty();
  }

  /** Whether the user exists and the password is theirs; compares in constant time. */
  public boolean accepts(String user, String password) {
    String[] entry = users.get(user);
    if (entry == null || password == null) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(entry[3]);
    byte[] expected = Base64.getDecoder().decode(entry[4]);
    return MessageDigest.isEqual(expected, hash(password, salt, Integer.parseInt(entry[2])));
  }

  /** Adds or replaces a user in the file (created owner-only when missing). */
  public static void addUser(Path file, String user, String password) throws IOException {
    if (user.isEmpty() || user.contains(":") || user.contains("\n")) {
      throw new IllegalArgumentException("a user name must be non-empty and hold no ':' or line break");
    }
    if (password.length() < 12) {
      throw new IllegalArgumentException("a password must have at least 12 characters");
    }
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    String entry = String.join(":", user, SCHEME, String.valueOf(ITERATIONS),
        Base64.getEncoder().encodeToString(salt), Base64.getEncoder().encodeToString(hash(password, salt, ITERATIONS)));
    List<String> lines = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.startsWith(user + ":")) {
          lines.add(line);
        }
      }
    }
    lines.add(entry);
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".passwords", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] hash(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    }
  }
}
