package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.RowNumberLimit;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Descending$;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.RowNumber;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.WindowExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression$;
import org.apache.spark.sql.catalyst.plans.Inner$;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionOperation;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.catalyst.plans.logical.WindowGroupLimit;
import org.apache.spark.sql.execution.adaptive.LogicalQueryStage;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import scala.Option;

/**
 * Recognises, in an optimized logical plan, the stock "latest N events before each as-of date" shape:
 *
 * <pre>
 * Filter(rn &lt;= N,
 *   Window(row_number() AS rn, partition (key, asOf), order (time DESC, tie-breaks...),
 *     [WindowGroupLimit] [Project]
 *       Join Inner (ctxKey = evKey AND time &lt; upper(asOf) [AND time &gt;= upper(asOf) + -interval])))
 * </pre>
 *
 * and returns the equivalent {@link AsOfHistoryNode}, or null when anything differs.
 */
final class StockShapeMatcher {
  private StockShapeMatcher() {}

  static AsOfHistoryNode match(LogicalPlan plan) {
    return match(plan, new Why());
  }

  /**
   * Whether {@code plan} looks like the family: a filter over a window over (a group limit or projection over) a
   * join with a condition, so that declining it is worth a reason.
   */
  static boolean looksLikeRangeJoinTopN(LogicalPlan plan) {
    if (!(plan instanceof Filter) || !(((Filter) plan).child() instanceof Window)) {
      return false;
    }
    LogicalPlan below = ((Window) ((Filter) plan).child()).child();
    if (below instanceof WindowGroupLimit) {
      below = ((WindowGroupLimit) below).child();
    }
    below = belowProject(below);
    return below instanceof Join && ((Join) below).condition().isDefined();
  }

  /** A filter over a window over a join, through any projections, filters and group limit in between. */
  static boolean overAJoin(LogicalPlan plan) {
    if (!(plan instanceof Filter) || !(((Filter) plan).child() instanceof Window)) {
      return false;
    }
    LogicalPlan below = ((Window) ((Filter) plan).child()).child();
    while (below instanceof Project || below instanceof Filter || below instanceof WindowGroupLimit) {
      below = below.children().apply(0);
    }
    return below instanceof Join;
  }

  static AsOfHistoryNode match(LogicalPlan plan, Why why) {
    if (!(plan instanceof Filter) || !(((Filter) plan).child() instanceof Window)) {
      return why.no("not a filter over a window");
    }
    Window window = (Window) ((Filter) plan).child();
    if (window.windowExpressions().size() != 1 || !(window.windowExpressions().head() instanceof Alias)) {
      return why.no("the window computes " + window.windowExpressions().size() + " expressions, not one row_number()");
    }
    Alias rankAlias = (Alias) window.windowExpressions().head();
    if (!(rankAlias.child() instanceof WindowExpression)
        || !(((WindowExpression) rankAlias.child()).windowFunction() instanceof RowNumber)) {
      Expression function = rankAlias.child() instanceof WindowExpression
          ? ((WindowExpression) rankAlias.child()).windowFunction() : rankAlias.child();
      return why.no("the window function is " + function.prettyName() + "(), not row_number()"
          + " (ties would share a rank)");
    }
    Attribute rank = rankAlias.toAttribute();
    long limit = RowNumberLimit.of(((Filter) plan).condition(), rank);
    if (limit == RowNumberLimit.NONE) {
      return why.no("the filter over row_number() is not a single bound rn <= N (or rn < N, rn = 1)");
    }
    if (limit < 1 || limit > Integer.MAX_VALUE - 1) {
      return why.no("the bound on row_number() keeps " + (limit < 1 ? "no row" : "more rows than an array holds"));
    }
    LogicalPlan below = window.child();
    if (below instanceof WindowGroupLimit) {
      WindowGroupLimit groupLimit = (WindowGroupLimit) below;
      if (!(groupLimit.rankLikeFunction() instanceof RowNumber) || groupLimit.limit() < limit) {
        return why.no("an unexpected window group limit below the window");
      }
      below = groupLimit.child();
    }
    List<NamedExpression> projectList = projectListOf(below);
    below = belowProject(below);
    if (!deterministic(projectList)) {
      return why.no("a non-deterministic projection between the join and the window");
    }
    if (!(below instanceof Join)) {
      return why.no("the window is not over a join");
    }
    Join join = (Join) below;
    if (join.joinType() != Inner$.MODULE$) {
      return why.no("the join is " + join.joinType().sql() + ", not INNER (contexts without events would be kept)");
    }
    if (join.condition().isEmpty()) {
      return why.no("the join has no condition");
    }
    return matchJoin(window, join, projectList, (int) limit, rank, why);
  }

