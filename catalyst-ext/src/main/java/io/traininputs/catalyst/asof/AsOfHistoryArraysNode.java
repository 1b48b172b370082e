package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.UnaryNode;
import org.apache.spark.sql.execution.SparkPlan;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;

/**
 * The history below collected into one ordered array per context: {@code resultList} (the grouping columns and
 * {@code collected}, the array of {@code element} in rank order) for each context of the {@link AsOfHistoryNode}
 * under {@code child} (directly, or through a projection of its columns that column pruning adds). The result of
 * {@code sort_array(collect_list(struct(rank, ...)))} grouped by the history's (key, as-of), which
 * {@link InferAsOfHistory} replaces by this node; planned as {@link AsOfCollectExec}. Public, as is its constructor,
 * only because Catalyst copies plan nodes through their constructor by reflection.
 */
public final class AsOfHistoryArraysNode extends LogicalPlan implements UnaryNode {
  private final LogicalPlan child;
  private final Seq<NamedExpression> resultList;
  private final Expression element;
  private final Attribute rank;
  private final Attribute collected;

  public AsOfHistoryArraysNode(
      LogicalPlan child, Seq<NamedExpression> resultList, Expression element, Attribute rank, Attribute collected) {
    this.child = child;
    this.resultList = resultList;
    this.element = element;
    this.rank = rank;
    this.collected = collected;
  }

  private Object[] args() {
    return new Object[] {child, resultList, element, rank, collected};
  }

  List<NamedExpression> resultList() {
    return ScalaInterop.toJava(resultList);
  }

  Expression element() {
    return element;
  }

  Attribute collected() {
    return collected;
  }

  /** The history node the arrays are collected from, or null when a later rule put anything else between them. */
  AsOfHistoryNode history() {
    LogicalPlan below = child;
    if (below instanceof Project project && project.projectList().forall(e -> e instanceof Attribute)) {
      below = project.child();
    }
    return below instanceof AsOfHistoryNode history ? history : null;
  }

  AsOfCollectExec toExec(SparkPlan childExec) {
    return new AsOfCollectExec(childExec, resultList, element, rank, collected);
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
    return outputOf(resultList);
  }

  /** The columns of {@code resultList}: this node's output, and its exec's. */
  static Seq<Attribute> outputOf(Seq<NamedExpression> resultList) {
    List<Attribute> out = new ArrayList<>();
    for (NamedExpression e : ScalaInterop.toJava(resultList)) {
      out.add(e.toAttribute());
    }
    return ScalaInterop.toSeq(out);
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(collected);
  }

  @Override
  public LogicalPlan withNewChildInternal(LogicalPlan newChild) {
    return new AsOfHistoryArraysNode(newChild, resultList, element, rank, collected);
  }

  @Override
  public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren) {
    return withNewChildInternal(newChildren.head());
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
    return that instanceof AsOfHistoryArraysNode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsOfHistoryArraysNode && Arrays.equals(args(), ((AsOfHistoryArraysNode) o).args());
  }

  @Override
  public int hashCode() {
    return Objects.hash(args());
  }
}
