package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.asof.AsOfHistory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The three ways the history stage can be planned; tests select one and assert it was really used. */
public enum HistoryPlan {
  STOCK(false, false),
  TOPN_HISTORY(true, false),
  AS_OF(true, true);

  private final boolean topN;
  private final boolean asOf;

  HistoryPlan(boolean topN, boolean asOf) {
    this.topN = topN;
    this.asOf = asOf;
  }

  /** Sets the session's kill switches for this plan. */
  public void select(SparkSession spark) {
    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, String.valueOf(topN));
    spark.conf().set(TrainingInputsConf.ASOF_ENABLED, String.valueOf(asOf));
  }

  /** Fails unless the executed plan of {@code output} holds this plan's operator (and only that one). */
  public void assertUsedBy(Dataset<Row> output) {
    String plan = output.queryExecution().executedPlan().toString();
    boolean usedAsOf = AsOfHistory.usedBy(output);
    boolean usedTopN = plan.contains("TopNHistory");
    switch (this) {
      case STOCK -> {
        assertFalse(usedAsOf || usedTopN, "stock plan holds an extension operator:\n" + plan);
        assertTrue(plan.contains("Window"), "stock plan lacks the Window:\n" + plan);
      }
      case TOPN_HISTORY -> {
        assertTrue(usedTopN, "TopNHistory is not in the executed plan:\n" + plan);
        assertFalse(usedAsOf, plan);
      }
      case AS_OF -> {
        assertTrue(AsOfHistory.joinBackUsedBy(output),
            "the as-of operator with the join back is not in the executed plan:\n" + plan);
        assertFalse(plan.contains("SortMergeJoin") || plan.contains("HashJoin"),
            "the join of rows to their histories was not written by the as-of operator:\n" + plan);
      }
      default -> throw new IllegalStateException(name());
    }
    assertFalse(plan.contains("Window") && this != STOCK, "a Window remains:\n" + plan);
  }
}
