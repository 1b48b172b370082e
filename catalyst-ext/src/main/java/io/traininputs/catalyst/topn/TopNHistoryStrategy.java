package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.ScalaInterop;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import scala.collection.immutable.Seq;

/** Plans {@link TopNHistory} as final {@link TopNHistoryExec} over partial {@link TopNHistoryExec}. */
final class TopNHistoryStrategy extends SparkStrategy {

  @Override
  public Seq<SparkPlan> apply(LogicalPlan plan) {
    if (plan instanceof TopNHistoryArrays) {
      return ScalaInterop.seqOf(planArrays((TopNHistoryArrays) plan));
    }
    if (!(plan instanceof TopNHistory)) {
      return ScalaInterop.seqOf();
    }
    TopNHistory topN = (TopNHistory) plan;
    SparkPlan partial = new TopNHistoryExec(TopNHistoryMode.PARTIAL, topN.partitionSpec(), topN.orderSpec(),
        topN.limit(), topN.rowNumber(), planLater(topN.child()));
    return ScalaInterop.seqOf(new TopNHistoryExec(TopNHistoryMode.FINAL, topN.partitionSpec(), topN.orderSpec(),
        topN.limit(), topN.rowNumber(), partial));
  }

  private SparkPlan planArrays(TopNHistoryArrays arrays) {
    Seq<Expression> keys = ScalaInterop.asExpressions(arrays.partitionKeys());
    Attribute rowNumber = new AttributeReference("rn", DataTypes.IntegerType, false, Metadata.empty(),
        NamedExpression$.MODULE$.newExprId(), ScalaInterop.seqOf());
    SparkPlan partial = new TopNHistoryExec(TopNHistoryMode.PARTIAL, keys, arrays.orderSpec(), arrays.limit(),
        rowNumber, planLater(arrays.child()));
    SparkPlan topN = new TopNHistoryExec(TopNHistoryMode.FINAL, keys, arrays.orderSpec(), arrays.limit(),
        rowNumber, partial);
    return new TopNHistoryArraysExec(arrays.partitionKeys(), arrays.values(), arrays.limit(), arrays.padding(),
        arrays.arrays(), topN);
  }
}
