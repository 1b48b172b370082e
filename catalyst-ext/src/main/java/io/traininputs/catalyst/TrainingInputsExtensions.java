package io.traininputs.catalyst;

import io.traininputs.catalyst.asof.AsOfHistory;
import io.traininputs.catalyst.shim.SparkLine;
import io.traininputs.catalyst.topn.TopNHistoryRules;
import io.traininputs.catalyst.write.WholePageParquetWrites;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.slf4j.LoggerFactory;
import scala.runtime.BoxedUnit;

/**
 * The extension entry point: {@code spark.sql.extensions=io.traininputs.catalyst.TrainingInputsExtensions}, and only
 * that: the jar registers no service provider, so having it on the class path (say for the format) changes no plan.
 * It installs three feature families, each with its kill switch in {@link TrainingInputsConf} (all at once:
 * {@link #setEnabled}); off, a family leaves every plan unchanged. Applying it twice is harmless. A jar built for
 * another Spark line ({@link SparkLine}) injects nothing and says so in one WARN line.
 * <ol>
 *   <li>{@link TopNHistoryRules}: a top-N window ({@code row_number() <= N}) as a bounded heap per group;</li>
 *   <li>{@link AsOfHistory}: a {@code row_number() <= N} over a range join of events to as-of dates (and the
 *       ordered-array aggregation over it, and the padded arrays joined back to every context) as one pass per key,
 *       and the {@code as_of_history(...)} SQL table function. TopNHistory leaves that shape alone while
 *       {@value TrainingInputsConf#ASOF_ENABLED} is true;</li>
 *   <li>{@link WholePageParquetWrites}, an optimizer rule: Spark's own Parquet writes of rows with {@code array<int>}
 *       columns write those columns as whole pages.</li>
 * </ol>
 */
public final class TrainingInputsExtensions implements SparkSessionExtensionsProvider {

  /** Switches every family on or off for a session ({@link TrainingInputsConf#KILL_SWITCHES}); off: Spark's plans. */
  public static void setEnabled(org.apache.spark.sql.SparkSession session, boolean enabled) {
    for (String key : TrainingInputsConf.KILL_SWITCHES) {
      session.conf().set(key, String.valueOf(enabled));
    }
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    if (!SparkLine.matchesRunning()) {
      LoggerFactory.getLogger(TrainingInputsExtensions.class).warn(SparkLine.mismatch());
      return BoxedUnit.UNIT;
    }
    TopNHistoryRules.install(extensions);
    AsOfHistory.install(extensions);
    extensions.injectOptimizerRule(session -> new WholePageParquetWrites());
    return BoxedUnit.UNIT;
  }
}
