package io.traininputs.catalyst;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.ColumnarRule;
import org.apache.spark.sql.execution.SparkPlan;
import scala.runtime.BoxedUnit;

/**
 * The extension entry point: {@code spark.sql.extensions=io.traininputs.catalyst.TopNHistoryExtensions}. It is also
 * listed in {@code META-INF/services/org.apache.spark.sql.SparkSessionExtensionsProvider}, so Spark applies it to
 * every session when the jar is on the classpath; {@value TopNHistoryConf#ENABLED}{@code =false} switches it off
 * at runtime (the rule then leaves every plan unchanged). Applying it twice is harmless.
 *
 * <p>Rule order:
 * <ol>
 *   <li>{@link InferTopNHistory}, an optimizer rule in the operator optimization batch, i.e. after predicate
 *       push-down and column pruning have put the Filter directly over the Window, and before Spark's
 *       "Infer window group limit" batch (InferWindowGroupLimit), which therefore never sees the replaced shape;</li>
 *   <li>{@link TopNHistoryStrategy}, a planner strategy: final TopNHistoryExec over partial TopNHistoryExec;</li>
 *   <li>EnsureRequirements (Spark) adds the hash exchange on the partition keys between the two when needed;</li>
 *   <li>{@link RemoveRedundantPartialTopN}, as a query-stage preparation rule (adaptive execution) and as a
 *       pre-columnar-transition rule (both modes): drops a partial directly under its final.</li>
 * </ol>
 */
public final class TopNHistoryExtensions implements SparkSessionExtensionsProvider {

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectOptimizerRule(session -> new InferTopNHistory(session.sparkContext().getConf()));
    extensions.injectPlannerStrategy(session -> new TopNHistoryStrategy());
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
