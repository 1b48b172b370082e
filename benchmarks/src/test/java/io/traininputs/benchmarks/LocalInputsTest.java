package io.traininputs.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.Schemas;
import io.traininputs.job.TrainingInputs;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalInputsTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BenchmarkSpark.start("local[2]", 4, Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void canonicalSchemasAndSizesPerCustomer() {
    TrainingInputs inputs = LocalInputs.generate(spark, 7);
    assertEquals(Schemas.IMPRESSIONS.simpleString(), inputs.impressions().schema().simpleString());
    assertEquals(Schemas.CLICKS.simpleString(), inputs.clicks().schema().simpleString());
    assertEquals(Schemas.ATC.simpleString(), inputs.atc().schema().simpleString());
    assertEquals(Schemas.ORDERS.simpleString(), inputs.orders().schema().simpleString());
    assertEquals(7L * LocalInputs.CLICKS_PER_CUSTOMER, inputs.clicks().count());
    assertEquals(7L * LocalInputs.ATC_PER_CUSTOMER, inputs.atc().count());
    assertEquals(7L * LocalInputs.ORDERS_PER_CUSTOMER, inputs.orders().count());
    assertEquals(7L * LocalInputs.IMPRESSION_ROWS_PER_CUSTOMER, inputs.impressions().count());
    assertEquals(7L, inputs.clicks().select(countDistinct(col("customer_id"))).first().getLong(0));

    Row days = inputs.impressions().agg(min("dt"), max("dt")).first();
    assertTrue(days.getString(0).compareTo("2025-03-18") >= 0, days.toString());
    assertTrue(days.getString(1).compareTo(LocalInputs.LAST_DAY.toString()) <= 0, days.toString());
    Row clickDays = inputs.clicks().agg(max("click_time").cast("date").cast("string")).first();
    assertTrue(clickDays.getString(0).compareTo(LocalInputs.LAST_DAY.toString()) <= 0, clickDays.toString());
  }

  @Test
  void deterministic() {
    assertEquals(
        LocalInputs.generate(spark, 5).clicks().collectAsList(),
        LocalInputs.generate(spark, 5).clicks().collectAsList());
  }
}
