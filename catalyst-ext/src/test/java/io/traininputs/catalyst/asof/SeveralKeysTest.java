package io.traininputs.catalyst.asof;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.row_number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SimpleMode$;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A range join on several key equalities (a customer and a market, of two types, with nulls in each) is planned as
 * the as-of operator, in SQL and DataFrame form, either side first, with and without adaptive execution or a
 * broadcast, in row and array form, and gives the stock answer (and, in row form, the brute-force one); a window
 * that leaves a key out stays with Spark.
 */
class SeveralKeysTest {
  private static final String[] MARKETS = {"de", "fr", "", "\u00e9t\u00e9", null};
  private static final int N = 3;
  private static final int LOOKBACK = 10;
  private static final StructType CONTEXTS = AsOfTestData.CONTEXTS.add("market", DataTypes.StringType);
  private static final StructType EVENTS = AsOfTestData.EVENTS.add("market", DataTypes.StringType);

  private static SparkSession spark;
  private static AsOfTestData data;
  private static final List<Row> CONTEXT_ROWS = new ArrayList<>();
  private static final List<Row> EVENT_ROWS = new ArrayList<>();

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(SeveralKeysTest.class, true);
    data = AsOfTestData.random(97, 160, 1_500, 600, LOOKBACK);
    Random r = new Random(98);
    for (Row c : data.contexts) {
      CONTEXT_ROWS.add(RowFactory.create(c.get(0), c.get(1), MARKETS[r.nextInt(MARKETS.length)]));
    }
    for (Row e : data.events) {
      EVENT_ROWS.add(RowFactory.create(e.get(0), e.get(1), e.get(2), e.get(3), MARKETS[r.nextInt(MARKETS.length)]));
    }
    spark.createDataFrame(CONTEXT_ROWS, CONTEXTS).createOrReplaceTempView("ctx");
    spark.createDataFrame(EVENT_ROWS, EVENTS).createOrReplaceTempView("events");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final String SQL_CONTEXTS_FIRST =
      "WITH joined AS (SELECT c.customer_id, c.market, c.as_of_date, e.item_id, e.action_type, e.occurred_at"
          + " FROM ctx c JOIN events e ON c.customer_id = e.customer_id AND c.market = e.market"
          + " AND e.occurred_at < to_timestamp(c.as_of_date)"
          + " AND e.occurred_at >= to_timestamp(date_sub(c.as_of_date, " + LOOKBACK + ")))"
          + " SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY customer_id, market, as_of_date"
          + " ORDER BY occurred_at DESC, action_type DESC, item_id DESC) AS rn FROM joined) WHERE rn <= " + N;

  private static final String SQL_EVENTS_FIRST =
      "SELECT * FROM (SELECT c.customer_id, c.market, c.as_of_date, e.item_id, e.action_type, e.occurred_at,"
          + " row_number() OVER (PARTITION BY e.market, c.as_of_date, e.customer_id"
          + " ORDER BY e.occurred_at DESC, e.action_type DESC, e.item_id DESC) AS rn"
          + " FROM events e JOIN ctx c ON e.market = c.market AND c.as_of_date > e.occurred_at"
          + " AND e.customer_id = c.customer_id AND e.occurred_at >= c.as_of_date - INTERVAL " + LOOKBACK + " DAYS)"
          + " WHERE rn < " + (N + 1);

  private static final String SQL_ARRAYS =
      "WITH ranked AS (" + SQL_CONTEXTS_FIRST + ") SELECT customer_id, market, as_of_date,"
          + " array_sort(collect_list(struct(rn, item_id, action_type))) AS history"
          + " FROM ranked GROUP BY customer_id, market, as_of_date";

