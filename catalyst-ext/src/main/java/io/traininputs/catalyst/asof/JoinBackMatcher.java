package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.ArrayRepeat;
import org.apache.spark.sql.catalyst.expressions.ArrayTransform;
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Concat;
import org.apache.spark.sql.catalyst.expressions.CreateNamedStruct;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GetArrayStructFields;
import org.apache.spark.sql.catalyst.expressions.GetStructField;
import org.apache.spark.sql.catalyst.expressions.IsNotNull;
import org.apache.spark.sql.catalyst.expressions.LambdaFunction;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.NamedLambdaVariable;
import org.apache.spark.sql.catalyst.expressions.NullsFirst$;
import org.apache.spark.sql.catalyst.expressions.Size;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.Subtract;
import org.apache.spark.sql.catalyst.plans.LeftOuter$;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.Join;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.LogicalQueryStage;
import org.apache.spark.sql.types.BinaryType$;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Recognises the way a job gives every context its history, zero-padded, "no history" included:
 *
 * <pre>
 * Join LeftOuter (l.key = r.key AND l.asOf = r.asOf)
 *   l: contexts (usually the distinct ones the history's range join reads)
 *   r: Project(key, asOf, concat(transform(h, x -&gt; x.f), array_repeat(pad, n - size(transform(h, ...)))) ...)
 *        the ordered-array aggregation {@link ArrayShapeMatcher} recognises, producing h
 * </pre>
 *
 * and plans it as {@link AsOfContextHistoryExec}: one pass per key that emits each context once with its padded
 * arrays, so neither the struct arrays nor a second shuffle of the arrays for the join back is ever made. Keys are
 * integral, date or timestamp values; tie-breaks and array fields are integral values of at most 32 bits (the job's
 * item ids and action types). Anything else returns null and stays with the other plans.
 */
final class JoinBackMatcher {
  private final LogicalPlan contexts;
  private final LogicalPlan historyContexts;
  private final AsOfHistoryNode history;
  private final Attribute contextKey;
  private final Attribute contextAsOf;
  private final ContextHistorySpec spec;
  private final List<Attribute> output;

  private JoinBackMatcher(
      LogicalPlan contexts, LogicalPlan historyContexts, AsOfHistoryNode history, Attribute contextKey,
      Attribute contextAsOf, ContextHistorySpec spec, List<Attribute> output) {
    this.contexts = contexts;
    this.historyContexts = historyContexts;
    this.history = history;
    this.contextKey = contextKey;
    this.contextAsOf = contextAsOf;
    this.spec = spec;
    this.output = output;
  }

  LogicalPlan contexts() {
    return contexts;
  }

  /**
   * The contexts the history is defined for: the joined-back contexts themselves when the two differ only in
   * not-null filters on key or as-of (which Spark infers for the range join; such contexts get no history anyway),
   * so that their shuffle is computed once and reused.
   */
  LogicalPlan historyContexts() {
    return historyContexts;
  }

  LogicalPlan events() {
    return history.right();
  }

  /** The key column of the contexts joined back. */
  Attribute contextKey() {
    return contextKey;
  }

  /** The as-of column of the contexts joined back. */
  Attribute contextAsOf() {
    return contextAsOf;
  }

  /**
   * Whether the contexts joined back are distinct (key, asOf) pairs, with no other column, and are the contexts the
   * history is defined for: then an inner join of other rows to the joined-back histories on (key, asOf) gives each
   * row with a non-null (key, asOf) among them exactly one history.
   */
  boolean contextsAreTheHistorys() {
    return historyContexts == contexts && contexts.output().size() == 2 && isDistinct(contexts);
  }

  /**
   * The history's contexts as the operator reads them beside the joined-back contexts (it looks each (key, asOf) up
   * in a set of its own): {@link #withDuplicates} of them, unless they are the joined-back contexts themselves, whose
   * one shuffle the operator's two reads then share.
   */
  LogicalPlan historyContextsForJoinBack() {
    return historyContexts == contexts ? historyContexts : withDuplicates(historyContexts);
  }

  /** The history's contexts as the joined form reads them in place of the joined-back ones: {@link #withDuplicates}. */
  LogicalPlan historyContextsForJoinedRows() {
    return withDuplicates(historyContexts);
  }

  /**
   * When {@code contexts} are a {@code DISTINCT} aggregate, its child projected to the same columns: the operator
   * numbers each (key, asOf) once itself, so Spark need not shuffle the contexts twice (once for the aggregate, once by
   * key for the operator) only to remove duplicates the operator ignores anyway.
   */
  private static LogicalPlan withDuplicates(LogicalPlan contexts) {
    if (!(contexts instanceof Aggregate) || !isDistinct(contexts)) {
      return contexts;
    }
    Aggregate distinct = (Aggregate) contexts;
    return new Project(distinct.aggregateExpressions(), distinct.child());
  }

  /** The history's columns of the joined-back histories (nullable), after the contexts' columns. */
  List<Attribute> historyColumns() {
    return ScalaInterop.toJava(spec.historySchema);
  }

  /** The contexts joined back, the contexts the history is defined for, and the events packed by key per task. */
  SparkPlan plan(SparkPlan contextsExec, SparkPlan historyContextsExec, SparkPlan eventsExec) {
    return plan(contextsExec, historyContextsExec, eventsExec, contextKey, spec, ScalaInterop.toSeq(output));
  }

  /**
   * Rows inner-joined on (rowKey, rowAsOf) to the joined-back histories, in one pass: {@code rowOutput} (expressions
   * over the rows' columns followed by the history's) for each row whose (key, asOf) is one of the contexts; only
   * when {@link #contextsAreTheHistorys()}.
   */
  SparkPlan planJoined(
      SparkPlan rowsExec, SparkPlan historyContextsExec, SparkPlan eventsExec, Attribute rowKey, Attribute rowAsOf,
      List<Expression> rowOutput, List<Attribute> joinedOutput) {
    ContextHistorySpec joined = spec.withJoinedRows(
        ScalaInterop.toSeq(List.of(rowKey, rowAsOf)), rowsExec.output(), ScalaInterop.toSeq(rowOutput));
    return plan(rowsExec, historyContextsExec, eventsExec, rowKey, joined, ScalaInterop.toSeq(joinedOutput));
  }

  private SparkPlan plan(
      SparkPlan contextsExec, SparkPlan historyContextsExec, SparkPlan eventsExec, Attribute rowKey,
      ContextHistorySpec rowSpec, scala.collection.immutable.Seq<Attribute> rowsOutput) {
    Attribute packKey = new AttributeReference("key", history.eventKey().dataType(), false, Metadata.empty(),
        NamedExpression$.MODULE$.newExprId(), ScalaInterop.toSeq(List.of()));
    Attribute pack = new AttributeReference("events", BinaryType$.MODULE$, false, Metadata.empty(),
        NamedExpression$.MODULE$.newExprId(), ScalaInterop.toSeq(List.of()));
    SparkPlan packed = new AsOfEventPackExec(eventsExec, spec.eventFields, ScalaInterop.toSeq(List.of(packKey, pack)));
    Expression historyContextKey = historyContexts == contexts ? contextKey : history.contextKey();
    return new AsOfContextHistoryExec(
        contextsExec, historyContextsExec, packed, rowKey, historyContextKey, packKey, rowsOutput, rowSpec);
  }

  /**
   * The join back, or a projection of deterministic expressions right over it (such as the job's
   * {@code coalesce(arrays, zeros)}), which the operator then writes directly.
   */
  static JoinBackMatcher match(LogicalPlan plan) {
    return match(plan, new Why());
  }

  static JoinBackMatcher match(LogicalPlan plan, Why why) {
    if (!(plan instanceof Project) || !(((Project) plan).child() instanceof Join)) {
      return matchJoin(plan, why);
    }
    List<NamedExpression> list = StockShapeMatcher.projectListOf(plan);
    JoinBackMatcher joinBack = StockShapeMatcher.deterministic(list) ? matchJoin(((Project) plan).child(), why)
        : why.no("a non-deterministic projection over the join back");
    if (joinBack == null) {
      return null;
    }
    List<Expression> values = new ArrayList<>();
    List<Attribute> projected = new ArrayList<>();
    for (NamedExpression e : list) {
      values.add(StockShapeMatcher.valueOf(e));
      projected.add(e.toAttribute());
    }
    return new JoinBackMatcher(joinBack.contexts, joinBack.historyContexts, joinBack.history, joinBack.contextKey,
        joinBack.contextAsOf, joinBack.spec.withOutput(ScalaInterop.toSeq(values)), projected);
  }

  private static JoinBackMatcher matchJoin(LogicalPlan plan, Why why) {
    if (!(plan instanceof Join)) {
      return null;
    }
    Join join = (Join) plan;
    if (join.joinType() != LeftOuter$.MODULE$ || join.condition().isEmpty() || !join.hint().leftHint().isEmpty()
        || !join.hint().rightHint().isEmpty()) {
      return null;
    }
    return matchHistories(join.left(), join.right(), join.condition().get(), why);
  }

  /**
   * The zero-padded histories alone, without a join back: a projection of the key, the as-of and padded arrays over
   * the ordered-array aggregation, one row per context with at least one history entry. Planned as the operator's
   * joined form reading the history's own distinct contexts as its rows (planned twice with {@link #plan}: Spark
   * shuffles them once and reuses it), so that the history's rows and struct arrays are never made; null for
   * anything else.
   */
  static JoinBackMatcher matchHistoriesOnly(LogicalPlan plan) {
    if (!(plan instanceof Project)) {
      return null;
    }
    JoinBackMatcher all = matchHistories(null, plan, null, new Why());
    if (all == null) {
      return null;
    }
    ContextHistorySpec only = all.spec.withHistoriesOnly(ScalaInterop.asExpressions(all.spec.historySchema));
    return new JoinBackMatcher(all.contexts, all.contexts, all.history, all.contextKey, all.contextAsOf, only,
        ScalaInterop.toJava(plan.output()));
  }

  /** {@code left} joined back on {@code condition} to the histories {@code right}; without both, the histories. */
  private static JoinBackMatcher matchHistories(
      LogicalPlan joinedBack, LogicalPlan right, Expression condition, Why why) {
    List<NamedExpression> rightList = StockShapeMatcher.projectListOf(right);
    ArrayShapeMatcher arrays = ArrayShapeMatcher.match(StockShapeMatcher.belowProject(right), why);
    if (arrays == null) {
      return null;
    }
    AsOfHistoryNode h = arrays.history();
    LogicalPlan left = joinedBack == null ? h.left() : joinedBack;
    if (!integral(h.contextKey().dataType()) || h.eventOrder().isEmpty()) {
      return why.no("the key is not one integral, date or timestamp column"
          + " (with a string key or several keys the histories join back in Spark)");
    }

    // The event columns: tie-breaks first, then the array fields.
    List<Expression> columns = new ArrayList<>();
    List<SortOrder> order = h.eventOrder();
    boolean[] tieAscending = new boolean[order.size() - 1];
    boolean[] tieNullsSmallest = new boolean[order.size() - 1];
    for (int t = 1; t < order.size(); t++) {
      SortOrder o = order.get(t);
      if (!narrow(o.child().dataType())) {
        return why.no("tie-break " + o.child().sql() + " is not an integral value of at most 32 bits");
      }
      columns.add(o.child());
      boolean ascending = o.direction() == Ascending$.MODULE$;
      tieAscending[t - 1] = ascending;
      tieNullsSmallest[t - 1] = ascending == (o.nullOrdering() == NullsFirst$.MODULE$);
    }
    int tieBreaks = columns.size();

    // The history-side output: key, asOf or a padded array of one struct field.
    Attribute rKey = null;
    Attribute rAsOf = null;
    int[] historyOutput = new int[rightList.size()];
    List<Integer> paddedSource = new ArrayList<>();
    List<Integer> paddedWidth = new ArrayList<>();
    List<Integer> paddedPad = new ArrayList<>();
    for (int i = 0; i < rightList.size(); i++) {
      NamedExpression e = rightList.get(i);
      if (e instanceof Attribute && !((Attribute) e).semanticEquals(arrays.collected())) {
        Expression source = StockShapeMatcher.throughProject((Attribute) e, h.projectList());
        if (source == null) {
          return why.no("history column " + ((Expression) e).sql() + " is not the key, the as-of or a padded array");
        }
        if (rKey == null && (source.semanticEquals(h.contextKey()) || source.semanticEquals(h.eventKey()))) {
          rKey = (Attribute) e;
          historyOutput[i] = ContextHistorySpec.KEY;
        } else if (rAsOf == null && source.semanticEquals(h.asOf())) {
          rAsOf = (Attribute) e;
          historyOutput[i] = ContextHistorySpec.AS_OF;
        } else {
          return why.no("history column " + ((Expression) e).sql() + " is neither the key nor the as-of");
        }
        continue;
      }
      Padded padded = e instanceof Alias ? Padded.match(((Alias) e).child(), arrays.collected()) : null;
      if (padded == null) {
        return why.no("history column " + ((Expression) e).sql() + " is not a padded array of one struct field"
            + " (concat(transform(h, x -> x.f), array_repeat(pad, n - size(h))))");
      }
      Expression field = ScalaInterop.toJava(((CreateNamedStruct) arrays.element()).valExprs()).get(padded.ordinal);
      int source;
      if (field instanceof Attribute && ((Attribute) field).semanticEquals(h.rank())) {
        source = ContextHistorySpec.RANK;
      } else {
        Expression value = StockShapeMatcher.throughProject(field, h.projectList());
        if (value == null || !(value.dataType() instanceof IntegerType)
            || !value.references().subsetOf(h.right().outputSet())) {
          return why.no("array field " + field.sql() + " is not an int column of the events");
        }
        source = indexOf(columns, value);
        if (source < 0) {
          columns.add(value);
          source = columns.size() - 1;
        }
      }
      historyOutput[i] = paddedSource.size();
      paddedSource.add(source);
      paddedWidth.add(padded.width);
      paddedPad.add(padded.pad);
    }
    if (rKey == null || rAsOf == null) {
      return why.no("the histories lack the key or the as-of column");
    }

    // The join condition pairs each of (key, asOf) of the contexts with the history's.
    Attribute lKey = null;
    Attribute lAsOf = null;
    List<Attribute[]> pairs = condition == null ? List.of()
        : StockShapeMatcher.columnPairs(condition, left.outputSet(), right.outputSet());
    if (pairs == null) {
      return why.no("the join back condition is not an equality of columns");
    }
    if (condition == null && h.contextKey() instanceof Attribute && h.asOf() instanceof Attribute) {
      lKey = (Attribute) h.contextKey();
      lAsOf = (Attribute) h.asOf();
    }
    for (Attribute[] pair : pairs) {
      Attribute l = pair[0];
      Attribute r = pair[1];
      if (r.semanticEquals(rKey) && lKey == null) {
        lKey = l;
      } else if (r.semanticEquals(rAsOf) && lAsOf == null) {
        lAsOf = l;
      } else {
        return why.no("the join back condition " + condition.sql() + " is not (key, as-of) equality");
      }
    }
    if (lKey == null || lAsOf == null || !lKey.dataType().sameType(h.contextKey().dataType())
        || !lAsOf.dataType().sameType(h.asOf().dataType()) || !integral(lAsOf.dataType()) || !distinctContexts(h)) {
      return why.no("the join back is not on (key, as-of) of the same types,"
          + " or the range join does not read distinct contexts");
    }

    List<Expression> eventFields = new ArrayList<>(List.of(h.eventKey(), order.get(0).child()));
    eventFields.addAll(columns);
    List<Expression> bounds = new ArrayList<>(List.of(h.upper()));
    if (h.lower().isDefined()) {
      bounds.add(h.lower().get());
    }
    List<Attribute> historySchema = new ArrayList<>();
    for (Attribute a : ScalaInterop.toJava(right.output())) {
      historySchema.add(a.withNullability(true));
    }
    List<Attribute> output = new ArrayList<>(ScalaInterop.toJava(left.output()));
    output.addAll(historySchema);
    ContextHistorySpec spec =
        new ContextHistorySpec(
            ScalaInterop.toSeq(List.of(lKey, lAsOf)), left.output(),
            ScalaInterop.toSeq(List.of(h.contextKey(), h.asOf())), h.left().output(), ScalaInterop.toSeq(bounds),
            ScalaInterop.toSeq(List.of(h.asOf())), ScalaInterop.toSeq(eventFields), tieBreaks,
            tieAscending, tieNullsSmallest, toArray(paddedSource), toArray(paddedWidth), toArray(paddedPad),
            historyOutput, ScalaInterop.toSeq(historySchema), h.upperInclusive(), h.lower().isDefined(),
            h.lowerInclusive(), h.limit(), ScalaInterop.asExpressions(ScalaInterop.toSeq(output)), false, false);
    LogicalPlan historyContexts = sameContexts(left, lKey, lAsOf, h) ? left : h.left();
    ContextHistorySpec resolved = historyContexts == left ? spec.withHistoryContexts(
        ScalaInterop.toSeq(List.of(lKey, lAsOf)), left.output()) : spec;
    return new JoinBackMatcher(left, historyContexts, h, lKey, lAsOf, resolved, output);
  }

  /** A pure distinct: an Aggregate whose output is exactly its grouping attributes. */
  private static boolean isDistinct(LogicalPlan plan) {
    while (plan instanceof LogicalQueryStage) {
      // Adaptive execution re-plans with the stages it has run; the logical plan of a stage is what it computed.
      plan = ((LogicalQueryStage) plan).logicalPlan();
    }
    if (!(plan instanceof Aggregate)) {
      return false;
    }
    Aggregate a = (Aggregate) plan;
    List<Expression> grouping = ScalaInterop.toJava(a.groupingExpressions());
    List<NamedExpression> out = ScalaInterop.toJava(a.aggregateExpressions());
    if (grouping.size() != out.size()) {
      return false;
    }
    for (NamedExpression e : out) {
      Expression value = StockShapeMatcher.valueOf(e);
      if (!(value instanceof Attribute) || indexOf(grouping, value) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The history's range join reads distinct (key, asOf) contexts, so each context's history ranks each event once.
   * Which of them the joined-back contexts hold does not matter: the operator reads both and looks each up.
   */
  private static boolean distinctContexts(AsOfHistoryNode h) {
    LogicalPlan base = withoutAliases(h.left());
    return h.contextKey() instanceof Attribute && h.left().output().size() == 2 && base != null && isDistinct(base);
  }

  /**
   * The history's contexts with their renames undone, in the same column order: the child of a projection of
   * (renamed) columns, or an aggregate whose renamed outputs are plain columns again; null for anything else.
   */
  private static LogicalPlan withoutAliases(LogicalPlan c) {
    if (!(c instanceof Project)) {
      return c.mapExpressions(
          e -> e instanceof Alias && ((Alias) e).child() instanceof Attribute ? ((Alias) e).child() : e);
    }
    LogicalPlan base = ((Project) c).child();
    List<Attribute> baseOutput = ScalaInterop.toJava(base.output());
    List<NamedExpression> list = ScalaInterop.toJava(((Project) c).projectList());
    if (list.size() != baseOutput.size()) {
      return null;
    }
    for (int i = 0; i < list.size(); i++) {
      Expression e = StockShapeMatcher.valueOf(list.get(i));
      if (!e.semanticEquals(baseOutput.get(i))) {
        return null;
      }
    }
    return base;
  }

  /**
   * Whether the history's contexts are the joined-back contexts up to aliases, expression ids and not-null filters on
   * the key or as-of columns, with key and as-of in the same positions.
   */
  private static boolean sameContexts(LogicalPlan left, Attribute lKey, Attribute lAsOf, AsOfHistoryNode h) {
    LogicalPlan c = h.left();
    LogicalPlan base = withoutAliases(c);
    if (base == null) {
      return false;
    }
    if (!isDistinct(base) || !isDistinct(left)) {
      return false;
    }
    LogicalPlan strippedBase = withoutKeyNotNull(base, base.outputSet());
    LogicalPlan strippedLeft = withoutKeyNotNull(left, left.outputSet());
    if (strippedBase == null || strippedLeft == null || !strippedBase.sameResult(strippedLeft)) {
      return false;
    }
    List<Attribute> cOut = ScalaInterop.toJava(c.output());
    List<Attribute> lOut = ScalaInterop.toJava(left.output());
    return indexOf(cOut, h.contextKey()) == indexOf(lOut, lKey) && indexOf(cOut, h.asOf()) == indexOf(lOut, lAsOf);
  }

  /**
   * The plan without {@code isnotnull(a)} conjuncts on the attributes {@code keys}, anywhere below; null when the plan
   * holds a node through which dropping rows of a null key could change other rows (a limit, a sample, a window).
   * A key attribute keeps its expression id up to the output, so such a filter only drops rows whose key is null.
   */
  private static LogicalPlan withoutKeyNotNull(LogicalPlan plan, AttributeSet keys) {
    boolean rowWise = plan.children().isEmpty() || plan instanceof Project || plan instanceof Filter
        || plan instanceof Join || plan instanceof Aggregate || plan instanceof Union
        || plan instanceof SubqueryAlias;
    if (!rowWise) {
      return null;
    }
    List<LogicalPlan> children = new ArrayList<>();
    for (LogicalPlan child : ScalaInterop.toJava(plan.children())) {
      LogicalPlan stripped = withoutKeyNotNull(child, keys);
      if (stripped == null) {
        return null;
      }
      children.add(stripped);
    }
    LogicalPlan rebuilt = children.isEmpty() ? plan : plan.withNewChildren(ScalaInterop.toSeq(children));
    if (!(rebuilt instanceof Filter)) {
      return rebuilt;
    }
    Filter filter = (Filter) rebuilt;
    Expression kept = null;
    for (Expression conjunct : StockShapeMatcher.conjuncts(filter.condition())) {
      boolean keyNotNull = conjunct instanceof IsNotNull && ((IsNotNull) conjunct).child() instanceof Attribute
          && keys.contains((Attribute) ((IsNotNull) conjunct).child());
      if (!keyNotNull) {
        kept = kept == null ? conjunct : new And(kept, conjunct);
      }
    }
    return kept == null ? filter.child() : new Filter(kept, filter.child());
  }

  private static boolean integral(DataType t) {
    return narrow(t) || t instanceof LongType || t instanceof TimestampType || t instanceof TimestampNTZType;
  }

  private static boolean narrow(DataType t) {
    return t instanceof IntegerType || t instanceof ShortType || t instanceof ByteType || t instanceof DateType;
  }

  private static int indexOf(List<? extends Expression> list, Expression e) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).semanticEquals(e)) {
        return i;
      }
    }
    return -1;
  }

  private static int[] toArray(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * {@code concat(transform(h, x -> x.f), array_repeat(pad, n - size(transform(h, x -> x.f))))}, or with
   * {@code size(h)}.
   */
  /** Whether {@code e} is a padded array of one field of {@code collected}, as the operator writes one. */
  static boolean isPadded(Expression e, Attribute collected) {
    return Padded.match(e, collected) != null;
  }

  private static final class Padded {
    final int ordinal;
    final int width;
    final int pad;

    private Padded(int ordinal, int width, int pad) {
      this.ordinal = ordinal;
      this.width = width;
      this.pad = pad;
    }

    static Padded match(Expression e, Attribute collected) {
      if (!(e instanceof Concat) || ((Concat) e).children().size() != 2) {
        return null;
      }
      Expression values = ((Concat) e).children().apply(0);
      Expression repeat = ((Concat) e).children().apply(1);
      int ordinal = fieldOf(values, collected);
      if (ordinal < 0 || !(repeat instanceof ArrayRepeat)) {
        return null;
      }
      ArrayRepeat r = (ArrayRepeat) repeat;
      Integer pad = intLiteral(r.left());
      if (pad == null || !(r.right() instanceof Subtract)) {
        return null;
      }
      Subtract s = (Subtract) r.right();
      Integer width = intLiteral(s.left());
      if (width == null || !(s.right() instanceof Size) || !sizeOf(((Size) s.right()).child(), collected, ordinal)) {
        return null;
      }
      return new Padded(ordinal, Math.max(0, width), pad);
    }

    /** {@code collected} itself, or {@code transform(collected, x -> x.field)}: arrays of the same size. */
    private static boolean sizeOf(Expression e, Attribute collected, int ordinal) {
      return e instanceof Attribute ? ((Attribute) e).semanticEquals(collected) : fieldOf(e, collected) == ordinal;
    }

    /** {@code transform(collected, x -> x.field)} or {@code collected.field}: the field's ordinal, or -1. */
    private static int fieldOf(Expression e, Attribute collected) {
      if (e instanceof GetArrayStructFields) {
        GetArrayStructFields g = (GetArrayStructFields) e;
        return g.child() instanceof Attribute && ((Attribute) g.child()).semanticEquals(collected) ? g.ordinal() : -1;
      }
      if (!(e instanceof ArrayTransform)) {
        return -1;
      }
      ArrayTransform t = (ArrayTransform) e;
      if (!(t.argument() instanceof Attribute) || !((Attribute) t.argument()).semanticEquals(collected)
          || !(t.function() instanceof LambdaFunction)) {
        return -1;
      }
      LambdaFunction f = (LambdaFunction) t.function();
      if (f.arguments().size() != 1 || !(f.function() instanceof GetStructField)) {
        return -1;
      }
      GetStructField get = (GetStructField) f.function();
      if (!(get.child() instanceof NamedLambdaVariable) || !(f.arguments().apply(0) instanceof NamedLambdaVariable)
          || !((NamedLambdaVariable) get.child()).exprId().equals(
              ((NamedLambdaVariable) f.arguments().apply(0)).exprId())) {
        return -1;
      }
      return get.ordinal();
    }
  }

  /** The value of a non-null int literal, or null. */
  static Integer intLiteral(Expression e) {
    if (e instanceof Literal && e.dataType() instanceof IntegerType && ((Literal) e).value() != null) {
      return (Integer) ((Literal) e).value();
    }
    return null;
  }
}
