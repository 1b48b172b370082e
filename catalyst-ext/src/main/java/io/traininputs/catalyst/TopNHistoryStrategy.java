package io.traininputs.catalyst;

import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import scala.collection.immutable.Seq;

/** Plans {@link TopNHistory} as final {@link TopNHistoryExec} over partial {@link TopNHistoryExec}. */
final class TopNHistoryStrategy extends SparkStrategy {

  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    if (!(plan instanceof TopNHistory)) {
      return ScalaInterop.seqOf();
    }
    TopNHistory topN = (TopNHistory) plan;
    SparkPlan partial = new TopNHistoryExec(TopNHistoryMode.PARTIAL, topN.partitionSpec(), topN.orderSpec(),
        topN.limit(), topN.rowNumber(), planLater(topN.child()));
    return ScalaInterop.seqOf(new TopNHistoryExec(TopNHistoryMode.FINAL, topN.partitionSpec(), topN.orderSpec(),
        topN.limit(), topN.rowNumber(), partial));
  }
}
