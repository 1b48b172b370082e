package io.traininputs.job;

import static io.traininputs.job.Rows.atc;
import static io.traininputs.job.Rows.click;
import static io.traininputs.job.Rows.frame;
import static io.traininputs.job.Rows.impression;
import static io.traininputs.job.Rows.ints;
import static io.traininputs.job.Rows.order;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worked example of docs/semantics.md, through the whole job and through the history stage alone. */
class WorkedExampleTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(WorkedExampleTest.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static TrainingInputs inputs() {
    Dataset<Row> impressions =
        frame(spark, Schemas.IMPRESSIONS, impression("2025-03-10", "r1", 7L, 101, 0, 102, 1));
    Dataset<Row> clicks =
        frame(
            spark,
            Schemas.CLICKS,
            click("2025-03-10", 7L, 11, "2025-03-10T00:00:00Z"),
            click("2025-03-09", 7L, 12, "2025-03-09T23:59:59Z"),
            click("2025-03-01", 7L, 15, "2025-03-01T08:00:00Z"),
            click("2024-03-10", 7L, 16, "2024-03-10T00:00:00Z"),
            click("2024-03-09", 7L, 17, "2024-03-09T23:59:59Z"));
    Dataset<Row> carts = frame(spark, Schemas.ATC, atc("2025-03-09", 7L, 13, "2025-03-09T23:59:59Z"));
    Dataset<Row> orders = frame(spark, Schemas.ORDERS, order("2025-03-09", 7L, 14));
    return new TrainingInputs(impressions, clicks, carts, orders);
  }

  @Test
  void wholeJobGivesTheDocumentedHistory() {
    JobOptions options = JobOptions.builder().maxActions(4).build();
    List<Row> rows = TrainingInputsJob.build(inputs(), options).collectAsList();

    assertEquals(1, rows.size());
    Row row = rows.get(0);
    assertEquals(Rows.date("2025-03-10"), row.getAs("as_of_date"));
    assertEquals("r1", row.getAs("ranking_id"));
    assertEquals(7L, (long) row.getAs("customer_id"));
    assertEquals(List.of(13, 12, 14, 15), ints(row, "actions"));
    assertEquals(List.of(2, 1, 3, 1), ints(row, "action_types"));
  }

  @Test
  void boundaryActionIsIncludedWhenTheCapAllowsIt() {
    JobOptions options = JobOptions.builder().maxActions(6).build();
    Row row = TrainingInputsJob.build(inputs(), options).collectAsList().get(0);

    assertEquals(List.of(13, 12, 14, 15, 16, 0), ints(row, "actions"));
    assertEquals(List.of(2, 1, 3, 1, 1, 0), ints(row, "action_types"));
  }

  @Test
  void explodedFormRepeatsTheHistoryPerImpressedItemInPositionOrder() {
    JobOptions options = JobOptions.builder().maxActions(4).explode(true).build();
    List<Row> rows = TrainingInputsJob.build(inputs(), options).collectAsList();

    assertEquals(2, rows.size());
    assertEquals(101, (int) rows.get(0).getAs("impression_item_id"));
    assertEquals(false, rows.get(0).getAs("is_order"));
    assertEquals(102, (int) rows.get(1).getAs("impression_item_id"));
    assertEquals(true, rows.get(1).getAs("is_order"));
    for (Row row : rows) {
      assertEquals(List.of(13, 12, 14, 15), ints(row, "actions"));
      assertEquals(List.of(2, 1, 3, 1), ints(row, "action_types"));
    }
  }
}