  private static Dataset<Row> dataFrame() {
    Dataset<Row> c = spark.table("ctx").select(
        col("customer_id").as("c_customer"), col("market").as("c_market"), col("as_of_date"));
    Column day0 = col("as_of_date").cast("timestamp");
    Column on = col("c_customer").equalTo(col("customer_id")).and(col("market").equalTo(col("c_market")))
        .and(col("occurred_at").lt(day0))
        .and(col("occurred_at").geq(date_sub(col("as_of_date"), LOOKBACK).cast("timestamp")));
    return spark.table("events").join(c, on)
        .withColumn("rn", row_number().over(Window.partitionBy(col("c_customer"), col("c_market"), col("as_of_date"))
            .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
        .where(col("rn").leq(N))
        .select(col("c_customer"), col("c_market"), col("as_of_date"), col("item_id"), col("action_type"),
            col("occurred_at"), col("rn"));
  }

  private static Dataset<Row> formulation(String name) {
    switch (name) {
      case "sql-contexts-first":
        return spark.sql(SQL_CONTEXTS_FIRST);
      case "sql-events-first":
        return spark.sql(SQL_EVENTS_FIRST);
      case "sql-arrays":
        return spark.sql(SQL_ARRAYS);
      default:
        return dataFrame();
    }
  }

  /**
   * The brute-force rows: the single-key reference of {@link AsOfTestData} over the key (customer, market), null
   * when either part is null, then the pair spread back into two columns.
   */
  private static List<List<Object>> expected() {
    AsOfTestData paired = new AsOfTestData();
    for (Row c : CONTEXT_ROWS) {
      paired.contexts.add(RowFactory.create(pair(c.get(0), c.get(2)), c.get(1)));
    }
    for (Row e : EVENT_ROWS) {
      paired.events.add(RowFactory.create(pair(e.get(0), e.get(4)), e.get(1), e.get(2), e.get(3)));
    }
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : paired.expectedRows(N, LOOKBACK)) {
      List<?> key = (List<?>) row.get(0);
      out.add(Arrays.asList(key.get(0), key.get(1), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5)));
    }
    return AsOfTestData.sorted(out);
  }

  private static List<Object> pair(Object customer, Object market) {
    return customer == null || market == null ? null : List.of(customer, market);
  }

  private static <T> T with(String key, String value, Supplier<T> body) {
    return AsOfSessions.withConf(spark, key, value, body);
  }

  private static void assertPlannedAndEqual(String name) {
    List<List<Object>> stock = with(TrainingInputsConf.ASOF_ENABLED, "false", () -> {
      Dataset<Row> off = formulation(name);
      List<List<Object>> rows = AsOfTestData.values(off.collectAsList());
      assertFalse(AsOfHistory.usedBy(off));
      return rows;
    });
    Dataset<Row> on = formulation(name);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertTrue(AsOfHistory.usedBy(on), name + ":\n" + on.queryExecution().executedPlan());
    assertEquals(stock, rows, name);
    if (name.equals("sql-arrays")) {
      assertTrue(on.queryExecution().executedPlan().toString().contains("AsOfHistoryArrays"),
          on.queryExecution().executedPlan().toString());
    } else {
      assertEquals(expected(), rows, name);
    }
    assertTrue(rows.size() > 50, name + " keeps " + rows.size() + " rows");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sql-contexts-first", "sql-events-first", "dataframe", "sql-arrays"})
  void severalKeysArePlannedAsOneAsOfKeyWithAdaptiveExecution(String name) {
    assertPlannedAndEqual(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sql-contexts-first", "sql-events-first", "dataframe", "sql-arrays"})
  void severalKeysArePlannedWithoutAdaptiveExecutionAndWithABroadcast(String name) {
    with("spark.sql.adaptive.enabled", "false", () -> {
      assertPlannedAndEqual(name);
      return null;
    });
    with("spark.sql.autoBroadcastJoinThreshold", "100MB", () -> {
      assertPlannedAndEqual(name);
      return null;
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"c.customer_id, c.as_of_date", "c.customer_id, c.market, c.as_of_date, e.item_id"})
  void aWindowThatIsNotPartitionedByEveryKeyStaysWithSparkAndSaysWhy(String partition) {
    String sql = SQL_CONTEXTS_FIRST.replace("PARTITION BY customer_id, market, as_of_date",
        "PARTITION BY " + partition.replace("c.", "").replace("e.", ""));
    Dataset<Row> on = spark.sql(sql);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertFalse(AsOfHistory.usedBy(on));
    String explained = on.queryExecution().explainString(SimpleMode$.MODULE$);
    assertTrue(explained.contains("not partitioned by exactly the join keys"), explained);
    assertEquals(with(TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(spark.sql(sql).collectAsList())), rows);
  }
}
