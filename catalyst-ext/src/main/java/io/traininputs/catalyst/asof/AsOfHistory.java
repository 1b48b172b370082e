package io.traininputs.catalyst.asof;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.internal.Declined;
import io.traininputs.catalyst.internal.PlanNodes;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType$;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import scala.Option;

/**
 * As-of history: for every (key, as_of) context, the latest N events strictly before it within a lookback, computed
 * with one shuffle of each side and one merge pass per key instead of an events x dates join.
 *
 * <p>{@link #install} adds the rules and the planner strategy to a session; they plan {@link #latest} and, while
 * {@value TrainingInputsConf#ASOF_ENABLED} is true (the default), also replace the stock {@code row_number() <= N}
 * over the range join ({@link InferAsOfHistory}) and what is built on it.
 */
public final class AsOfHistory {
  private static final String UPPER = "__as_of_upper";
  private static final String LOWER = "__as_of_lower";

  private AsOfHistory() {}

  /**
   * Injects the as-of rules ({@link SplitSortedCollect}, then {@link InferAsOfHistory}, both pre-CBO), the planner
   * strategy and the {@code as_of_history} SQL table function
   * ({@link AsOfHistoryTableFunction}). Call from a {@code spark.sql.extensions} entry class or a builder.
   */
  public static void install(SparkSessionExtensions extensions) {
    extensions.injectPreCBORule(session -> new SplitSortedCollect());
    extensions.injectPreCBORule(session -> new InferAsOfHistory());
    extensions.injectPlannerStrategy(session -> new AsOfHistoryStrategy());
    AsOfHistoryTableFunction.install(extensions);
  }

  /**
   * Whether the as-of rule will plan this {@code Filter(Window(row_number))} over a range join, so that other
   * rules (TopNHistory) leave it alone.
   */
  public static boolean claims(LogicalPlan filter) {
    if (!TrainingInputsConf.asofEnabled(SQLConf.get())) {
      return false;
    }
    Why why = new Why();
    if (StockShapeMatcher.match(filter, why) != null) {
      return true;
    }
    if (StockShapeMatcher.looksLikeRangeJoinTopN(filter)) {
      Declined.record(filter, "AsOfHistory", why.reason());
    }
    return false;
  }

  /**
   * Whether the as-of strategy might plan this {@code Filter(Window)} once the optimizer is done with it: the
   * strategy is on and the window is over a join (through projections, filters and a group limit).
   */
  public static boolean mayClaim(LogicalPlan filter) {
    return TrainingInputsConf.asofEnabled(SQLConf.get()) && StockShapeMatcher.overAJoin(filter);
  }

  /** Whether the session has the as-of strategy installed and {@value TrainingInputsConf#ASOF_ENABLED} on. */
  public static boolean active(org.apache.spark.sql.SparkSession session) {
    org.apache.spark.sql.classic.SparkSession classic = (org.apache.spark.sql.classic.SparkSession) session;
    if (!TrainingInputsConf.asofEnabled(classic.sessionState().conf())) {
      return false;
    }
    for (Object strategy : ScalaInterop.toJava(classic.sessionState().planner().strategies())) {
      if (strategy instanceof AsOfHistoryStrategy) {
        return true;
      }
    }
    return false;
  }

  /**
   * The latest {@code n} events of each context's key with {@code as_of - lookback <= time < as_of}, in row form:
   * the context's key and as-of columns, every event column but the key, and {@code rn} (1 = latest). Events are
   * ordered by {@code time} descending, then by {@code tieBreaks} (sort columns such as
   * {@code col("item_id").desc()}). Contexts without events produce no rows; contexts repeated in (key, as_of)
   * produce what an inner join would: each event once per repetition, {@code n} rows at most.
   *
   * @param key column present in both inputs, compared by equality (integral, date, timestamp or binary string)
   * @param asOf context column: a date or a value of the time column's type
   * @param time event column of type timestamp or timestamp_ntz
   * @param lookback how far back events are eligible, or null for no limit
   */
  public static Dataset<Row> latest(
      Dataset<Row> contexts,
      Dataset<Row> events,
      String key,
      String asOf,
      String time,
      List<Column> tieBreaks,
      int n,
      Duration lookback) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    if (lookback != null && lookback.isNegative()) {
      throw new IllegalArgumentException("lookback must not be negative, got " + lookback);
    }
    DataType timeType = field(events, time, "time", "events").dataType();
    if (!(timeType instanceof TimestampType || timeType instanceof TimestampNTZType)) {
      throw new IllegalArgumentException(
          String.format("time column '%s' must be timestamp or timestamp_ntz, got %s", time, timeType.sql()));
    }
    DataType keyType = field(contexts, key, "key", "contexts").dataType();
    DataType eventKeyType = field(events, key, "key", "events").dataType();
    if (keyType instanceof StructType || !AsOfKey.supports(keyType) || !keyType.sameType(eventKeyType)) {
      throw new IllegalArgumentException(
          String.format("key column '%s' must have one integral, date, timestamp or string type in both inputs,"
              + " got %s and %s", key, keyType.sql(), eventKeyType.sql()));
    }
    field(contexts, asOf, "asOf", "contexts");

