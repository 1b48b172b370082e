package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Descending$;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.NullsFirst$;
import org.apache.spark.sql.catalyst.expressions.NullsLast$;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.plans.physical.ClusteredDistribution;
import org.apache.spark.sql.catalyst.plans.physical.Distribution;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.catalyst.plans.physical.PartitioningCollection;
import org.apache.spark.sql.catalyst.plans.physical.UnknownPartitioning;
import org.apache.spark.sql.execution.BinaryExecNode;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.Option;
import scala.collection.immutable.Seq;

/**
 * Physical as-of history: both sides clustered by key and sorted (contexts by key, upper bound descending; events by
 * key, then the history order), then one merge pass per key with a look-ahead of at most {@code limit} events.
 */
public final class AsOfHistoryExec extends SparkPlan implements BinaryExecNode {
  private final SparkPlan contexts;
  private final SparkPlan events;
  private final Expression contextKey;
  private final Expression eventKey;
  private final Attribute asOf;
  private final Expression upper;
  private final boolean upperInclusive;
  private final Option<Expression> lower;
  private final boolean lowerInclusive;
  private final Seq<SortOrder> eventOrder;
  private final int limit;
  private final Seq<NamedExpression> projectList;
  private final Attribute rank;
  private transient StreamingMetrics streamingMetrics;

  public AsOfHistoryExec(
      SparkPlan contexts,
      SparkPlan events,
      Expression contextKey,
      Expression eventKey,
      Attribute asOf,
      Expression upper,
      boolean upperInclusive,
      Option<Expression> lower,
      boolean lowerInclusive,
      Seq<SortOrder> eventOrder,
      int limit,
      Seq<NamedExpression> projectList,
      Attribute rank) {
    this.contexts = contexts;
    this.events = events;
    this.contextKey = contextKey;
    this.eventKey = eventKey;
    this.asOf = asOf;
    this.upper = upper;
    this.upperInclusive = upperInclusive;
    this.lower = lower;
    this.lowerInclusive = lowerInclusive;
    this.eventOrder = eventOrder;
    this.limit = limit;
    this.projectList = projectList;
    this.rank = rank;
  }

  private Object[] args() {
    return new Object[] {
      contexts, events, contextKey, eventKey, asOf, upper, upperInclusive, lower, lowerInclusive, eventOrder, limit,
      projectList, rank
    };
  }

  /** The number of events kept per context. */
  public int limit() {
    return limit;
  }

  @Override
  public SparkPlan left() {
    return contexts;
  }

  @Override
  public SparkPlan right() {
    return events;
  }

  @Override
  public SparkPlan withNewChildrenInternal(SparkPlan newLeft, SparkPlan newRight) {
    return new AsOfHistoryExec(
        newLeft, newRight, contextKey, eventKey, asOf, upper, upperInclusive, lower, lowerInclusive, eventOrder,
        limit, projectList, rank);
  }

  @Override
  public SparkPlan withNewChildrenInternal(scala.collection.immutable.IndexedSeq<SparkPlan> newChildren) {
    return withNewChildrenInternal(newChildren.apply(0), newChildren.apply(1));
  }

  @Override
  public Seq<SparkPlan> children() {
    return ScalaInterop.toSeq(List.of(left(), right()));
  }

  @Override
  public Seq<Attribute> output() {
    return AsOfHistoryNode.outputOf(projectList, rank);
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(rank);
  }

  @Override
  public Seq<Distribution> requiredChildDistribution() {
    Distribution c = new ClusteredDistribution(ScalaInterop.toSeq(List.of(contextKey)), false, Option.empty());
    Distribution e = new ClusteredDistribution(ScalaInterop.toSeq(List.of(eventKey)), false, Option.empty());
    return ScalaInterop.toSeq(List.of(c, e));
  }

  @Override
  public Seq<Seq<SortOrder>> requiredChildOrdering() {
    List<SortOrder> c =
        List.of(ascending(contextKey), new SortOrder(upper, Descending$.MODULE$, NullsLast$.MODULE$, empty()),
            ascending(asOf));
    List<SortOrder> e = new ArrayList<>();
    e.add(ascending(eventKey));
    e.addAll(ScalaInterop.toJava(eventOrder));
    return ScalaInterop.toSeq(List.of(ScalaInterop.toSeq(c), ScalaInterop.toSeq(e)));
  }

  private static SortOrder ascending(Expression e) {
    return new SortOrder(e, Ascending$.MODULE$, NullsFirst$.MODULE$, empty());
  }

  private static Seq<Expression> empty() {
    return ScalaInterop.toSeq(List.of());
  }

  @Override
  public Partitioning outputPartitioning() {
    AttributeSet out = outputSet();
    List<Partitioning> kept = new ArrayList<>();
    for (Partitioning p : List.of(contexts.outputPartitioning(), events.outputPartitioning())) {
      if (p instanceof org.apache.spark.sql.catalyst.expressions.Expression
          && ((Expression) p).references().subsetOf(out)) {
        kept.add(p);
      }
    }
    if (kept.isEmpty()) {
      return new UnknownPartitioning(contexts.outputPartitioning().numPartitions());
    }
    return kept.size() == 1 ? kept.get(0) : new PartitioningCollection(ScalaInterop.toSeq(kept));
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
    List<Expression> contextFields = new ArrayList<>(List.of(contextKey, upper, asOf));
    if (lower.isDefined()) {
      contextFields.add(lower.get());
    }
    List<Expression> outputFields = new ArrayList<>();
    for (NamedExpression p : ScalaInterop.toJava(projectList)) {
      outputFields.add((Expression) p);
    }
    outputFields.add(rank);
    List<Attribute> joined = new ArrayList<>(ScalaInterop.toJava(contexts.output()));
    joined.addAll(ScalaInterop.toJava(events.output()));
    joined.add(rank);
    AsOfMergeParams params =
        new AsOfMergeParams(
            ScalaInterop.toSeq(contextFields),
            contexts.output(),
            ScalaInterop.toSeq(List.of(eventKey, eventOrder.head().child())),
            events.output(),
            ScalaInterop.toSeq(outputFields),
            ScalaInterop.toSeq(joined),
            contextKey.dataType(),
            upperInclusive,
            lower.isDefined(),
            lowerInclusive,
            limit);
    JavaRDD<InternalRow> c = contexts.execute().toJavaRDD();
    JavaRDD<InternalRow> e = events.execute().toJavaRDD();
    StreamingMetrics m = streamingMetrics();
    FlatMapFunction2<java.util.Iterator<InternalRow>, java.util.Iterator<InternalRow>, InternalRow> merge =
        (ctx, ev) -> new AsOfMergeIterator(params, m, m.memoryForTask(), ctx, ev);
    return c.zipPartitions(e, merge).rdd();
  }

  @Override
  public String nodeName() {
    return "AsOfHistory";
  }

  @Override
  public int productArity() {
    return 13;
  }

  @Override
  public Object productElement(int n) {
    return args()[n];
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof AsOfHistoryExec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsOfHistoryExec && java.util.Arrays.equals(args(), ((AsOfHistoryExec) o).args());
  }

  @Override
  public int hashCode() {
    return Objects.hash(args());
  }
}
