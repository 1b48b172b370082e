package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.ArraySort;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.CreateNamedStruct;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.SortArray;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.CollectList;
import org.apache.spark.sql.catalyst.expressions.aggregate.Complete$;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;

/**
 * Recognises the ordered-array aggregation over the history:
 *
 * <pre>
 * Aggregate(group by (key, asOf), [key, asOf, sort_array(collect_list(struct(rn, ...)), true) AS h])
 *   [Project of attributes] {@link AsOfHistoryNode}
 * </pre>
 *
 * and reads it back from the {@link AsOfHistoryArraysNode} it becomes. Since the as-of operator emits each context's
 * rows contiguously in rank order, the array is collected in one pass.
 */
final class ArrayShapeMatcher {
  private final LogicalPlan input;
  private final AsOfHistoryNode history;
  private final List<NamedExpression> resultList;
  private final Expression element;
  private final Attribute collected;

  private ArrayShapeMatcher(
      LogicalPlan input, AsOfHistoryNode history, List<NamedExpression> resultList, Expression element,
      Attribute collected) {
    this.input = input;
    this.history = history;
    this.resultList = resultList;
    this.element = element;
    this.collected = collected;
  }

  AsOfHistoryNode history() {
    return history;
  }

  /** The struct each array element is built from: {@code struct(rank, ...)}. */
  Expression element() {
    return element;
  }

  /** The aggregate's output attribute holding the array. */
  Attribute collected() {
    return collected;
  }

  /** The node that takes the aggregation's place. */
  AsOfHistoryArraysNode node() {
    return new AsOfHistoryArraysNode(input, ScalaInterop.toSeq(resultList), element, history.rank(), collected);
  }

  static ArrayShapeMatcher match(LogicalPlan plan) {
    return match(plan, new Why());
  }

  /** An {@link AsOfHistoryArraysNode} read back, or the aggregation it replaces (with the reason when it cannot). */
  static ArrayShapeMatcher match(LogicalPlan plan, Why why) {
    if (plan instanceof AsOfHistoryArraysNode node) {
      AsOfHistoryNode history = node.history();
      return history == null ? null
          : new ArrayShapeMatcher(node.child(), history, node.resultList(), node.element(), node.collected());
    }
    if (!(plan instanceof Aggregate)) {
      return null;
    }
    Aggregate aggregate = (Aggregate) plan;
    LogicalPlan below = aggregate.child();
    if (below instanceof Project) {
      for (NamedExpression e : ScalaInterop.toJava(((Project) below).projectList())) {
        if (!(e instanceof Attribute)) {
          return null;
        }
      }
      below = ((Project) below).child();
    }
    if (!(below instanceof AsOfHistoryNode history)) {
      return null;
    }
    Attribute rank = history.output().last();
    if (!groupsByContext(aggregate, history)) {
      return why.no("the aggregation does not group by exactly the window's (key, as-of)");
    }
    List<NamedExpression> resultList = new ArrayList<>();
    Expression element = null;
    Attribute collected = null;
    for (NamedExpression e : ScalaInterop.toJava(aggregate.aggregateExpressions())) {
      if (e instanceof Attribute && contains(aggregate.groupingExpressions(), (Attribute) e)) {
        resultList.add(e);
        continue;
      }
      Expression struct = collectedStruct(e, rank);
      if (struct == null || element != null) {
        return why.no("aggregate "
            + ((Expression) e).sql() + " is not one sort_array or array_sort (by rank) of"
            + " collect_list(struct(rn, ...))");
      }
      element = struct;
      Alias alias = (Alias) e;
      collected =
          new AttributeReference(
              alias.name(), alias.dataType(), alias.nullable(), alias.metadata(), alias.exprId(),
              alias.qualifier());
      resultList.add(collected);
    }
    if (element == null || !element.references().subsetOf(below.outputSet())) {
      return why.no("the collected struct reads columns the history does not have");
    }
    return new ArrayShapeMatcher(aggregate.child(), history, resultList, element, collected);
  }

  /** The grouping is exactly the history's window partition: its keys and as-of, through its projection. */
  private static boolean groupsByContext(Aggregate aggregate, AsOfHistoryNode history) {
    List<Expression> grouping = ScalaInterop.toJava(aggregate.groupingExpressions());
    List<Expression> partition = history.partitionSpec();
    if (grouping.size() != partition.size()) {
      return false;
    }
    for (Expression g : grouping) {
      Expression below = StockShapeMatcher.throughProject(g, history.projectList());
      boolean found = false;
      for (Expression p : partition) {
        found |= below != null && below.semanticEquals(p);
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(scala.collection.immutable.Seq<Expression> grouping, Attribute a) {
    for (Expression g : ScalaInterop.toJava(grouping)) {
      if (g.semanticEquals(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code sort_array(collect_list(struct(rank, ...)), true) AS h}, or {@code array_sort} of the same with the
   * default comparator or one that compares the rank fields ({@link RankComparator}): returns the struct, or null.
   */
  private static Expression collectedStruct(NamedExpression e, Attribute rank) {
    if (!(e instanceof Alias)) {
      return null;
    }
    Expression sorted = ((Alias) e).child();
    Expression base;
    if (sorted instanceof SortArray) {
      SortArray sort = (SortArray) sorted;
      if (!(sort.ascendingOrder() instanceof Literal)
          || !Boolean.TRUE.equals(((Literal) sort.ascendingOrder()).value())) {
        return null;
      }
      base = sort.base();
    } else if (sorted instanceof ArraySort && RankComparator.ordersByFirstField(((ArraySort) sorted).function())) {
      base = ((ArraySort) sorted).argument();
    } else {
      return null;
    }
    if (!(base instanceof AggregateExpression)) {
      return null;
    }
    AggregateExpression agg = (AggregateExpression) base;
    if (agg.isDistinct() || agg.filter().isDefined() || agg.mode() != Complete$.MODULE$
        || !(agg.aggregateFunction() instanceof CollectList)) {
      return null;
    }
    Expression struct = ((CollectList) agg.aggregateFunction()).child();
    if (!(struct instanceof CreateNamedStruct)) {
      return null;
    }
    List<Expression> values = ScalaInterop.toJava(((CreateNamedStruct) struct).valExprs());
    if (values.isEmpty() || !values.get(0).semanticEquals(rank)) {
      return null;
    }
    return struct;
  }
}
