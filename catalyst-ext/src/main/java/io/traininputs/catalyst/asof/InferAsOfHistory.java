package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.TrainingInputsConf;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.internal.SQLConf;

/**
 * The as-of shapes as logical nodes, bottom up: a {@code row_number() <= N} over an inner range join of events to
 * as-of dates ({@link StockShapeMatcher}) becomes {@link AsOfHistoryNode}, and the ordered-array aggregation over
 * such a node ({@link ArrayShapeMatcher}) becomes {@link AsOfHistoryArraysNode}, each with the output of what it
 * replaces, so that the optimized plan carries the as-of operators and the planner maps each node to its exec; zero
 * padding of such arrays written over their join back is moved below the join ({@link PaddingBelowTheJoin}). A
 * pre-CBO rule, run once after {@link SplitSortedCollect} has put the aggregations in the shape it reads; the join
 * back above the nodes is still recognised by the planner ({@link AsOfHistoryStrategy}), which also records why a
 * near miss was left to Spark.
 */
final class InferAsOfHistory extends Rule<LogicalPlan> {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    return TrainingInputsConf.asofEnabled(SQLConf.get()) ? rewrite(plan) : plan;
  }

  private static LogicalPlan rewrite(LogicalPlan plan) {
    LogicalPlan node = plan.mapChildren(InferAsOfHistory::rewrite);
    LogicalPlan replaced = null;
    if (StockShapeMatcher.overAJoin(node)) {
      replaced = StockShapeMatcher.match(node);
    } else if (node instanceof Aggregate) {
      ArrayShapeMatcher arrays = ArrayShapeMatcher.match(node);
      replaced = arrays == null ? null : arrays.node();
    } else if (node instanceof Project project) {
      replaced = PaddingBelowTheJoin.push(project);
    }
    if (replaced == null) {
      return node;
    }
    replaced.copyTagsFrom(plan);
    return replaced;
  }
}
