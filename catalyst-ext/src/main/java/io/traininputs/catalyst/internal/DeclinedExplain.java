package io.traininputs.catalyst.internal;

import org.apache.spark.sql.ExtendedExplainGenerator;
import org.apache.spark.sql.execution.SparkPlan;

/**
 * The "Extended Information" section of {@code explain()}: why a near miss was left to Spark. {@link Declined}
 * registers it in {@code spark.sql.extendedExplainProviders} the first time it records a reason.
 */
public final class DeclinedExplain implements ExtendedExplainGenerator {
  @Override
  public String title() {
    return "training-inputs extension";
  }

  @Override
  public String generateExtendedInfo(SparkPlan plan) {
    return String.join("\n", Declined.reasonsIn(plan));
  }
}
