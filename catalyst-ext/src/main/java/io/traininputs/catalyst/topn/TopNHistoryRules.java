package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.ScalaInterop;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.execution.ColumnarRule;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;

/**
 * Installs TopNHistory in a session's extensions, in this order:
 * <ol>
 *   <li>{@link InferTopNHistory}, an optimizer rule in the operator optimization batch, i.e. after predicate
 *       push-down and column pruning have put the Filter directly over the Window, and before Spark's
 *       "Infer window group limit" batch (InferWindowGroupLimit), which therefore never sees the replaced shape; a
 *       window over a join is left to its second instance, a pre-CBO rule run once after that batch, when the
 *       filters have been pushed into the join and the as-of rule can tell whether it plans the shape;</li>
 *   <li>{@link TopNHistoryStrategy}, a planner strategy: final TopNHistoryExec over partial TopNHistoryExec;
 *       EnsureRequirements (Spark) adds the hash exchange on the partition keys between the two when needed;</li>
 *   <li>{@link RemoveRedundantPartialTopN}, as a query-stage preparation rule (adaptive execution) and as a
 *       pre-columnar-transition rule (both modes): drops a partial directly under its final.</li>
 * </ol>
 */
public final class TopNHistoryRules {
  private TopNHistoryRules() {}

  public static void install(SparkSessionExtensions extensions) {
    extensions.injectOptimizerRule(session -> new InferTopNHistory(session.sparkContext().getConf(), false));
    extensions.injectPreCBORule(session -> new InferTopNHistory(session.sparkContext().getConf(), true));
    extensions.injectPlannerStrategy(session -> new TopNHistoryStrategy());
    extensions.injectQueryStagePrepRule(session -> new RemoveRedundantPartialTopN());
    extensions.injectColumnar(session -> new ColumnarRule() {
      private final Rule<SparkPlan> removePartial = new RemoveRedundantPartialTopN();

      @Override
      public Rule<SparkPlan> preColumnarTransitions() {
        return removePartial;
      }
    });
  }

  /** Whether the session's planner has TopNHistory's strategy, i.e. the session was built with these rules. */
  public static boolean installedIn(SparkSession session) {
    for (SparkStrategy strategy : ScalaInterop.toJava(session.sessionState().planner().strategies())) {
      if (strategy instanceof TopNHistoryStrategy) {
        return true;
      }
    }
    return false;
  }
}
