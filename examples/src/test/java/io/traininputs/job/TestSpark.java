package io.traininputs.job;

import org.apache.spark.sql.SparkSession;

/** The one way tests start Spark: local[2], UTC, few shuffle partitions, no UI. One session per test class. */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession start(Class<?> testClass) {
    return builder(testClass).getOrCreate();
  }

  public static SparkSession.Builder builder(Class<?> testClass) {
    return SparkSession.builder()
        .master("local[2]")
        .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions")
        .appName(testClass.getSimpleName())
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1");
  }
}
