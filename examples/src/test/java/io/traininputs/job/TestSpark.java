package io.traininputs.job;

import org.apache.spark.sql.SparkSession;

/** The one way tests start Spark: local[2], UTC, 4 shuffle partitions, no UI. */
final class TestSpark {
  private TestSpark() {
  }

  static SparkSession session(String name) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
  }
}
