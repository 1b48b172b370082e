package io.traininputs.catalyst.internal;

import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;

/**
 * The one reading of a filter over a row number: {@code rn <= N}, {@code rn < N + 1}, {@code rn = 1} and their
 * mirrored forms, by TopNHistory and the as-of rule alike.
 */
public final class RowNumberLimit {
  /** No conjunct bounds the row number by a constant. */
  public static final long NONE = Long.MAX_VALUE;

  private RowNumberLimit() {}

  /**
   * The largest row number {@code condition} admits, or {@link #NONE}: one conjunct bounding the row number, with at
   * most conjuncts that every row number satisfies besides ({@code rn BETWEEN 1 AND N} is {@code rn >= 1 AND rn <=
   * N}); anything else is NONE.
   */
  public static long of(Expression condition, Attribute rowNumber) {
    if (condition instanceof And) {
      long limit = NONE;
      for (Expression c : new Expression[] {((And) condition).left(), ((And) condition).right()}) {
        long part = of(c, rowNumber);
        if (part != NONE) {
          limit = Math.min(limit, part);
        } else if (!holdsForEveryRowNumber(c, rowNumber)) {
          return NONE;
        }
      }
      return limit;
    }
    long limit = ofConjunct(condition, rowNumber);
    return condition instanceof EqualTo && limit != 1 ? NONE : limit;
  }

  /**
   * The largest row number {@code conjunct} admits ({@code rn = k}: k, the filter staying on top), or {@link #NONE}
   * when it does not bound the row number.
   */
  public static long ofConjunct(Expression conjunct, Attribute rowNumber) {
    if (conjunct instanceof LessThanOrEqual) {
      return bound(((LessThanOrEqual) conjunct).left(), ((LessThanOrEqual) conjunct).right(), rowNumber, 0);
    }
    if (conjunct instanceof LessThan) {
      return bound(((LessThan) conjunct).left(), ((LessThan) conjunct).right(), rowNumber, -1);
    }
    if (conjunct instanceof GreaterThanOrEqual) {
      return bound(((GreaterThanOrEqual) conjunct).right(), ((GreaterThanOrEqual) conjunct).left(), rowNumber, 0);
    }
    if (conjunct instanceof GreaterThan) {
      return bound(((GreaterThan) conjunct).right(), ((GreaterThan) conjunct).left(), rowNumber, -1);
    }
    if (conjunct instanceof EqualTo) {
      EqualTo equalTo = (EqualTo) conjunct;
      long value = bound(equalTo.left(), equalTo.right(), rowNumber, 0);
      if (value == NONE) {
        value = bound(equalTo.right(), equalTo.left(), rowNumber, 0);
      }
      return value;
    }
    return NONE;
  }

  /** {@code rn >= k} for k <= 1, {@code rn > k} for k <= 0, mirrored: true of every row number (they start at 1). */
  private static boolean holdsForEveryRowNumber(Expression conjunct, Attribute rowNumber) {
    if (conjunct instanceof GreaterThanOrEqual g) {
      return atMost(g.right(), g.left(), rowNumber, 1);
    }
    if (conjunct instanceof GreaterThan g) {
      return atMost(g.right(), g.left(), rowNumber, 0);
    }
    if (conjunct instanceof LessThanOrEqual l) {
      return atMost(l.left(), l.right(), rowNumber, 1);
    }
    if (conjunct instanceof LessThan l) {
      return atMost(l.left(), l.right(), rowNumber, 0);
    }
    return false;
  }

  private static boolean atMost(Expression constant, Expression row, Attribute rowNumber, long max) {
    return row instanceof Attribute a && a.exprId().equals(rowNumber.exprId()) && constant instanceof Literal lit
        && (lit.value() instanceof Integer || lit.value() instanceof Long) && ((Number) lit.value()).longValue() <= max;
  }

  private static long bound(Expression smaller, Expression larger, Attribute rowNumber, long adjust) {
    if (!(smaller instanceof Attribute) || !((Attribute) smaller).exprId().equals(rowNumber.exprId())
        || !(larger instanceof Literal)) {
      return NONE;
    }
    Object value = ((Literal) larger).value();
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue() + adjust;
    }
    return NONE;
  }
}
