package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.BinaryComparison;
import org.apache.spark.sql.catalyst.expressions.Descending$;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.RowNumber;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.TimestampAddInterval;
import org.apache.spark.sql.catalyst.expressions.WindowExpression;
import org.apache.spark.sql.catalyst.plans.Inner$;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.catalyst.plans.logical.WindowGroupLimit;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.IntegerType;
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
    if (!(plan instanceof Filter) || !(((Filter) plan).child() instanceof Window)) {
      return null;
    }
    Window window = (Window) ((Filter) plan).child();
    if (window.windowExpressions().size() != 1 || !(window.windowExpressions().head() instanceof Alias)) {
      return null;
    }
    Alias rankAlias = (Alias) window.windowExpressions().head();
    if (!(rankAlias.child() instanceof WindowExpression)
        || !(((WindowExpression) rankAlias.child()).windowFunction() instanceof RowNumber)) {
      return null;
    }
    Attribute rank = rankAlias.toAttribute();
    int limit = rankLimit(((Filter) plan).condition(), rank);
    if (limit < 1) {
      return null;
    }
    LogicalPlan below = window.child();
    if (below instanceof WindowGroupLimit) {
      WindowGroupLimit groupLimit = (WindowGroupLimit) below;
      if (!(groupLimit.rankLikeFunction() instanceof RowNumber) || groupLimit.limit() < limit) {
        return null;
      }
      below = groupLimit.child();
    }
    List<NamedExpression> projectList = projectListOf(below);
    below = belowProject(below);
    if (!deterministic(projectList)) {
      return null;
    }
    if (!(below instanceof Join)) {
      return null;
    }
    Join join = (Join) below;
    if (join.joinType() != Inner$.MODULE$ || join.condition().isEmpty()) {
      return null;
    }
    return matchJoin(window, join, projectList, limit, rank);
  }

  private static AsOfHistoryNode matchJoin(
      Window window, Join join, List<NamedExpression> projectList, int limit, Attribute rank) {
    List<SortOrder> order = ScalaInterop.toJava(window.orderSpec());
    if (order.isEmpty() || order.get(0).direction() != Descending$.MODULE$) {
      return null;
    }
    Expression time = throughProject(order.get(0).child(), projectList);
    if (time == null || time.references().isEmpty()
        || !(time.dataType() instanceof TimestampType || time.dataType() instanceof TimestampNTZType)) {
      return null;
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
      return null;
    }
    AttributeSet ctx = contexts.outputSet();
    AttributeSet ev = events.outputSet();
    List<SortOrder> eventOrder = new ArrayList<>();
    for (SortOrder o : order) {
      Expression e = throughProject(o.child(), projectList);
      if (e == null || !e.references().subsetOf(ev)) {
        return null;
      }
      eventOrder.add(new SortOrder(e, o.direction(), o.nullOrdering(), ScalaInterop.toSeq(List.of())));
    }
    Bounds b = new Bounds();
    for (Expression conjunct : conjuncts(join.condition().get())) {
      if (!b.add(conjunct, time, ctx, ev)) {
        return null;
      }
    }
    if (b.contextKey == null || b.upper == null
        || !b.contextKey.dataType().sameType(b.eventKey.dataType()) || !AsOfKey.supports(b.contextKey.dataType())
        || !b.upper.dataType().sameType(time.dataType())) {
      return null;
    }
    Attribute asOf = asOfOf(window, projectList, b, ctx);
    if (asOf == null || !b.upper.references().subsetOf(AttributeSet.apply(asOf)) || !lowerTrailsUpper(b)) {
      return null;
    }
    return new AsOfHistoryNode(
        contexts, events, b.contextKey, b.eventKey, asOf, b.upper, b.upperInclusive, Option.apply(b.lower),
        b.lowerInclusive, ScalaInterop.toSeq(eventOrder), limit, ScalaInterop.toSeq(projectList), rank);
  }

  /** The partition spec must be exactly the key (either side) and one context attribute: the as-of column. */
  private static Attribute asOfOf(Window window, List<NamedExpression> projectList, Bounds b, AttributeSet ctx) {
    List<Expression> partition = ScalaInterop.toJava(window.partitionSpec());
    if (partition.size() != 2) {
      return null;
    }
    Attribute asOf = null;
    boolean sawKey = false;
    for (Expression p : partition) {
      Expression e = throughProject(p, projectList);
      if (e == null) {
        return null;
      }
      if (!sawKey && (e.semanticEquals(b.contextKey) || e.semanticEquals(b.eventKey))) {
        sawKey = true;
      } else if (asOf == null && e instanceof Attribute && ctx.contains((Attribute) e)) {
        asOf = (Attribute) e;
      } else {
        return null;
      }
    }
    return sawKey ? asOf : null;
  }

  /** The lower bound must be the upper bound shifted by a constant day-time interval, so both move together. */
  private static boolean lowerTrailsUpper(Bounds b) {
    if (b.lower == null) {
      return true;
    }
    if (!(b.lower instanceof TimestampAddInterval)) {
      return false;
    }
    TimestampAddInterval add = (TimestampAddInterval) b.lower;
    return add.start().semanticEquals(b.upper)
        && add.interval() instanceof Literal
        && add.interval().dataType() instanceof DayTimeIntervalType
        && ((Literal) add.interval()).value() != null;
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


  private static int rankLimit(Expression condition, Attribute rank) {
    if (condition instanceof LessThanOrEqual || condition instanceof LessThan) {
      BinaryComparison c = (BinaryComparison) condition;
      int bound = intLiteral(c.right());
      if (!c.left().semanticEquals(rank) || bound == Integer.MIN_VALUE) {
        return -1;
      }
      return condition instanceof LessThan ? bound - 1 : bound;
    }
    if (condition instanceof GreaterThanOrEqual || condition instanceof GreaterThan) {
      BinaryComparison c = (BinaryComparison) condition;
      int bound = intLiteral(c.left());
      if (!c.right().semanticEquals(rank) || bound == Integer.MIN_VALUE) {
        return -1;
      }
      return condition instanceof GreaterThan ? bound - 1 : bound;
    }
    return -1;
  }

  private static int intLiteral(Expression e) {
    if (e instanceof Literal && e.dataType() instanceof IntegerType && ((Literal) e).value() != null) {
      return (Integer) ((Literal) e).value();
    }
    return Integer.MIN_VALUE;
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

  /** The key equality and the time bounds found among the join conjuncts. */
  private static final class Bounds {
    Expression contextKey;
    Expression eventKey;
    Expression upper;
    boolean upperInclusive;
    Expression lower;
    boolean lowerInclusive;

    boolean add(Expression conjunct, Expression time, AttributeSet ctx, AttributeSet ev) {
      if (conjunct instanceof EqualTo) {
        Expression l = ((EqualTo) conjunct).left();
        Expression r = ((EqualTo) conjunct).right();
        if (contextKey != null) {
          return false;
        }
        if (only(l, ctx) && only(r, ev)) {
          contextKey = l;
          eventKey = r;
          return true;
        }
        if (only(l, ev) && only(r, ctx)) {
          contextKey = r;
          eventKey = l;
          return true;
        }
        return false;
      }
      if (!(conjunct instanceof LessThan || conjunct instanceof LessThanOrEqual
          || conjunct instanceof GreaterThan || conjunct instanceof GreaterThanOrEqual)) {
        return false;
      }
      BinaryComparison c = (BinaryComparison) conjunct;
      boolean timeLeft = c.left().semanticEquals(time);
      Expression bound = timeLeft ? c.right() : c.left();
      if (!(timeLeft || c.right().semanticEquals(time)) || !only(bound, ctx) || !bound.deterministic()) {
        return false;
      }
      boolean less = conjunct instanceof LessThan || conjunct instanceof LessThanOrEqual;
      boolean inclusive = conjunct instanceof LessThanOrEqual || conjunct instanceof GreaterThanOrEqual;
      boolean isUpper = less == timeLeft;
      if (isUpper) {
        if (upper != null) {
          return false;
        }
        upper = bound;
        upperInclusive = inclusive;
      } else {
        if (lower != null) {
          return false;
        }
        lower = bound;
        lowerInclusive = inclusive;
      }
      return true;
    }

    private static boolean only(Expression e, AttributeSet side) {
      return !e.references().isEmpty() && e.references().subsetOf(side) && e.deterministic();
    }
  }
}
