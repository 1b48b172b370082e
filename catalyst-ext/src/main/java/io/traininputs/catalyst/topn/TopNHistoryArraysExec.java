package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.List;
import java.util.Objects;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.physical.AllTuples$;
import org.apache.spark.sql.catalyst.plans.physical.ClusteredDistribution;
import org.apache.spark.sql.catalyst.plans.physical.Distribution;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.catalyst.types.DataTypeUtils;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.UnaryExecNode;
import scala.Option;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.reflect.ClassTag$;

/**
 * Physical {@link TopNHistoryArrays}: over a final {@link TopNHistoryExec} (whose output keeps each group's rows
 * together in rank order), one row per group with fixed-width, padded int arrays; no sort, no collect_list.
 */
public final class TopNHistoryArraysExec extends SparkPlan implements UnaryExecNode {

  private static final long serialVersionUID = 1L;

  private final Seq<Attribute> partitionKeys;
  private final Seq<Attribute> values;
  private final int limit;
  private final int padding;
  private final Seq<Attribute> arrays;
  private final SparkPlan child;

  public TopNHistoryArraysExec(Seq<Attribute> partitionKeys, Seq<Attribute> values, int limit, int padding,
      Seq<Attribute> arrays, SparkPlan child) {
    this.partitionKeys = partitionKeys;
    this.values = values;
    this.limit = limit;
    this.padding = padding;
    this.arrays = arrays;
    this.child = child;
  }

  @Override
  public SparkPlan child() {
    return child;
  }

  @Override
  public Seq<SparkPlan> children() {
    return ScalaInterop.seqOf(child);
  }

  @Override
  public Seq<Attribute> output() {
    return ScalaInterop.concat(partitionKeys, arrays);
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(ScalaInterop.asExpressions(arrays));
  }

  @Override
  public Seq<Distribution> requiredChildDistribution() {
    if (partitionKeys.isEmpty()) {
      return ScalaInterop.seqOf(AllTuples$.MODULE$);
    }
    Seq<Expression> keys = ScalaInterop.asExpressions(partitionKeys);
    return ScalaInterop.seqOf(new ClusteredDistribution(keys, false, Option.empty()));
  }

  @Override
  public Partitioning outputPartitioning() {
    return child.outputPartitioning();
  }

  @Override
  public RDD<InternalRow> doExecute() {
    if (!(child instanceof TopNHistoryExec) || ((TopNHistoryExec) child).mode() != TopNHistoryMode.FINAL) {
      throw new IllegalStateException("TopNHistoryArraysExec needs a final TopNHistoryExec child, got " + child);
    }
    List<Attribute> topNOutput = ScalaInterop.toJava(child.output());
    List<Attribute> valueList = ScalaInterop.toJava(values);
    int[] valueOrdinals = new int[valueList.size()];
    for (int v = 0; v < valueOrdinals.length; v++) {
      valueOrdinals[v] = -1;
      for (int i = 0; i < topNOutput.size(); i++) {
        if (topNOutput.get(i).exprId().equals(valueList.get(v).exprId())) {
          valueOrdinals[v] = i;
        }
      }
      if (valueOrdinals[v] < 0) {
        throw new IllegalStateException("value column " + valueList.get(v) + " not in " + topNOutput);
      }
    }
    HistoryArraysEvaluator evaluator = new HistoryArraysEvaluator(partitionKeys, valueOrdinals, child.output(),
        DataTypeUtils.fromAttributes(output()), limit, padding);
    return child.execute().mapPartitionsInternal(evaluator, false, ClassTag$.MODULE$.apply(InternalRow.class));
  }

  @Override
  public SparkPlan withNewChildInternal(SparkPlan newChild) {
    return new TopNHistoryArraysExec(partitionKeys, values, limit, padding, arrays, newChild);
  }

  @Override
  public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren) {
    return withNewChildInternal(newChildren.head());
  }

  @Override
  public int productArity() {
    return 6;
  }

  @Override
  public Object productElement(int n) {
    switch (n) {
      case 0:
        return partitionKeys;
      case 1:
        return values;
      case 2:
        return limit;
      case 3:
        return padding;
      case 4:
        return arrays;
      case 5:
        return child;
      default:
        throw new IndexOutOfBoundsException(String.valueOf(n));
    }
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof TopNHistoryArraysExec;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof TopNHistoryArraysExec)) {
      return false;
    }
    TopNHistoryArraysExec that = (TopNHistoryArraysExec) other;
    return limit == that.limit && padding == that.padding && partitionKeys.equals(that.partitionKeys)
        && values.equals(that.values) && arrays.equals(that.arrays) && child.equals(that.child);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partitionKeys, values, limit, padding, arrays, child);
  }
}
