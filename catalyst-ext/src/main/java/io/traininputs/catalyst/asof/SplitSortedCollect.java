package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.ArraySort;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.SortArray;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.internal.SQLConf;
import scala.Option;

/**
 * Over a window over a join, an aggregate that computes something of the sorted array rather than the array itself
 * ({@code transform(sort_array(collect_list(struct(rn, ...))), x -> x.item_id)}, {@code sort_array(...).item_id})
 * is split into the aggregation of the sorted array and a projection of the rest, merged into the projection above
 * when there is one: the same values, in the shape the as-of plans read. Outputs that read the same sorted array
 * (one {@code transform} per field) share one aggregation of it; a top N without a window is first given one
 * ({@link SortedSliceAsRowNumber}). A pre-CBO rule, run once after the
 * operator optimization batch (whose projection collapsing would merge the two again).
 */
final class SplitSortedCollect extends Rule<LogicalPlan> {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    return TrainingInputsConf.asofEnabled(SQLConf.get()) ? rewrite(plan) : plan;
  }

  private static LogicalPlan rewrite(LogicalPlan plan) {
    // An aggregation under a projection is split with the projection, so the two merge into one.
    boolean projection = plan instanceof Project;
    LogicalPlan node = plan.mapChildren(
        child -> projection && child instanceof Aggregate ? child.mapChildren(SplitSortedCollect::rewrite)
            : rewrite(child));
    if (node instanceof Project && ((Project) node).child() instanceof Aggregate) {
      Aggregate aggregate = withRowNumber((Aggregate) ((Project) node).child());
      Split split = Split.of(aggregate);
      if (split == null) {
        return aggregate == ((Project) node).child() ? node : new Project(((Project) node).projectList(), aggregate);
      }
      List<NamedExpression> list = new ArrayList<>();
      for (NamedExpression e : ScalaInterop.toJava(((Project) node).projectList())) {
        list.add((NamedExpression) SortedSliceAsRowNumber.simplify(split.substitute((Expression) e)));
      }
      return new Project(ScalaInterop.toSeq(list), split.aggregate);
    }
    if (node instanceof Aggregate) {
      Aggregate aggregate = withRowNumber((Aggregate) node);
      Project split = split(aggregate);
      return split == null ? aggregate : split;
    }
    return node;
  }

  /**
   * The aggregation of the sorted arrays under a projection of the rest, or null when {@code aggregate} computes no
   * more than the arrays. The planner splits again what a later projection collapse merged back, to say why it was
   * declined.
   */
  static Project split(Aggregate aggregate) {
    Split split = Split.of(aggregate);
    if (split == null) {
      return null;
    }
    List<NamedExpression> list = new ArrayList<>();
    for (Attribute a : ScalaInterop.toJava(aggregate.output())) {
      list.add((NamedExpression) split.substitute(a));
    }
    return new Project(ScalaInterop.toSeq(list), split.aggregate);
  }

  private static Aggregate withRowNumber(Aggregate a) {
    Aggregate rewritten = SortedSliceAsRowNumber.rewrite(a);
    return rewritten == null ? a : rewritten;
  }

  /** The aggregate computing the sorted arrays, and what each split output is in terms of them. */
  private static final class Split {
    final Aggregate aggregate;
    final Map<ExprId, Alias> outer;

    private Split(Aggregate aggregate, Map<ExprId, Alias> outer) {
      this.aggregate = aggregate;
      this.outer = outer;
    }

    static Split of(Aggregate a) {
      LogicalPlan below = StockShapeMatcher.belowProject(a.child());
      if (!StockShapeMatcher.overAJoin(below) && !(below instanceof AsOfHistoryNode)) {
        return null;
      }
      List<NamedExpression> inner = new ArrayList<>();
      Map<ExprId, Alias> outer = new HashMap<>();
      List<Alias> arrays = new ArrayList<>();
      for (NamedExpression e : ScalaInterop.toJava(a.aggregateExpressions())) {
        if (e instanceof Alias alias && isSortedCollect(alias.child())) {
          arrays.add(alias);
        }
      }
      for (NamedExpression e : ScalaInterop.toJava(a.aggregateExpressions())) {
        Expression value = StockShapeMatcher.valueOf(e);
        boolean wrapped = e instanceof Alias && ((Expression) e).deterministic() && !isSortedCollect(value);
        Expression sorted = wrapped ? sortedCollect(value) : null;
        if (sorted == null) {
          inner.add(e);
          continue;
        }
        Alias array = null;
        for (Alias earlier : arrays) {
          if (earlier.child().semanticEquals(sorted)) {
            array = earlier;
          }
        }
        if (array == null) {
          array = new Alias(sorted, "sorted_" + e.name(), NamedExpression$.MODULE$.newExprId(),
              ScalaInterop.toSeq(List.of()), Option.empty(), ScalaInterop.toSeq(List.of()));
          arrays.add(array);
          inner.add(array);
        }
        Alias alias = (Alias) e;
        outer.put(e.exprId(), new Alias(replace(value, sorted, array.toAttribute()), alias.name(), alias.exprId(),
            alias.qualifier(), alias.explicitMetadata(), alias.nonInheritableMetadataKeys()));
      }
      return outer.isEmpty() ? null
          : new Split(new Aggregate(a.groupingExpressions(), ScalaInterop.toSeq(inner), a.child(), a.hint()), outer);
    }

    /** {@code e} with each split output it reads replaced by its definition over the sorted arrays. */
    Expression substitute(Expression e) {
      if (e instanceof Attribute && outer.containsKey(((Attribute) e).exprId())) {
        return outer.get(((Attribute) e).exprId());
      }
      if (e instanceof Alias) {
        Alias a = (Alias) e;
        return new Alias(substituteChild(a.child()), a.name(), a.exprId(), a.qualifier(), a.explicitMetadata(),
            a.nonInheritableMetadataKeys());
      }
      return e;
    }

    private Expression substituteChild(Expression e) {
      if (e instanceof Attribute && outer.containsKey(((Attribute) e).exprId())) {
        return outer.get(((Attribute) e).exprId()).child();
      }
      return e.mapChildren(this::substituteChild);
    }
  }

  private static boolean isSortedCollect(Expression e) {
    Expression base = e instanceof SortArray ? ((SortArray) e).base()
        : e instanceof ArraySort ? ((ArraySort) e).argument() : null;
    return base instanceof AggregateExpression;
  }

  /** The one sorted collect inside {@code e}, or null when there is none or more than one. */
  private static Expression sortedCollect(Expression e) {
    List<Expression> found = new ArrayList<>();
    collect(e, found);
    return found.size() == 1 ? found.get(0) : null;
  }

  private static void collect(Expression e, List<Expression> found) {
    if (isSortedCollect(e)) {
      found.add(e);
      return;
    }
    for (Expression child : ScalaInterop.toJava(e.children())) {
      collect(child, found);
    }
  }

  private static Expression replace(Expression e, Expression target, Expression with) {
    return e == target ? with : e.mapChildren(c -> replace(c, target, with));
  }
}
