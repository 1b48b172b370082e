package io.traininputs.catalyst.asof;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The explicit API {@link AsOfHistory#latest} against the brute-force history, on adversarial random data. */
class AsOfHistoryTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(AsOfHistoryTest.class, false);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Dataset<Row> latest(AsOfTestData d, int n, int lookbackDays) {
    Dataset<Row> contexts = spark.createDataFrame(d.contexts, AsOfTestData.CONTEXTS);
    Dataset<Row> events = spark.createDataFrame(d.events, AsOfTestData.EVENTS);
    return AsOfHistory.latest(
            contexts, events, "customer_id", "as_of_date", "occurred_at",
            List.of(col("action_type").desc(), col("item_id").desc()), n, Duration.ofDays(lookbackDays))
        .select("customer_id", "as_of_date", "item_id", "action_type", "occurred_at", "rn");
  }

  @Test
  void latestEqualsBruteForceOnRandomAdversarialData() {
    for (long seed = 1; seed <= 6; seed++) {
      int n = 1 + (int) (seed % 4) * 2;
      int lookback = seed % 2 == 0 ? 3 : 20;
      AsOfTestData d = AsOfTestData.random(seed, 120, 900, 0, lookback);
      Dataset<Row> result = latest(d, n, lookback);
      assertEquals(d.expectedRows(n, lookback), AsOfTestData.values(result.collectAsList()), "seed " + seed);
      assertTrue(AsOfHistory.usedBy(result), "seed " + seed);
    }
  }

  @Test
  void aKeyWithVeryManyEventsKeepsOnlyItsLatest() {
    AsOfTestData d = AsOfTestData.random(99, 60, 300, 30_000, 10);
    Dataset<Row> result = latest(d, 7, 10);
    List<List<Object>> rows = AsOfTestData.values(result.collectAsList());
    assertEquals(d.expectedRows(7, 10), rows);
    SparkPlan exec = AsOfHistory.find(result.queryExecution().executedPlan(), p -> p instanceof AsOfHistoryExec);
    assertTrue(exec != null, result.queryExecution().executedPlan().toString());
    assertEquals(rows.size(), (Long) exec.metrics().apply("numOutputRows").value());
    // What each of the 4 tasks held (one group's contexts and at most 7 events) was reserved, with the room kept
    // ahead: the key's 30,000 events were streamed past, not kept.
    long peak = (Long) exec.metrics().apply("peakMemory").value();
    assertTrue(peak > 0 && peak < 4 * 2 * AsOfMemory.MIN_AHEAD, "peakMemory " + peak);
  }

  @Test
  void historyLongerThanEveryKeysEventsReturnsAllOfThem() {
    AsOfTestData d = AsOfTestData.random(5, 50, 400, 0, 30);
    assertEquals(d.expectedRows(10_000, 30), AsOfTestData.values(latest(d, 10_000, 30).collectAsList()));
  }

  @Test
  void rejectsBadArgumentsNamingThem() {
    Dataset<Row> contexts = spark.createDataFrame(List.of(), AsOfTestData.CONTEXTS);
    Dataset<Row> events = spark.createDataFrame(List.of(), AsOfTestData.EVENTS);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AsOfHistory.latest(contexts, events, "customer_id", "as_of_date", "item_id", List.of(), 3, null));
    assertTrue(e.getMessage().contains("item_id"), e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class,
        () -> AsOfHistory.latest(contexts, events, "customer_id", "nope", "occurred_at", List.of(), 3, null));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class,
        () -> AsOfHistory.latest(contexts, events, "customer_id", "as_of_date", "occurred_at", List.of(), 0, null));
    assertTrue(e.getMessage().contains("n must be"), e.getMessage());
  }
}
