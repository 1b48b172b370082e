package io.traininputs.catalyst;

import java.util.Locale;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.internal.SQLConf;

/**
 * Session settings of the TopNHistory extension, read on the driver at optimization time.
 *
 * <ul>
 *   <li>{@value #ENABLED}: {@code true} (default) or {@code false}; the kill switch. When false the rule leaves
 *       every plan to Spark, so a running session can switch the extension off and on between queries.</li>
 *   <li>{@value #MAX_LIMIT}: the largest N the rule takes over. Default: derived from executor memory
 *       ({@code spark.executor.memory} x {@code spark.memory.fraction} / {@value #ASSUMED_ROW_BYTES} bytes per
 *       candidate row); larger N are left to Spark.</li>
 * </ul>
 */
public final class TopNHistoryConf {

  public static final String ENABLED = "spark.traininputs.topn.enabled";
  public static final String MAX_LIMIT = "spark.traininputs.topn.maxLimit";

  static final long ASSUMED_ROW_BYTES = 128L;
  private static final long DEFAULT_EXECUTOR_MEMORY = 1L << 30;
  private static final double DEFAULT_MEMORY_FRACTION = 0.6;

  private TopNHistoryConf() {
  }

  static boolean enabled(SQLConf conf) {
    String value = conf.getConfString(ENABLED, "true").trim().toLowerCase(Locale.ROOT);
    if (value.equals("true")) {
      return true;
    }
    if (value.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException(
        "Invalid value for " + ENABLED + ": '" + value + "' (allowed: true, false)");
  }

  static long maxLimit(SQLConf conf, SparkConf sparkConf) {
    String explicit = conf.getConfString(MAX_LIMIT, "");
    if (!explicit.isBlank()) {
      try {
        long value = Long.parseLong(explicit.trim());
        if (value >= 1) {
          return Math.min(value, Integer.MAX_VALUE / 8);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "Invalid value for " + MAX_LIMIT + ": '" + explicit + "' (allowed: an integer >= 1)");
    }
    long executorMemory = DEFAULT_EXECUTOR_MEMORY;
    double fraction = DEFAULT_MEMORY_FRACTION;
    if (sparkConf != null) {
      executorMemory = sparkConf.getSizeAsBytes("spark.executor.memory", "1g");
      fraction = sparkConf.getDouble("spark.memory.fraction", DEFAULT_MEMORY_FRACTION);
    }
    long derived = (long) (executorMemory * fraction / ASSUMED_ROW_BYTES);
    return Math.max(1L, Math.min(derived, Integer.MAX_VALUE / 8));
  }
}
