package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.ScalaInterop;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.BinaryComparison;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.DateAdd;
import org.apache.spark.sql.catalyst.expressions.EqualNullSafe;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionOperation;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.execution.adaptive.LogicalQueryStage;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType$;

/**
 * The conjuncts of a range join of contexts to events, read by meaning: one key equality, and at most one upper and
 * one lower bound on the event time, each an expression of context columns that the operator evaluates per
 * context. A bound may compare the time itself, or its calendar date ({@code to_date(time)},
 * {@code cast(time as date)}, also as a column projected below the join): such a bound is rewritten as the
 * equivalent bound on the time, {@code date(t) < d} as {@code t < timestamp(d)} and {@code date(t) <= d} as
 * {@code t < timestamp(d + 1)}, with the time zone of the date cast (a date is a day in the session zone).
 */
final class RangeJoinBounds {
  private final Expression time;
  private final AttributeSet contextColumns;
  private final LogicalPlan events;
  private final AttributeSet eventColumns;
  private Expression contextKey;
  private Expression eventKey;
  private Expression upper;
  private boolean upperInclusive;
  private Expression lower;
  private boolean lowerInclusive;

  RangeJoinBounds(Expression time, AttributeSet contextColumns, LogicalPlan events) {
    this.time = time;
    this.contextColumns = contextColumns;
    this.events = events;
    this.eventColumns = events.outputSet();
  }

  /** Takes one conjunct of the join condition; returns why it cannot be part of an as-of join, or null. */
  String add(Expression conjunct) {
    if (conjunct instanceof EqualTo) {
      return addKey((EqualTo) conjunct);
    }
    if (conjunct instanceof EqualNullSafe) {
      return "the null-safe equality " + conjunct.sql() + " would match null keys";
    }
    if (!(conjunct instanceof LessThan || conjunct instanceof LessThanOrEqual
        || conjunct instanceof GreaterThan || conjunct instanceof GreaterThanOrEqual)) {
      return "the join condition " + conjunct.sql() + " is neither a key equality nor a bound on the event time";
    }
    BinaryComparison c = (BinaryComparison) conjunct;
    boolean less = conjunct instanceof LessThan || conjunct instanceof LessThanOrEqual;
    boolean inclusive = conjunct instanceof LessThanOrEqual || conjunct instanceof GreaterThanOrEqual;
    Expression eventSide;
    Expression bound;
    if (only(c.left(), eventColumns) && only(c.right(), contextColumns)) {
      eventSide = c.left();
      bound = c.right();
    } else if (only(c.right(), eventColumns) && only(c.left(), contextColumns)) {
      eventSide = c.right();
      bound = c.left();
      less = !less;
    } else {
      return "the condition " + conjunct.sql() + " does not compare an event expression with a context expression";
    }
    if (eventSide.semanticEquals(time)) {
      if (!bound.dataType().sameType(time.dataType())) {
        return "the bound " + bound.sql() + " has type " + bound.dataType().sql() + ", not the time's";
      }
      return less ? setUpper(bound, inclusive, conjunct) : setLower(bound, inclusive, conjunct);
    }
    Expression value = definition(eventSide, events);
    if (isDateOf(value) && bound.dataType() instanceof DateType) {
      // date(t) < d  <=>  t < start(d);   date(t) <= d  <=>  t < start(d + 1)
      // date(t) >= d <=>  t >= start(d);  date(t) > d   <=>  t >= start(d + 1)
      Cast dateCast = (Cast) value;
      Expression day = inclusive == less ? new DateAdd(bound, Literal.create(1, IntegerType$.MODULE$)) : bound;
      Expression start = new Cast(day, time.dataType(), dateCast.timeZoneId());
      return less ? setUpper(start, false, conjunct) : setLower(start, true, conjunct);
    }
    return "the condition " + conjunct.sql() + " bounds " + eventSide.sql()
        + ", which is neither the ORDER BY time " + time.sql() + " nor its date";
  }

  private String addKey(EqualTo equality) {
    Expression l = equality.left();
    Expression r = equality.right();
    boolean contextFirst = only(l, contextColumns) && only(r, eventColumns);
    boolean eventFirst = only(l, eventColumns) && only(r, contextColumns);
    if (!contextFirst && !eventFirst) {
      return "the equality " + equality.sql() + " is not between a context and an event expression";
    }
    if (contextKey != null) {
      return "a second key equality " + equality.sql() + " (one key column is supported)";
    }
    contextKey = contextFirst ? l : r;
    eventKey = contextFirst ? r : l;
    return null;
  }

  private String setUpper(Expression bound, boolean inclusive, Expression conjunct) {
    if (upper != null) {
      return "a second upper bound on the event time: " + conjunct.sql();
    }
    upper = bound;
    upperInclusive = inclusive;
    return null;
  }

  private String setLower(Expression bound, boolean inclusive, Expression conjunct) {
    if (lower != null) {
      return "a second lower bound on the event time: " + conjunct.sql();
    }
    lower = bound;
    lowerInclusive = inclusive;
    return null;
  }

  /** {@code cast(x as date)} of the time, {@code to_date(time)} once optimized. */
  private boolean isDateOf(Expression e) {
    return e instanceof Cast && e.dataType() instanceof DateType
        && definition(((Cast) e).child(), events).semanticEquals(definition(time, events));
  }

  /**
   * What an event column computes, looked up through the projections (and row filters) of the events plan: the
   * aliased expression for a projected column, the column itself otherwise.
   */
  static Expression definition(Expression e, LogicalPlan plan) {
    if (!(e instanceof Attribute)) {
      return e;
    }
    Attribute a = (Attribute) e;
    LogicalPlan p = plan;
    while (true) {
      if (p instanceof LogicalQueryStage) {
        // Adaptive execution re-plans with the stages it has run; the logical plan of a stage is what it computed.
        p = ((LogicalQueryStage) p).logicalPlan();
        continue;
      }
      if (!(p instanceof Project || p instanceof Filter || p instanceof SubqueryAlias
          || p instanceof RepartitionOperation)) {
        return a;
      }
      if (p instanceof Project) {
        for (NamedExpression n : ScalaInterop.toJava(((Project) p).projectList())) {
          if (n.exprId().equals(a.exprId()) && n instanceof Alias) {
            return definition(((Alias) n).child(), ((Project) p).child());
          }
        }
      }
      p = p.children().apply(0);
    }
  }

  private static boolean only(Expression e, AttributeSet side) {
    return !e.references().isEmpty() && e.references().subsetOf(side) && e.deterministic();
  }

  Expression contextKey() {
    return contextKey;
  }

  Expression eventKey() {
    return eventKey;
  }

  Expression upper() {
    return upper;
  }

  boolean upperInclusive() {
    return upperInclusive;
  }

  Expression lower() {
    return lower;
  }

  boolean lowerInclusive() {
    return lowerInclusive;
  }
}
