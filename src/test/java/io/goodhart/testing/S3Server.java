package io.goodhart.testing;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server on 127.0.0.1 for tests: s3proxy (fetched by the pom into
 * target/s3proxy/s3proxy.jar) in its own JVM -- its jclouds, Jetty and Guava would clash with Spark's
 * inside the test JVM -- storing objects in a temp folder, with an access key and secret made up per
 * run and one bucket created through the AWS SDK. {@link #stop()} and {@link #start()} take it down
 * and bring it back on the same port with the same data, for outage tests.
 */
public final class S3Server implements AutoCloseable {
  private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final String bucket;
  private Process process;

  public S3Server() {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the tests through Maven (process-test-resources fetches it)");
    }
    SecureRandom random = new SecureRandom();
    this.accessKey = "AK" + hex(random, 8).toUpperCase();
    this.secretKey = hex(random, 20);
    // A bucket name of its own per server: Hadoop caches one S3AFileSystem per bucket for the JVM, so
    // a second server must not be taken for the first.
    this.bucket = "goodhart-" + hex(random, 4);
    try {
      this.dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "s3proxy-");
      Files.createDirectories(dir.resolve("blobs"));
      try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        this.port = socket.getLocalPort();
      }
      Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
          "s3proxy.endpoint=" + endpoint(),
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + accessKey,
          "s3proxy.credential=" + secretKey,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + dir.resolve("blobs"),
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Never outlive the test JVM, whatever way it ends.
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "s3proxy-stop"));
    start();
    AmazonS3 client = AmazonS3ClientBuilder.standard()
        .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint(), "us-east-1"))
        .withPathStyleAccessEnabled(true)
        .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(accessKey, secretKey)))
        .build();
    try {
      client.createBucket(bucket);
    } finally {
      client.shutdown();
    }
  }

  private static String hex(SecureRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Starts the server (again) on its port and data folder, and waits until it answers HTTP. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-jar", JAR.toString(), "--properties", dir.resolve("s3proxy.properties").toString()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start s3proxy", e);
    }
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3proxy exited with " + process.exitValue() + "; see " + dir.resolve("s3proxy.log"));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) new URL(endpoint() + "/").openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        c.getResponseCode(); // 403 without credentials: it answers
        c.disconnect();
        return;
      } catch (IOException notYet) {
        sleep(200);
      }
    }
    stop();
    throw new IllegalStateException("s3proxy did not answer within " + STARTUP + "; see " + dir.resolve("s3proxy.log"));
  }

  /** Kills the server (as an outage would: no goodbye), and waits until its port is closed. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public String bucket() {
    return bucket;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** Where s3proxy keeps the objects (the bucket is a folder under it). */
  public Path blobs() {
    return dir.resolve("blobs");
  }

  /**
   * The S3A settings to reach this server (without the credentials), with retries and timeouts cut so
   * an outage shows in seconds: the same keys conf/examples/s3a.properties documents.
   */
  public Map<String, String> s3aSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fs.s3a.endpoint", endpoint());
    s.put("fs.s3a.endpoint.region", "us-east-1");
    s.put("fs.s3a.path.style.access", "true");
    s.put("fs.s3a.connection.ssl.enabled", "false");
    // Keep directory markers rather than delete the parents' after every write: s3proxy answers those
    // deletes only after a long stall (a minute per file written); "keep" is also S3A's own advice
    // for performance, and every Hadoop client since 3.2.2/3.3.1 reads such a bucket correctly.
    s.put("fs.s3a.directory.marker.retention", "keep");
    s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put("fs.s3a.attempts.maximum", "1");
    s.put("fs.s3a.retry.limit", "2");
    s.put("fs.s3a.retry.interval", "200ms");
    s.put("fs.s3a.connection.establish.timeout", "2000");
    s.put("fs.s3a.connection.timeout", "10000");
    return s;
  }

  @Override
  public void close() {
    stop();
  }
}
