package io.traininputs.job;

import static io.traininputs.job.Rows.date;
import static io.traininputs.job.Rows.frame;
import static io.traininputs.job.Rows.ts;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QualityChecksTest {
  private static final StructType CONTEXTS =
      new StructType().add("customer_id", DataTypes.LongType).add("as_of_date", DataTypes.DateType);
  private static final JobOptions OPTIONS = JobOptions.builder().maxActions(4).build();

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(QualityChecksTest.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Customer 7 has impressions on 2025-03-10 and two actions on that very day; customer 8 none that day. */
  private static Dataset<Row> actions() {
    return frame(spark, Schemas.ACTIONS,
        action(7L, 11, 1, "2025-03-10T00:00:00Z"),
        action(7L, 18, 2, "2025-03-10T23:59:59Z"),
        action(7L, 12, 1, "2025-03-09T23:59:59Z"),
        action(7L, 14, 3, "2025-03-09T00:00:00Z"),
        action(8L, 19, 1, "2025-03-10T12:00:00Z"),
        action(8L, 20, 1, "2025-03-08T12:00:00Z"));
  }

  private static Dataset<Row> contexts() {
    return frame(spark, CONTEXTS,
        RowFactory.create(7L, date("2025-03-10")),
        RowFactory.create(7L, date("2025-03-10")),
        RowFactory.create(8L, date("2025-03-09")));
  }

  @Test
  void ourHistoriesHaveNoSameDayLeakEvenWhenInputsHaveSameDayActions() {
    Dataset<Row> ranked = HistoryBuilder.rankedHistory(actions(), contexts().distinct(), OPTIONS);
    assertEquals(3, ranked.count(), "the check must look at real history entries");
    assertEquals(0, QualityChecks.sameDayLeaks(ranked));
    assertEquals(0, QualityChecks.sameDayLeaks(actions(), contexts(), OPTIONS));
  }

  @Test
  void catchesPlantedLeaksAtAndAfterTheStartOfTheAsOfDay() {
    Dataset<Row> ranked = HistoryBuilder.rankedHistory(actions(), contexts().distinct(), OPTIONS);
    Dataset<Row> planted = ranked.unionByName(frame(spark, ranked.schema(),
        RowFactory.create(7L, date("2025-03-10"), 11, 1, ts("2025-03-10T00:00:00Z"), 0),
        RowFactory.create(7L, date("2025-03-10"), 18, 2, ts("2025-03-10T23:59:59Z"), 0),
        RowFactory.create(7L, date("2025-03-10"), 21, 1, ts("2025-03-09T23:59:59.999Z"), 0)));
    assertEquals(2, QualityChecks.sameDayLeaks(planted));
  }

  @Test
  void catchesAnOffByOneDayHistory() {
    // The history a builder with an off-by-one day boundary would give: actions before the NEXT day.
    Dataset<Row> shifted = contexts().distinct().withColumn("as_of_date", date_add(col("as_of_date"), 1));
    Dataset<Row> buggy = HistoryBuilder.rankedHistory(actions(), shifted, OPTIONS)
        .withColumn("as_of_date", date_sub(col("as_of_date"), 1));
    assertEquals(2, QualityChecks.sameDayLeaks(buggy));
  }

  @Test
  void upstreamSameDayCountsActionsOnTheirCustomersImpressionDays() {
    // 7's two actions on 2025-03-10; not 7's 2025-03-09 actions, not 8's 2025-03-10 action (8's day is 03-09).
    assertEquals(2, QualityChecks.upstreamSameDay(actions(), contexts()));
    Dataset<Row> more = contexts().unionByName(frame(spark, CONTEXTS, RowFactory.create(8L, date("2025-03-08"))));
    assertEquals(3, QualityChecks.upstreamSameDay(actions(), more));
  }

  private static Row action(long customer, int item, int type, String time) {
    return RowFactory.create(customer, item, type, ts(time));
  }
}
