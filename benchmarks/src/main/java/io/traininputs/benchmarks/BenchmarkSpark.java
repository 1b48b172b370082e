package io.traininputs.benchmarks;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** How benchmarks start Spark: local mode, UTC, no UI, adaptive execution off so plans do not shift between runs. */
final class BenchmarkSpark {
  private BenchmarkSpark() {}

  /**
   * @param master e.g. {@code local[1]} for JMH (one thread, least noise), {@code local[2]} for end-to-end runs
   * @param extraConfs static confs set on the builder (e.g. {@code spark.sql.extensions}); override the defaults
   */
  static SparkSession start(String master, int shufflePartitions, Map<String, String> extraConfs) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .master(master)
            .appName("training-inputs-benchmark")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions))
            .config("spark.default.parallelism", Integer.toString(shufflePartitions))
            .config("spark.ui.enabled", "false")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            // installed in every benchmark session; the stock variants switch it off per query (setEnabled)
            .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions");
    extraConfs.forEach(builder::config);
    return builder.getOrCreate();
  }
}
