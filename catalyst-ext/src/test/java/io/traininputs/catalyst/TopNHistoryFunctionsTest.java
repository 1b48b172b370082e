package io.traininputs.catalyst;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.topn.PlanInspection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The history-arrays API: with the extension on it plans TopNHistoryArraysExec (no sort, no collect_list) and
 * returns exactly what the stock row_number / collect_list / sort_array / padding chain returns.
 */
class TopNHistoryFunctionsTest {

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("TopNHistoryFunctionsTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.extensions", TrainingInputsExtensions.class.getName())
        .getOrCreate();
    spark.range(0, 30_000, 1, 3).selectExpr(
            "CAST(id % 97 AS BIGINT) AS customer_id",
            "DATE_ADD(DATE'2025-01-01', CAST(id % 3 AS INT)) AS as_of_date",
            "TIMESTAMP_SECONDS((id * 7919) % 86400) AS occurred_at",
            "CAST(id % 4 AS INT) AS action_type",
            "CASE WHEN id % 501 = 0 THEN NULL ELSE CAST(id AS INT) END AS item_id")
        .createOrReplaceTempView("actions");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static List<String> sorted(Dataset<Row> df) {
    List<String> rows = new ArrayList<>();
    for (Row row : df.collectAsList()) {
      rows.add(row.toString());
    }
    Collections.sort(rows);
    return rows;
  }

  private static void assertMatchesStock(int n) {
    Dataset<Row> actions = spark.table("actions");
    List<String> keys = List.of("customer_id", "as_of_date");
    List<Column> order = List.of(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc());
    List<String> values = List.of("item_id", "action_type");

    Dataset<Row> expected = TopNHistoryFunctions.stock(actions, keys, order, values, n, 0);
    Dataset<Row> actual = TopNHistoryFunctions.topNArrays(actions, keys, order, values, n, 0);
    List<String> actualRows = sorted(actual);
    assertTrue(PlanInspection.containsNode(actual.queryExecution().executedPlan(), "TopNHistoryArraysExec"),
        actual.queryExecution().executedPlan().toString());
    assertFalse(PlanInspection.containsNode(actual.queryExecution().executedPlan(), "SortExec"));
    assertEquals(sorted(expected), actualRows);
    for (Row row : actual.collectAsList()) {
      assertEquals(n, row.getList(2).size());
      assertEquals(n, row.getList(3).size());
    }
  }

  @Test
  void shortHistoriesArePadded() {
    assertMatchesStock(1000);
  }

  @Test
  void longHistoriesAreCutToN() {
    assertMatchesStock(7);
  }

  @Test
  void killSwitchGivesTheStockPlan() {
    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "false");
    try {
      assertFalse(TopNHistoryFunctions.extensionActive(spark));
      Dataset<Row> df = TopNHistoryFunctions.topNArrays(spark.table("actions"), List.of("customer_id"),
          List.of(col("occurred_at").desc(), col("item_id")), List.of("item_id"), 5, 0);
      df.collectAsList();
      assertFalse(PlanInspection.containsNode(df.queryExecution().executedPlan(), "TopNHistoryArraysExec"));
    } finally {
      spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "true");
    }
    assertTrue(TopNHistoryFunctions.extensionActive(spark));
  }
}
