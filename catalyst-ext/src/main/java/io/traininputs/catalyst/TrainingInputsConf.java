package io.traininputs.catalyst;

import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.internal.SQLConf;

/**
 * Every {@code spark.traininputs.*} session conf of the extension, and the one place each is parsed and checked. All
 * are read on the driver when a query is optimized, so a running session can change them between queries. A bad
 * value fails the query with a message that names the conf, the value and what is allowed.
 *
 * <ul>
 *   <li>{@value #TOPN_ENABLED}: {@code true} (default) or {@code false}. Off leaves every top-N window to Spark.</li>
 *   <li>{@value #TOPN_MAX_LIMIT}: the largest N that TopNHistory takes over, an integer of at least 1. Default:
 *       {@code spark.executor.memory} x {@code spark.memory.fraction} / {@value #ASSUMED_ROW_BYTES} bytes per
 *       candidate row; larger N are left to Spark.</li>
 *   <li>{@value #ASOF_ENABLED}: {@code true} (default) or {@code false}. Off leaves the range join of events to
 *       as-of dates (and what is built on it) to Spark; {@code as_of_history(...)} and the Java API still plan the
 *       as-of operator, since they ask for it by name.</li>
 *   <li>{@value #PARQUET_PAGES_ENABLED}: {@code true} (default) or {@code false}. Off leaves Spark's Parquet writes
 *       of {@code array<int>} columns to Spark's own writer.</li>
 *   <li>{@value #EXPLAIN_DECLINED}: {@code true} (default) or {@code false}. Whether a near miss is tagged on its
 *       plan node, printed by {@code explain()} and logged at WARN once per reason.</li>
 * </ul>
 */
public final class TrainingInputsConf {
  public static final String TOPN_ENABLED = "spark.traininputs.topn.enabled";
  public static final String TOPN_MAX_LIMIT = "spark.traininputs.topn.maxLimit";
  public static final String ASOF_ENABLED = "spark.traininputs.asof.enabled";
  public static final String PARQUET_PAGES_ENABLED = "spark.traininputs.parquetPages.enabled";
  public static final String EXPLAIN_DECLINED = "spark.traininputs.explainDeclined";

  /** The kill switches: all of them off gives Spark's own plans. */
  public static final List<String> KILL_SWITCHES = List.of(TOPN_ENABLED, ASOF_ENABLED, PARQUET_PAGES_ENABLED);

  static final long ASSUMED_ROW_BYTES = 128L;
  private static final long MAX_LIMIT_CEILING = Integer.MAX_VALUE / 8;
  private static final double DEFAULT_MEMORY_FRACTION = 0.6;

  private TrainingInputsConf() {}

  public static boolean topnEnabled(SQLConf conf) {
    return flag(conf, TOPN_ENABLED);
  }

  public static boolean asofEnabled(SQLConf conf) {
    return flag(conf, ASOF_ENABLED);
  }

  public static boolean parquetPagesEnabled(SQLConf conf) {
    return flag(conf, PARQUET_PAGES_ENABLED);
  }

  public static boolean explainDeclined(SQLConf conf) {
    return flag(conf, EXPLAIN_DECLINED);
  }

  /** {@value #TOPN_MAX_LIMIT}, or the default derived from the executors' memory in {@code sparkConf} (may be null). */
  public static long topnMaxLimit(SQLConf conf, SparkConf sparkConf) {
    String explicit = conf.getConfString(TOPN_MAX_LIMIT, "").trim();
    if (!explicit.isEmpty()) {
      try {
        long value = Long.parseLong(explicit);
        if (value >= 1) {
          return Math.min(value, MAX_LIMIT_CEILING);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw invalid(TOPN_MAX_LIMIT, explicit, "an integer >= 1");
    }
    long executorMemory = 1L << 30;
    double fraction = DEFAULT_MEMORY_FRACTION;
    if (sparkConf != null) {
      executorMemory = sparkConf.getSizeAsBytes("spark.executor.memory", "1g");
      fraction = sparkConf.getDouble("spark.memory.fraction", DEFAULT_MEMORY_FRACTION);
    }
    long derived = (long) (executorMemory * fraction / ASSUMED_ROW_BYTES);
    return Math.max(1L, Math.min(derived, MAX_LIMIT_CEILING));
  }

  private static boolean flag(SQLConf conf, String key) {
    String value = conf.getConfString(key, "true").trim();
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, value, "true, false");
    };
  }

  private static IllegalArgumentException invalid(String key, String value, String allowed) {
    return new IllegalArgumentException("Invalid value for " + key + ": '" + value + "' (allowed: " + allowed + ")");
  }
}
