package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.internal.Declined;
import io.traininputs.catalyst.internal.ScalaInterop;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import org.apache.spark.sql.internal.SQLConf;
import scala.collection.immutable.Seq;

/**
 * Plans the logical as-of nodes 1:1: {@link AsOfHistoryNode} (the row form, put in place of the stock shape by
 * {@link InferAsOfHistory}, or asked for by name) as {@link AsOfHistoryExec}, and {@link AsOfHistoryArraysNode} as
 * {@link AsOfCollectExec}. When {@link TrainingInputsConf#ASOF_ENABLED} is on it also recognises the shapes built over
 * them: the padded arrays joined back to every context, alone or inner-joined to rows of those contexts, and the
 * padded arrays alone (as {@link AsOfContextHistoryExec}).
 */
final class AsOfHistoryStrategy extends SparkStrategy {
  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    if (plan instanceof AsOfHistoryNode node) {
      return ScalaInterop.seqOf(node.toExec(planLater(node.left()), planLater(node.right())));
    }
    if (plan instanceof AsOfHistoryArraysNode node) {
      return ScalaInterop.seqOf(node.toExec(planLater(node.child())));
    }
    if (!TrainingInputsConf.asofEnabled(SQLConf.get())) {
      return ScalaInterop.seqOf();
    }
    JoinedRowsMatcher joined = JoinedRowsMatcher.match(plan);
    if (joined != null) {
      return ScalaInterop.seqOf(joined.plan(planLater(joined.rows()),
          planLater(joined.joinBack().historyContextsForJoinedRows()), planLater(joined.joinBack().events())));
    }
    Why joinBackWhy = new Why();
    JoinBackMatcher joinBack = JoinBackMatcher.match(plan, joinBackWhy);
    if (joinBack != null) {
      return ScalaInterop.seqOf(joinBack.plan(planLater(joinBack.contexts()),
          planLater(joinBack.historyContextsForJoinBack()), planLater(joinBack.events())));
    }
    if (joinBackWhy.reason() != null) {
      Declined.record(plan, "AsOfContextHistory", joinBackWhy.reason());
    }
    JoinBackMatcher histories = JoinBackMatcher.matchHistoriesOnly(plan);
    if (histories != null) {
      return ScalaInterop.seqOf(histories.plan(
          planLater(histories.contexts()), planLater(histories.contexts()), planLater(histories.events())));
    }
    recordWhyDeclined(plan);
    return ScalaInterop.seqOf();
  }

  /**
   * The reason for a row form or an aggregation over the history that {@link InferAsOfHistory} left to Spark, on the
   * node the executed plan links to (later optimizer rules rebuild the nodes the rule saw). An aggregation that a
   * later projection collapse merged with the expressions of its arrays is split again to find the reason.
   */
  private static void recordWhyDeclined(LogicalPlan plan) {
    Why why = new Why();
    if (plan instanceof Aggregate aggregate) {
      Project split = SplitSortedCollect.split(aggregate);
      if (ArrayShapeMatcher.match(split == null ? plan : split.child(), why) == null && why.reason() != null) {
        Declined.record(plan, "AsOfHistoryArrays", why.reason());
      }
    } else if (StockShapeMatcher.looksLikeRangeJoinTopN(plan) && StockShapeMatcher.match(plan, why) == null) {
      Declined.record(plan, "AsOfHistory", why.reason());
    }
  }
}
