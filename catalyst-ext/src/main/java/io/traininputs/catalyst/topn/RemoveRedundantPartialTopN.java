package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.ScalaInterop;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.SparkPlan;

/**
 * After EnsureRequirements: a partial {@link TopNHistoryExec} directly under its final one (no exchange was needed
 * because the input already was clustered on the partition keys) only repeats the final's work, so it is removed.
 */
final class RemoveRedundantPartialTopN extends Rule<SparkPlan> {

  @Override
  public SparkPlan apply(SparkPlan plan) {
    SparkPlan withNewChildren = plan.mapChildren(this::apply);
    if (withNewChildren instanceof TopNHistoryExec && withNewChildren.children().size() == 1) {
      TopNHistoryExec top = (TopNHistoryExec) withNewChildren;
      if (top.mode() == TopNHistoryMode.FINAL && top.child() instanceof TopNHistoryExec
          && ((TopNHistoryExec) top.child()).mode() == TopNHistoryMode.PARTIAL) {
        return top.withNewChildren(ScalaInterop.seqOf(top.child().children().head()));
      }
    }
    return withNewChildren;
  }
}
