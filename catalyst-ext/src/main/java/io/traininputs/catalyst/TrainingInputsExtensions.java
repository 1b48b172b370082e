package io.traininputs.catalyst;

import io.traininputs.catalyst.asof.AsOfHistory;
import io.traininputs.catalyst.shim.SparkLine;
import io.traininputs.catalyst.write.WholePageParquetWrites;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.ColumnarRule;
import org.apache.spark.sql.execution.SparkPlan;
import org.slf4j.LoggerFactory;
import scala.runtime.BoxedUnit;

/**
 * The extension entry point, for TopNHistory and the as-of history:
 * {@code spark.sql.extensions=io.traininputs.catalyst.TrainingInputsExtensions}, and only that: the jar registers no
 * service provider, so having it on the class path (say for the format) changes no plan. Two kill switches turn it
 * off at runtime, between queries:
 * {@value TopNHistoryConf#ENABLED}{@code =false} and {@value AsOfHistory#ENABLED}{@code =false} (both at once:
 * {@link #setEnabled}); the rules then leave every plan unchanged. Applying it twice is harmless. A jar built for
 * another Spark line ({@link SparkLine}) injects nothing and says so in one WARN line.
 *
 * <p>Rule order:
 * <ol>
 *   <li>{@link InferTopNHistory}, an optimizer rule in the operator optimization batch, i.e. after predicate
 *       push-down and column pruning have put the Filter directly over the Window, and before Spark's
 *       "Infer window group limit" batch (InferWindowGroupLimit), which therefore never sees the replaced shape; a
 *       window over a join is left to its second instance, a pre-CBO rule run once after that batch, when the
 *       filters have been pushed into the join and the as-of rule can tell whether it plans the shape;</li>
 *   <li>{@link TopNHistoryStrategy}, a planner strategy: final TopNHistoryExec over partial TopNHistoryExec;</li>
 *   <li>{@link AsOfHistory}'s planner strategy: a {@code row_number() <= N} over a range join of events to as-of
 *       dates (and the ordered-array aggregation over it, and the padded arrays joined back to every context) becomes
 *       one pass per key. InferTopNHistory leaves that shape alone while {@value AsOfHistory#ENABLED} is true. The
 *       same call registers the {@code as_of_history(...)} SQL table function;</li>
 *   <li>EnsureRequirements (Spark) adds the hash exchange on the partition keys between the two when needed;</li>
 *   <li>{@link WholePageParquetWrites}, an optimizer rule: Spark's own Parquet writes of rows with {@code array<int>}
 *       columns write those columns as whole pages;</li>
 *   <li>{@link RemoveRedundantPartialTopN}, as a query-stage preparation rule (adaptive execution) and as a
 *       pre-columnar-transition rule (both modes): drops a partial directly under its final.</li>
 * </ol>
 */
public final class TrainingInputsExtensions implements SparkSessionExtensionsProvider {

  /**
   * Switches the extension on or off for a session (the kill switches {@value TopNHistoryConf#ENABLED}, {@value
   * AsOfHistory#ENABLED} and {@value WholePageParquetWrites#ENABLED}); off gives the stock Spark plans.
   */
  public static void setEnabled(org.apache.spark.sql.SparkSession session, boolean enabled) {
    session.conf().set(TopNHistoryConf.ENABLED, String.valueOf(enabled));
    session.conf().set(AsOfHistory.ENABLED, String.valueOf(enabled));
    session.conf().set(WholePageParquetWrites.ENABLED, String.valueOf(enabled));
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    if (!SparkLine.matchesRunning()) {
      LoggerFactory.getLogger(TrainingInputsExtensions.class).warn(SparkLine.mismatch());
      return BoxedUnit.UNIT;
    }
    extensions.injectOptimizerRule(session -> new InferTopNHistory(session.sparkContext().getConf(), false));
    extensions.injectPreCBORule(session -> new InferTopNHistory(session.sparkContext().getConf(), true));
    AsOfHistory.install(extensions);
    extensions.injectPlannerStrategy(session -> new TopNHistoryStrategy());
    extensions.injectOptimizerRule(WholePageParquetWrites::new);
    extensions.injectQueryStagePrepRule(session -> new RemoveRedundantPartialTopN());
    extensions.injectColumnar(session -> new ColumnarRule() {
      private final Rule<SparkPlan> removePartial = new RemoveRedundantPartialTopN();

      @Override
      public Rule<SparkPlan> preColumnarTransitions() {
        return removePartial;
      }
    });
    return BoxedUnit.UNIT;
  }
}
