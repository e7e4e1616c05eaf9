package io.goodhart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.goodhart.lake.InputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.apache.hadoop.fs.s3a.AWSClientIOException;
import org.junit.jupiter.api.Test;

/** S3A and AWS SDK connectivity failures are infrastructure errors (5), a missing input stays bad input (3). */
class S3FailureMappingTest {
  private static final com.amazonaws.SdkClientException REFUSED = new com.amazonaws.SdkClientException(
      "Unable to execute HTTP request: Connect to 127.0.0.1:9 failed: Connection refused", new ConnectException("Connection refused"));

  @Test
  void connectivityFailuresAreInfrastructure() {
    assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(REFUSED));
    assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(new RuntimeException("job aborted",
        new AWSClientIOException("getFileStatus on s3a://b/k", REFUSED))));
    assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(new UncheckedIOException(new ConnectException("refused"))));
  }

  @Test
  void theMessageNamesTheOperationThatFailed() {
    IOException s3a = new AWSClientIOException("getFileStatus on s3a://b/k", REFUSED);
    assertSame(s3a, GoodhartCli.storageUnreachable(new RuntimeException("Job aborted", new UncheckedIOException("cannot read", s3a))));
    assertNull(GoodhartCli.storageUnreachable(new RuntimeException(new IOException("disk full"))));
  }

  @Test
  void anUnreadableInputIsBadInputOnlyWhenThePathIsMissingOrRefused() {
    assertEquals(ExitCodes.BAD_INPUT, GoodhartCli.exitCodeFor(
        InputException.unlessStorageFailed("cannot read input s3a://b/events", new FileNotFoundException("no such key"))));
    assertEquals(ExitCodes.BAD_INPUT, GoodhartCli.exitCodeFor(
        InputException.unlessStorageFailed("cannot read input", new java.nio.file.AccessDeniedException("s3a://b/events"))));
    assertEquals(ExitCodes.INFRASTRUCTURE, GoodhartCli.exitCodeFor(
        InputException.unlessStorageFailed("cannot read input s3a://b/events", new AWSClientIOException("list", REFUSED))));
  }
}
