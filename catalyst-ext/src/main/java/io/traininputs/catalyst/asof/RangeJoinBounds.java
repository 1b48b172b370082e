package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.BinaryComparison;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.CreateNamedStruct;
import org.apache.spark.sql.catalyst.expressions.DateAdd;
import org.apache.spark.sql.catalyst.expressions.DateDiff;
import org.apache.spark.sql.catalyst.expressions.EqualNullSafe;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.If;
import org.apache.spark.sql.catalyst.expressions.IsNull;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.MicrosToTimestamp;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.Or;
import org.apache.spark.sql.catalyst.expressions.UnaryMinus;
import org.apache.spark.sql.catalyst.expressions.UnixMicros;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionOperation;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.execution.adaptive.LogicalQueryStage;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType$;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType$;
import org.apache.spark.sql.types.TimestampType;
import scala.Option;

/**
 * The conjuncts of a range join of contexts to events, read by meaning: key equalities, and at most one upper and
 * one lower bound on the event time, each an expression of context columns that the operator evaluates per
 * context. A bound may compare the time itself, or its calendar date ({@code to_date(time)},
 * {@code cast(time as date)}, also as a column projected below the join): such a bound is rewritten as the
 * equivalent bound on the time, {@code date(t) < d} as {@code t < timestamp(d)} and {@code date(t) <= d} as
 * {@code t < timestamp(d + 1)}, with the time zone of the date cast (a date is a day in the session zone). A day
 * difference {@code datediff(a, date(t)) op k} is such a bound on the date, and a bound on {@code unix_micros(t)} the
 * same bound on the time.
 */
