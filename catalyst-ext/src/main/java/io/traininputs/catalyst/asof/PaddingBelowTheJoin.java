package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.ArrayRepeat;
import org.apache.spark.sql.catalyst.expressions.ArrayTransform;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Coalesce;
import org.apache.spark.sql.catalyst.expressions.Concat;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GetArrayStructFields;
import org.apache.spark.sql.catalyst.expressions.IsNotNull;
import org.apache.spark.sql.catalyst.expressions.IsNull;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.Literal$;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.Size;
import org.apache.spark.sql.catalyst.expressions.Slice;
import org.apache.spark.sql.catalyst.expressions.Subtract;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.catalyst.plans.LeftOuter$;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import scala.Option;

/**
 * Zero padding written over the join back, {@code coalesce(concat(h.f, array_repeat(0, N - size(h))), zeros)} where
 * {@code h} is the ordered array of the histories left-joined to the contexts, is computed on the histories' side of
 * the join instead: the shape the one-pass join back reads ({@link JoinBackMatcher}), with the padding next to the
 * arrays and only the {@code coalesce} over the join. The same rows: the left join null-extends the history columns
 * of a context without a history, and the padding of a null array is null ({@code concat} of a null), so padding
 * before or after the join gives the same value. {@code h} may also be the rank-dropping {@code transform} that
 * {@link SortedSliceAsRowNumber} writes; its fields are read from the ranked array.
 */
final class PaddingBelowTheJoin {
  private final Map<ExprId, Expression> definitions = new HashMap<>();
  private final AttributeSet historyColumns;
  private final Attribute collected;
  private final int limit;
  private final List<Alias> pushed = new ArrayList<>();

  private PaddingBelowTheJoin(
      List<NamedExpression> historyList, AttributeSet historyColumns, Attribute collected, int limit) {
    for (NamedExpression e : historyList) {
      definitions.put(e.exprId(), StockShapeMatcher.valueOf(e));
    }
    this.historyColumns = historyColumns;
    this.collected = collected;
    this.limit = limit;
  }

  /** The projection with its padded arrays computed below the left join, or null when it has none to move. */
  static LogicalPlan push(Project project) {
    if (!(project.child() instanceof Join join) || join.joinType() != LeftOuter$.MODULE$) {
      return null;
    }
    LogicalPlan below = StockShapeMatcher.belowProject(join.right());
    if (!(below instanceof AsOfHistoryArraysNode arrays) || arrays.history() == null) {
      return null;
    }
    List<NamedExpression> historyList = StockShapeMatcher.projectListOf(join.right());
    PaddingBelowTheJoin padding = new PaddingBelowTheJoin(
        historyList, join.right().outputSet(), arrays.collected(), arrays.history().limit());
    List<NamedExpression> outer = new ArrayList<>();
    for (NamedExpression e : ScalaInterop.toJava(project.projectList())) {
      outer.add((NamedExpression) padding.replace((Expression) e));
    }
    if (padding.pushed.isEmpty()) {
      return null;
    }
    for (int i = 0; i < outer.size(); i++) {
      outer.set(i, (NamedExpression) padding.nullChecks((Expression) outer.get(i)));
    }
    List<Expression> reading = new ArrayList<>();
    for (NamedExpression e : outer) {
      reading.add((Expression) e);
    }
    AttributeSet read = AttributeSet.apply(ScalaInterop.toSeq(reading));
    if (join.condition().isDefined()) {
      read = read.$plus$plus(join.condition().get().references());
    }
    List<NamedExpression> kept = new ArrayList<>();
    for (NamedExpression e : historyList) {
      if (read.contains(e.toAttribute())) {
        kept.add(e);
      }
    }
    kept.addAll(padding.pushed);
    LogicalPlan histories = new Project(ScalaInterop.toSeq(kept), below);
    return new Project(ScalaInterop.toSeq(outer),
        join.withNewChildren(ScalaInterop.toSeq(List.of(join.left(), histories))));
  }

