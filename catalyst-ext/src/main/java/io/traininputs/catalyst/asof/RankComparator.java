package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.CaseWhen;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GetStructField;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.If;
import org.apache.spark.sql.catalyst.expressions.IsNull;
import org.apache.spark.sql.catalyst.expressions.LambdaFunction;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.NamedLambdaVariable;
import org.apache.spark.sql.catalyst.expressions.Or;
import org.apache.spark.sql.catalyst.expressions.Subtract;
import scala.Tuple2;

/**
 * Whether an {@code array_sort} comparator orders structs whose first field is a unique, non-null rank by that
 * rank ascending (the array elements are never null): the default comparator (whole structs compared, nulls
 * first checked), {@code (l, r) -> l.rn - r.rn}, or a CASE that returns -1 when {@code l.rn < r.rn} and 1 when
 * {@code l.rn > r.rn} after any null checks.
 */
final class RankComparator {
  private RankComparator() {}

  static boolean ordersByFirstField(Expression function) {
    if (!(function instanceof LambdaFunction) || ((LambdaFunction) function).arguments().size() != 2) {
      return false;
    }
    LambdaFunction f = (LambdaFunction) function;
    List<NamedExpression> args = ScalaInterop.toJava(f.arguments());
    if (!(args.get(0) instanceof NamedLambdaVariable) || !(args.get(1) instanceof NamedLambdaVariable)) {
      return false;
    }
    NamedLambdaVariable l = (NamedLambdaVariable) args.get(0);
    NamedLambdaVariable r = (NamedLambdaVariable) args.get(1);
    Expression body = f.function();
    if (body instanceof Subtract) {
      return rankOf(((Subtract) body).left(), l, false) && rankOf(((Subtract) body).right(), r, false);
    }
    List<Expression[]> branches = new ArrayList<>();
    Expression otherwise = branches(body, branches);
    boolean less = false;
    boolean greater = false;
    for (Expression[] branch : branches) {
      Expression condition = branch[0];
      int value = intValue(branch[1]);
      if (onlyNullChecks(condition, l, r)) {
        continue;
      }
      if (!less && value == -1 && compares(condition, l, r, true)) {
        less = true;
      } else if (less && !greater && value == 1 && compares(condition, l, r, false)) {
        greater = true;
      } else {
        return false;
      }
    }
    return less && greater && (otherwise == null || intValue(otherwise) == 0);
  }

  /**
   * The (condition, value) branches of a CASE or of nested IFs (the optimizer's form of a CASE), in order, into
   * {@code out}; returns the final else value (null when there is none).
   */
  private static Expression branches(Expression e, List<Expression[]> out) {
    if (e instanceof If) {
      If i = (If) e;
      out.add(new Expression[] {i.predicate(), i.trueValue()});
      return branches(i.falseValue(), out);
    }
    if (e instanceof CaseWhen) {
      CaseWhen c = (CaseWhen) e;
      for (Tuple2<Expression, Expression> branch : ScalaInterop.toJava(c.branches())) {
        out.add(new Expression[] {branch._1(), branch._2()});
      }
      return c.elseValue().isEmpty() ? null : branches(c.elseValue().get(), out);
    }
    return e;
  }

  /** {@code l < r} (or {@code r > l}) when {@code less}, else {@code l > r} (or {@code r < l}), on rank or struct. */
  private static boolean compares(Expression e, NamedLambdaVariable l, NamedLambdaVariable r, boolean less) {
    if (e instanceof LessThan) {
      LessThan c = (LessThan) e;
      return less ? rankOf(c.left(), l, true) && rankOf(c.right(), r, true)
          : rankOf(c.left(), r, true) && rankOf(c.right(), l, true);
    }
    if (e instanceof GreaterThan) {
      GreaterThan c = (GreaterThan) e;
      return less ? rankOf(c.left(), r, true) && rankOf(c.right(), l, true)
          : rankOf(c.left(), l, true) && rankOf(c.right(), r, true);
    }
    return false;
  }

  /** {@code v.<first field>}, or {@code v} itself when {@code wholeStruct} (structs compare field by field). */
  private static boolean rankOf(Expression e, NamedLambdaVariable v, boolean wholeStruct) {
    if (e instanceof GetStructField) {
      GetStructField g = (GetStructField) e;
      return g.ordinal() == 0 && isVariable(g.child(), v);
    }
    return wholeStruct && isVariable(e, v);
  }

  private static boolean isVariable(Expression e, NamedLambdaVariable v) {
    return e instanceof NamedLambdaVariable && ((NamedLambdaVariable) e).exprId().equals(v.exprId());
  }

  /** A condition over null checks of the arguments alone: false for non-null elements. */
  private static boolean onlyNullChecks(Expression e, NamedLambdaVariable l, NamedLambdaVariable r) {
    if (e instanceof And) {
      return onlyNullChecks(((And) e).left(), l, r) || onlyNullChecks(((And) e).right(), l, r);
    }
    if (e instanceof Or) {
      return onlyNullChecks(((Or) e).left(), l, r) && onlyNullChecks(((Or) e).right(), l, r);
    }
    return e instanceof IsNull && (isVariable(((IsNull) e).child(), l) || isVariable(((IsNull) e).child(), r));
  }

  private static int intValue(Expression e) {
    return e instanceof Literal && ((Literal) e).value() instanceof Integer ? (Integer) ((Literal) e).value()
        : Integer.MIN_VALUE;
  }
}
