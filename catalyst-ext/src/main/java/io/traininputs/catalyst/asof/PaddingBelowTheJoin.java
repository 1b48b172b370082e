package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
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
  private final List<Alias> pushed = new ArrayList<>();

  private PaddingBelowTheJoin(List<NamedExpression> historyList, AttributeSet historyColumns, Attribute collected) {
    for (NamedExpression e : historyList) {
      definitions.put(e.exprId(), StockShapeMatcher.valueOf(e));
    }
    this.historyColumns = historyColumns;
    this.collected = collected;
  }

  /** The projection with its padded arrays computed below the left join, or null when it has none to move. */
  static LogicalPlan push(Project project) {
    if (!(project.child() instanceof Join join) || join.joinType() != LeftOuter$.MODULE$) {
      return null;
    }
    LogicalPlan below = StockShapeMatcher.belowProject(join.right());
    if (!(below instanceof AsOfHistoryArraysNode arrays)) {
      return null;
    }
    List<NamedExpression> historyList = StockShapeMatcher.projectListOf(join.right());
    PaddingBelowTheJoin padding = new PaddingBelowTheJoin(historyList, join.right().outputSet(), arrays.collected());
    List<NamedExpression> outer = new ArrayList<>();
    for (NamedExpression e : ScalaInterop.toJava(project.projectList())) {
      outer.add((NamedExpression) padding.replace((Expression) e));
    }
    if (padding.pushed.isEmpty()) {
      return null;
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

  /** {@code e} with each padded array of the histories' columns read from a column computed below the join. */
  private Expression replace(Expression e) {
    if (!(e instanceof Attribute) && e.deterministic() && !e.references().isEmpty()
        && e.references().subsetOf(historyColumns)) {
      Expression belowTheJoin = SortedSliceAsRowNumber.simplify(defined(e));
      if (belowTheJoin.dataType().sameType(e.dataType()) && JoinBackMatcher.isPadded(belowTheJoin, collected)) {
        Alias column = new Alias(belowTheJoin, "padded_" + pushed.size(), NamedExpression$.MODULE$.newExprId(),
            ScalaInterop.toSeq(List.of()), Option.empty(), ScalaInterop.toSeq(List.of()));
        pushed.add(column);
        return column.toAttribute().withNullability(true);
      }
    }
    return e.mapChildren(this::replace);
  }

  /** {@code e} with the histories' columns replaced by what they compute from the arrays. */
  private Expression defined(Expression e) {
    if (e instanceof Attribute a && definitions.containsKey(a.exprId())) {
      return definitions.get(a.exprId());
    }
    return e.mapChildren(this::defined);
  }
}