  /**
   * {@code e} with each padded array of the histories' columns read from a column computed below the join: {@code
   * concat(x, array_repeat(p, W - size(x)))} as it is, and {@code slice(concat(coalesce(x, []), array_repeat(p, W)),
   * 1, W)} (when the history holds at most W entries, so that nothing is cut) as {@code coalesce} of the former
   * and {@code array_repeat(p, W)}, which is what it gives a context without a history.
   */
  private Expression replace(Expression e) {
    if (!(e instanceof Attribute) && e.deterministic() && !e.references().isEmpty()
        && e.references().subsetOf(historyColumns)) {
      Expression belowTheJoin = SortedSliceAsRowNumber.simplify(defined(e));
      if (belowTheJoin.dataType().sameType(e.dataType()) && JoinBackMatcher.isPadded(belowTheJoin, collected)) {
        return push(belowTheJoin);
      }
      Expression[] sliced = slicedPadding(belowTheJoin);
      if (sliced != null && sliced[0].dataType().sameType(e.dataType())
          && JoinBackMatcher.isPadded(sliced[0], collected)) {
        return new Coalesce(ScalaInterop.toSeq(List.of(push(sliced[0]), sliced[1])));
      }
    }
    return e.mapChildren(this::replace);
  }

  private Attribute push(Expression padded) {
    Alias column = new Alias(padded, "padded_" + pushed.size(), NamedExpression$.MODULE$.newExprId(),
        ScalaInterop.toSeq(List.of()), Option.empty(), ScalaInterop.toSeq(List.of()));
    pushed.add(column);
    return column.toAttribute().withNullability(true);
  }

  /**
   * For {@code slice(concat(coalesce(x, []), array_repeat(p, W)), 1, W)} with {@code W} at least the history's
   * limit: {@code concat(x, array_repeat(p, W - size(x)))} and {@code array_repeat(p, W)}; else null.
   */
  private Expression[] slicedPadding(Expression e) {
    if (!(e instanceof Slice slice) || !(slice.x() instanceof Concat concat) || concat.children().size() != 2
        || !(concat.children().apply(0) instanceof Coalesce coalesce) || coalesce.children().size() != 2) {
      return null;
    }
    Expression zeros = concat.children().apply(1);
    Integer pad = null;
    Integer width = null;
    if (zeros instanceof ArrayRepeat repeat) {
      pad = JoinBackMatcher.intLiteral(repeat.left());
      width = JoinBackMatcher.intLiteral(repeat.right());
    } else if (zeros instanceof Literal l && l.value() instanceof ArrayData a && a.numElements() > 0
        && zeros.dataType() instanceof ArrayType t && t.elementType() instanceof IntegerType) {
      // array_repeat(p, W) folded to a literal: W copies of p
      pad = a.isNullAt(0) ? null : a.getInt(0);
      for (int i = 1; pad != null && i < a.numElements(); i++) {
        pad = a.isNullAt(i) || a.getInt(i) != pad ? null : pad;
      }
      width = a.numElements();
    }
    if (pad == null || width == null || width < limit
        || !Integer.valueOf(1).equals(JoinBackMatcher.intLiteral(slice.start()))
        || !width.equals(JoinBackMatcher.intLiteral(slice.length())) || !emptyArray(coalesce.children().apply(1))) {
      return null;
    }
    Expression values = coalesce.children().apply(0);
    Expression repeated = new ArrayRepeat(Literal$.MODULE$.apply(pad),
        new Subtract(Literal$.MODULE$.apply(width), new Size(values)));
    return new Expression[] {new Concat(ScalaInterop.toSeq(List.of(values, repeated))), zeros};
  }

  /**
   * {@code e} with a null check of an array of the history ({@code h}, {@code h.f}, {@code transform(h, ...)}) made
   * on a moved padded column instead: each is null exactly when the context has no history, since the arrays of a
   * context with one are never null.
   */
  private Expression nullChecks(Expression e) {
    if ((e instanceof IsNull || e instanceof IsNotNull) && ofTheArrays(e.children().apply(0))) {
      Expression moved = pushed.get(0).toAttribute().withNullability(true);
      return e instanceof IsNull ? new IsNull(moved) : new IsNotNull(moved);
    }
    return e.mapChildren(this::nullChecks);
  }

  private boolean ofTheArrays(Expression e) {
    if (e.references().isEmpty() || !e.references().subsetOf(historyColumns)) {
      return false;
    }
    Expression below = SortedSliceAsRowNumber.simplify(defined(e));
    if (below instanceof GetArrayStructFields g) {
      below = g.child();
    } else if (below instanceof ArrayTransform t) {
      below = t.argument();
    }
    return below instanceof Attribute a && a.semanticEquals(collected);
  }

  private static boolean emptyArray(Expression e) {
    return e instanceof Literal l && l.value() instanceof ArrayData a && a.numElements() == 0;
  }

  /** {@code e} with the histories' columns replaced by what they compute from the arrays. */
  private Expression defined(Expression e) {
    if (e instanceof Attribute a && definitions.containsKey(a.exprId())) {
      return definitions.get(a.exprId());
    }
    return e.mapChildren(this::defined);
  }
}
