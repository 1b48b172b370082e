package io.traininputs.catalyst.asof;

import io.traininputs.catalyst.internal.MetricsText;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.physical.ClusteredDistribution;
import org.apache.spark.sql.catalyst.plans.physical.Distribution;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.catalyst.plans.physical.UnknownPartitioning;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.Option;
import scala.collection.immutable.Seq;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction3;

/**
 * Every context joined to its zero-padded history (or to nulls when it has none), in one pass per key: the contexts
 * joined back, the contexts the history is defined for and the events, all hash-partitioned by key; a task reads its
 * contexts, keeps each key's visible events in flat arrays (compacted to
 * what its contexts need), sorts each key's events once and answers all of that key's contexts from them. Replaces
 * the range join, the window, the array aggregation, the padding and the left join back (see
 * {@link JoinBackMatcher}).
 */
public final class AsOfContextHistoryExec extends SparkPlan {
  /**
   * The SQL metric counting written history entries whose event time is at or after 00:00 of their context's as-of
   * day, each distinct context once: 0 on a correct plan; a run's same-day leak check reads it.
   */
  public static final String SAME_DAY_ENTRIES_METRIC = ContextHistoryMetrics.SAME_DAY_ENTRIES;
  /**
   * The SQL metric counting contexts: in the joined form the distinct (key, asOf) pairs with non-null fields of the
   * history's contexts, in the left-join form every context row.
   */
  public static final String CONTEXTS_METRIC = ContextHistoryMetrics.CONTEXTS;

  private static final long serialVersionUID = 1L;

  private final SparkPlan contexts;
  private final SparkPlan historyContexts;
  private final SparkPlan events;
  private final Expression contextKey;
  private final Expression historyContextKey;
  private final Expression eventKey;
  private final Seq<Attribute> output;
  private final ContextHistorySpec spec;
  private transient ContextHistoryMetrics historyMetrics;

  /**
   * @param contexts the contexts joined back (each gets one output row), or rows inner-joined to them (each row whose
   *     context the history is defined for gets one output row; see {@link ContextHistorySpec#dropUndefined})
   * @param historyContexts the distinct contexts the history is defined for (a context of {@code contexts} missing
   *     here gets nulls)
   */
  public AsOfContextHistoryExec(
      SparkPlan contexts, SparkPlan historyContexts, SparkPlan events, Expression contextKey,
      Expression historyContextKey, Expression eventKey, Seq<Attribute> output, ContextHistorySpec spec) {
    this.contexts = contexts;
    this.historyContexts = historyContexts;
    this.events = events;
    this.contextKey = contextKey;
    this.historyContextKey = historyContextKey;
    this.eventKey = eventKey;
    this.output = output;
    this.spec = spec;
  }

  private Object[] args() {
    return new Object[] {
      contexts, historyContexts, events, contextKey, historyContextKey, eventKey, output, spec
    };
  }

  /** The number of events kept per context. */
  public int limit() {
    return spec.limit;
  }

  @Override
  public SparkPlan withNewChildrenInternal(scala.collection.immutable.IndexedSeq<SparkPlan> newChildren) {
    return new AsOfContextHistoryExec(
        newChildren.apply(0), newChildren.apply(1), newChildren.apply(2), contextKey, historyContextKey, eventKey,
        output, spec);
  }

  @Override
  public Seq<SparkPlan> children() {
    return ScalaInterop.toSeq(List.of(contexts, historyContexts, events));
  }

  @Override
  public Seq<Attribute> output() {
    return output;
  }

  @Override
  public AttributeSet producedAttributes() {
    return AttributeSet.apply(ScalaInterop.asExpressions(spec.historySchema));
  }

  @Override
  public Seq<Distribution> requiredChildDistribution() {
    Distribution c = new ClusteredDistribution(ScalaInterop.toSeq(List.of(contextKey)), false, Option.empty());
    Distribution h =
        new ClusteredDistribution(ScalaInterop.toSeq(List.of(historyContextKey)), false, Option.empty());
    Distribution e = new ClusteredDistribution(ScalaInterop.toSeq(List.of(eventKey)), false, Option.empty());
    return ScalaInterop.toSeq(List.of(c, h, e));
  }

  /** The contexts' partitioning, unless a projection written by the operator dropped the columns it is over. */
  @Override
  public Partitioning outputPartitioning() {
    Partitioning p = contexts.outputPartitioning();
    if (p instanceof Expression && ((Expression) p).references().subsetOf(outputSet())) {
      return p;
    }
    return new UnknownPartitioning(p.numPartitions());
  }

  @Override
  public synchronized scala.collection.immutable.Map<String, SQLMetric> metrics() {
    return ScalaInterop.toMap(historyMetrics().asMap());
  }

  private synchronized ContextHistoryMetrics historyMetrics() {
    if (historyMetrics == null) {
      historyMetrics = new ContextHistoryMetrics(sparkContext());
    }
    return historyMetrics;
  }

  @Override
  public RDD<InternalRow> doExecute() {
    ContextHistorySpec s = spec;
    ContextHistoryMetrics m = historyMetrics();
    ClassTag<InternalRow> rows = ClassTag$.MODULE$.apply(InternalRow.class);
    return contexts.execute().zipPartitions(
        historyContexts.execute(), events.execute(), false, new Pass(s, m), rows, rows, rows);
  }

  /** One task: the three co-partitioned inputs in, every context with its history out. */
  private static final class Pass
      extends AbstractFunction3<
          scala.collection.Iterator<InternalRow>, scala.collection.Iterator<InternalRow>,
          scala.collection.Iterator<InternalRow>, scala.collection.Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ContextHistorySpec spec;
    private final ContextHistoryMetrics metrics;

    Pass(ContextHistorySpec spec, ContextHistoryMetrics metrics) {
      this.spec = spec;
      this.metrics = metrics;
    }

    @Override
    public scala.collection.Iterator<InternalRow> apply(
        scala.collection.Iterator<InternalRow> contexts, scala.collection.Iterator<InternalRow> historyContexts,
        scala.collection.Iterator<InternalRow> events) {
      return ScalaInterop.toScala(
          ContextHistoryIterator.open(
              spec, metrics, AsOfMemory.forTask(), ScalaInterop.toJava(contexts),
              ScalaInterop.toJava(historyContexts), ScalaInterop.toJava(events)));
    }
  }

  @Override
  public String nodeName() {
    return "AsOfContextHistory";
  }

  /** Whether this writes the histories alone (no context or row joined to them). */
  boolean historiesOnly() {
    return spec.dropEmpty;
  }

  @Override
  public String simpleString(int maxFields) {
    String form = spec.dropEmpty ? " HistoriesOnly" : spec.dropUndefined ? " Inner" : "";
    return nodeName() + form + " limit=" + spec.limit + " key=" + contextKey.sql()
        + " output="
        + org.apache.spark.sql.catalyst.util.package$.MODULE$.truncatedString(output, "[", ", ", "]", maxFields);
  }

  @Override
  public String verboseStringWithOperatorId() {
    return super.verboseStringWithOperatorId() + MetricsText.of(historyMetrics().asMap());
  }

  @Override
  public int productArity() {
    return 8;
  }

  @Override
  public Object productElement(int n) {
    return args()[n];
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof AsOfContextHistoryExec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsOfContextHistoryExec && java.util.Arrays.equals(args(), ((AsOfContextHistoryExec) o).args());
  }

  @Override
  public int hashCode() {
    return Objects.hash(args());
  }
}
