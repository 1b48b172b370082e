package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.UnaryExecNode;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.collection.immutable.Seq;

/**
 * The array form of the history: collects each context's rows from the {@link AsOfHistoryExec} below (which emits
 * them contiguously, rank 1 first) into one array of {@code element}, then evaluates {@code resultList} over the
 * group's first row plus the array bound to {@code collected}. Replaces
 * {@code groupBy(key, asOf).agg(sort_array(collect_list(struct(rank, ...))))} over the row form.
 */
public final class AsOfCollectExec extends SparkPlan implements UnaryExecNode {
  private final SparkPlan child;
  private final Seq<NamedExpression> resultList;
  private final Expression element;
  private final Attribute rank;
  private final Attribute collected;
  private transient StreamingMetrics streamingMetrics;

  public AsOfCollectExec(
      SparkPlan child, Seq<NamedExpression> resultList, Expression element, Attribute rank, Attribute collected) {
    this.child = child;
    this.resultList = resultList;
    this.element = element;
    this.rank = rank;
    this.collected = collected;
  }

  private Object[] args() {
    return new Object[] {child, resultList, element, rank, collected};
  }

  @Override
  public SparkPlan child() {
    return child;
  }

  @Override
  public SparkPlan withNewChildInternal(SparkPlan newChild) {
    return new AsOfCollectExec(newChild, resultList, element, rank, collected);
  }

  @Override
  public SparkPlan withNewChildrenInternal(scala.collection.immutable.IndexedSeq<SparkPlan> newChildren) {
    return withNewChildInternal(newChildren.apply(0));
  }

  @Override
  public Seq<SparkPlan> children() {
    return ScalaInterop.toSeq(List.of(child));
  }

  @Override
  public Seq<Attribute> output() {
    return AsOfHistoryArraysNode.outputOf(resultList);
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(collected);
  }

  @Override
  public Partitioning outputPartitioning() {
    return child.outputPartitioning();
  }

  @Override
  public synchronized scala.collection.immutable.Map<String, SQLMetric> metrics() {
    return ScalaInterop.toMap(streamingMetrics().asMap());
  }

  private synchronized StreamingMetrics streamingMetrics() {
    if (streamingMetrics == null) {
      streamingMetrics = new StreamingMetrics(sparkContext());
    }
    return streamingMetrics;
  }

  @Override
  public RDD<InternalRow> doExecute() {
    List<Expression> results = new ArrayList<>();
    for (NamedExpression e : ScalaInterop.toJava(resultList)) {
      results.add((Expression) e);
    }
    List<Attribute> withCollected = new ArrayList<>(ScalaInterop.toJava(child.output()));
    withCollected.add(collected);
    AsOfCollectParams params =
        new AsOfCollectParams(
            child.output(), ScalaInterop.toSeq(List.of(element, rank)), ScalaInterop.toSeq(results),
            ScalaInterop.toSeq(withCollected));
    StreamingMetrics m = streamingMetrics();
    return child.execute().toJavaRDD()
        .mapPartitions(rows -> new AsOfCollectIterator(params, m, m.memoryForTask(), rows)).rdd();
  }

  @Override
  public String nodeName() {
    return "AsOfHistoryArrays";
  }

  @Override
  public int productArity() {
    return 5;
  }

  @Override
  public Object productElement(int n) {
    return args()[n];
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof AsOfCollectExec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsOfCollectExec && java.util.Arrays.equals(args(), ((AsOfCollectExec) o).args());
  }

  @Override
  public int hashCode() {
    return Objects.hash(args());
  }
}
