package io.traininputs.catalyst.asof;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_dt_interval;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.row_number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stock shape (inner range join + {@code row_number() <= N}) is planned as the as-of operator when enabled and
 * gives the stock answer; shapes that differ in any way that matters stay with Spark.
 */
class StockShapeTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(StockShapeTest.class, true);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> stock(
      Dataset<Row> events, Dataset<Row> contexts, int n, int lookbackDays, WindowSpec order, Column extraCondition) {
    return stock(events, contexts, n, lookbackDays, order, extraCondition, row_number());
  }

  private static Dataset<Row> stock(
      Dataset<Row> events,
      Dataset<Row> contexts,
      int n,
      int lookbackDays,
      WindowSpec order,
      Column extraCondition,
      Column rankFunction) {
    Dataset<Row> c = contexts.select(col("customer_id").as("c_customer_id"), col("as_of_date"));
    Column day0 = col("as_of_date").cast("timestamp");
    Column condition =
        col("c_customer_id")
            .equalTo(col("customer_id"))
            .and(col("occurred_at").lt(day0))
            .and(col("occurred_at").geq(day0.minus(make_dt_interval(lit(lookbackDays)))))
            .and(extraCondition);
    return c.join(events, condition, "inner")
        .select(col("customer_id"), col("as_of_date"), col("item_id"), col("action_type"), col("occurred_at"))
        .withColumn("rn", rankFunction.over(order))
        .where(col("rn").leq(n));
  }

  private static WindowSpec historyOrder() {
    return Window.partitionBy(col("customer_id"), col("as_of_date"))
        .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc());
  }

  private static <T> T withEnabled(boolean enabled, Supplier<T> body) {
    return AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, String.valueOf(enabled), body);
  }

  private Dataset<Row> contexts(AsOfTestData d) {
    return spark.createDataFrame(d.contexts, AsOfTestData.CONTEXTS);
  }

  private Dataset<Row> events(AsOfTestData d) {
    return spark.createDataFrame(d.events, AsOfTestData.EVENTS);
  }

  @Test
  void stockShapeUsesTheOperatorAndEqualsStockAndBruteForce() {
    for (long seed = 12; seed <= 14; seed++) {
      int n = (int) seed % 5 + 1;
      int lookback = seed % 2 == 0 ? 4 : 25;
      AsOfTestData d = AsOfTestData.random(seed, 100, 800, seed == 14 ? 5_000 : 0, lookback);
      Dataset<Row> on = stock(events(d), contexts(d), n, lookback, historyOrder(), lit(true));
      List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
      assertTrue(AsOfHistory.usedBy(on), "seed " + seed);
      List<List<Object>> withSpark =
          withEnabled(false, () -> {
            Dataset<Row> off = stock(events(d), contexts(d), n, lookback, historyOrder(), lit(true));
            List<List<Object>> rows = AsOfTestData.values(off.collectAsList());
            assertFalse(AsOfHistory.usedBy(off));
            return rows;
          });
      assertEquals(withSpark, withOperator, "seed " + seed);
      assertEquals(d.expectedRows(n, lookback), withOperator, "seed " + seed);
    }
  }

  @Test
  void theOptimizerPutsTheNodeInPlaceOfTheRangeJoinAndTheWindow() {
    AsOfTestData d = AsOfTestData.random(17, 40, 300, 0, 10);
    Dataset<Row> on = stock(events(d), contexts(d), 3, 10, historyOrder(), lit(true));
    String optimized = on.queryExecution().optimizedPlan().treeString();
    assertTrue(optimized.contains("AsOfHistory") && !optimized.contains("Window") && !optimized.contains("Join"),
        optimized);
    String stockPlan = withEnabled(false, () -> stock(events(d), contexts(d), 3, 10, historyOrder(), lit(true))
        .queryExecution().optimizedPlan().treeString());
    assertTrue(!stockPlan.contains("AsOfHistory") && stockPlan.contains("Join Inner"), stockPlan);
  }

  @Test
  void distinctContextsAsInTheJobAreMatchedToo() {
    AsOfTestData d = AsOfTestData.random(21, 150, 900, 0, 10);
    Dataset<Row> on = stock(events(d), contexts(d).distinct(), 3, 10, historyOrder(), lit(true));
    assertTrue(AsOfHistory.usedBy(on));
    List<List<Object>> off =
        withEnabled(false, () -> AsOfTestData.values(
            stock(events(d), contexts(d).distinct(), 3, 10, historyOrder(), lit(true)).collectAsList()));
    assertEquals(off, AsOfTestData.values(on.collectAsList()));
  }

  @Test
  void shapesThatDifferStayWithSpark() {
    AsOfTestData d = AsOfTestData.random(31, 30, 200, 0, 10);
    WindowSpec keyOnly =
        Window.partitionBy(col("customer_id")).orderBy(col("occurred_at").desc(), col("item_id").desc());
    WindowSpec ascending =
        Window.partitionBy(col("customer_id"), col("as_of_date")).orderBy(col("occurred_at").asc());
    List<Dataset<Row>> others =
        List.of(
            stock(events(d), contexts(d), 3, 10, keyOnly, lit(true)),
            stock(events(d), contexts(d), 3, 10, ascending, lit(true)),
            stock(events(d), contexts(d), 3, 10, historyOrder(), col("item_id").gt(col("c_customer_id"))),
            stock(events(d), contexts(d), 3, 10, historyOrder(), lit(true), rank()));
    for (Dataset<Row> other : others) {
      other.collectAsList();
      assertFalse(AsOfHistory.usedBy(other), other.queryExecution().executedPlan().toString());
    }
  }
}
