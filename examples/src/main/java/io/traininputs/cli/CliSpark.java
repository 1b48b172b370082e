package io.traininputs.cli;

import io.traininputs.catalyst.TrainingInputsExtensions;
import java.io.File;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The CLI's Spark session: the active one when there is one (tests, notebooks), else a new one, embedded
 * ({@code local[*]}) unless a master is configured through the {@code spark.master} system property or the
 * {@code SPARK_MASTER} environment variable, with the extension named in {@code spark.sql.extensions}. A session it
 * joins keeps its own extensions: without ours, {@code run} plans the stock history. Only a session this class
 * created is stopped on close.
 */
final class CliSpark implements AutoCloseable {
  static final String MASTER_ENV = "SPARK_MASTER";
  static final String DEFAULT_MASTER = "local[*]";
  static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  static final String EXTENSIONS = "spark.sql.extensions";

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
          .config("spark.ui.showConsoleProgress", "false")
          .config(EXTENSIONS, withOurExtension(System.getProperty(EXTENSIONS)));
      String master = masterFromEnvironment();
      if (master != null) {
        builder.master(master);
      }
      String effective = master != null ? master : System.getProperty("spark.master");
      List<String> own = ownJars();
      if (!effective.startsWith("local") && System.getProperty("spark.jars") == null && !own.isEmpty()) {
        // executors of a cluster load the job's classes (its lambdas too) from jars the driver ships; under
        // spark-submit our jars are not on java.class.path, and --jars or the application jar ships them
        builder.config("spark.jars", String.join(",", own));
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

  /** The jars on the class path that Spark does not ship: this project's modules and the argument parser. */
  static List<String> ownJars() {
    List<String> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = new File(entry).getName();
      if (name.endsWith(".jar") && (name.startsWith("training-inputs-") || name.startsWith("picocli-"))) {
        jars.add(new File(entry).getAbsolutePath());
      }
    }
    return jars;
  }

  /** {@code spark.sql.extensions} with ours added to what the user configured (the jar does not add itself). */
  static String withOurExtension(String configured) {
    String ours = TrainingInputsExtensions.class.getName();
    if (configured == null || configured.isBlank()) {
      return ours;
    }
    return Arrays.stream(configured.split(",")).map(String::trim).anyMatch(ours::equals) ? configured
        : configured + "," + ours;
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
