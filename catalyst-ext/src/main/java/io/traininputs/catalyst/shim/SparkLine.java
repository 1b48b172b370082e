package io.traininputs.catalyst.shim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The shim layer between this project and the Spark line it is built for (4.1 or 4.2, by Maven profile): the one
 * place where code that differs between lines lives. Today nothing the extension or the format calls differs
 * between 4.1 and 4.2, so it holds only the line check: a jar built for one line leaves the plans of another line
 * alone (as Comet's extension does on a Spark it does not support) instead of failing inside Spark's planner.
 */
public final class SparkLine {
  private static final Properties BUILT = load();

  private SparkLine() {}

  /** The line this jar was compiled against, e.g. {@code 4.1}. */
  public static String built() {
    return BUILT.getProperty("line");
  }

  /** The Spark version running this JVM, e.g. {@code 4.1.2}. */
  public static String running() {
    return org.apache.spark.package$.MODULE$.SPARK_VERSION();
  }

  /** The line ({@code major.minor}) of a Spark version: {@code 4.2.0-SNAPSHOT} is line {@code 4.2}. */
  static String lineOf(String version) {
    String[] parts = version.split("[.-]");
    return parts.length < 2 ? version : parts[0] + "." + parts[1];
  }

  /** Whether the running Spark is of the line this jar was built for. */
  public static boolean matchesRunning() {
    return lineOf(running()).equals(built());
  }

  /** What a user reads when the lines differ: which jar this is, which Spark runs, which jar to use instead. */
  public static String mismatch() {
    return "training-inputs-spark" + built() + "_2.13 is built for Spark " + built() + " and this is Spark "
        + running() + ": its operators are off, plans stay Spark's; use training-inputs-spark"
        + lineOf(running()) + "_2.13";
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = SparkLine.class.getResourceAsStream("spark-line.properties")) {
      if (in == null) {
        throw new IllegalStateException("spark-line.properties is missing from the training-inputs jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
