package io.traininputs.catalyst.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;

/** Every node of an executed plan, parents first: adaptive plans through their current plan and query stages. */
public final class PlanNodes {
  private PlanNodes() {}

  public static List<SparkPlan> of(SparkPlan plan) {
    List<SparkPlan> out = new ArrayList<>();
    collect(plan, out);
    return out;
  }

  private static void collect(SparkPlan plan, List<SparkPlan> out) {
    out.add(plan);
    if (plan instanceof AdaptiveSparkPlanExec) {
      collect(((AdaptiveSparkPlanExec) plan).executedPlan(), out);
    } else if (plan instanceof QueryStageExec) {
      collect(((QueryStageExec) plan).plan(), out);
    }
    for (SparkPlan child : ScalaInterop.toJava(plan.children())) {
      collect(child, out);
    }
  }
}
