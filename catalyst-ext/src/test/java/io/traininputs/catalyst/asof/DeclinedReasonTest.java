package io.traininputs.catalyst.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SimpleMode$;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Near misses of the range-join top-N stay with Spark (same rows as stock) and {@code explain()} says why, in the
 * extension's section; {@value TrainingInputsConf#EXPLAIN_DECLINED}{@code =false} removes the reason.
 */
class DeclinedReasonTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(DeclinedReasonTest.class, true);
    AsOfTestData d = AsOfTestData.random(83, 80, 600, 0, 10);
    spark.createDataFrame(d.contexts, AsOfTestData.CONTEXTS).distinct().createOrReplaceTempView("ctx");
    spark.createDataFrame(d.events, AsOfTestData.EVENTS).createOrReplaceTempView("events");
    // a lookback start that the contexts compute from the as-of and another column: not a function of the as-of
    spark.table("ctx").selectExpr("*",
        "to_timestamp(date_sub(as_of_date, cast(customer_id % 5 AS int))) AS lookback_start")
        .createOrReplaceTempView("ctx_lookback");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final String BOUNDS =
      " AND e.occurred_at < c.as_of_date AND e.occurred_at >= date_sub(c.as_of_date, 10)";

  private static String query(String function, String partition, String order, String join, String condition) {
    return "SELECT * FROM (SELECT c.customer_id, c.as_of_date, e.item_id, e.occurred_at, " + function
        + " OVER (PARTITION BY " + partition + " ORDER BY " + order + ") AS rn FROM ctx c " + join + " events e"
        + " ON " + condition + ") WHERE rn <= 3";
  }

  private static final String FUNCTION = "row_number()";
  private static final String PARTITION = "c.customer_id, c.as_of_date";
  private static final String ORDER = "e.occurred_at DESC, e.action_type DESC, e.item_id DESC";
  private static final String KEY = "c.customer_id = e.customer_id";

  static Stream<Arguments> nearMisses() {
    return Stream.of(
        Arguments.of(query("rank()", PARTITION, ORDER, "JOIN", KEY + BOUNDS), "rank(), not row_number()"),
        Arguments.of(query("dense_rank()", PARTITION, ORDER, "JOIN", KEY + BOUNDS), "dense_rank(), not row_number()"),
        Arguments.of(query(FUNCTION, PARTITION, ORDER, "LEFT JOIN", KEY + BOUNDS), "not INNER"),
        Arguments.of(query(FUNCTION, PARTITION, "e.occurred_at ASC", "JOIN", KEY + BOUNDS), "newest first"),
        Arguments.of(query(FUNCTION, PARTITION + ", e.action_type", ORDER, "JOIN", KEY + BOUNDS),
            "not partitioned by exactly"),
        Arguments.of(query(FUNCTION, PARTITION, ORDER, "JOIN", KEY + BOUNDS + " AND e.item_id < c.customer_id"),
            "nor its date"),
        Arguments.of(query(FUNCTION, PARTITION, ORDER, "JOIN",
            KEY + " AND e.occurred_at < c.as_of_date AND hour(e.occurred_at) > month(c.as_of_date)"),
            "nor its date"),
        Arguments.of(query(FUNCTION, PARTITION, ORDER, "JOIN",
            KEY + BOUNDS + " AND e.item_id = c.customer_id % 6"), "not partitioned by exactly the join keys"),
        Arguments.of(query(FUNCTION, PARTITION, ORDER, "JOIN",
            KEY + BOUNDS + " AND CAST(e.item_id AS DOUBLE) = CAST(c.customer_id AS DOUBLE)"), "has type DOUBLE"),
        Arguments.of(query(FUNCTION, PARTITION, ORDER, "JOIN", KEY + " AND e.occurred_at >= c.as_of_date"),
            "no upper bound"),
        Arguments.of(query(FUNCTION, PARTITION, ORDER, "JOIN",
            KEY + BOUNDS + " AND e.occurred_at < c.as_of_date + INTERVAL 1 DAY"), "a second upper bound"),
        Arguments.of(query(FUNCTION, PARTITION, ORDER, "JOIN",
            KEY + " AND e.occurred_at < c.as_of_date AND e.occurred_at >= c.lookback_start")
            .replace("FROM ctx c", "FROM ctx_lookback c"), "reads context columns other than"));
  }

  private static String explain(Dataset<Row> frame) {
    return frame.queryExecution().explainString(SimpleMode$.MODULE$);
  }

  @ParameterizedTest
  @MethodSource("nearMisses")
  void aNearMissStaysWithSparkAndExplainSaysWhy(String sql, String reason) {
    Dataset<Row> on = spark.sql(sql);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertFalse(AsOfHistory.usedBy(on), on.queryExecution().executedPlan().toString());
    String explained = explain(on);
    assertTrue(explained.contains("AsOfHistory not used: ") && explained.contains(reason),
        "expected the reason '" + reason + "' in:\n" + explained);
    assertEquals(AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(spark.sql(sql).collectAsList())), rows);
  }

  @Test
  void theReasonCanBeSwitchedOff() {
    String sql = query("rank()", PARTITION, ORDER, "JOIN", KEY + BOUNDS);
    String explained =
        AsOfSessions.withConf(spark, TrainingInputsConf.EXPLAIN_DECLINED, "false", () -> explain(spark.sql(sql)));
    assertFalse(explained.contains("not used"), explained);
  }

  @Test
  void aPlannedShapeHasNoReason() {
    Dataset<Row> on = spark.sql(query(FUNCTION, PARTITION, ORDER, "JOIN", KEY + BOUNDS));
    on.collectAsList();
    assertTrue(AsOfHistory.usedBy(on));
    assertFalse(explain(on).contains("not used"), explain(on));
  }
}
