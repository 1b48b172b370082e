package io.traininputs.catalyst.asof;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Test sessions with the as-of strategy installed: local[2], UTC, 4 shuffle partitions, no UI, java.time rows. */
final class AsOfSessions {
  private AsOfSessions() {}

  static SparkSession start(Class<?> testClass, boolean adaptive) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(testClass.getSimpleName())
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", String.valueOf(adaptive))
        .config("spark.sql.autoBroadcastJoinThreshold", "-1")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions")
        .getOrCreate();
  }

  /** Runs {@code body} with the session conf {@code key} set to {@code value}, then unsets it. */
  static <T> T withConf(SparkSession spark, String key, String value, Supplier<T> body) {
    spark.conf().set(key, value);
    try {
      return body.get();
    } finally {
      spark.conf().unset(key);
    }
  }

  /** {@link #withConf} for a body that returns nothing. */
  static void withConf(SparkSession spark, String key, String value, Runnable body) {
    withConf(spark, key, value, () -> {
      body.run();
      return null;
    });
  }
}
