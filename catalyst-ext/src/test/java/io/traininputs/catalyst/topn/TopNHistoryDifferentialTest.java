package io.traininputs.catalyst.topn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.TrainingInputsExtensions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
 * Randomized differential tests: each query runs with the extension switched off (Spark's Window plan) and on, in
 * the same session; results must agree and the "on" plan must contain final TopNHistoryExec (and no Window), the
 * "off" plan none. With a total order the full rows are compared; with ties only what row_number guarantees: per
 * group, the row number with the order key values at that position.
 */
class TopNHistoryDifferentialTest {

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("TopNHistoryDifferentialTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.extensions", TrainingInputsExtensions.class.getName())
        .getOrCreate();
    spark.createDataFrame(randomRows(new Random(42), 6000, 40), schema()).createOrReplaceTempView("events");
    // Not a LocalRelation, so the optimizer cannot fold the query to an empty relation before the rule runs.
    spark.range(100).where("id < 0")
        .selectExpr("CAST(id AS INT) AS k1", "CAST(id AS STRING) AS k2", "id AS k3", "id AS o1",
            "CAST(id AS DOUBLE) AS o2", "CAST(id AS STRING) AS o3", "id")
        .createOrReplaceTempView("empty_events");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static StructType schema() {
    return new StructType()
        .add("k1", DataTypes.IntegerType, true)
        .add("k2", DataTypes.StringType, true)
        .add("k3", DataTypes.LongType, true)
        .add("o1", DataTypes.LongType, true)
        .add("o2", DataTypes.DoubleType, true)
        .add("o3", DataTypes.StringType, true)
        .add("id", DataTypes.LongType, false);
  }

  /** Keys with nulls and few distinct values; order columns with nulls and many ties; a unique id. */
  private static List<Row> randomRows(Random random, int count, int keyRange) {
    List<Row> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create(
          random.nextInt(20) == 0 ? null : random.nextInt(keyRange),
          random.nextInt(20) == 0 ? null : "s" + random.nextInt(3),
          random.nextInt(20) == 0 ? null : (long) random.nextInt(2),
          random.nextInt(15) == 0 ? null : (long) random.nextInt(50),
          random.nextInt(15) == 0 ? null : random.nextInt(10) / 4.0,
          random.nextInt(15) == 0 ? null : "v" + random.nextInt(30),
          (long) i));
    }
    return rows;
  }

  private static String query(String table, String partitionBy, String orderBy, String filter) {
    String over = (partitionBy.isEmpty() ? "" : "PARTITION BY " + partitionBy + " ") + "ORDER BY " + orderBy;
    return "SELECT * FROM (SELECT *, row_number() OVER (" + over + ") AS rn FROM " + table + ") WHERE " + filter;
  }

  /** Runs the query off and on; returns the two results as sorted strings of the given columns. */
  private static List<List<String>> offAndOn(String sql, String... columns) {
    List<List<String>> results = new ArrayList<>();
    for (boolean enabled : new boolean[] {false, true}) {
      spark.conf().set(TrainingInputsConf.TOPN_ENABLED, String.valueOf(enabled));
      Dataset<Row> df = spark.sql(sql);
      Dataset<Row> projected = columns.length == 0 ? df : df.selectExpr(columns);
      List<String> rows = new ArrayList<>();
      for (Row row : projected.collectAsList()) {
        rows.add(row.toString());
      }
      Collections.sort(rows);
      results.add(rows);
      List<TopNHistoryExec> operators = PlanInspection.topNOperators(projected);
      if (enabled) {
        assertTrue(operators.stream().anyMatch(op -> op.mode() == TopNHistoryMode.FINAL),
            "TopNHistoryExec missing from\n" + projected.queryExecution().executedPlan());
        assertFalse(PlanInspection.containsNode(projected.queryExecution().executedPlan(), "WindowExec"),
            "WindowExec left in\n" + projected.queryExecution().executedPlan());
      } else {
        assertTrue(operators.isEmpty(), "kill switch ignored:\n" + projected.queryExecution().executedPlan());
      }
    }
    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "true");
    return results;
  }

  private static void assertSame(String sql, String... columns) {
    List<List<String>> results = offAndOn(sql, columns);
    assertEquals(results.get(0), results.get(1), sql);
  }

  @Test
  void totalOrderManyShapesMatchSparkExactly() {
    String[] partitions = {"k1", "k1, k2", "k1, k2, k3", "k2"};
    String[] orders = {
        "o1 DESC, id DESC",
        "o1 ASC NULLS LAST, o2 DESC NULLS FIRST, id ASC",
        "o3 DESC NULLS LAST, o2, o1 DESC, id",
        "id DESC"};
    String[] filters = {"rn <= 3", "rn < 5", "rn = 1", "2 >= rn", "rn <= 1000", "rn <= 5000", "4 > rn"};
    for (int shape = 0; shape < 8; shape++) {
      String partition = partitions[shape % partitions.length];
      String order = orders[(shape + shape / partitions.length) % orders.length];
      assertSame(query("events", partition, order, filters[shape % filters.length]));
    }
  }

  @Test
  void tiesCompareOnlyWhatRowNumberDetermines() {
    for (String filter : new String[] {"rn <= 1", "rn <= 7", "rn <= 1000"}) {
      assertSame(query("events", "k1, k3", "o1 DESC NULLS LAST, o2", filter), "k1", "k3", "rn", "o1", "o2");
      assertSame(query("events", "k2", "o3 DESC", filter), "k2", "rn", "o3");
    }
  }

  @Test
  void otherConjunctsAreKept() {
    assertSame(query("events", "k1", "o1 DESC, id", "rn <= 4 AND id % 3 = 0"));
    assertSame(query("events", "k1", "o1 DESC, id", "id % 2 = 1 AND rn < 6 AND rn > 2"));
    assertSame(query("events", "k1, k2", "id", "rn <= 10 AND rn = 3"));
  }

  @Test
  void withoutPartitionKeysIsAGlobalTopN() {
    assertSame(query("events", "", "o2 DESC NULLS LAST, id DESC", "rn <= 25"));
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    List<List<String>> results = offAndOn(query("empty_events", "k1", "o1 DESC, id", "rn <= 10"));
    assertTrue(results.get(1).isEmpty());
    assertEquals(results.get(0), results.get(1));
  }

  @Test
  void oneGroupWithMillionsOfRows() {
    spark.range(1_500_000L).selectExpr("1 AS k", "(id * 7919) % 1500000 AS o", "id")
        .createOrReplaceTempView("one_group");
    assertSame(query("one_group", "k", "o DESC", "rn <= 1000"));
  }

  @Test
  void dataFrameApiShapeIsReplacedToo() {
    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "true");
    Dataset<Row> df = spark.table("events")
        .withColumn("rn", org.apache.spark.sql.functions.row_number().over(
            org.apache.spark.sql.expressions.Window.partitionBy("k1").orderBy(
                org.apache.spark.sql.functions.col("o1").desc(), org.apache.spark.sql.functions.col("id"))))
        .filter("rn <= 2")
        .select("k1", "id", "rn");
    df.collectAsList();
    assertFalse(PlanInspection.topNOperators(df).isEmpty(), df.queryExecution().executedPlan().toString());
  }

  @Test
  void unsupportedShapesAreLeftToSpark() {
    String[] queries = {
        "SELECT * FROM (SELECT *, rank() OVER (PARTITION BY k1 ORDER BY o1) AS rn FROM events) WHERE rn <= 3",
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY k1 ORDER BY o1, id) AS rn, "
            + "sum(o1) OVER (PARTITION BY k1 ORDER BY o1, id) AS s FROM events) WHERE rn <= 3",
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY o2 ORDER BY id) AS rn FROM events) WHERE rn <= 3",
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY k1 ORDER BY id) AS rn FROM events) WHERE rn > 3",
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY k1 ORDER BY id) AS rn FROM events) "
            + "WHERE rn <= k1"};
    for (String sql : queries) {
      Dataset<Row> df = spark.sql(sql);
      df.collectAsList();
      assertTrue(PlanInspection.topNOperators(df).isEmpty(), sql + "\n" + df.queryExecution().executedPlan());
    }
  }

  @Test
  void limitAboveTheConfiguredBoundIsLeftToSpark() {
    spark.conf().set(TrainingInputsConf.TOPN_MAX_LIMIT, "100");
    try {
      Dataset<Row> df = spark.sql(query("events", "k1", "id", "rn <= 101"));
      df.collectAsList();
      assertTrue(PlanInspection.topNOperators(df).isEmpty());
      Dataset<Row> small = spark.sql(query("events", "k1", "id", "rn <= 100"));
      small.collectAsList();
      assertFalse(PlanInspection.topNOperators(small).isEmpty());
    } finally {
      spark.conf().unset(TrainingInputsConf.TOPN_MAX_LIMIT);
    }
  }

  @Test
  void inputSortedOnAPartitionKeyIsProcessedSegmentBySegment() {
    spark.table("events").repartition(org.apache.spark.sql.functions.col("k1"))
        .sortWithinPartitions("k1").createOrReplaceTempView("events_by_k1");
    String sql = query("events_by_k1", "k1, k2", "o1 DESC, id", "rn <= 3");
    assertSame(sql);
    Dataset<Row> df = spark.sql(sql);
    df.collectAsList();
    List<TopNHistoryExec> operators = PlanInspection.topNOperators(df);
    assertEquals(1, operators.size(), "the partial must be removed when no exchange separates it from the final");
    assertEquals(1, operators.get(0).segmentKeys().size(), df.queryExecution().executedPlan().toString());
  }

  @Test
  void partialStopsKeepingHeapsWhenTheyDropNothing() {
    spark.range(0, 2 * TopNHistoryEvaluator.ADAPTIVE_CHECK_ROWS + 20_000, 1, 2)
        .selectExpr("id % 100000 AS g", "id").createOrReplaceTempView("small_groups");
    String sql = query("small_groups", "g", "id DESC", "rn <= 5");
    assertSame(sql);
    Dataset<Row> df = spark.sql(sql);
    df.collectAsList();
    long partialEarlyEmits = 0;
    for (TopNHistoryExec exec : PlanInspection.topNOperators(df)) {
      if (exec.mode() == TopNHistoryMode.PARTIAL) {
        partialEarlyEmits += (Long) exec.metrics().apply("numEarlyEmits").value();
      }
    }
    assertEquals(2, partialEarlyEmits, "each partial task switches to pass-through once");
  }
}
