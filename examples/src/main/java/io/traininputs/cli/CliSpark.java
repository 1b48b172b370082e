package io.traininputs.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;

/**
 * The CLI's Spark session: the active one when there is one (tests, notebooks), else a new one, embedded
 * ({@code local[*]}) unless a master is configured through the {@code spark.master} system property or the
 * {@code SPARK_MASTER} environment variable. Only a session this class created is stopped on close.
 */
final class CliSpark implements AutoCloseable {
  static final String MASTER_ENV = "SPARK_MASTER";
  static final String DEFAULT_MASTER = "local[*]";
  static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

  private final SparkSession spark;
  private final boolean owned;
  private final StageProgress progress;

  private CliSpark(SparkSession spark, boolean owned, StageProgress progress) {
    this.spark = spark;
    this.owned = owned;
    this.progress = progress;
  }

  /** Starts or joins a session and reports its stage progress to {@code err}. */
  static CliSpark start(String appName, PrintWriter err) {
    SparkSession existing = SparkSession.getActiveSession().isDefined()
        ? SparkSession.getActiveSession().get()
        : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
    SparkSession spark = existing;
    if (spark == null) {
      SparkSession.Builder builder = SparkSession.builder()
          .appName(appName)
          .config("spark.ui.showConsoleProgress", "false");
      String master = masterFromEnvironment();
      if (master != null) {
        builder.master(master);
      }
      if (System.getProperty(SHUFFLE_PARTITIONS) == null) {
        // Spark's 200 suits clusters; on one machine a few per core keeps small runs from paying for 200 tasks.
        builder.config(SHUFFLE_PARTITIONS, Math.max(4, 4 * Runtime.getRuntime().availableProcessors()));
      }
      spark = builder.getOrCreate();
    }
    // docs/semantics.md: all times are UTC, whatever the machine's zone.
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    StageProgress progress = new StageProgress(err, StageProgress.DEFAULT_INTERVAL_MILLIS);
    spark.sparkContext().addSparkListener(progress);
    return new CliSpark(spark, existing == null, progress);
  }

  /** The master to set, or null when {@code spark.master} is already a system property (SparkConf reads it). */
  static String masterFromEnvironment() {
    if (System.getProperty("spark.master") != null) {
      return null;
    }
    String env = System.getenv(MASTER_ENV);
    return env == null || env.isBlank() ? DEFAULT_MASTER : env.trim();
  }

  SparkSession session() {
    return spark;
  }

  StageProgress progress() {
    return progress;
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(progress);
    if (owned) {
      spark.stop();
    }
  }
}