final class RangeJoinBounds {
  private final Expression time;
  private final AttributeSet contextColumns;
  private final LogicalPlan events;
  private final AttributeSet eventColumns;
  private final List<Expression> contextKeys = new ArrayList<>();
  private final List<Expression> eventKeys = new ArrayList<>();
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
    if (only(c.left(), eventColumns) && only(c.right(), contextColumns)) {
      return addBound(c.left(), c.right(), less, inclusive, conjunct);
    }
    if (only(c.right(), eventColumns) && only(c.left(), contextColumns)) {
      return addBound(c.right(), c.left(), !less, inclusive, conjunct);
    }
    if (c.left() instanceof DateDiff d && contextOrConstant(c.right())) {
      return addDayDifference(d, c.right(), less, inclusive, conjunct);
    }
    if (c.right() instanceof DateDiff d && contextOrConstant(c.left())) {
      return addDayDifference(d, c.left(), !less, inclusive, conjunct);
    }
    return "the condition " + conjunct.sql() + " does not compare an event expression with a context expression";
  }

  /**
   * {@code datediff(end, start) op k} with one side the event's date and the other a context date: {@code
   * datediff(a, date(t)) >= k} is {@code date(t) <= a - k}, {@code datediff(date(t), a) < k} is {@code date(t) < a +
   * k}, and so on; then a bound on the date.
   */
  private String addDayDifference(DateDiff d, Expression k, boolean less, boolean inclusive, Expression conjunct) {
    if (!k.dataType().sameType(IntegerType$.MODULE$)) {
      return "the day difference " + d.sql() + " is compared with " + k.sql() + " of type " + k.dataType().sql();
    }
    if (only(d.startDate(), eventColumns) && contextOrConstant(d.endDate()) && !d.endDate().references().isEmpty()) {
      return addBound(d.startDate(), new DateAdd(d.endDate(), new UnaryMinus(k, false)), !less, inclusive, conjunct);
    }
    if (only(d.endDate(), eventColumns) && contextOrConstant(d.startDate())
        && !d.startDate().references().isEmpty()) {
      return addBound(d.endDate(), new DateAdd(d.startDate(), k), less, inclusive, conjunct);
    }
    return "the day difference " + d.sql() + " is not between the event's date and a context date";
  }

  /** One bound: {@code eventSide < bound} when {@code less}, else {@code eventSide > bound}. */
  private String addBound(Expression eventSide, Expression bound, boolean less, boolean inclusive,
      Expression conjunct) {
    if (eventSide.semanticEquals(time)) {
      if (!bound.dataType().sameType(time.dataType())) {
        return "the bound " + bound.sql() + " has type " + bound.dataType().sql() + ", not the time's";
      }
      return less ? setUpper(bound, inclusive, conjunct) : setLower(bound, inclusive, conjunct);
    }
    Expression value = definition(eventSide, events);
    Option<String> zone = dateZone(eventSide, value);
    if (zone != null && bound.dataType() instanceof DateType) {
      // date(t) < d  <=>  t < start(d);   date(t) <= d  <=>  t < start(d + 1)
      // date(t) >= d <=>  t >= start(d);  date(t) > d   <=>  t >= start(d + 1)
      Expression day = inclusive == less ? new DateAdd(bound, Literal.create(1, IntegerType$.MODULE$)) : bound;
      Expression start = new Cast(day, time.dataType(), zone);
      return less ? setUpper(start, false, conjunct) : setLower(start, true, conjunct);
    }
    if (value instanceof UnixMicros u && definition(u.child(), events).semanticEquals(definition(time, events))
        && bound.dataType() instanceof LongType && time.dataType() instanceof TimestampType) {
      // unix_micros(t) < m  <=>  t < timestamp_micros(m): the same instant, exactly
      Expression instant = new MicrosToTimestamp(bound);
      return less ? setUpper(instant, inclusive, conjunct) : setLower(instant, inclusive, conjunct);
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
    contextKeys.add(contextFirst ? l : r);
    eventKeys.add(contextFirst ? r : l);
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

  /**
   * The time zone of the day when {@code eventSide} (defined as {@code value}) is the time's calendar date, null
   * when it is not: {@code cast(time as date)} ({@code to_date(time)} once optimized), also a column defined so in
   * every branch of a union below the join (a date column added to a union of sources).
   */
  private Option<String> dateZone(Expression eventSide, Expression value) {
    if (isDateOf(value, time, events)) {
      return ((Cast) value).timeZoneId();
    }
    Expression timeValue = definition(time, events);
    if (!(value instanceof Attribute) || !(timeValue instanceof Attribute)) {
      return null;
    }
    Union union = unionWithOutput((Attribute) value, events);
    if (union == null) {
      return null;
    }
    int dateAt = indexOf(union.output(), (Attribute) value);
    int timeAt = indexOf(union.output(), (Attribute) timeValue);
    if (dateAt < 0 || timeAt < 0) {
      return null;
    }
    Option<String> zone = null;
    for (LogicalPlan branch : ScalaInterop.toJava(union.children())) {
      Expression date = definition(branch.output().apply(dateAt), branch);
      if (!isDateOf(date, branch.output().apply(timeAt), branch)
          || (zone != null && !zone.equals(((Cast) date).timeZoneId()))) {
        return null;
      }
      zone = ((Cast) date).timeZoneId();
    }
    return zone;
  }

  private static boolean isDateOf(Expression e, Expression time, LogicalPlan plan) {
    return e instanceof Cast && e.dataType() instanceof DateType
        && definition(((Cast) e).child(), plan).semanticEquals(definition(time, plan));
  }

  /** The union below the projections and row filters of {@code plan} that outputs {@code a}, if any. */
  private static Union unionWithOutput(Attribute a, LogicalPlan plan) {
    LogicalPlan p = plan;
    while (true) {
      if (p instanceof LogicalQueryStage) {
        p = ((LogicalQueryStage) p).logicalPlan();
        continue;
      }
      if (p instanceof Union u) {
        return indexOf(u.output(), a) >= 0 ? u : null;
      }
      if (!(p instanceof Project || p instanceof Filter || p instanceof SubqueryAlias
          || p instanceof RepartitionOperation)) {
        return null;
      }
      p = p.children().apply(0);
    }
  }

  private static int indexOf(scala.collection.Seq<Attribute> output, Attribute a) {
    for (int i = 0; i < output.size(); i++) {
      if (output.apply(i).exprId().equals(a.exprId())) {
        return i;
      }
    }
    return -1;
  }

  private boolean contextOrConstant(Expression e) {
    return e.deterministic() && e.references().subsetOf(contextColumns);
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

  /** The key equalities' context sides, in the order of the condition. */
  List<Expression> contextKeys() {
    return contextKeys;
  }

  /** The key equalities' event sides, paired with {@link #contextKeys()}. */
  List<Expression> eventKeys() {
    return eventKeys;
  }

  /** The context side of the key as one expression: see {@link #compositeKey}; null without a key equality. */
  Expression contextKey() {
    return compositeKey(contextKeys);
  }

  Expression eventKey() {
    return compositeKey(eventKeys);
  }

  /**
   * One key expression for the operator: the only key itself, else the struct of the keys, null when any of them is
   * null (an inner join matches no row on a null key, and the operator skips null keys). Structs sort and hash by
   * their fields, so both sides are partitioned and ordered alike.
   */
  static Expression compositeKey(List<Expression> keys) {
    if (keys.isEmpty()) {
      return null;
    }
    if (keys.size() == 1) {
      return keys.get(0);
    }
    List<Expression> fields = new ArrayList<>();
    Expression anyNull = null;
    for (int i = 0; i < keys.size(); i++) {
      fields.add(Literal.create("k" + i, StringType$.MODULE$));
      fields.add(keys.get(i));
      Expression isNull = new IsNull(keys.get(i));
      anyNull = anyNull == null ? isNull : new Or(anyNull, isNull);
    }
    CreateNamedStruct struct = new CreateNamedStruct(ScalaInterop.toSeq(fields));
    return new If(anyNull, Literal.create(null, struct.dataType()), struct);
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
