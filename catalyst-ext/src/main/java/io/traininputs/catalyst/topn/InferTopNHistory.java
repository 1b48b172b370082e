package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.asof.AsOfHistory;
import io.traininputs.catalyst.internal.Declined;
import io.traininputs.catalyst.internal.RowNumberLimit;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.RankLike;
import org.apache.spark.sql.catalyst.expressions.RowNumber;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.WindowExpression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.catalyst.util.UnsafeRowUtils$;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces {@code Filter(cond, Window([row_number() OVER (PARTITION BY p ORDER BY o) AS rn], p, o, child))}, where
 * {@code cond} bounds {@code rn} by a constant N ({@code rn <= N}, {@code rn < N+1}, {@code rn = 1}, or the mirrored
 * {@code N >= rn}, {@code N+1 > rn}, {@code 1 = rn}, possibly among other conjuncts), with
 * {@code Filter(otherConjuncts, TopNHistory(p, o, N, rn, child))}. Injected with {@code injectOptimizerRule}, so it
 * runs in the operator optimization batch, before the later "Infer window group limit" batch
 * ({@code InferWindowGroupLimit}). A replaced plan holds no Window, so the rule is idempotent.
 */
final class InferTopNHistory extends Rule<LogicalPlan> {

  private static final Logger LOG = LoggerFactory.getLogger(InferTopNHistory.class);

  private final SparkConf sparkConf;
  private final boolean finalPass;

