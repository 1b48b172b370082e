package io.traininputs.catalyst.asof;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_dt_interval;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many keys with a few MiB of execution memory per task (pages of 1 MiB, Spark's floor, are a good part of it): the
 * as-of history joined back to its contexts must have its reservations refused, take the key-ordered external-sort
 * path (numFallbacks, numMemoryRefusals), spill (spillSize), count what it reserved in peakMemory, and still give
 * exactly the stock answer. Every pass checks, at sampled steps, that its
 * running byte estimate equals the one recomputed from its structures and is covered by its reservation.
 */
class AsOfMemoryPressureTest {
  private static SparkSession spark;

  private static final long CUSTOMERS = 40_000;
  private static final long CONTEXTS = 3 * CUSTOMERS;
  private static final long EVENTS = 5 * CUSTOMERS;
  private static final long MEMORY = 16L << 20;

  @BeforeAll
  static void start() {
    AsOfMemory.verify = true;
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("AsOfMemoryPressureTest")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.autoBroadcastJoinThreshold", "-1")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions")
        .config("spark.testing.memory", String.valueOf(MEMORY))
        .config("spark.testing.reservedMemory", "0")
        .config("spark.memory.fraction", "0.5")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    AsOfMemory.verify = false;
    spark.stop();
  }

  private static Dataset<Row> events() {
    return spark.range(0, EVENTS, 1, 4).selectExpr(
        "id % " + CUSTOMERS + " AS customer_id", "CAST(id % 97 AS INT) AS item_id",
        "CAST(id % 5 AS INT) AS action_type",
        "TIMESTAMP_SECONDS(1735689600 - 40 * 86400 + (id * 7919) % (70 * 86400)) AS occurred_at");
  }

  private static Dataset<Row> contexts() {
    return spark.range(0, CONTEXTS, 1, 4).selectExpr(
        "id % " + CUSTOMERS + " AS customer_id",
        "DATE_ADD(DATE'2025-01-01', CAST(id DIV " + CUSTOMERS + " * 9 AS INT)) AS as_of_date");
  }

  /** The reference job's padded history joined back to every context, with stock functions. */
  private static Dataset<Row> paddedHistories(int n, int width, int lookbackDays) {
    Dataset<Row> keys = contexts().distinct();
    Dataset<Row> c = keys.select(col("customer_id").as("c_customer_id"), col("as_of_date"));
    Column day0 = col("as_of_date").cast("timestamp");
    Column condition = col("c_customer_id").equalTo(col("customer_id"))
        .and(col("occurred_at").lt(day0))
        .and(col("occurred_at").geq(day0.minus(make_dt_interval(lit(lookbackDays)))));
    Dataset<Row> ranked = c.join(events(), condition, "inner")
        .select(col("customer_id"), col("as_of_date"), col("item_id"), col("action_type"), col("occurred_at"))
        .withColumn("rn", row_number().over(Window.partitionBy(col("customer_id"), col("as_of_date"))
            .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
        .where(col("rn").leq(n));
    Dataset<Row> histories = ranked.groupBy(col("customer_id"), col("as_of_date"))
        .agg(sort_array(collect_list(struct(col("rn"), col("item_id"), col("action_type")))).as("h"))
        .select(col("customer_id"), col("as_of_date"),
            padded(transform(col("h"), e -> e.getField("item_id")), width, 0).as("actions"),
            padded(transform(col("h"), e -> e.getField("action_type")), width, -7).as("action_types"),
            padded(transform(col("h"), e -> e.getField("rn")), width, 0).as("ranks"));
    return keys.join(histories, new String[] {"customer_id", "as_of_date"}, "left")
        .select(col("customer_id"), col("as_of_date"), col("actions"), col("action_types"), col("ranks"));
  }

  private static Column padded(Column values, int width, int pad) {
    return concat(values, array_repeat(lit(pad), lit(width).minus(size(values))));
  }

  private static Map<String, Long> metrics(org.apache.spark.sql.execution.SparkPlan exec) {
    Map<String, Long> m = new HashMap<>();
    ScalaInterop.toJava(exec.metrics().toList()).forEach(t -> m.put(t._1(), t._2().value()));
    return m;
  }

  @Test
  void refusedReservationsTakeTheKeyOrderedPathAndEqualStock() {
    Supplier<Dataset<Row>> query = () -> paddedHistories(5, 6, 25);
    Dataset<Row> on = query.get();
    List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
    AsOfContextHistoryExec exec = (AsOfContextHistoryExec) AsOfHistory.find(
        on.queryExecution().executedPlan(), p -> p instanceof AsOfContextHistoryExec);
    assertTrue(exec != null, on.queryExecution().executedPlan().toString());
    Map<String, Long> m = metrics(exec);
    assertTrue(m.get("numMemoryRefusals") > 0, "no reservation was refused: " + m);
    assertTrue(m.get("numFallbacks") > 0, "the key-ordered path was not taken: " + m);
    assertTrue(m.get("spillSize") > 0, "the key-ordered path did not spill: " + m);
    assertTrue(m.get("peakMemory") > 0, m.toString());
    assertEquals(CONTEXTS, m.get("numContexts"), m.toString());
    assertEquals(CONTEXTS, m.get("numOutputRows"), m.toString());
    assertEquals(EVENTS, m.get("numInputEvents"), m.toString());
    AsOfEventPackExec pack = (AsOfEventPackExec) AsOfHistory.find(
        on.queryExecution().executedPlan(), p -> p instanceof AsOfEventPackExec);
    assertTrue(pack != null && metrics(pack).get("peakMemory") > 0, String.valueOf(pack));
    String formatted = on.queryExecution().explainString(
        org.apache.spark.sql.execution.ExplainMode.fromString("formatted"));
    assertTrue(formatted.contains("numFallbacks=" + m.get("numFallbacks")), formatted);

    List<List<Object>> withSpark = AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(query.get().collectAsList()));
    assertEquals(withSpark.size(), withOperator.size());
    assertEquals(withSpark, withOperator);
  }
}
