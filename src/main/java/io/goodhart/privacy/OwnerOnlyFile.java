package io.goodhart.privacy;

import io.goodhart.lake.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A file holding a secret (the pseudonym key, the endpoint's password hashes, a keystore password) must be
 * readable and writable by its owner only. Checked at every start: a file others can read is refused as bad
 * input (exit 3) with the command that fixes it.
 */
public final class OwnerOnlyFile {
  private OwnerOnlyFile() {}

  /** Refuses the file when its group or others have any permission on it; {@code what} names it in the message. */
  public static void check(Path file, String what, String risk) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException notPosix) {
      return;
    } catch (IOException e) {
      throw new InputException(what + " " + file + " cannot be read: " + e.getMessage(), e);
    }
    Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    others.retainAll(permissions);
    if (!others.isEmpty()) {
      throw new InputException(what + " " + file + " can be read or changed by users other than its owner ("
          + PosixFilePermissions.toString(permissions) + "): " + risk + "; run: chmod 600 " + file);
    }
  }
}