  private static AsOfHistoryNode matchJoin(
      Window window, Join join, List<NamedExpression> projectList, int limit, Attribute rank, Why why) {
    List<SortOrder> order = ScalaInterop.toJava(window.orderSpec());
    if (order.isEmpty() || order.get(0).direction() != Descending$.MODULE$) {
      return why.no("the window is not ordered newest first (its first ORDER BY key must be the time, DESC)");
    }
    Expression time = throughProject(order.get(0).child(), projectList);
    if (time == null || time.references().isEmpty()
        || !(time.dataType() instanceof TimestampType || time.dataType() instanceof TimestampNTZType)) {
      return why.no("the first ORDER BY key is not a timestamp column of the events");
    }
    LogicalPlan contexts;
    LogicalPlan events;
    if (time.references().subsetOf(join.right().outputSet())) {
      contexts = join.left();
      events = join.right();
    } else if (time.references().subsetOf(join.left().outputSet())) {
      contexts = join.right();
      events = join.left();
    } else {
      return why.no("the ORDER BY time reads both sides of the join");
    }
    AttributeSet ctx = contexts.outputSet();
    AttributeSet ev = events.outputSet();
    List<SortOrder> eventOrder = new ArrayList<>();
    for (SortOrder o : order) {
      Expression e = throughProject(o.child(), projectList);
      if (e == null || !e.references().subsetOf(ev)) {
        return why.no("ORDER BY key " + o.child().sql() + " is not a column of the events");
      }
      eventOrder.add(new SortOrder(e, o.direction(), o.nullOrdering(), ScalaInterop.toSeq(List.of())));
    }
    RangeJoinBounds b = new RangeJoinBounds(time, ctx, events);
    for (Expression conjunct : conjuncts(join.condition().get())) {
      String reason = b.add(conjunct);
      if (reason != null) {
        return why.no(reason);
      }
    }
    if (b.contextKey() == null) {
      return why.no("the join has no key equality between the contexts and the events");
    }
    if (b.upper() == null) {
      return why.no("the join has no upper bound on the event time (time < as-of)");
    }
    for (int i = 0; i < b.contextKeys().size(); i++) {
      Expression c = b.contextKeys().get(i);
      if (!c.dataType().sameType(b.eventKeys().get(i).dataType()) || !AsOfKey.supports(c.dataType())) {
        return why.no("the key " + c.sql() + " has type " + c.dataType().sql()
            + " (supported: integral, date, timestamp, binary-collated string, the same on both sides)");
      }
    }
    Attribute asOf = asOfOf(window, projectList, b, ctx);
    if (asOf == null) {
      return why.no("the window is not partitioned by exactly the join keys and one context column (the as-of)");
    }
    AttributeSet asOfOnly = AttributeSet.apply(asOf);
    Expression upper = ofAsOf(b.upper(), asOf, contexts);
    Expression lower = b.lower() == null ? null : ofAsOf(b.lower(), asOf, contexts);
    if (!upper.deterministic() || (lower != null && !lower.deterministic())) {
      return why.no("a time bound reads a context column computed non-deterministically");
    }
    if (!upper.references().subsetOf(asOfOnly) || (lower != null && !lower.references().subsetOf(asOfOnly))) {
      return why.no("a time bound reads context columns other than the window's as-of column " + asOf.name()
          + " (or columns the contexts compute from it)");
    }
    List<Expression> partition = new ArrayList<>();
    for (Expression p : ScalaInterop.toJava(window.partitionSpec())) {
      partition.add(throughProject(p, projectList));
    }
    return new AsOfHistoryNode(
        contexts, events, b.contextKey(), b.eventKey(), asOf, upper, b.upperInclusive(),
        Option.apply(lower), b.lowerInclusive(), ScalaInterop.toSeq(eventOrder), limit,
        ScalaInterop.toSeq(projectList), rank, ScalaInterop.toSeq(partition));
  }

  /**
   * {@code bound} with every context column other than the as-of replaced by what the contexts plan computes it
   * from ({@code withColumn("lookback_start", date_sub(as_of_date, 30))}): a bound of columns that are functions of
   * the as-of is a function of the as-of.
   */
  private static Expression ofAsOf(Expression bound, Attribute asOf, LogicalPlan contexts) {
    if (bound instanceof Attribute a) {
      if (a.exprId().equals(asOf.exprId())) {
        return a;
      }
      Expression defined = RangeJoinBounds.definition(a, contexts);
      if (defined == a) {
        defined = groupedDefinition(a, contexts);
      }
      return defined == a ? a : ofAsOf(defined, asOf, contexts);
    }
    List<Expression> children = ScalaInterop.toJava(bound.children());
    List<Expression> replaced = new ArrayList<>(children.size());
    boolean changed = false;
    for (Expression child : children) {
      Expression r = ofAsOf(child, asOf, contexts);
      changed |= r != child;
      replaced.add(r);
    }
    return changed ? bound.withNewChildren(ScalaInterop.toSeq(replaced)) : bound;
  }

