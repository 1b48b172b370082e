package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.plans.logical.BinaryNode;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.Option;
import scala.collection.immutable.Seq;

/**
 * For every row of {@code contexts}, the first {@code limit} rows of {@code events} with the same key and
 * {@code lower <= time < upper} (bounds evaluated on the context row; inclusiveness per flag), in
 * {@code eventOrder} (time descending, then tie-breaks). Emits {@code projectList} over the joined context and event
 * row plus the 1-based {@code rank}: the result of {@code row_number() <= limit} over the inner range join, with
 * contexts equal in (key, asOf) treated as the join treats duplicates. {@code partitionSpec} is that window's
 * partition in the children's columns (each key on either side, and the as-of): what an aggregation of the
 * history into arrays must group by.
 */
public final class AsOfHistoryNode extends LogicalPlan implements BinaryNode {
  private final LogicalPlan contexts;
  private final LogicalPlan events;
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
  private final Seq<Expression> partitionSpec;

  public AsOfHistoryNode(
      LogicalPlan contexts,
      LogicalPlan events,
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
      Attribute rank,
      Seq<Expression> partitionSpec) {
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
    this.partitionSpec = partitionSpec;
  }

  Object[] args() {
    return new Object[] {
      contexts, events, contextKey, eventKey, asOf, upper, upperInclusive, lower, lowerInclusive, eventOrder, limit,
      projectList, rank, partitionSpec
    };
  }

  Expression contextKey() {
    return contextKey;
  }

  Expression eventKey() {
    return eventKey;
  }

  Attribute asOf() {
    return asOf;
  }

  Expression upper() {
    return upper;
  }

  boolean upperInclusive() {
    return upperInclusive;
  }

  Option<Expression> lower() {
    return lower;
  }

  boolean lowerInclusive() {
    return lowerInclusive;
  }

  List<SortOrder> eventOrder() {
    return ScalaInterop.toJava(eventOrder);
  }

  int limit() {
    return limit;
  }

  List<NamedExpression> projectList() {
    return ScalaInterop.toJava(projectList);
  }

  Attribute rank() {
    return rank;
  }

  List<Expression> partitionSpec() {
    return ScalaInterop.toJava(partitionSpec);
  }

  AsOfHistoryExec toExec(org.apache.spark.sql.execution.SparkPlan c, org.apache.spark.sql.execution.SparkPlan e) {
    return new AsOfHistoryExec(
        c, e, contextKey, eventKey, asOf, upper, upperInclusive, lower, lowerInclusive, eventOrder, limit,
        projectList, rank);
  }

  @Override
  public LogicalPlan left() {
    return contexts;
  }

  @Override
  public LogicalPlan right() {
    return events;
  }

  @Override
  public LogicalPlan withNewChildrenInternal(LogicalPlan newLeft, LogicalPlan newRight) {
    return new AsOfHistoryNode(
        newLeft, newRight, contextKey, eventKey, asOf, upper, upperInclusive, lower, lowerInclusive, eventOrder,
        limit, projectList, rank, partitionSpec);
  }

  @Override
  public LogicalPlan withNewChildrenInternal(scala.collection.immutable.IndexedSeq<LogicalPlan> newChildren) {
    return withNewChildrenInternal(newChildren.apply(0), newChildren.apply(1));
  }

  @Override
  public Seq<LogicalPlan> children() {
    return ScalaInterop.toSeq(List.of(left(), right()));
  }

  @Override
  public Seq<Attribute> output() {
    return outputOf(projectList, rank);
  }

  static Seq<Attribute> outputOf(Seq<NamedExpression> projectList, Attribute rank) {
    List<Attribute> out = new ArrayList<>();
    for (NamedExpression e : ScalaInterop.toJava(projectList)) {
      out.add(e.toAttribute());
    }
    out.add(rank);
    return ScalaInterop.toSeq(out);
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(rank);
  }

  @Override
  public String nodeName() {
    return "AsOfHistory";
  }

  @Override
  public int productArity() {
    return 14;
  }

  @Override
  public Object productElement(int n) {
    return args()[n];
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof AsOfHistoryNode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsOfHistoryNode && java.util.Arrays.equals(args(), ((AsOfHistoryNode) o).args());
  }

  @Override
  public int hashCode() {
    return Objects.hash(args());
  }
}
