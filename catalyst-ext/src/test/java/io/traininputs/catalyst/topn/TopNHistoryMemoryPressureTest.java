package io.traininputs.catalyst.topn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.TrainingInputsExtensions;
import io.traininputs.catalyst.internal.TaskMemoryBudget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many groups of wide rows with a few MiB of execution memory per task: the partial operators must emit early,
 * the final ones must fall back to the external sort, and the result must still equal a plain-Java reference.
 */
class TopNHistoryMemoryPressureTest {

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("TopNHistoryMemoryPressureTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.extensions", TrainingInputsExtensions.class.getName())
        .config("spark.testing.memory", String.valueOf(20L << 20))
        .config("spark.testing.reservedMemory", "0")
        .config("spark.memory.fraction", "0.5")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static List<String> collectSorted(Dataset<Row> df) {
    List<String> rows = new ArrayList<>();
    for (Row row : df.collectAsList()) {
      rows.add(row.toString());
    }
    Collections.sort(rows);
    return rows;
  }

  /** Plain-Java reference: every customer has 8 rows (fewer than N), ranked by t DESC, id. */
  private static List<String> expectedRows(int rows, int customers) {
    List<long[]> all = new ArrayList<>();
    for (long id = 0; id < rows; id++) {
      all.add(new long[] {id % customers, (id * 7919) % 1000003, id});
    }
    all.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[2], b[2]));
    List<String> expected = new ArrayList<>();
    long previous = -1;
    int rank = 0;
    for (long[] row : all) {
      rank = row[0] == previous ? rank + 1 : 1;
      previous = row[0];
      expected.add("[" + row[0] + "," + row[1] + "," + row[2] + "," + rank + ",120]");
    }
    Collections.sort(expected);
    return expected;
  }

  private static long metric(TopNHistoryExec exec, String name) {
    return (Long) exec.metrics().apply(name).value();
  }

  @Test
  void fallbackSortersUseSmallerPagesOnlyWhenLittleWasHeld() {
    long spark = 1L << 20;
    assertEquals(64L << 10, TaskMemoryBudget.fallbackPageSize(0, spark));
    assertEquals(128L << 10, TaskMemoryBudget.fallbackPageSize(3L << 20, spark));
    assertEquals(spark, TaskMemoryBudget.fallbackPageSize(1L << 30, spark));
    assertEquals(16L << 10, TaskMemoryBudget.fallbackPageSize(0, 256L << 10));
  }

  @Test
  void manyGroupsUnderSmallMemorySpillOrFallBackAndMatchSpark() {
    spark.range(0, 80_000, 1, 2)
        .selectExpr("id % 10000 AS customer", "(id * 7919) % 1000003 AS t", "id",
            "repeat(CAST(id % 7 AS STRING), 120) AS pad")
        .createOrReplaceTempView("wide");
    String sql = "SELECT customer, t, id, rn, length(pad) FROM (SELECT *, row_number() OVER "
        + "(PARTITION BY customer ORDER BY t DESC, id) AS rn FROM wide) WHERE rn <= 1000";

    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "true");
    Dataset<Row> df = spark.sql(sql);
    List<String> actual = collectSorted(df);
    List<String> expected = expectedRows(80_000, 10_000);
    assertEquals(expected.size(), actual.size());
    assertEquals(expected, actual);

    List<TopNHistoryExec> operators = PlanInspection.topNOperators(df);
    long fallbacks = 0;
    long earlyEmits = 0;
    long spill = 0;
    for (TopNHistoryExec exec : operators) {
      fallbacks += metric(exec, "numSortFallbacks");
      earlyEmits += metric(exec, "numEarlyEmits");
      spill += metric(exec, "spillSize");
      assertTrue(metric(exec, "peakMemory") > 0, "peak memory metric of " + exec.mode());
    }
    assertTrue(operators.stream().anyMatch(op -> op.mode() == TopNHistoryMode.FINAL), "no final TopNHistoryExec");
    assertTrue(fallbacks > 0, "final mode never fell back: " + df.queryExecution().executedPlan());
    assertTrue(earlyEmits > 0, "partial mode never emitted early");
    assertTrue(spill > 0, "no spill recorded");
    String formatted = df.queryExecution().explainString(
        org.apache.spark.sql.execution.ExplainMode.fromString("formatted"));
    assertTrue(formatted.contains("numSortFallbacks="), formatted);
    assertTrue(formatted.matches("(?s).*Metrics: numInputRows=[1-9].*"), formatted);
  }
}
