package io.traininputs.job;

import io.traininputs.catalyst.asof.AsOfContextHistoryExec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.CommandResultExec;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.command.ExecutedCommandExec;
import org.apache.spark.sql.execution.exchange.Exchange;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Captures the query executions a session finishes while it is open (a {@link QueryExecutionListener}), so a run can
 * read what its write really executed: the final physical plan, adaptive stages included, and its SQL metrics.
 */
final class ExecutedPlans implements QueryExecutionListener, AutoCloseable {
  private final SparkSession spark;
  private final List<QueryExecution> executions = new ArrayList<>();

  private ExecutedPlans(SparkSession spark) {
    this.spark = spark;
  }

  static ExecutedPlans listen(SparkSession spark) {
    ExecutedPlans plans = new ExecutedPlans(spark);
    spark.listenerManager().register(plans);
    return plans;
  }

  /** The last execution finished so far; listener events are delivered asynchronously, so this waits for them. */
  QueryExecution last() {
    waitForEvents();
    synchronized (executions) {
      return executions.isEmpty() ? null : executions.get(executions.size() - 1);
    }
  }

  private void waitForEvents() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(TimeUnit.MINUTES.toMillis(1));
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener events were not delivered within a minute", e);
    }
  }

  @Override
  public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
    if (qe.executedPlan() instanceof ExecutedCommandExec) {
      // A command (the training-inputs format's save) whose query ran as an execution of its own, reported apart.
      return;
    }
    synchronized (executions) {
      executions.add(qe);
    }
  }

  @Override
  public void onFailure(String funcName, QueryExecution qe, Exception exception) {}

  @Override
  public void close() {
    spark.listenerManager().unregister(this);
  }

  /** Every node of an executed plan: adaptive plans are read through their final plan and query stages. */
  static List<SparkPlan> nodes(SparkPlan plan) {
    List<SparkPlan> out = new ArrayList<>();
    collect(plan, out);
    return out;
  }

  private static void collect(SparkPlan plan, List<SparkPlan> out) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      collect(adaptive.executedPlan(), out);
      return;
    }
    if (plan instanceof QueryStageExec stage) {
      collect(stage.plan(), out);
      return;
    }
    if (plan instanceof CommandResultExec command) {
      // A DataSource V2 write (the training-inputs format) runs as a command; its plan is not a child.
      collect(command.commandPhysicalPlan(), out);
      return;
    }
    out.add(plan);
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      collect(child, out);
    }
  }

  /**
   * The written history entries at or after 00:00 of their as-of day, as the history operator counted them while it
   * wrote them; empty when no operator of the plan counts them (stock plan).
   */
  static OptionalLong sameDayEntries(SparkPlan plan) {
    return metricSum(plan, AsOfContextHistoryExec.SAME_DAY_ENTRIES_METRIC);
  }

  /**
   * The contexts the plan's history operator answered (the job's form: its distinct (customer, as-of day) pairs);
   * empty when the plan has no such operator.
   */
  static OptionalLong contexts(SparkPlan plan) {
    return metricSum(plan, AsOfContextHistoryExec.CONTEXTS_METRIC);
  }

  /**
   * What the plan's history operator did under memory pressure: its reservations refused and its key-ordered
   * fallbacks (each sorts its task's inputs by key with Spark's external sorter); empty when the plan has no such
   * operator.
   */
  static String historyMemory(SparkPlan plan) {
    OptionalLong refused = metricSum(plan, "numMemoryRefusals");
    OptionalLong fallbacks = metricSum(plan, "numFallbacks");
    if (refused.isEmpty() || fallbacks.isEmpty()) {
      return "";
    }
    return String.format(java.util.Locale.ROOT, "%,d reservations refused, %,d key-ordered fallbacks",
        refused.getAsLong(), fallbacks.getAsLong());
  }

  private static OptionalLong metricSum(SparkPlan plan, String name) {
    long sum = 0;
    boolean found = false;
    for (SparkPlan node : nodes(plan)) {
      Option<SQLMetric> metric = node.metrics().get(name);
      if (node instanceof AsOfContextHistoryExec && metric.isDefined()) {
        found = true;
        sum += metric.get().value();
      }
    }
    return found ? OptionalLong.of(sum) : OptionalLong.empty();
  }

  /**
   * One line naming the operators that computed the history: the extension's operators when any is planned, else the
   * job's stock joins, windows and aggregates; and the number of shuffles of the whole job.
   */
  static String historyPlan(SparkPlan plan) {
    Set<String> extension = new LinkedHashSet<>();
    Set<String> stock = new LinkedHashSet<>();
    int shuffles = 0;
    for (SparkPlan node : nodes(plan)) {
      String name = node.nodeName();
      if (node.getClass().getName().startsWith("io.traininputs.")) {
        extension.add(name);
      } else if (name.endsWith("Join") || name.equals("Window") || name.endsWith("Aggregate")) {
        stock.add(name);
      } else if (node instanceof Exchange && name.startsWith("Exchange")) {
        shuffles++;
      }
    }
    String ops = extension.isEmpty() ? "stock Spark: " + String.join(", ", stock)
        : "extension: " + String.join(", ", extension);
    return ops + " (" + shuffles + " shuffle" + (shuffles == 1 ? "" : "s") + ")";
  }
}
