package io.traininputs.job;

import static io.traininputs.job.Rows.atc;
import static io.traininputs.job.Rows.click;
import static io.traininputs.job.Rows.frame;
import static io.traininputs.job.Rows.impression;
import static io.traininputs.job.Rows.ints;
import static io.traininputs.job.Rows.order;
import static io.traininputs.job.Rows.ts;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each stage on its own, on small hand-made DataFrames. */
class StagesTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(StagesTest.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void actionsUnionMapsEachSourceToItsTypeItemAndTime() {
    Dataset<Row> actions =
        ActionsUnion.union(
            frame(spark, Schemas.CLICKS, click("2025-01-02", 1L, 11, "2025-01-02T10:00:00Z")),
            frame(spark, Schemas.ATC, atc("2025-01-02", 1L, 22, "2025-01-02T11:00:00Z")),
            frame(spark, Schemas.ORDERS, order("2025-01-03", 1L, 33)));

    assertEquals(names(Schemas.ACTIONS), names(actions.schema()));
    List<Row> rows = actions.orderBy(col("action_type")).collectAsList();
    assertEquals(RowFactory.create(1L, 11, 1, ts("2025-01-02T10:00:00Z")), rows.get(0));
    assertEquals(RowFactory.create(1L, 22, 2, ts("2025-01-02T11:00:00Z")), rows.get(1));
    assertEquals(RowFactory.create(1L, 33, 3, ts("2025-01-03T00:00:00Z")), rows.get(2));
  }

  @Test
  void impressionSelectionKeepsTheTrainDaysMostRecentDaysLastIncluded() {
    Dataset<Row> impressions =
        frame(
            spark,
            Schemas.IMPRESSIONS,
            impression("2025-03-10", "a", 1L, 5, 0),
            impression("2025-03-09", "b", 1L, 5, 0),
            impression("2025-03-08", "c", 1L, 5, 0),
            impression("2025-03-07", "d", 1L, 5, 0));

    List<String> kept =
        ImpressionSelection.select(impressions, 3).collectAsList().stream()
            .map(r -> (String) r.getAs("ranking_id"))
            .sorted()
            .collect(Collectors.toList());

    assertEquals(List.of("a", "b", "c"), kept);
  }

  @Test
  void historyBuilderGivesZeroArraysToACustomerWithoutActions() {
    Dataset<Row> contexts =
        spark.sql("SELECT CAST(42 AS BIGINT) AS customer_id, DATE'2025-03-10' AS as_of_date");
    Dataset<Row> actions = spark.createDataFrame(Collections.emptyList(), Schemas.ACTIONS);

    List<Row> rows = HistoryBuilder.build(actions, contexts, JobOptions.builder().maxActions(3).build())
        .collectAsList();

    assertEquals(1, rows.size());
    assertEquals(List.of(0, 0, 0), ints(rows.get(0), "actions"));
    assertEquals(List.of(0, 0, 0), ints(rows.get(0), "action_types"));
  }

  @Test
  void historyBuilderExcludesOneMicrosecondBeforeTheLookbackBoundary() {
    Dataset<Row> contexts =
        spark.sql("SELECT CAST(1 AS BIGINT) AS customer_id, DATE'2025-03-10' AS as_of_date");
    Dataset<Row> actions =
        spark.sql(
            "SELECT * FROM VALUES "
                + "(CAST(1 AS BIGINT), 7, 1, TIMESTAMP'2025-03-09 00:00:00'), "
                + "(CAST(1 AS BIGINT), 8, 1, TIMESTAMP'2025-03-08 23:59:59.999999') "
                + "AS t(customer_id, item_id, action_type, occurred_at)");

    Row row = HistoryBuilder.build(
            actions, contexts, JobOptions.builder().maxActions(3).lookbackDays(1).build())
        .collectAsList()
        .get(0);

    assertEquals(List.of(7, 0, 0), ints(row, "actions"));
  }

  @Test
  void outputSchemasMatchSemantics() {
    Dataset<Row> impressions = frame(spark, Schemas.IMPRESSIONS, impression("2025-03-10", "a", 1L, 5, 0));
    Dataset<Row> noClicks = spark.createDataFrame(Collections.emptyList(), Schemas.CLICKS);
    Dataset<Row> noCarts = spark.createDataFrame(Collections.emptyList(), Schemas.ATC);
    Dataset<Row> noOrders = spark.createDataFrame(Collections.emptyList(), Schemas.ORDERS);
    TrainingInputs inputs = new TrainingInputs(impressions, noClicks, noCarts, noOrders);

    Dataset<Row> rows = TrainingInputsJob.build(inputs, JobOptions.defaults());
    Dataset<Row> exploded = TrainingInputsJob.build(inputs, JobOptions.builder().explode(true).build());

    assertEquals(types(Schemas.OUTPUT_ROWS), types(rows.schema()));
    assertEquals(types(Schemas.OUTPUT_EXPLODED), types(exploded.schema()));
    Row row = rows.collectAsList().get(0);
    assertEquals(1000, ints(row, "actions").size());
    assertTrue(ints(row, "actions").stream().allMatch(v -> v == 0));
  }

  @Test
  void optionsNameTheOptionTheValueAndTheRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JobOptions.builder().maxActions(0).build());
    assertEquals("maxActions must be between 1 and 100000, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> JobOptions.builder().lookbackDays(-3).build());
    assertEquals("lookbackDays must be between 1 and 36500, got -3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> JobOptions.builder().trainDays(0).build());
    assertEquals("trainDays must be between 1 and 3650, got 0", e.getMessage());
  }

  private static List<String> names(StructType schema) {
    return List.of(schema.fieldNames());
  }

  private static List<String> types(StructType schema) {
    return java.util.Arrays.stream(schema.fields())
        .map(StructField::name)
        .map(n -> n + ":" + schema.apply(n).dataType().catalogString())
        .collect(Collectors.toList());
  }
}
