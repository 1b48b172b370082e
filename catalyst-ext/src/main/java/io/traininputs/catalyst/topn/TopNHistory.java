package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.Objects;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.UnaryNode;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;

/**
 * Logical "first {@code limit} rows per group": the rows of {@code child} ranked by {@code orderSpec} within each
 * group of {@code partitionSpec}, those with row number {@code <= limit}, each with its row number appended as
 * {@code rowNumber}. Replaces {@code Filter(Window(row_number()))} and keeps its output attributes.
 */
public final class TopNHistory extends LogicalPlan implements UnaryNode {

  private final Seq<Expression> partitionSpec;
  private final Seq<SortOrder> orderSpec;
  private final int limit;
  private final Attribute rowNumber;
  private final LogicalPlan child;

  public TopNHistory(
      Seq<Expression> partitionSpec, Seq<SortOrder> orderSpec, int limit, Attribute rowNumber, LogicalPlan child) {
    this.partitionSpec = partitionSpec;
    this.orderSpec = orderSpec;
    this.limit = limit;
    this.rowNumber = rowNumber;
    this.child = child;
  }

  public Seq<Expression> partitionSpec() {
    return partitionSpec;
  }

  public Seq<SortOrder> orderSpec() {
    return orderSpec;
  }

  public int limit() {
    return limit;
  }

  public Attribute rowNumber() {
    return rowNumber;
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
    return ScalaInterop.append(child.output(), rowNumber);
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(rowNumber);
  }

  @Override
  public LogicalPlan withNewChildInternal(LogicalPlan newChild) {
    return new TopNHistory(partitionSpec, orderSpec, limit, rowNumber, newChild);
  }

  @Override
  public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren) {
    return withNewChildInternal(newChildren.head());
  }

  @Override
  public int productArity() {
    return 5;
  }

  @Override
  public Object productElement(int n) {
    switch (n) {
      case 0:
        return partitionSpec;
      case 1:
        return orderSpec;
      case 2:
        return limit;
      case 3:
        return rowNumber;
      case 4:
        return child;
      default:
        throw new IndexOutOfBoundsException(String.valueOf(n));
    }
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof TopNHistory;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof TopNHistory)) {
      return false;
    }
    TopNHistory that = (TopNHistory) other;
    return limit == that.limit && partitionSpec.equals(that.partitionSpec) && orderSpec.equals(that.orderSpec)
        && rowNumber.equals(that.rowNumber) && child.equals(that.child);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partitionSpec, orderSpec, limit, rowNumber, child);
  }
}
