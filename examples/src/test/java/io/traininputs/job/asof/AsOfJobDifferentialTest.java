package io.traininputs.job.asof;

import static io.traininputs.job.Rows.click;
import static io.traininputs.job.Rows.frame;
import static io.traininputs.job.Rows.impression;
import static io.traininputs.job.Rows.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.asof.AsOfHistory;
import io.traininputs.job.HistoryBuilder;
import io.traininputs.job.JobOptions;
import io.traininputs.job.Rows;
import io.traininputs.job.Schemas;
import io.traininputs.job.TestSpark;
import io.traininputs.job.TrainingInputs;
import io.traininputs.job.TrainingInputsJob;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference job's history stage and the whole job with the as-of extension on equal the stock output exactly, on
 * adversarial random data (ties, duplicates, same-day and boundary actions, empty histories, a customer with very
 * many actions, extreme ids), and the operator is in the executed plan.
 */
class AsOfJobDifferentialTest {
  private static final StructType CONTEXTS =
      new StructType().add("customer_id", DataTypes.LongType).add("as_of_date", DataTypes.DateType);
  private static final long[] CUSTOMERS = {Long.MIN_VALUE, -3L, 0L, 1L, 2L, 5L, 42L, Long.MAX_VALUE};
  private static final LocalDate DAY0 = LocalDate.of(2025, 3, 1);

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark =
        TestSpark.builder(AsOfJobDifferentialTest.class)
            .config("spark.sql.autoBroadcastJoinThreshold", "-1")
            .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<Row> actions(Random r, int count, int heavy, int lookbackDays) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count + heavy; i++) {
      long customer = i < count ? CUSTOMERS[r.nextInt(CUSTOMERS.length)] : 42L;
      long day = DAY0.plusDays(r.nextInt(16 + lookbackDays) - lookbackDays - 1).atStartOfDay(ZoneOffset.UTC)
          .toEpochSecond() * 1000;
      long millis;
      switch (r.nextInt(4)) {
        case 0:
          millis = day;
          break;
        case 1:
          millis = day - 1;
          break;
        case 2:
          millis = day + r.nextInt(3) * 3_600_000L;
          break;
        default:
          millis = day + r.nextInt(86_400_000);
      }
      int item = r.nextInt(10) == 0 ? Integer.MAX_VALUE : r.nextInt(5);
      rows.add(RowFactory.create(customer, item, 1 + r.nextInt(3), new Timestamp(millis)));
    }
    return rows;
  }

  private static List<Row> contexts(Random r, int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create(CUSTOMERS[r.nextInt(CUSTOMERS.length)], Date.valueOf(DAY0.plusDays(r.nextInt(14)))));
    }
    rows.add(RowFactory.create(999L, Date.valueOf(DAY0)));
    return rows;
  }

  private static List<String> withAndWithout(Function<Boolean, Dataset<Row>> query) {
    spark.conf().set(TrainingInputsConf.ASOF_ENABLED, "false");
    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "false");
    List<String> stock;
    try {
      Dataset<Row> off = query.apply(false);
      stock = normalized(off.collectAsList());
      assertFalse(AsOfHistory.usedBy(off));
    } finally {
      spark.conf().unset(TrainingInputsConf.ASOF_ENABLED);
      spark.conf().unset(TrainingInputsConf.TOPN_ENABLED);
    }
    Dataset<Row> on = query.apply(true);
    List<String> withOperator = normalized(on.collectAsList());
    assertTrue(AsOfHistory.usedBy(on), on.queryExecution().executedPlan().toString());
    assertEquals(stock, withOperator);
    return withOperator;
  }

  private static List<String> normalized(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(row.toString());
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  @Test
  void historyStageEqualsStock() {
    for (int seed = 1; seed <= 3; seed++) {
      Random r = new Random(seed);
      int lookback = seed == 2 ? 2 : 30;
      JobOptions options = JobOptions.builder().maxActions(seed + 2).lookbackDays(lookback).build();
      Dataset<Row> actions = spark.createDataFrame(actions(r, 700, seed == 3 ? 3_000 : 0, lookback), Schemas.ACTIONS);
      Dataset<Row> contexts = spark.createDataFrame(contexts(r, 80), CONTEXTS);
      withAndWithout(on -> HistoryBuilder.build(actions, contexts, options));
      Dataset<Row> arrays = HistoryBuilder.build(actions, contexts, options);
      arrays.collectAsList();
      assertTrue(AsOfHistory.joinBackUsedBy(arrays),
          "the padded arrays joined back to every context come from one as-of pass");
      Row empty = HistoryBuilder.build(actions, contexts, options).where("customer_id = 999").collectAsList().get(0);
      assertEquals(Collections.nCopies(seed + 2, 0), empty.getList(2), "customer without actions");
    }
  }

  @Test
  void rankedHistoryEqualsStock() {
    Random r = new Random(7);
    JobOptions options = JobOptions.builder().maxActions(4).lookbackDays(5).build();
    Dataset<Row> actions = spark.createDataFrame(actions(r, 600, 0, 5), Schemas.ACTIONS);
    Dataset<Row> contexts = spark.createDataFrame(contexts(r, 60), CONTEXTS).distinct();
    withAndWithout(on -> HistoryBuilder.rankedHistory(actions, contexts, options));
  }

  @Test
  void wholeJobEqualsStock() {
    Dataset<Row> impressions =
        frame(
            spark,
            Schemas.IMPRESSIONS,
            impression("2025-03-10", "r1", 7L, 101, 0, 102, 1),
            impression("2025-03-09", "r2", 7L, 103, 0),
            impression("2025-03-10", "r3", 8L, 104, 1));
    Dataset<Row> clicks =
        frame(
            spark,
            Schemas.CLICKS,
            click("2025-03-10", 7L, 11, "2025-03-10T00:00:00Z"),
            click("2025-03-09", 7L, 12, "2025-03-09T23:59:59Z"),
            click("2025-03-09", 7L, 18, "2025-03-09T00:00:00Z"),
            click("2025-03-01", 7L, 15, "2025-03-01T08:00:00Z"),
            click("2024-03-10", 7L, 16, "2024-03-10T00:00:00Z"),
            click("2024-03-09", 7L, 17, "2024-03-09T23:59:59Z"));
    Dataset<Row> carts = frame(spark, Schemas.ATC, Rows.atc("2025-03-09", 7L, 13, "2025-03-09T23:59:59Z"));
    Dataset<Row> orders = frame(spark, Schemas.ORDERS, order("2025-03-09", 7L, 14), order("2025-03-08", 7L, 14));
    TrainingInputs inputs = new TrainingInputs(impressions, clicks, carts, orders);
    for (boolean explode : new boolean[] {false, true}) {
      JobOptions options = JobOptions.builder().maxActions(5).explode(explode).build();
      withAndWithout(on -> TrainingInputsJob.build(inputs, options));
    }
  }
}
