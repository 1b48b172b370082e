package io.traininputs.catalyst.asof;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_dt_interval;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.expressions.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code numSameDayEntries} metric of {@link AsOfContextHistoryExec}: 0 for a correct history window, and the
 * exact number of written entries on or after the as-of day when a plan's window is planted one day too late (the
 * bound is a correct shape to the matcher, so the operator writes what the buggy stock plan would).
 */
class SameDayEntriesMetricTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(SameDayEntriesMetricTest.class, false);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> events() {
    return spark.createDataFrame(List.of(
        event(7L, 11, "2025-03-10T00:00:00Z"),
        event(7L, 18, "2025-03-10T23:59:59Z"),
        event(7L, 12, "2025-03-09T23:59:59Z"),
        event(7L, 14, "2025-03-09T00:00:00Z"),
        event(8L, 19, "2025-03-10T12:00:00Z"),
        event(8L, 20, "2025-03-11T00:00:00Z")), AsOfTestData.EVENTS);
  }

  /** Customer 7 twice on 2025-03-10, 8 on 2025-03-10, 9 (no events) on 2025-03-10. */
  private static Dataset<Row> rows() {
    LocalDate day = LocalDate.parse("2025-03-10");
    return spark.createDataFrame(List.of(RowFactory.create(7L, day), RowFactory.create(7L, day),
        RowFactory.create(8L, day), RowFactory.create(9L, day)), AsOfTestData.CONTEXTS);
  }

  /** The stock history stage joined back to its contexts; {@code endShiftDays} 1 plants the off-by-one-day bug. */
  private static Dataset<Row> joinedBack(Dataset<Row> keys, int n, int endShiftDays) {
    Dataset<Row> c = keys.select(col("customer_id").as("c_customer_id"), col("as_of_date"));
    Column end = date_add(col("as_of_date"), endShiftDays).cast("timestamp");
    Column condition = col("c_customer_id").equalTo(col("customer_id"))
        .and(col("occurred_at").lt(end))
        .and(col("occurred_at").geq(end.minus(make_dt_interval(lit(30)))));
    Dataset<Row> ranked = c.join(events(), condition, "inner")
        .select(col("customer_id"), col("as_of_date"), col("item_id"), col("action_type"), col("occurred_at"))
        .withColumn("rn", row_number().over(Window.partitionBy(col("customer_id"), col("as_of_date"))
            .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
        .where(col("rn").leq(n));
    Dataset<Row> histories = ranked.groupBy(col("customer_id"), col("as_of_date"))
        .agg(sort_array(collect_list(struct(col("rn"), col("item_id"), col("action_type")))).as("h"))
        .select(col("customer_id"), col("as_of_date"),
            padded(transform(col("h"), e -> e.getField("item_id")), n).as("actions"),
            padded(transform(col("h"), e -> e.getField("action_type")), n).as("action_types"));
    Column zeros = array_repeat(lit(0), n);
    return keys.join(histories, new String[] {"customer_id", "as_of_date"}, "left")
        .select(col("customer_id"), col("as_of_date"), coalesce(col("actions"), zeros).as("actions"),
            coalesce(col("action_types"), zeros).as("action_types"));
  }

  private static Column padded(Column values, int n) {
    return concat(values, array_repeat(lit(0), lit(n).minus(size(values))));
  }

  @Test
  void correctWindowWritesNoSameDayEntry() {
    Dataset<Row> out = joinedBack(rows().distinct(), 3, 0);
    assertEquals(3, out.collectAsList().size());
    assertEquals(0, sameDayEntries(out));
  }

  @Test
  void plantedOffByOneDayWindowIsCountedEntryByEntryWithinTheLimit() {
    // 7's window (3 kept): 03-10 23:59:59, 03-10 00:00:00, 03-09 23:59:59 -> 2; 8's: 03-10 12:00 -> 1.
    Dataset<Row> three = joinedBack(rows().distinct(), 3, 1);
    assertEquals(3, three.collectAsList().size());
    assertEquals(3, sameDayEntries(three));
    // Only the kept entries count: one each for 7 and 8.
    Dataset<Row> one = joinedBack(rows().distinct(), 1, 1);
    one.collectAsList();
    assertEquals(2, sameDayEntries(one));
  }

  @Test
  void rowsJoinedToTheHistoriesCountEachContextOnce() {
    Dataset<Row> out = rows().join(joinedBack(rows().distinct(), 3, 1), new String[] {"customer_id", "as_of_date"},
        "inner");
    assertEquals(4, out.collectAsList().size());
    assertEquals(3, sameDayEntries(out), "customer 7's two rows share one history");
  }

  private static long sameDayEntries(Dataset<Row> executed) {
    SparkPlan plan = executed.queryExecution().executedPlan();
    SparkPlan exec = AsOfHistory.find(plan, p -> p instanceof AsOfContextHistoryExec);
    assertNotNull(exec, plan.toString());
    SQLMetric metric = exec.metrics().get(ContextHistoryMetrics.SAME_DAY_ENTRIES).get();
    return metric.value();
  }

  private static Row event(long customer, int item, String time) {
    return RowFactory.create(customer, item, 1, Instant.parse(time));
  }
}
