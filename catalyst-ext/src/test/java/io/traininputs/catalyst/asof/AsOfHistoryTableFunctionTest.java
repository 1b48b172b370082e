package io.traininputs.catalyst.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code as_of_history(...)} in SQL gives the brute-force history, planned as the as-of operator. */
class AsOfHistoryTableFunctionTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(AsOfHistoryTableFunctionTest.class, true);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void sqlFunctionEqualsBruteForce() {
    AsOfTestData d = AsOfTestData.random(91, 120, 1_500, 2_000, 10);
    spark.createDataFrame(d.contexts, AsOfTestData.CONTEXTS).createOrReplaceTempView("ctx");
    spark.createDataFrame(d.events, AsOfTestData.EVENTS).createOrReplaceTempView("ev");
    Dataset<Row> out = spark.sql("SELECT * FROM as_of_history('ctx', 'ev', 'customer_id', 'as_of_date',"
        + " 'occurred_at', 'action_type DESC, item_id DESC NULLS LAST', 4, 10)");
    List<List<Object>> rows = AsOfTestData.values(out.collectAsList());
    assertTrue(AsOfHistory.usedBy(out), out.queryExecution().executedPlan().toString());
    assertEquals(d.expectedRows(4, 10), rows);
    assertTrue(rows.size() > 100, "too few rows to mean anything: " + rows.size());
  }

  @Test
  void theFunctionsRowsCollectedIntoOrderedArraysAreOnePassAndEqualSparksAggregation() {
    AsOfTestData d = AsOfTestData.random(92, 80, 1_000, 1_500, 10);
    spark.createDataFrame(d.contexts, AsOfTestData.CONTEXTS).createOrReplaceTempView("ctx_arrays");
    spark.createDataFrame(d.events, AsOfTestData.EVENTS).createOrReplaceTempView("ev_arrays");
    String sql = "SELECT customer_id, as_of_date, array_sort(collect_list(struct(rn, item_id, action_type))) AS h"
        + " FROM as_of_history('ctx_arrays', 'ev_arrays', 'customer_id', 'as_of_date', 'occurred_at',"
        + " 'action_type DESC, item_id DESC', 3, 10) GROUP BY customer_id, as_of_date";
    Dataset<Row> on = spark.sql(sql);
    String optimized = on.queryExecution().optimizedPlan().treeString();
    assertTrue(optimized.contains("AsOfHistoryArrays") && !optimized.contains("Aggregate"), optimized);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertTrue(AsOfHistory.find(on.queryExecution().executedPlan(), p -> p instanceof AsOfCollectExec) != null,
        on.queryExecution().executedPlan().toString());
    List<List<Object>> stock = AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false", () -> {
      Dataset<Row> off = spark.sql(sql);
      assertTrue(AsOfHistory.find(off.queryExecution().executedPlan(), p -> p instanceof AsOfCollectExec) == null
          && AsOfHistory.usedBy(off), "the function alone is planned as-of; Spark aggregates its rows");
      return AsOfTestData.values(off.collectAsList());
    });
    assertEquals(stock, rows);
    assertTrue(rows.size() > 50, "too few contexts to mean anything: " + rows.size());
  }

  @Test
  void badArgumentsAreNamed() {
    spark.createDataFrame(AsOfTestData.random(1, 5, 5, 0, 3).contexts, AsOfTestData.CONTEXTS)
        .createOrReplaceTempView("ctx_small");
    assertMessage("n must be at least 1, got 0",
        "SELECT * FROM as_of_history('ctx_small', 'ctx_small', 'customer_id', 'as_of_date', 'x', '', 0, 3)");
    assertMessage("argument 7 (n) must be an integer constant",
        "SELECT * FROM as_of_history('ctx_small', 'ctx_small', 'customer_id', 'as_of_date', 'x', '', 'a', 3)");
    assertMessage("tie-break 'item_id SIDEWAYS' is not",
        "SELECT * FROM as_of_history('ctx_small', 'ctx_small', 'customer_id', 'as_of_date', 'x', 'item_id SIDEWAYS',"
            + " 3, 3)");
    assertMessage("takes 8 arguments, got 2", "SELECT * FROM as_of_history('ctx_small', 'ctx_small')");
    assertMessage("lookback_days must be NULL or at least 0, got -1",
        "SELECT * FROM as_of_history('ctx_small', 'ctx_small', 'customer_id', 'as_of_date', 'x', '', 3, -1)");
  }

  private static void assertMessage(String expected, String sql) {
    Exception e = assertThrows(Exception.class, () -> spark.sql(sql).collectAsList());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    assertTrue(messages.toString().contains(expected), messages.toString());
  }
}
