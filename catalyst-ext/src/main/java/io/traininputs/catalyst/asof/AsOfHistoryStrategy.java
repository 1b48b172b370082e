package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.internal.Declined;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.List;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import org.apache.spark.sql.internal.SQLConf;
import scala.collection.immutable.Seq;

/**
 * Plans {@link AsOfHistoryNode}, and, when {@link TrainingInputsConf#ASOF_ENABLED} is on, the stock shapes it replaces:
 * the padded arrays joined back to every context, alone or inner-joined to rows of those contexts, and the padded
 * arrays alone (as {@link AsOfContextHistoryExec}), the ordered array aggregation over the history (as
 * {@link AsOfCollectExec} over the operator) and the row form alone.
 */
final class AsOfHistoryStrategy extends SparkStrategy {
  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    AsOfHistoryNode node = null;
    if (plan instanceof AsOfHistoryNode) {
      node = (AsOfHistoryNode) plan;
    } else if (TrainingInputsConf.asofEnabled(SQLConf.get())) {
      JoinedRowsMatcher joined = JoinedRowsMatcher.match(plan);
      if (joined != null) {
        return ScalaInterop.toSeq(
            List.of(joined.plan(planLater(joined.rows()), planLater(joined.joinBack().historyContextsForJoinedRows()),
                planLater(joined.joinBack().events()))));
      }
      Why joinBackWhy = new Why();
      JoinBackMatcher joinBack = JoinBackMatcher.match(plan, joinBackWhy);
      if (joinBack != null) {
        return ScalaInterop.toSeq(
            List.of(joinBack.plan(planLater(joinBack.contexts()), planLater(joinBack.historyContextsForJoinBack()),
                planLater(joinBack.events()))));
      }
      if (joinBackWhy.reason() != null) {
        Declined.record(plan, "AsOfContextHistory", joinBackWhy.reason());
      }
      JoinBackMatcher histories = JoinBackMatcher.matchHistoriesOnly(plan);
      if (histories != null) {
        return ScalaInterop.toSeq(List.of(histories.plan(
            planLater(histories.contexts()), planLater(histories.contexts()), planLater(histories.events()))));
      }
      Why arraysWhy = new Why();
      Project split = plan instanceof Aggregate ? SplitSortedCollect.split((Aggregate) plan) : null;
      ArrayShapeMatcher arrays = ArrayShapeMatcher.match(split == null ? plan : split.child(), arraysWhy);
      if (arrays != null) {
        AsOfHistoryNode history = arrays.history();
        SparkPlan exec = arrays.plan(history.toExec(planLater(history.left()), planLater(history.right())));
        return ScalaInterop.toSeq(List.of(split == null ? exec : new ProjectExec(split.projectList(), exec)));
      }
      if (arraysWhy.reason() != null) {
        Declined.record(plan, "AsOfHistoryArrays", arraysWhy.reason());
      }
      Why why = new Why();
      node = StockShapeMatcher.match(plan, why);
      if (node == null && StockShapeMatcher.looksLikeRangeJoinTopN(plan)) {
        Declined.record(plan, "AsOfHistory", why.reason());
      }
    }
    if (node == null) {
      return ScalaInterop.toSeq(List.of());
    }
    return ScalaInterop.toSeq(List.of(node.toExec(planLater(node.left()), planLater(node.right()))));
  }
}
