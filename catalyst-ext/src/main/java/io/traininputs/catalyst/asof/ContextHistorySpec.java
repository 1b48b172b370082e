package io.traininputs.catalyst.asof;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.collection.immutable.Seq;

/**
 * What one {@link AsOfContextHistoryExec} task needs, resolved on the driver into plain values and bound-able
 * expressions.
 *
 * <ul>
 *   <li>Context fields (key, asOf) over the schema of the contexts joined back, and over the schema of the contexts
 *       the history was defined for; bounds (upper[, lower]) over the as-of attribute.</li>
 *   <li>Event fields (key, time, column 0, column 1, ...) over the events' output, evaluated by the map-side
 *       {@link AsOfEventPackExec}; the first {@code tieBreaks} columns
 *       break time ties in their listed directions, payload columns follow. Columns are integral values of at most
 *       32 bits (null kept apart), so each fits a long.</li>
 *   <li>One padded array per {@code paddedSource} entry: the source column's values in history order (or the
 *       1-based rank for {@link #RANK}), then {@code paddedPad} up to {@code paddedWidth} elements.</li>
 *   <li>The history-side output, one entry per attribute: {@link #KEY}, {@link #AS_OF} or a padded array index.</li>
 *   <li>The output row: expressions over the context row followed by the history-side output; and whether contexts
 *       the history is not defined for are dropped (an inner join of rows to the joined-back contexts) rather than
 *       emitted with nulls (the left join back itself), and whether contexts without a history entry are dropped
 *       as well (the histories alone).</li>
 * </ul>
 */
final class ContextHistorySpec implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int RANK = -1;
  static final int KEY = -1;
  static final int AS_OF = -2;

  final Seq<Expression> contextFields;
  final Seq<Attribute> contextSchema;
  final Seq<Expression> historyContextFields;
  final Seq<Attribute> historyContextSchema;
  final Seq<Expression> bounds;
  final Seq<Attribute> asOfSchema;
  final Seq<Expression> eventFields;
  final int tieBreaks;
  final boolean[] tieAscending;
  final boolean[] tieNullsSmallest;
  final int[] paddedSource;
  final int[] paddedWidth;
  final int[] paddedPad;
  final int[] historyOutput;
  final Seq<Attribute> historySchema;
  final boolean upperInclusive;
  final boolean hasLower;
  final boolean lowerInclusive;
  final int limit;
  final Seq<Expression> output;
  final boolean dropUndefined;
  /** Whether contexts without a history entry are dropped too (the histories alone, an aggregate's groups). */
  final boolean dropEmpty;

  ContextHistorySpec(
      Seq<Expression> contextFields,
      Seq<Attribute> contextSchema,
      Seq<Expression> historyContextFields,
      Seq<Attribute> historyContextSchema,
      Seq<Expression> bounds,
      Seq<Attribute> asOfSchema,
      Seq<Expression> eventFields,
      int tieBreaks,
      boolean[] tieAscending,
      boolean[] tieNullsSmallest,
      int[] paddedSource,
      int[] paddedWidth,
      int[] paddedPad,
      int[] historyOutput,
      Seq<Attribute> historySchema,
      boolean upperInclusive,
      boolean hasLower,
      boolean lowerInclusive,
      int limit,
      Seq<Expression> output,
      boolean dropUndefined,
      boolean dropEmpty) {
    this.contextFields = contextFields;
    this.contextSchema = contextSchema;
    this.historyContextFields = historyContextFields;
    this.historyContextSchema = historyContextSchema;
    this.bounds = bounds;
    this.asOfSchema = asOfSchema;
    this.eventFields = eventFields;
    this.tieBreaks = tieBreaks;
    this.tieAscending = tieAscending;
    this.tieNullsSmallest = tieNullsSmallest;
    this.paddedSource = paddedSource;
    this.paddedWidth = paddedWidth;
    this.paddedPad = paddedPad;
    this.historyOutput = historyOutput;
    this.historySchema = historySchema;
    this.upperInclusive = upperInclusive;
    this.hasLower = hasLower;
    this.lowerInclusive = lowerInclusive;
    this.limit = limit;
    this.output = output;
    this.dropUndefined = dropUndefined;
    this.dropEmpty = dropEmpty;
  }

  /** The same spec reading the contexts the history is defined for with other fields and schema. */
  ContextHistorySpec withHistoryContexts(Seq<Expression> fields, Seq<Attribute> schema) {
    return new ContextHistorySpec(
        contextFields, contextSchema, fields, schema, bounds, asOfSchema, eventFields, tieBreaks, tieAscending,
        tieNullsSmallest, paddedSource, paddedWidth, paddedPad, historyOutput, historySchema, upperInclusive, hasLower,
        lowerInclusive, limit, output, dropUndefined, dropEmpty);
  }

  /** The same spec writing {@code rowOutput} (over the context row followed by the history-side output). */
  ContextHistorySpec withOutput(Seq<Expression> rowOutput) {
    return new ContextHistorySpec(
        contextFields, contextSchema, historyContextFields, historyContextSchema, bounds, asOfSchema, eventFields,
        tieBreaks, tieAscending, tieNullsSmallest, paddedSource, paddedWidth, paddedPad, historyOutput, historySchema,
        upperInclusive, hasLower, lowerInclusive, limit, rowOutput, dropUndefined, dropEmpty);
  }

  /**
   * The same spec reading other rows in place of the contexts joined back, inner-joined to them: a row whose
   * (key, asOf) the history is not defined for is dropped, and each kept row is written as {@code output} over the
   * row followed by the history-side output.
   */
  ContextHistorySpec withJoinedRows(Seq<Expression> fields, Seq<Attribute> schema, Seq<Expression> rowOutput) {
    return new ContextHistorySpec(
        fields, schema, historyContextFields, historyContextSchema, bounds, asOfSchema, eventFields, tieBreaks,
        tieAscending, tieNullsSmallest, paddedSource, paddedWidth, paddedPad, historyOutput, historySchema,
        upperInclusive, hasLower, lowerInclusive, limit, rowOutput, true, false);
  }

  /**
   * The histories alone, one row per context that has at least one entry, as the ordered-array aggregation gives
   * them: the history's own contexts read as the rows, each written as {@code historyOutput} or dropped.
   */
  ContextHistorySpec withHistoriesOnly(Seq<Expression> historyOutput) {
    return new ContextHistorySpec(
        historyContextFields, historyContextSchema, historyContextFields, historyContextSchema, bounds, asOfSchema,
        eventFields, tieBreaks, tieAscending, tieNullsSmallest, paddedSource, paddedWidth, paddedPad,
        this.historyOutput, historySchema, upperInclusive, hasLower, lowerInclusive, limit, historyOutput, true, true);
  }

  /** Number of event columns (tie-breaks, then payload). */
  int columns() {
    return eventFields.size() - 2;
  }
}
