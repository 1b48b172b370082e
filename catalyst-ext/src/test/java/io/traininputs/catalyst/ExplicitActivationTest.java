package io.traininputs.catalyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.topn.PlanInspection;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The jar on the class path changes nothing by itself, as with Iceberg, Delta or Comet: a session plans our operators
 * only when {@code spark.sql.extensions} names the extension. Each case starts a session of its own and stops it.
 */
class ExplicitActivationTest {
  private static final String QUERY = "SELECT k, v FROM (SELECT k, v,"
      + " row_number() OVER (PARTITION BY k ORDER BY v DESC) AS rn"
      + " FROM (SELECT id % 7 AS k, id AS v FROM range(0, 200))) WHERE rn <= 3";

  private static SparkSession session(String extensions) {
    SparkSession.Builder builder = SparkSession.builder()
        .master("local[2]")
        .appName("ExplicitActivationTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2");
    if (extensions != null) {
      builder.config("spark.sql.extensions", extensions);
    }
    return builder.getOrCreate();
  }

  private static List<Row> run(SparkSession spark, boolean expectOurs) {
    Dataset<Row> df = spark.sql(QUERY);
    List<Row> rows = df.orderBy("k", "v").collectAsList();
    assertEquals(expectOurs, !PlanInspection.topNOperators(df).isEmpty(), df.queryExecution().executedPlan()
        .toString());
    assertEquals(expectOurs, TopNHistoryFunctions.extensionActive(spark));
    return rows;
  }

  @Test
  void theJarAloneLeavesEveryPlanStockAndTheConfTurnsItOn() {
    SparkSession spark = session(null);
    List<Row> stock;
    try {
      assertNull(spark.conf().get("spark.sql.extensions", null));
      stock = run(spark, false);
    } finally {
      spark.stop();
    }
    assertEquals(21, stock.size(), "3 rows for each of the 7 keys");

    spark = session(TrainingInputsExtensions.class.getName());
    try {
      assertEquals(stock, run(spark, true), "the same rows through TopNHistory");
      TrainingInputsExtensions.setEnabled(spark, false);
      assertEquals(stock, run(spark, false), "and through the stock plan again when switched off");
    } finally {
      spark.stop();
    }
  }

  @Test
  void theExtensionNamedTwiceGivesTheSameRows() {
    SparkSession spark = session(TrainingInputsExtensions.class.getName() + ","
        + TrainingInputsExtensions.class.getName());
    try {
      List<Row> ours = run(spark, true);
      int operators = PlanInspection.topNOperators(spark.sql(QUERY)).size();
      assertTrue(operators >= 1 && operators <= 2, "a final TopNHistory, over a partial at most: " + operators);
      TrainingInputsExtensions.setEnabled(spark, false);
      assertEquals(run(spark, false), ours);
    } finally {
      spark.stop();
    }
  }
}