  /**
   * What a column computes when an aggregation below the projections of {@code plan} outputs it as an expression of
   * its grouping columns alone (the optimizer moves {@code withColumn(...)} over a {@code distinct()} into it);
   * {@code a} itself otherwise.
   */
  private static Expression groupedDefinition(Attribute a, LogicalPlan plan) {
    LogicalPlan p = plan;
    while (true) {
      if (p instanceof LogicalQueryStage) {
        p = ((LogicalQueryStage) p).logicalPlan();
        continue;
      }
      if (p instanceof Aggregate agg) {
        Set<ExprId> grouping = new HashSet<>();
        for (Expression g : ScalaInterop.toJava(agg.groupingExpressions())) {
          if (!(g instanceof Attribute)) {
            return a;
          }
          grouping.add(((Attribute) g).exprId());
        }
        for (NamedExpression n : ScalaInterop.toJava(agg.aggregateExpressions())) {
          if (n.exprId().equals(a.exprId()) && n instanceof Alias alias
              && !AggregateExpression$.MODULE$.containsAggregate(alias.child())
              && ScalaInterop.toJava(alias.child().references().toSeq()).stream()
                  .allMatch(r -> grouping.contains(r.exprId()))) {
            return alias.child();
          }
        }
        return a;
      }
      if (!(p instanceof Project || p instanceof Filter || p instanceof SubqueryAlias
          || p instanceof RepartitionOperation)) {
        return a;
      }
      p = p.children().apply(0);
    }
  }

  /**
   * The partition spec must be the join keys (each key by either side, each spec entry one key or more) and one
   * context attribute: the as-of column.
   */
  private static Attribute asOfOf(
      Window window, List<NamedExpression> projectList, RangeJoinBounds b, AttributeSet ctx) {
    List<Expression> partition = ScalaInterop.toJava(window.partitionSpec());
    boolean[] covered = new boolean[b.contextKeys().size()];
    Attribute asOf = null;
    for (Expression p : partition) {
      Expression e = throughProject(p, projectList);
      if (e == null) {
        return null;
      }
      boolean key = false;
      for (int i = 0; i < covered.length; i++) {
        if (e.semanticEquals(b.contextKeys().get(i)) || e.semanticEquals(b.eventKeys().get(i))) {
          covered[i] = true;
          key = true;
        }
      }
      if (key) {
        continue;
      }
      if (asOf != null || !(e instanceof Attribute) || !ctx.contains((Attribute) e)) {
        return null;
      }
      asOf = (Attribute) e;
    }
    for (boolean c : covered) {
      if (!c) {
        return null;
      }
    }
    return asOf;
  }

  /** Maps an attribute of the window's input to the expression the project below computes it from. */
  static Expression throughProject(Expression e, List<NamedExpression> projectList) {
    if (!(e instanceof Attribute)) {
      return null;
    }
    for (NamedExpression p : projectList) {
      if (p.exprId().equals(((Attribute) e).exprId())) {
        return valueOf(p);
      }
    }
    return null;
  }

  /** What a projected column computes: an alias's child, or the column itself. */
  static Expression valueOf(NamedExpression e) {
    return e instanceof Alias ? ((Alias) e).child() : (Expression) e;
  }

  /** The columns a plan computes for its parent: a projection's list, or else its output as it is. */
  static List<NamedExpression> projectListOf(LogicalPlan plan) {
    return plan instanceof Project
        ? ScalaInterop.toJava(((Project) plan).projectList()) : new ArrayList<>(ScalaInterop.toJava(plan.output()));
  }

  /** The plan below a projection, or the plan itself. */
  static LogicalPlan belowProject(LogicalPlan plan) {
    return plan instanceof Project ? ((Project) plan).child() : plan;
  }

  static boolean deterministic(List<NamedExpression> list) {
    for (NamedExpression e : list) {
      if (!((Expression) e).deterministic()) {
        return false;
      }
    }
    return true;
  }


  /**
   * The conjuncts of an equi-join condition as (left-side column, right-side column) pairs, in order; null unless
   * every conjunct is an equality of a column of each side.
   */
  static List<Attribute[]> columnPairs(Expression condition, AttributeSet left, AttributeSet right) {
    List<Attribute[]> pairs = new ArrayList<>();
    for (Expression conjunct : conjuncts(condition)) {
      if (!(conjunct instanceof EqualTo)) {
        return null;
      }
      Expression a = ((EqualTo) conjunct).left();
      Expression b = ((EqualTo) conjunct).right();
      if (!(a instanceof Attribute) || !(b instanceof Attribute)) {
        return null;
      }
      Attribute l = left.contains((Attribute) a) ? (Attribute) a : (Attribute) b;
      Attribute r = l == a ? (Attribute) b : (Attribute) a;
      if (!left.contains(l) || !right.contains(r)) {
        return null;
      }
      pairs.add(new Attribute[] {l, r});
    }
    return pairs;
  }

  /** The conjuncts of {@code e}, left to right. */
  static List<Expression> conjuncts(Expression e) {
    List<Expression> out = new ArrayList<>();
    if (e instanceof And) {
      out.addAll(conjuncts(((And) e).left()));
      out.addAll(conjuncts(((And) e).right()));
    } else {
      out.add(e);
    }
    return out;
  }
}
