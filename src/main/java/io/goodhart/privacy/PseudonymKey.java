package io.goodhart.privacy;

import io.goodhart.lake.InputException;
import io.goodhart.lake.LakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The secret behind the pseudonymous ids of BI-facing tables. It comes from the environment
 * ({@value LakeConfig#PSEUDONYM_KEY_ENV}) or from a key file named in the config; the embedded lake
 * creates its own key file (owner-only) beside its catalog, outside the warehouse, on first use, so a
 * laptop needs no setup. The key is never a plain setting: settings end up on command lines, in Airflow
 * logs and in process listings. A key file must be readable by its owner only, and may not sit inside the
 * warehouse folder: every start checks both. Changing the key changes every pseudonym (that is how ids are
 * rotated); {@code bi-publish} notices the change by the key's id and republishes every BI table.
 */
public final class PseudonymKey {
  static final int MIN_BYTES = 16;
  static final String EMBEDDED_KEY_FILE = "pseudonym.key";

  /**
   * The lake's secrets: the pseudonym key, and the erasure key behind the keyed hashes of the people
   * {@code goodhart forget} erased. They are separate because the pseudonym key is rotated (every pseudonym
   * changes, BI is republished) while the erasure list must keep matching re-deliveries for ever: its hashes
   * cannot be recomputed under a new key without the ids they hide.
   */
  public enum Kind {
    PSEUDONYM("pseudonym key", LakeConfig.PSEUDONYM_KEY_ENV, LakeConfig.PSEUDONYM_KEY_FILE, EMBEDDED_KEY_FILE,
        "anyone who reads it can turn every pseudonym back into a directory id"),
    ERASURE("erasure key", LakeConfig.ERASURE_KEY_ENV, LakeConfig.ERASURE_KEY_FILE, "erasure.key",
        "anyone who reads it can test whether a given id was erased");

    final String what;
    final String env;
    final String setting;
    final String embeddedFile;
    final String risk;

    Kind(String what, String env, String setting, String embeddedFile, String risk) {
      this.what = what;
      this.env = env;
      this.setting = setting;
      this.embeddedFile = embeddedFile;
      this.risk = risk;
    }
  }

  private PseudonymKey() {}

  public static byte[] resolve(LakeConfig config) {
    return resolve(config, System.getenv());
  }

  /** The erasure key (see {@link Kind#ERASURE}), from the same kinds of source as the pseudonym key. */
  public static byte[] erasureKey(LakeConfig config) {
    return resolve(Kind.ERASURE, config, System.getenv());
  }

  /**
   * The key file this lake would use, when there is one: the configured file, or the embedded lake's once
   * created. Null when the key comes from the environment or does not exist yet.
   */
  static Path keyFile(LakeConfig config, Map<String, String> env) {
    return keyFile(Kind.PSEUDONYM, config, env);
  }

  static Path keyFile(Kind kind, LakeConfig config, Map<String, String> env) {
    String fromEnv = env.get(kind.env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return null;
    }
    String file = config.get(kind.setting);
    if (file != null) {
      return Path.of(file);
    }
    Path embedded = config.lakeDir().resolve(kind.embeddedFile);
    return config.embeddedCatalog() && Files.exists(embedded) ? embedded : null;
  }

  /** Refuses (bad input, exit 3) a key file others can read or write, or one inside the warehouse folder. */
  public static void checkFile(LakeConfig config) {
    for (Kind kind : Kind.values()) {
      Path file = keyFile(kind, config, System.getenv());
      if (file != null && Files.exists(file)) {
        checkOwnerOnly(kind, file);
        checkOutsideWarehouse(kind, file, config.warehouse());
      }
    }
  }

  static void checkOwnerOnly(Path file) {
    checkOwnerOnly(Kind.PSEUDONYM, file);
  }

  private static void checkOwnerOnly(Kind kind, Path file) {
    OwnerOnlyFile.check(file, kind.what + " file", kind.risk);
  }

  static void checkOutsideWarehouse(Path file, String warehouse) {
    checkOutsideWarehouse(Kind.PSEUDONYM, file, warehouse);
  }

  private static void checkOutsideWarehouse(Kind kind, Path file, String warehouse) {
    if (warehouse == null || !warehouse.startsWith("file:")) {
      return;
    }
    Path folder = Path.of(java.net.URI.create(warehouse)).toAbsolutePath().normalize();
    if (file.toAbsolutePath().normalize().startsWith(folder)) {
      throw new InputException(kind.what + " file " + file + " is inside the warehouse folder " + folder
          + ", where table maintenance and file-path queries reach: move it outside and set " + kind.setting);
    }
  }

  static byte[] resolve(LakeConfig config, Map<String, String> env) {
    return resolve(Kind.PSEUDONYM, config, env);
  }

  static byte[] resolve(Kind kind, LakeConfig config, Map<String, String> env) {
    String fromEnv = env.get(kind.env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return checked(kind, fromEnv.trim().getBytes(StandardCharsets.UTF_8), "$" + kind.env);
    }
    String file = config.get(kind.setting);
    if (file != null) {
      return read(kind, Path.of(file));
    }
    if (config.embeddedCatalog()) {
      return readOrCreate(kind, config.lakeDir().resolve(kind.embeddedFile));
    }
    throw new InputException("no " + kind.what + ": " + (kind == Kind.PSEUDONYM
        ? "BI-facing tables show keyed pseudonyms of user ids" : "the erasure list holds keyed hashes of erased ids")
        + "; set $" + kind.env + " or " + kind.setting + "=FILE (at least " + MIN_BYTES
        + " bytes, readable by the service user only)");
  }

  private static byte[] read(Kind kind, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException(kind.what + " file " + file + " does not exist");
    }
    checkOwnerOnly(kind, file);
    try {
      return checked(kind, Files.readString(file, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8),
          kind.what + " file " + file);
    } catch (IOException e) {
      throw new InputException(kind.what + " file " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * The key file's key, created first if missing. It is written whole under a name of its own and then
   * linked to its real name, which fails if the name exists: two processes starting on a new lake at once
   * (two nightly runs) both end up with the one key that won, and neither ever reads a half-written file.
   */
  private static byte[] readOrCreate(Kind kind, Path file) {
    if (!Files.exists(file)) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      Path draft = null;
      try {
        Files.createDirectories(file.getParent());
        draft = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".new",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(draft, Base64.getEncoder().encodeToString(random) + "\n", StandardCharsets.UTF_8);
        Files.createLink(file, draft);
      } catch (FileAlreadyExistsException raced) {
        // another process of the same lake created it first: use theirs
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the embedded lake's " + kind.what + " " + file, e);
      } finally {
        if (draft != null) {
          try {
            Files.deleteIfExists(draft);
          } catch (IOException ignored) {
            // a stray draft holds a key nobody uses; it does no harm
          }
        }
      }
    }
    return read(kind, file);
  }

  private static byte[] checked(Kind kind, byte[] key, String origin) {
    if (key.length < MIN_BYTES) {
      throw new InputException(origin + " holds a " + kind.what + " of " + key.length + " bytes; at least "
          + MIN_BYTES + " are needed");
    }
    return key;
  }
}
