package io.traininputs.catalyst.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The range join's bounds are recognised by what they compute, not how they are spelled: every spelling of
 * "at or after 00:00 of as_of_date minus L days, before 00:00 of as_of_date" (UTC) is planned as the as-of operator
 * and gives the stock and the brute-force answer.
 */
class BoundsByMeaningTest {
  private static final int N = 3;
  private static final int L = 6;
  private static SparkSession spark;
  private static AsOfTestData data;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(BoundsByMeaningTest.class, true);
    AsOfTestData random = AsOfTestData.random(71, 150, 1_500, 2_000, L);
    data = new AsOfTestData();
    data.contexts.addAll(new java.util.LinkedHashSet<>(random.contexts));
    data.events.addAll(random.events);
    spark.createDataFrame(data.contexts, AsOfTestData.CONTEXTS).createOrReplaceTempView("ctx");
    spark.createDataFrame(data.events, AsOfTestData.EVENTS).createOrReplaceTempView("events");
    // Over a local relation Spark folds the projection into the scan; over a file scan it stays in the plan.
    String eventFiles = dir.resolve("events").toString();
    spark.table("events").write().parquet(eventFiles);
    spark.read().parquet(eventFiles).selectExpr("*", "to_date(occurred_at) AS action_date")
        .createOrReplaceTempView("dated_events");
    // a date added over a union of two sources: the optimizer computes it in each branch
    Dataset<Row> files = spark.read().parquet(eventFiles);
    files.where("action_type = 1").unionByName(files.where("action_type <> 1"))
        .selectExpr("*", "to_date(occurred_at) AS union_date").createOrReplaceTempView("union_events");
    // a lookback start computed by the contexts from the as-of
    String contextFiles = dir.resolve("ctx").toString();
    spark.table("ctx").write().parquet(contextFiles);
    spark.read().parquet(contextFiles).selectExpr("*", "to_timestamp(date_sub(as_of_date, 6)) AS lookback_start")
        .createOrReplaceTempView("ctx_windows");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Stream<String> spellings() {
    return Stream.of(
        "e.occurred_at < c.as_of_date AND e.occurred_at >= date_sub(c.as_of_date, 6)",
        "e.occurred_at < to_timestamp(c.as_of_date) AND e.occurred_at >= to_timestamp(date_sub(c.as_of_date, 6))",
        "date_add(c.as_of_date, -6) <= e.occurred_at AND c.as_of_date > e.occurred_at",
        "e.occurred_at < cast(c.as_of_date AS timestamp)"
            + " AND e.occurred_at >= cast(c.as_of_date AS timestamp) - INTERVAL 6 DAYS",
        "e.occurred_at < cast(c.as_of_date AS timestamp)"
            + " AND e.occurred_at >= timestampadd(DAY, -6, cast(c.as_of_date AS timestamp))",
        "e.occurred_at < cast(c.as_of_date AS timestamp)"
            + " AND e.occurred_at >= cast(c.as_of_date AS timestamp) - make_dt_interval(6, 0, 0, 0)",
        "e.occurred_at <= cast(c.as_of_date AS timestamp) - INTERVAL 1 MICROSECOND"
            + " AND e.occurred_at > to_timestamp(date_sub(c.as_of_date, 6)) - INTERVAL 1 MICROSECOND",
        "to_date(e.occurred_at) < c.as_of_date AND to_date(e.occurred_at) >= date_sub(c.as_of_date, 6)",
        "cast(e.occurred_at AS date) <= date_sub(c.as_of_date, 1)"
            + " AND cast(e.occurred_at AS date) > date_sub(c.as_of_date, 7)",
        "e.action_date < c.as_of_date AND e.action_date >= date_add(c.as_of_date, -6)",
        "datediff(c.as_of_date, to_date(e.occurred_at)) BETWEEN 1 AND 6",
        "datediff(to_date(e.occurred_at), c.as_of_date) < 0 AND -6 <= datediff(to_date(e.occurred_at), c.as_of_date)",
        "unix_micros(e.occurred_at) < unix_micros(cast(c.as_of_date AS timestamp))"
            + " AND unix_micros(e.occurred_at) >= unix_micros(to_timestamp(date_sub(c.as_of_date, 6)))",
        "unix_micros(e.occurred_at) <= unix_micros(cast(c.as_of_date AS timestamp)) - 1"
            + " AND unix_micros(to_timestamp(date_sub(c.as_of_date, 6))) - 1 < unix_micros(e.occurred_at)",
        "e.union_date < c.as_of_date AND e.union_date >= date_add(c.as_of_date, -6)",
        "e.occurred_at < c.as_of_date AND e.occurred_at >= c.lookback_start");
  }

  private static Dataset<Row> rowForm(String bounds, boolean eventsLeft) {
    return rowForm(bounds, eventsLeft, "rn <= " + N);
  }

  private static Dataset<Row> rowForm(String bounds, boolean eventsLeft, String rowNumberFilter) {
    String events = bounds.contains("action_date") ? "dated_events"
        : bounds.contains("union_date") ? "union_events" : "events";
    String contexts = bounds.contains("lookback_start") ? "ctx_windows" : "ctx";
    String join = eventsLeft ? events + " e JOIN " + contexts + " c" : contexts + " c JOIN " + events + " e";
    return spark.sql("SELECT customer_id, as_of_date, item_id, action_type, occurred_at, rn FROM ("
        + " SELECT c.customer_id, c.as_of_date, e.item_id, e.action_type, e.occurred_at,"
        + "   row_number() OVER (PARTITION BY c.customer_id, c.as_of_date"
        + "     ORDER BY e.occurred_at DESC, e.action_type DESC, e.item_id DESC) AS rn"
        + " FROM " + join + " ON c.customer_id = e.customer_id AND " + bounds + ") WHERE " + rowNumberFilter);
  }

  @ParameterizedTest
  @MethodSource("spellings")
  void everySpellingOfTheWindowIsPlannedAsOf(String bounds) {
    for (boolean eventsLeft : new boolean[] {false, true}) {
      Dataset<Row> on = rowForm(bounds, eventsLeft);
      List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
      assertTrue(AsOfHistory.usedBy(on), bounds + "\n" + on.queryExecution().executedPlan());
      List<List<Object>> stock = AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
          () -> AsOfTestData.values(rowForm(bounds, eventsLeft).collectAsList()));
      assertTrue(stock.equals(withOperator), bounds + ": differs from stock");
      assertTrue(data.expectedRows(N, L).equals(withOperator), bounds + ": differs from the brute force");
    }
  }

  /** A lower bound every row number meets may stand beside the limit; one that drops rows leaves it to Spark. */
  @ParameterizedTest
  @ValueSource(strings = {"rn BETWEEN 1 AND " + N, "0 < rn AND rn <= " + N, "rn >= 2 AND rn <= " + N})
  void aRowNumberLowerBoundThatKeepsEveryRow(String filter) {
    String bounds = "e.occurred_at < c.as_of_date AND e.occurred_at >= date_sub(c.as_of_date, 6)";
    Dataset<Row> on = rowForm(bounds, false, filter);
    List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
    List<List<Object>> stock = AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(rowForm(bounds, false, filter).collectAsList()));
    assertTrue(stock.equals(withOperator), filter + ": differs from stock");
    boolean keepsEveryRow = !filter.contains(">= 2");
    assertEquals(keepsEveryRow, AsOfHistory.usedBy(on), filter + "\n" + on.queryExecution().executedPlan());
    if (keepsEveryRow) {
      assertTrue(data.expectedRows(N, L).equals(withOperator), filter + ": differs from the brute force");
    }
  }
}
