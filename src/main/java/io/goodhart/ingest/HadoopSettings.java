package io.goodhart.ingest;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop configuration that can travel to executors (Configuration itself is not Serializable), so
 * tasks open {@code s3a://} or local files with the same credentials and settings as the driver.
 */
final class HadoopSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, String> entries = new HashMap<>();

  HadoopSettings(Configuration conf) {
    conf.forEach(e -> entries.put(e.getKey(), e.getValue()));
  }

  Configuration toConfiguration() {
    Configuration conf = new Configuration(false);
    entries.forEach(conf::set);
    return conf;
  }
}
