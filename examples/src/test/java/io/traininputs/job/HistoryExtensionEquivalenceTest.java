package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.TrainingInputsExtensions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole job on random data (ties in time, actions at the day and lookback boundaries, customers without
 * history) gives identical output with the TopNHistory extension switched off (stock plan) and on (arrays from the
 * per-group heaps); the "on" plan really uses the operator and no sort-based window.
 */
class HistoryExtensionEquivalenceTest {
  private static SparkSession spark;
  private static TrainingInputs inputs;

  @BeforeAll
  static void start() {
    spark =
        TestSpark.builder(HistoryExtensionEquivalenceTest.class)
            .config("spark.sql.extensions", TrainingInputsExtensions.class.getName())
            .getOrCreate();
    inputs = randomInputs(new Random(11), 150, 6000);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static String iso(LocalDate day, int seconds) {
    return Instant.ofEpochSecond(day.toEpochDay() * 86400L + seconds).toString();
  }

  private static TrainingInputs randomInputs(Random random, int customers, int actions) {
    LocalDate first = LocalDate.parse("2024-02-01");
    List<Row> clicks = new ArrayList<>();
    List<Row> carts = new ArrayList<>();
    List<Row> orders = new ArrayList<>();
    for (int i = 0; i < actions; i++) {
      long customer = random.nextInt(customers);
      LocalDate day = first.plusDays(random.nextInt(420));
      // Whole hours (many ties), sometimes exactly midnight (the as-of boundary).
      int seconds = random.nextInt(4) == 0 ? 0 : random.nextInt(24) * 3600;
      int item = 1 + random.nextInt(40);
      switch (random.nextInt(3)) {
        case 0:
          clicks.add(Rows.click(day.toString(), customer, item, iso(day, seconds)));
          break;
        case 1:
          carts.add(Rows.atc(day.toString(), customer, item, iso(day, seconds)));
          break;
        default:
          orders.add(Rows.order(day.toString(), customer, item));
      }
    }
    List<Row> impressions = new ArrayList<>();
    LocalDate lastDay = LocalDate.parse("2025-03-20");
    for (int i = 0; i < 400; i++) {
      // A few customers beyond the action range have no history at all.
      long customer = random.nextInt(customers + 10);
      LocalDate day = lastDay.minusDays(random.nextInt(20));
      impressions.add(Rows.impression(day.toString(), "r" + i, customer, 1 + random.nextInt(40), 0, 7, 1));
    }
    return new TrainingInputs(
        spark.createDataFrame(impressions, Schemas.IMPRESSIONS),
        spark.createDataFrame(clicks, Schemas.CLICKS),
        spark.createDataFrame(carts, Schemas.ATC),
        spark.createDataFrame(orders, Schemas.ORDERS));
  }

  private static List<String> sorted(Dataset<Row> df) {
    List<String> rows = new ArrayList<>();
    for (Row row : df.collectAsList()) {
      rows.add(row.toString());
    }
    Collections.sort(rows);
    return rows;
  }

  /** TopNHistory's own path: the as-of operator (which would otherwise take this shape) is switched off. */
  private static void assertSameWithExtensionOffAndOn(JobOptions options) {
    spark.conf().set(TrainingInputsConf.ASOF_ENABLED, "false");
    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "false");
    Dataset<Row> off = TrainingInputsJob.build(inputs, options);
    List<String> expected = sorted(off);
    String offPlan = off.queryExecution().executedPlan().toString();
    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "true");
    Dataset<Row> on = TrainingInputsJob.build(inputs, options);
    List<String> actual = sorted(on);
    String onPlan = on.queryExecution().executedPlan().toString();

    assertFalse(offPlan.contains("TopNHistory"), offPlan);
    assertTrue(onPlan.contains("TopNHistory"), onPlan);
    assertFalse(onPlan.contains("Window"), onPlan);
    assertFalse(actual.isEmpty());
    assertEquals(expected, actual);
    spark.conf().unset(TrainingInputsConf.ASOF_ENABLED);
  }

  @Test
  void shortHistoriesIdenticalOffAndOn() {
    assertSameWithExtensionOffAndOn(JobOptions.builder().maxActions(5).build());
  }

  @Test
  void defaultWidthIdenticalOffAndOn() {
    assertSameWithExtensionOffAndOn(JobOptions.defaults());
  }
}
