package io.traininputs.synthetic;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.Schemas;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticInputsTest {

  private static SparkSession spark;
  /** 1,000 customers: about 240,000 actions, enough for a few dozen heavy customers. */
  private static final SyntheticConfig CONFIG = SyntheticConfig.defaults().withCustomers(1_000);

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions")
        .appName("SyntheticInputsTest")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** Row count and an order-independent checksum of all values: equal for equal multisets of rows. */
  private static Row fingerprint(Dataset<Row> rows) {
    return rows.selectExpr("count(*)", "sum(cast(hash(*) as bigint))", "sum(cast(xxhash64(*) % 1000003 as bigint))")
        .first();
  }

  @Test
  void rawSchemasMatchSemantics() {
    SyntheticInputs inputs = SyntheticInputs.of(spark, CONFIG);
    assertEquals("struct<dt:string,ranking_id:string,customer_id:bigint,"
        + "impressions:array<struct<item_id:int,is_order:boolean>>>", inputs.impressions().schema().simpleString());
    assertEquals(Schemas.IMPRESSIONS.simpleString(), inputs.impressions().schema().simpleString());
    assertEquals(Schemas.CLICKS.simpleString(), inputs.clicks().schema().simpleString());
    assertEquals(Schemas.ATC.simpleString(), inputs.atc().schema().simpleString());
    assertEquals(Schemas.ORDERS.simpleString(), inputs.orders().schema().simpleString());
  }

  @Test
  void sameSeedGivesSameRowsWhateverThePartitioning() {
    SyntheticConfig small = CONFIG.withCustomers(150);
    Map<String, Dataset<Row>> onePartition = SyntheticInputs.of(spark, small, 1).byName();
    Map<String, Dataset<Row>> threePartitions = SyntheticInputs.of(spark, small, 3).byName();
    Map<String, Dataset<Row>> otherSeed = SyntheticInputs.of(spark, small.withSeed(7), 1).byName();
    for (String name : onePartition.keySet()) {
      Row a = fingerprint(onePartition.get(name));
      assertTrue(a.getLong(0) > 0, name);
      assertEquals(a, fingerprint(threePartitions.get(name)), name);
      assertNotEquals(a, fingerprint(otherSeed.get(name)), name + " must change with the seed");
    }
  }

  @Test
  void countsMatchRowsAndTheDocumentedExpectation() {
    SyntheticInputs inputs = SyntheticInputs.of(spark, CONFIG);
    Map<String, Long> counts = inputs.counts();
    for (Map.Entry<String, Dataset<Row>> input : inputs.byName().entrySet()) {
      assertEquals(input.getValue().count(), counts.get(input.getKey()), input.getKey());
    }
    long actions = counts.get("clicks") + counts.get("atc") + counts.get("orders");
    long expected = SyntheticInputs.expectedActions(CONFIG.customers());
    assertTrue(Math.abs(actions - expected) < expected * 0.15, actions + " actions, expected about " + expected);
    assertTrue(counts.get("clicks") > counts.get("atc") && counts.get("atc") > counts.get("orders"), counts.toString());
  }

  @Test
  void skewExercisesTheCapEmptyHistoriesTiesAndSameDayActions() {
    SyntheticInputs inputs = SyntheticInputs.of(spark, CONFIG);
    Dataset<Row> actions = inputs.clicks()
        .select(col("customer_id"), col("item_id"), lit(1).as("action_type"), col("click_time").as("occurred_at"))
        .unionAll(inputs.atc().select(col("customer_id"), col("config_id"), lit(2),
            col("occur_at")))
        .unionAll(inputs.orders().select(col("customer_id"), col("config_id"), lit(3),
            to_timestamp(col("order_date"))))
        .cache();
    Dataset<Row> impressions = inputs.impressions().cache();
    try {
      String last = CONFIG.lastDay().toString();
      long capped = actions
          .where(col("occurred_at").lt(to_timestamp(lit(last)))
              .and(col("occurred_at").geq(to_timestamp(lit(CONFIG.lastDay().minusDays(365).toString())))))
          .groupBy("customer_id").count().where(col("count").gt(1000)).count();
      assertTrue(capped >= 10, capped + " customers with more than 1000 actions in the lookback of the last day");

      long withoutActions = impressions.select("customer_id").distinct()
          .join(actions.select("customer_id").distinct(), "customer_id", "left_anti").count();
      assertTrue(withoutActions >= 20, withoutActions + " customers with impressions and no action");

      long tiedTimestamps = actions.groupBy("customer_id", "occurred_at")
          .agg(countDistinct(col("action_type"), col("item_id")).as("distinct_actions"))
          .where(col("distinct_actions").gt(1)).count();
      assertTrue(tiedTimestamps >= 100, tiedTimestamps + " timestamps shared by different actions");
      long crossTypeTies = actions.groupBy("customer_id", "occurred_at")
          .agg(countDistinct(col("action_type")).as("types")).where(col("types").gt(1)).count();
      assertTrue(crossTypeTies >= 100, crossTypeTies + " timestamps shared by different action types");

      Dataset<Row> impressionDays = impressions.select(col("customer_id"), col("dt")).distinct();
      Dataset<Row> sameDay = actions
          .withColumn("dt", date_format(col("occurred_at"), "yyyy-MM-dd"))
          .join(impressionDays, new String[] {"customer_id", "dt"});
      assertTrue(sameDay.count() >= 100, "actions on an impression day of their customer");
      long atMidnight = sameDay.where(date_format(col("occurred_at"), "HH:mm:ss").equalTo("00:00:00")
          .and(col("action_type").lt(3))).count();
      assertTrue(atMidnight >= 5, atMidnight + " clicks or add-to-carts at 00:00:00 of an impression day");
    } finally {
      actions.unpersist();
      impressions.unpersist();
    }
  }

  @Test
  void impressionsCoverTheLastDaysWithSeveralItemsAndSomeOrders() {
    SyntheticInputs inputs = SyntheticInputs.of(spark, CONFIG);
    Dataset<Row> impressions = inputs.impressions();
    Row days = impressions.selectExpr("min(dt)", "max(dt)", "count(distinct dt)",
        "min(size(impressions))", "max(size(impressions))", "count(distinct ranking_id) = count(*)").first();
    assertEquals(CONFIG.lastDay().minusDays(CONFIG.days() - 1).toString(), days.getString(0));
    assertEquals(CONFIG.lastDay().toString(), days.getString(1));
    assertEquals(CONFIG.days(), days.getLong(2));
    assertEquals(3, days.getInt(3));
    assertEquals(10, days.getInt(4));
    assertTrue(days.getBoolean(5), "ranking ids are unique");
    Dataset<Row> elements = impressions.select(explode(col("impressions")).as("e"));
    long orders = elements.where(col("e.is_order")).count();
    long total = elements.count();
    assertTrue(orders > total / 100 && orders < total / 10, orders + " of " + total + " elements are orders");
    assertEquals(0, impressions.where(size(col("impressions")).lt(1)).count());
  }

  @Test
  void writesJsonLinesAndParquetThatReadBackToTheSameRows(@TempDir Path dir) {
    SyntheticInputs inputs = SyntheticInputs.of(spark, CONFIG.withCustomers(100));
    inputs.write(dir.resolve("json").toString(), InputFormat.JSON);
    inputs.write(dir.resolve("parquet").toString(), InputFormat.PARQUET);
    for (Map.Entry<String, Dataset<Row>> input : inputs.byName().entrySet()) {
      Dataset<Row> expected = input.getValue();
      Dataset<Row> parquet = spark.read().parquet(dir.resolve("parquet").resolve(input.getKey()).toString());
      Dataset<Row> json = spark.read().schema(expected.schema())
          .json(dir.resolve("json").resolve(input.getKey()).toString());
      Row fingerprint = fingerprint(expected);
      assertEquals(fingerprint, fingerprint(parquet), input.getKey() + " parquet");
      assertEquals(fingerprint, fingerprint(json), input.getKey() + " json");
    }
    String firstClick = spark.read().text(dir.resolve("json").resolve("clicks").toString()).first().getString(0);
    assertTrue(firstClick.matches("\\{\"dt\":\"\\d{4}-\\d{2}-\\d{2}\",\"customer_id\":\\d+,\"item_id\":\\d+,"
        + "\"click_time\":\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z\"}"), firstClick);
  }
}
