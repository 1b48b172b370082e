package io.traininputs.catalyst.asof;

import java.util.List;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import org.apache.spark.sql.internal.SQLConf;
import scala.collection.immutable.Seq;

/** Plans {@link AsOfHistoryNode}, and the stock shape it replaces when {@link AsOfHistory#ENABLED} is on. */
final class AsOfHistoryStrategy extends SparkStrategy {
  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    AsOfHistoryNode node = null;
    if (plan instanceof AsOfHistoryNode) {
      node = (AsOfHistoryNode) plan;
    } else if (AsOfHistory.enabled(SQLConf.get())) {
      node = StockShapeMatcher.match(plan);
    }
    if (node == null) {
      return ScalaInterop.seq(List.of());
    }
    return ScalaInterop.seq(List.of(node.toExec(planLater(node.left()), planLater(node.right()))));
  }
}
