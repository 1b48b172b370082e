package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.TopNHistoryFunctions;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.Objects;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnaryNode;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;

/**
 * Logical "history arrays": one row per group of {@code partitionKeys} holding the keys and, for each of
 * {@code values} (int columns), an array of exactly {@code limit} elements: the values of the group's first
 * {@code limit} rows by {@code orderSpec}, in rank order, right-padded with {@code padding}. Built by
 * {@link TopNHistoryFunctions}; planned straight from the per-group heaps.
 */
public final class TopNHistoryArrays extends LogicalPlan implements UnaryNode {

  private final Seq<Attribute> partitionKeys;
  private final Seq<SortOrder> orderSpec;
  private final Seq<Attribute> values;
  private final int limit;
  private final int padding;
  private final Seq<Attribute> arrays;
  private final LogicalPlan child;

  public TopNHistoryArrays(Seq<Attribute> partitionKeys, Seq<SortOrder> orderSpec, Seq<Attribute> values, int limit,
      int padding, Seq<Attribute> arrays, LogicalPlan child) {
    this.partitionKeys = partitionKeys;
    this.orderSpec = orderSpec;
    this.values = values;
    this.limit = limit;
    this.padding = padding;
    this.arrays = arrays;
    this.child = child;
  }

  public Seq<Attribute> partitionKeys() {
    return partitionKeys;
  }

  public Seq<SortOrder> orderSpec() {
    return orderSpec;
  }

  public Seq<Attribute> values() {
    return values;
  }

  public int limit() {
    return limit;
  }

  public int padding() {
    return padding;
  }

  public Seq<Attribute> arrays() {
    return arrays;
  }

  @Override
  public LogicalPlan child() {
    return child;
  }

  @Override
  public Seq<LogicalPlan> children() {
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
  public LogicalPlan withNewChildInternal(LogicalPlan newChild) {
    return new TopNHistoryArrays(partitionKeys, orderSpec, values, limit, padding, arrays, newChild);
  }

  @Override
  public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren) {
    return withNewChildInternal(newChildren.head());
  }

  @Override
  public int productArity() {
    return 7;
  }

  @Override
  public Object productElement(int n) {
    switch (n) {
      case 0:
        return partitionKeys;
      case 1:
        return orderSpec;
      case 2:
        return values;
      case 3:
        return limit;
      case 4:
        return padding;
      case 5:
        return arrays;
      case 6:
        return child;
      default:
        throw new IndexOutOfBoundsException(String.valueOf(n));
    }
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof TopNHistoryArrays;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof TopNHistoryArrays)) {
      return false;
    }
    TopNHistoryArrays that = (TopNHistoryArrays) other;
    return limit == that.limit && padding == that.padding && partitionKeys.equals(that.partitionKeys)
        && orderSpec.equals(that.orderSpec) && values.equals(that.values) && arrays.equals(that.arrays)
        && child.equals(that.child);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partitionKeys, orderSpec, values, limit, padding, arrays, child);
  }
}
