package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.Inner$;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;

/**
 * Recognises rows inner-joined on (key, asOf) to the zero-padded histories of their contexts, the way the reference
 * job joins impressions to their histories:
 *
 * <pre>
 * [Project of deterministic expressions] over
 * Join Inner (x.key = c.key AND x.asOf = c.asOf), on either side:
 *   x: any rows
 *   [Project of deterministic expressions, e.g. coalesce(arrays, zeros)] over
 *     the left join back {@link JoinBackMatcher} recognises, of the history's own distinct contexts c
 * </pre>
 *
 * and plans it as one {@link AsOfContextHistoryExec} that reads the rows in place of the contexts: each row whose
 * (key, asOf) is one of the contexts is written once with its arrays, instead of writing one row per context and
 * shuffling those arrays again for the join. Because the contexts are distinct, each row meets exactly one history.
 */
final class JoinedRowsMatcher {
  private final LogicalPlan rows;
  private final JoinBackMatcher joinBack;
  private final Attribute rowKey;
  private final Attribute rowAsOf;
  private final List<Expression> rowOutput;
  private final List<Attribute> output;

  private JoinedRowsMatcher(
      LogicalPlan rows, JoinBackMatcher joinBack, Attribute rowKey, Attribute rowAsOf, List<Expression> rowOutput,
      List<Attribute> output) {
    this.rows = rows;
    this.joinBack = joinBack;
    this.rowKey = rowKey;
    this.rowAsOf = rowAsOf;
    this.rowOutput = rowOutput;
    this.output = output;
  }

  LogicalPlan rows() {
    return rows;
  }

  JoinBackMatcher joinBack() {
    return joinBack;
  }

  SparkPlan plan(SparkPlan rowsExec, SparkPlan historyContextsExec, SparkPlan eventsExec) {
    return joinBack.planJoined(rowsExec, historyContextsExec, eventsExec, rowKey, rowAsOf, rowOutput, output);
  }

  /** The join, or a projection of deterministic expressions right over it (written by the operator directly). */
  static JoinedRowsMatcher match(LogicalPlan plan) {
    List<NamedExpression> outputList = StockShapeMatcher.projectListOf(plan);
    LogicalPlan below = StockShapeMatcher.belowProject(plan);
    if (!(below instanceof Join) || !StockShapeMatcher.deterministic(outputList)) {
      return null;
    }
    Join join = (Join) below;
    if (join.joinType() != Inner$.MODULE$ || join.condition().isEmpty() || !join.hint().leftHint().isEmpty()
        || !join.hint().rightHint().isEmpty()) {
      return null;
    }
    JoinedRowsMatcher histories = match(join, join.left(), join.right(), outputList);
    return histories != null ? histories : match(join, join.right(), join.left(), outputList);
  }


  private static JoinedRowsMatcher match(
      Join join, LogicalPlan rows, LogicalPlan histories, List<NamedExpression> outputList) {
    List<NamedExpression> list = StockShapeMatcher.projectListOf(histories);
    LogicalPlan joinedBack = StockShapeMatcher.belowProject(histories);
    JoinBackMatcher joinBack = joinedBack instanceof Join ? JoinBackMatcher.match(joinedBack) : null;
    if (joinBack == null || !joinBack.contextsAreTheHistorys() || !StockShapeMatcher.deterministic(list)) {
      return null;
    }

    // The condition pairs a row column with each of the contexts' key and asOf, as the projection passes them on.
    Attribute rowKey = null;
    Attribute rowAsOf = null;
    List<Attribute[]> pairs =
        StockShapeMatcher.columnPairs(join.condition().get(), rows.outputSet(), histories.outputSet());
    if (pairs == null) {
      return null;
    }
    for (Attribute[] pair : pairs) {
      Attribute x = pair[0];
      Attribute h = pair[1];
      Expression source = StockShapeMatcher.throughProject(h, list);
      if (source instanceof Attribute && source.semanticEquals(joinBack.contextKey()) && rowKey == null
          && x.dataType().sameType(source.dataType())) {
        rowKey = x;
      } else if (source instanceof Attribute && source.semanticEquals(joinBack.contextAsOf()) && rowAsOf == null
          && x.dataType().sameType(source.dataType())) {
        rowAsOf = x;
      } else {
        return null;
      }
    }
    if (rowKey == null || rowAsOf == null) {
      return null;
    }

    // Each join column: a row column as it is, or the projection's expression with the contexts' key and asOf read
    // from the row they are equal to; each output column: its expression over those.
    Map<ExprId, Expression> contextToRow = new HashMap<>();
    contextToRow.put(joinBack.contextKey().exprId(), rowKey);
    contextToRow.put(joinBack.contextAsOf().exprId(), rowAsOf);
    Map<ExprId, Expression> joinValues = new HashMap<>();
    for (Attribute a : ScalaInterop.toJava(join.output())) {
      Expression value =
          rows.outputSet().contains(a) ? a : substitute(StockShapeMatcher.throughProject(a, list), contextToRow);
      if (value == null) {
        return null;
      }
      joinValues.put(a.exprId(), value);
    }
    List<Attribute> readable = new ArrayList<>(ScalaInterop.toJava(rows.output()));
    readable.addAll(joinBack.historyColumns());
    AttributeSet inputs = AttributeSet.apply(ScalaInterop.asExpressions(ScalaInterop.toSeq(readable)));
    List<Expression> rowOutput = new ArrayList<>();
    List<Attribute> output = new ArrayList<>();
    for (NamedExpression e : outputList) {
      Expression value = substitute(StockShapeMatcher.valueOf(e), joinValues);
      if (!value.references().subsetOf(inputs)) {
        return null;
      }
      rowOutput.add(value);
      output.add(e.toAttribute());
    }
    return new JoinedRowsMatcher(rows, joinBack, rowKey, rowAsOf, rowOutput, output);
  }

  private static Expression substitute(Expression e, Map<ExprId, Expression> replacements) {
    if (e == null) {
      return null;
    }
    if (e instanceof Attribute && replacements.containsKey(((Attribute) e).exprId())) {
      return replacements.get(((Attribute) e).exprId());
    }
    return e.mapChildren(c -> substitute(c, replacements));
  }
}
