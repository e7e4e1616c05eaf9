package io.goodhart.serve;

import java.nio.file.Path;
import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;

/**
 * The Thrift server's CUSTOM authentication: checks a connecting user against the password file
 * {@code goodhart serve} was started with. HiveServer2 instantiates this class by name, so the file
 * is handed over in a system property; the file is re-read on each login, so adding a user needs no
 * restart.
 */
public final class PasswordFileAuthenticator implements PasswdAuthenticationProvider {
  static final String FILE_PROPERTY = "goodhart.serve.password-file";

  @Override
  public void Authenticate(String user, String password) throws AuthenticationException {
    String file = System.getProperty(FILE_PROPERTY);
    if (file == null) {
      throw new AuthenticationException("no password file configured");
    }
    if (!PasswordFile.read(Path.of(file)).accepts(user, password)) {
      // One message for an unknown user and a wrong password: no hint which one it was.
      throw new AuthenticationException("invalid user name or password");
    }
  }
}
