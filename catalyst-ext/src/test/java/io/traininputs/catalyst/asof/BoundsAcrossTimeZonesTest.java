package io.traininputs.catalyst.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outside UTC the spellings of a lookback are not interchangeable: {@code cast(date_sub(d, 7) as timestamp)} is local
 * midnight seven days before (and so is {@code cast(d as timestamp) - INTERVAL 7 DAYS}: Spark adds interval days in
 * the session zone), while 7 x 86,400 seconds before is an hour away from it across a DST change. Each bound is
 * evaluated per context as written, so each equals its own stock answer.
 */
class BoundsAcrossTimeZonesTest {
  private static final String ZONE = "America/New_York";
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(BoundsAcrossTimeZonesTest.class, true);
    spark.conf().set("spark.sql.session.timeZone", ZONE);
    // Around the change of 2025-03-09 02:00 local: events every 7 minutes, some exactly at local midnights.
    spark.range(0, 4_000).selectExpr("id % 5 AS customer_id", "CAST(id % 7 AS INT) AS item_id",
            "CAST(id % 3 AS INT) AS action_type",
            "CASE WHEN id % 11 = 0 THEN to_timestamp(date_add(DATE'2025-03-01', CAST(id % 20 AS INT)))"
                + " ELSE TIMESTAMP'2025-03-01 00:00:00' + make_dt_interval(0, 0, CAST(id * 7 AS INT), 0) END"
                + " AS occurred_at")
        .createOrReplaceTempView("events");
    spark.range(0, 15).selectExpr("id % 5 AS customer_id",
        "date_add(DATE'2025-03-08', CAST(id % 8 AS INT)) AS as_of_date").distinct().createOrReplaceTempView("ctx");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> history(String lower) {
    return spark.sql("SELECT * FROM (SELECT c.customer_id, c.as_of_date, e.item_id, e.occurred_at,"
        + " row_number() OVER (PARTITION BY c.customer_id, c.as_of_date"
        + "   ORDER BY e.occurred_at DESC, e.action_type DESC, e.item_id DESC) AS rn"
        + " FROM ctx c JOIN events e ON c.customer_id = e.customer_id AND e.occurred_at < c.as_of_date"
        + " AND e.occurred_at >= " + lower + ") WHERE rn <= 400");
  }

  private static List<List<Object>> checked(String lower) {
    Dataset<Row> on = history(lower);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertTrue(AsOfHistory.usedBy(on), lower + "\n" + on.queryExecution().executedPlan());
    assertEquals(AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(history(lower).collectAsList())), rows, lower);
    return rows;
  }

  @Test
  void eachSpellingKeepsItsOwnMeaningAcrossADaylightSavingChange() {
    List<List<Object>> localMidnight = checked("to_timestamp(date_sub(c.as_of_date, 7))");
    List<List<Object>> hoursBefore =
        checked("timestamp_seconds(unix_seconds(cast(c.as_of_date AS timestamp)) - 7 * 86400)");
    assertNotEquals(localMidnight, hoursBefore, "the data must cross the change for the test to mean anything");
    assertEquals(localMidnight, checked("date_sub(c.as_of_date, 7)"));
    assertEquals(localMidnight, checked("cast(c.as_of_date AS timestamp) - INTERVAL 7 DAYS"));
  }
}
