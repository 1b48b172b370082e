package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.MetricsText;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.plans.physical.AllTuples$;
import org.apache.spark.sql.catalyst.plans.physical.ClusteredDistribution;
import org.apache.spark.sql.catalyst.plans.physical.Distribution;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.catalyst.plans.physical.UnspecifiedDistribution$;
import org.apache.spark.sql.catalyst.types.DataTypeUtils;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.UnaryExecNode;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Map;
import scala.collection.immutable.Seq;
import scala.reflect.ClassTag$;

/**
 * Physical "first {@code limit} rows per group" without sorting the input. {@link TopNHistoryMode#PARTIAL} runs
 * before the shuffle and emits candidates (no row number); {@link TopNHistoryMode#FINAL} requires its input
 * clustered on the partition keys (so EnsureRequirements adds the hash exchange) and emits each group's rows in rank
 * order with the row number. Both keep a bounded heap per group ({@link GroupedTopNBuilder}) in memory reserved from
 * the task memory manager; final mode falls back to an external sort when memory is refused.
 */
public final class TopNHistoryExec extends SparkPlan implements UnaryExecNode {

  private static final long serialVersionUID = 1L;

  private final TopNHistoryMode mode;
  private final Seq<Expression> partitionSpec;
  private final Seq<SortOrder> orderSpec;
  private final int limit;
  private final Attribute rowNumber;
  private final SparkPlan child;
  private TopNHistoryMetrics topNMetrics;

  public TopNHistoryExec(TopNHistoryMode mode, Seq<Expression> partitionSpec, Seq<SortOrder> orderSpec, int limit,
      Attribute rowNumber, SparkPlan child) {
    this.mode = mode;
    this.partitionSpec = partitionSpec;
    this.orderSpec = orderSpec;
    this.limit = limit;
    this.rowNumber = rowNumber;
    this.child = child;
  }

  public TopNHistoryMode mode() {
    return mode;
  }

  public int limit() {
    return limit;
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
    return mode == TopNHistoryMode.FINAL ? ScalaInterop.append(child.output(), rowNumber) : child.output();
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(rowNumber);
  }

  @Override
  public Seq<Distribution> requiredChildDistribution() {
    if (mode == TopNHistoryMode.PARTIAL) {
      return ScalaInterop.seqOf(UnspecifiedDistribution$.MODULE$);
    }
    if (partitionSpec.isEmpty()) {
      return ScalaInterop.seqOf(AllTuples$.MODULE$);
    }
    return ScalaInterop.seqOf(new ClusteredDistribution(partitionSpec, false, Option.empty()));
  }

  @Override
  public Partitioning outputPartitioning() {
    return child.outputPartitioning();
  }

  @Override
  public synchronized Map<String, SQLMetric> metrics() {
    return ScalaInterop.toMap(topNMetrics().asMap());
  }

  private synchronized TopNHistoryMetrics topNMetrics() {
    if (topNMetrics == null) {
      topNMetrics = new TopNHistoryMetrics(sparkContext());
    }
    return topNMetrics;
  }

  @Override
  public RDD<InternalRow> doExecute() {
    List<SortOrder> grouped = new ArrayList<>();
    for (Expression key : ScalaInterop.toJava(partitionSpec)) {
      grouped.add(new SortOrder(key, Ascending$.MODULE$, Ascending$.MODULE$.defaultNullOrdering(),
          ScalaInterop.seqOf()));
    }
    grouped.addAll(ScalaInterop.toJava(orderSpec));
    StructType childSchema = DataTypeUtils.fromAttributes(child.output());
    TopNHistoryEvaluator evaluator = new TopNHistoryEvaluator(mode, limit, partitionSpec, orderSpec,
        ScalaInterop.toSeq(grouped), ScalaInterop.toSeq(segmentKeys()), child.output(), childSchema, topNMetrics());
    return child.execute().mapPartitionsInternal(evaluator, false, ClassTag$.MODULE$.apply(InternalRow.class));
  }

  /**
   * The partition keys the input is already sorted on (a prefix of the child's output ordering), e.g. customer_id
   * after a sort-merge join on it. In final mode, groups are complete when these keys change, so they are emitted
   * and their memory reused: memory then holds one segment, not the whole partition. Empty when unknown.
   */
  List<Expression> segmentKeys() {
    List<Expression> keys = new ArrayList<>();
    if (mode != TopNHistoryMode.FINAL) {
      return keys;
    }
    for (SortOrder order : ScalaInterop.toJava(child.outputOrdering())) {
      Expression match = null;
      for (Expression key : ScalaInterop.toJava(partitionSpec)) {
        if (order.child().semanticEquals(key)) {
          match = key;
        }
        for (Expression same : ScalaInterop.toJava(order.sameOrderExpressions())) {
          if (same.semanticEquals(key)) {
            match = key;
          }
        }
      }
      if (match == null) {
        break;
      }
      keys.add(match);
    }
    return keys;
  }

  @Override
  public SparkPlan withNewChildInternal(SparkPlan newChild) {
    return new TopNHistoryExec(mode, partitionSpec, orderSpec, limit, rowNumber, newChild);
  }

  @Override
  public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren) {
    return withNewChildInternal(newChildren.head());
  }

  @Override
  public String verboseStringWithOperatorId() {
    return super.verboseStringWithOperatorId() + MetricsText.of(topNMetrics().asMap());
  }

  @Override
  public int productArity() {
    return 6;
  }

  @Override
  public Object productElement(int n) {
    switch (n) {
      case 0:
        return mode;
      case 1:
        return partitionSpec;
      case 2:
        return orderSpec;
      case 3:
        return limit;
      case 4:
        return rowNumber;
      case 5:
        return child;
      default:
        throw new IndexOutOfBoundsException(String.valueOf(n));
    }
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof TopNHistoryExec;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof TopNHistoryExec)) {
      return false;
    }
    TopNHistoryExec that = (TopNHistoryExec) other;
    return mode == that.mode && limit == that.limit && partitionSpec.equals(that.partitionSpec)
        && orderSpec.equals(that.orderSpec) && rowNumber.equals(that.rowNumber) && child.equals(that.child);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, partitionSpec, orderSpec, limit, rowNumber, child);
  }
}