    List<Column> contextColumns = new ArrayList<>();
    contextColumns.add(col(key).as(key));
    contextColumns.add(col(asOf).as(asOf));
    Column upper = col(asOf).cast(timeType);
    contextColumns.add(upper.as(UPPER));
    if (lookback != null) {
      contextColumns.add(upper.minus(lit(lookback)).as(LOWER));
    }
    LogicalPlan contextPlan = contexts.select(contextColumns.toArray(new Column[0])).queryExecution().analyzed();
    List<Attribute> ctx = ScalaInterop.toJava(contextPlan.output());

    List<Column> order = new ArrayList<>();
    order.add(col(time).desc());
    order.addAll(tieBreaks);
    LogicalPlan sorted = events.sortWithinPartitions(order.toArray(new Column[0])).queryExecution().analyzed();
    if (!(sorted instanceof Sort)) {
      throw new IllegalStateException("unexpected plan for the event order: " + sorted.nodeName());
    }
    LogicalPlan eventPlan = ((Sort) sorted).child();
    List<SortOrder> eventOrder = ScalaInterop.toJava(((Sort) sorted).order());

    List<NamedExpression> projectList = new ArrayList<>(List.of(ctx.get(0), ctx.get(1)));
    Attribute eventKey = null;
    for (Attribute a : ScalaInterop.toJava(eventPlan.output())) {
      if (eventKey == null && a.name().equalsIgnoreCase(key)) {
        eventKey = a;
      } else {
        projectList.add(a);
      }
    }
    Attribute rank =
        new AttributeReference(
            "rn", IntegerType$.MODULE$, false, Metadata.empty(), NamedExpression$.MODULE$.newExprId(),
            ScalaInterop.toSeq(List.of()));
    AsOfHistoryNode node =
        new AsOfHistoryNode(
            contextPlan, eventPlan, ctx.get(0), eventKey, ctx.get(1), ctx.get(2), false,
            lookback == null ? Option.empty() : Option.apply(ctx.get(3)), true, ScalaInterop.toSeq(eventOrder), n,
            ScalaInterop.toSeq(projectList), rank, ScalaInterop.toSeq(List.of(ctx.get(0), ctx.get(1))));
    return org.apache.spark.sql.classic.Dataset.ofRows(
        (org.apache.spark.sql.classic.SparkSession) contexts.sparkSession(), node);
  }

  /** Whether the executed plan of {@code frame} (adaptive plans included) contains the as-of operator. */
  public static boolean usedBy(Dataset<?> frame) {
    SparkPlan plan = frame.queryExecution().executedPlan();
    return find(plan, p -> p instanceof AsOfHistoryExec || p instanceof AsOfCollectExec
        || p instanceof AsOfContextHistoryExec) != null;
  }

  /**
   * Whether the executed plan of {@code frame} answers the padded arrays joined back to every context in one pass
   * ({@link AsOfContextHistoryExec}), the plan the reference job's history stage gets.
   */
  public static boolean joinBackUsedBy(Dataset<?> frame) {
    return find(frame.queryExecution().executedPlan(),
        p -> p instanceof AsOfContextHistoryExec && !((AsOfContextHistoryExec) p).historiesOnly()) != null;
  }

  /** Whether the executed plan of {@code frame} writes padded histories alone in one pass, with no join back. */
  public static boolean historiesOnlyUsedBy(Dataset<?> frame) {
    return find(frame.queryExecution().executedPlan(),
        p -> p instanceof AsOfContextHistoryExec && ((AsOfContextHistoryExec) p).historiesOnly()) != null;
  }

  /** The first node of {@code plan} (adaptive plans and their stages included) that is {@code wanted}, or null. */
  static SparkPlan find(SparkPlan plan, java.util.function.Predicate<SparkPlan> wanted) {
    for (SparkPlan node : PlanNodes.of(plan)) {
      if (wanted.test(node)) {
        return node;
      }
    }
    return null;
  }

  private static StructField field(Dataset<Row> frame, String column, String parameter, String input) {
    for (StructField f : frame.schema().fields()) {
      if (f.name().equalsIgnoreCase(column)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        String.format("%s column '%s' not found in %s; columns are %s", parameter, column, input,
            String.join(", ", frame.schema().fieldNames())));
  }
}