  /**
   * @param finalPass false for the instance in the operator optimization batch, which leaves a window over a join to
   *     the final pass (a pre-CBO rule, run once after that batch): only then have the filters been pushed into the
   *     join and the projections collapsed, so the as-of rule sees the range join it may plan
   */
  InferTopNHistory(SparkConf sparkConf, boolean finalPass) {
    this.sparkConf = sparkConf;
    this.finalPass = finalPass;
  }

  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    SQLConf conf = SQLConf.get();
    if (!TrainingInputsConf.topnEnabled(conf)) {
      return plan;
    }
    long maxLimit = TrainingInputsConf.topnMaxLimit(conf, sparkConf);
    return rewrite(plan, maxLimit);
  }

  private LogicalPlan rewrite(LogicalPlan plan, long maxLimit) {
    LogicalPlan withNewChildren = plan.mapChildren(child -> rewrite(child, maxLimit));
    if (withNewChildren instanceof Filter && ((Filter) withNewChildren).child() instanceof Window) {
      Filter filter = (Filter) withNewChildren;
      LogicalPlan replaced = replace(filter, (Window) filter.child(), maxLimit);
      if (replaced != null) {
        return replaced;
      }
    }
    return withNewChildren;
  }

  /** The replacement, or null (with the reason at debug level) when the shape is left to Spark. */
  private LogicalPlan replace(Filter filter, Window window, long maxLimit) {
    if (!finalPass && AsOfHistory.mayClaim(filter)) {
      return skip("left to the final pass: the window is over a join the as-of rule may plan");
    }
    if (AsOfHistory.claims(filter)) {
      return skip("the as-of history operator plans this range-join shape");
    }
    List<NamedExpression> windowExpressions = ScalaInterop.toJava(window.windowExpressions());
    if (windowExpressions.size() != 1) {
      return skip("the Window computes " + windowExpressions.size() + " expressions, not one row_number()",
          filter, window);
    }
    NamedExpression named = windowExpressions.get(0);
    if (!(named instanceof Alias) || !(((Alias) named).child() instanceof WindowExpression)
        || !(((WindowExpression) ((Alias) named).child()).windowFunction() instanceof RowNumber)) {
      return skip("the window function is not row_number(): " + named, filter, window);
    }
    Attribute rowNumber = named.toAttribute();
    if (!filter.condition().deterministic()) {
      return skip("the filter is not deterministic", filter, window);
    }
    for (Expression key : ScalaInterop.toJava(window.partitionSpec())) {
      String reason = unsupportedKey(key, true);
      if (reason != null) {
        return skip(reason, filter, window);
      }
    }
    for (SortOrder order : ScalaInterop.toJava(window.orderSpec())) {
      String reason = unsupportedKey(order.child(), false);
      if (reason != null) {
        return skip(reason, filter, window);
      }
    }

    List<Expression> conjuncts = new ArrayList<>();
    splitConjuncts(filter.condition(), conjuncts);
    long limit = RowNumberLimit.NONE;
    for (Expression conjunct : conjuncts) {
      limit = Math.min(limit, RowNumberLimit.ofConjunct(conjunct, rowNumber));
    }
    if (limit == RowNumberLimit.NONE) {
      return skip("no conjunct bounds " + rowNumber.sql() + " by a constant", filter, window);
    }
    if (limit < 1) {
      return skip("the bound " + limit + " keeps no row", filter, window);
    }
    if (limit > maxLimit) {
      return skip("N = " + limit + " is above " + TrainingInputsConf.TOPN_MAX_LIMIT + " = " + maxLimit,
          filter, window);
    }
    List<Expression> remaining = new ArrayList<>();
    for (Expression conjunct : conjuncts) {
      if (!impliedBy(conjunct, rowNumber, limit)) {
        remaining.add(conjunct);
      }
    }
    LogicalPlan topN = new TopNHistory(window.partitionSpec(), window.orderSpec(), (int) limit, rowNumber,
        window.child());
    // An as-of decline recorded on the filter stays visible on the node that replaces it.
    topN.copyTagsFrom(filter);
    if (remaining.isEmpty()) {
      return topN;
    }
    Expression condition = remaining.get(0);
    for (int i = 1; i < remaining.size(); i++) {
      condition = new And(condition, remaining.get(i));
    }
    return new Filter(condition, topN);
  }

  private static String unsupportedKey(Expression key, boolean partitionKey) {
    String role = partitionKey ? "partition key " : "order key ";
    if (!key.deterministic()) {
      return role + key.sql() + " is not deterministic";
    }
    if (!UnsafeRowUtils$.MODULE$.isBinaryStable(key.dataType())) {
      return role + key.sql() + " has a non-binary collation";
    }
    if (partitionKey && containsFloatingPoint(key.dataType())) {
      return role + key.sql() + " is floating point (needs NaN and -0.0 normalization)";
    }
    return null;
  }

  private static boolean containsFloatingPoint(DataType type) {
    if (type instanceof FloatType || type instanceof DoubleType) {
      return true;
    }
    if (type instanceof ArrayType) {
      return containsFloatingPoint(((ArrayType) type).elementType());
    }
    if (type instanceof MapType) {
      return containsFloatingPoint(((MapType) type).keyType()) || containsFloatingPoint(((MapType) type).valueType());
    }
    if (type instanceof StructType) {
      for (StructField field : ((StructType) type).fields()) {
        if (containsFloatingPoint(field.dataType())) {
          return true;
        }
      }
    }
    return false;
  }

  private static void splitConjuncts(Expression condition, List<Expression> out) {
    if (condition instanceof And) {
      splitConjuncts(((And) condition).left(), out);
      splitConjuncts(((And) condition).right(), out);
    } else {
      out.add(condition);
    }
  }

  /** Whether every row TopNHistory(limit) emits satisfies {@code conjunct}, so it can be dropped. */
  private static boolean impliedBy(Expression conjunct, Attribute rowNumber, long limit) {
    long bound = RowNumberLimit.ofConjunct(conjunct, rowNumber);
    if (bound == RowNumberLimit.NONE) {
      return false;
    }
    if (conjunct instanceof EqualTo) {
      return bound == 1 && limit == 1;
    }
    return bound >= limit;
  }

  /** Skips, and records the reason when the window looks like a top-N: a rank-like function bounded by a constant. */
  private static LogicalPlan skip(String reason, Filter filter, Window window) {
    if (looksLikeTopN(filter, window)) {
      Declined.record(filter, "TopNHistory", reason);
    }
    return skip(reason);
  }

  private static boolean looksLikeTopN(Filter filter, Window window) {
    List<Expression> conjuncts = new ArrayList<>();
    splitConjuncts(filter.condition(), conjuncts);
    for (NamedExpression e : ScalaInterop.toJava(window.windowExpressions())) {
      Expression function = e instanceof Alias && ((Alias) e).child() instanceof WindowExpression
          ? ((WindowExpression) ((Alias) e).child()).windowFunction() : null;
      if (function instanceof RankLike || function instanceof RowNumber) {
        for (Expression c : conjuncts) {
          if (RowNumberLimit.ofConjunct(c, e.toAttribute()) != RowNumberLimit.NONE) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static LogicalPlan skip(String reason) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("TopNHistory not applied: {}", reason);
    }
    return null;
  }
}
