package io.traininputs.catalyst.topn;

import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;

/** Finds operators in an executed plan, through adaptive execution wrappers and query stages. */
public final class PlanInspection {

  private PlanInspection() {
  }

  public static List<TopNHistoryExec> topNOperators(Dataset<Row> executed) {
    List<TopNHistoryExec> found = new ArrayList<>();
    collect(executed.queryExecution().executedPlan(), found);
    return found;
  }

  private static void collect(SparkPlan plan, List<TopNHistoryExec> found) {
    if (plan instanceof AdaptiveSparkPlanExec) {
      collect(((AdaptiveSparkPlanExec) plan).executedPlan(), found);
      return;
    }
    if (plan instanceof QueryStageExec) {
      collect(((QueryStageExec) plan).plan(), found);
      return;
    }
    if (plan instanceof TopNHistoryExec) {
      found.add((TopNHistoryExec) plan);
    }
    for (SparkPlan child : ScalaInterop.toJava(plan.children())) {
      collect(child, found);
    }
  }

  public static boolean containsNode(SparkPlan plan, String simpleClassName) {
    if (plan instanceof AdaptiveSparkPlanExec) {
      return containsNode(((AdaptiveSparkPlanExec) plan).executedPlan(), simpleClassName);
    }
    if (plan instanceof QueryStageExec) {
      return containsNode(((QueryStageExec) plan).plan(), simpleClassName);
    }
    if (plan.getClass().getSimpleName().equals(simpleClassName)) {
      return true;
    }
    for (SparkPlan child : ScalaInterop.toJava(plan.children())) {
      if (containsNode(child, simpleClassName)) {
        return true;
      }
    }
    return false;
  }
}
