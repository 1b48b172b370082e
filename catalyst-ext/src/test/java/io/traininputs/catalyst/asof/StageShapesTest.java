package io.traininputs.catalyst.asof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole history stage as users write it, from the ordered arrays to the impressions joined to their histories,
 * is one {@link AsOfContextHistoryExec} pass and gives the stock answer: {@code array_sort} or {@code sort_array},
 * the impressions left-joined straight to the histories with {@code coalesce(arrays, zeros)}.
 */
class StageShapesTest {
  private static final int N = 4;
  private static SparkSession spark;
  private static AsOfTestData data;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(StageShapesTest.class, true);
    AsOfTestData d = AsOfTestData.random(97, 200, 2_000, 3_000, 8);
    data = d;
    String events = dir.resolve("events").toString();
    spark.createDataFrame(d.events, AsOfTestData.EVENTS).write().parquet(events);
    spark.read().parquet(events).createOrReplaceTempView("events");
    StructType impressions = new StructType().add("customer_id", DataTypes.LongType)
        .add("as_of_date", DataTypes.DateType).add("slot", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    int slot = 0;
    for (Row c : d.contexts) {
      rows.add(RowFactory.create(c.get(0), c.get(1), slot++));
      if (slot % 3 == 0) {
        rows.add(RowFactory.create(c.get(0), c.get(1), slot++));
      }
    }
    String files = dir.resolve("impressions").toString();
    spark.createDataFrame(rows, impressions).write().parquet(files);
    spark.read().parquet(files).createOrReplaceTempView("impressions");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final String CONTEXTS = "contexts AS (SELECT DISTINCT customer_id, as_of_date FROM impressions)";
  private static final String RANKED = "ranked AS (SELECT e.customer_id, c.as_of_date, e.item_id, e.action_type,"
      + " row_number() OVER (PARTITION BY e.customer_id, c.as_of_date"
      + "   ORDER BY e.occurred_at DESC, e.action_type DESC, e.item_id DESC) AS rn"
      + " FROM events e JOIN contexts c ON e.customer_id = c.customer_id"
      + "  AND e.occurred_at < to_timestamp(c.as_of_date)"
      + "  AND e.occurred_at >= to_timestamp(date_sub(c.as_of_date, 8)))";

  private static String histories(String sorted) {
    return "histories AS (SELECT customer_id, as_of_date,"
        + " concat(transform(h, x -> x.item_id), array_repeat(0, " + N + " - size(h))) AS actions,"
        + " concat(transform(h, x -> x.action_type), array_repeat(0, " + N + " - size(h))) AS action_types"
        + " FROM (SELECT customer_id, as_of_date, " + sorted + " AS h FROM ranked WHERE rn <= " + N
        + " GROUP BY customer_id, as_of_date))";
  }

  private static final String LEFT_JOINED = " SELECT i.customer_id, i.as_of_date, i.slot,"
      + " coalesce(h.actions, array_repeat(0, " + N + ")) AS actions,"
      + " coalesce(h.action_types, array_repeat(0, " + N + ")) AS action_types"
      + " FROM impressions i LEFT JOIN histories h"
      + " ON i.customer_id = h.customer_id AND i.as_of_date = h.as_of_date";

  static Stream<String> stages() {
    String arraySort = "array_sort(collect_list(struct(rn, item_id, action_type)))";
    String sortArray = "sort_array(collect_list(struct(rn, item_id, action_type)))";
    String comparator = "array_sort(collect_list(struct(rn, item_id, action_type)), (l, r) -> l.rn - r.rn)";
    return Stream.of(
        "WITH " + CONTEXTS + ", " + RANKED + ", " + histories(arraySort) + LEFT_JOINED,
        "WITH " + CONTEXTS + ", " + RANKED + ", " + histories(sortArray) + LEFT_JOINED,
        "WITH " + CONTEXTS + ", " + RANKED + ", " + histories(comparator) + LEFT_JOINED,
        "WITH " + CONTEXTS + ", " + RANKED + ", " + histories(arraySort)
            + " SELECT c.customer_id, c.as_of_date, coalesce(h.actions, array_repeat(0, " + N + ")) AS actions"
            + " FROM contexts c LEFT JOIN histories h"
            + " ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date",
        "WITH " + CONTEXTS + ", " + RANKED + ", " + transformedInTheAggregate(arraySort) + LEFT_JOINED,
        "WITH " + CONTEXTS + ", " + RANKED + ", " + transformedInTheAggregate(sortArray) + LEFT_JOINED,
        "WITH " + CONTEXTS + ", " + sortedSlice(1) + ", histories AS (SELECT customer_id, as_of_date,"
            + " concat(h.item_id, array_repeat(0, " + N + " - size(h))) AS actions,"
            + " concat(h.action_type, array_repeat(0, " + N + " - size(h))) AS action_types FROM hist)"
            + LEFT_JOINED,
        "WITH " + CONTEXTS + ", " + RANKED + ", " + RANKED_ARRAYS + PADDED_OVER_THE_JOIN,
        "WITH " + CONTEXTS + ", " + sortedSlice(1) + PADDED_OVER_THE_JOIN,
        "WITH " + CONTEXTS + ", " + RANKED + ", " + RANKED_ARRAYS
            + PADDED_OVER_THE_JOIN.replace("c.customer_id, c.as_of_date,", "c.customer_id, c.as_of_date, c.slot,")
                .replace("FROM contexts c", "FROM impressions c"),
        "WITH " + CONTEXTS + ", " + RANKED + ", " + RANKED_ARRAYS + " SELECT c.customer_id, c.as_of_date,"
            + " CASE WHEN h.h IS NULL THEN array_repeat(0, " + N + ")"
            + " ELSE concat(h.h.item_id, array_repeat(0, " + N + " - size(h.h))) END AS actions,"
            + " CASE WHEN h.h IS NOT NULL THEN concat(transform(h.h, x -> x.action_type), array_repeat(0, " + N
            + " - size(h.h))) ELSE array_repeat(0, " + N + ") END AS action_types" + JOINED_BACK,
        "WITH " + CONTEXTS + ", " + sortedSlice(1) + " SELECT c.customer_id, c.as_of_date, " + slicePadded("item_id", N)
            + " AS actions, " + slicePadded("action_type", N) + " AS action_types" + JOINED_BACK);
  }

  private static final String JOINED_BACK =
      " FROM contexts c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date";

  /** Padding by a slice of the array followed by zeros: {@code slice(concat(coalesce(h.f, []), zeros), 1, n)}. */
  private static String slicePadded(String field, int n) {
    return "slice(concat(coalesce(transform(h.h, x -> x." + field + "), array()), array_repeat(0, " + n + ")), 1, "
        + n + ")";
  }

  @Test
  void aSliceShorterThanTheHistoryCutsItAndGivesStocksRows() {
    String sql = "WITH " + CONTEXTS + ", " + RANKED + ", " + RANKED_ARRAYS + " SELECT c.customer_id, c.as_of_date, "
        + slicePadded("item_id", N - 1) + " AS actions" + JOINED_BACK;
    Dataset<Row> on = spark.sql(sql);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertFalse(AsOfHistory.joinBackUsedBy(on), on.queryExecution().executedPlan().toString());
    assertEquals(AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(spark.sql(sql).collectAsList())), rows);
    assertTrue(rows.stream().anyMatch(r -> ((scala.collection.Seq<?>) r.get(2)).size() == N - 1), "cut to N - 1");
  }

  private static final String RANKED_ARRAYS = "hist AS (SELECT customer_id, as_of_date,"
      + " sort_array(collect_list(struct(rn, item_id, action_type))) AS h"
      + " FROM ranked WHERE rn <= " + N + " GROUP BY customer_id, as_of_date)";

  @Test
  void paddingOverTheJoinNextToAnotherUseOfTheArrayGivesStocksRows() {
    String sql = "WITH " + CONTEXTS + ", " + RANKED + ", " + RANKED_ARRAYS
        + PADDED_OVER_THE_JOIN.replace(" AS action_types", " AS action_types, size(h.h) AS n");
    Dataset<Row> on = spark.sql(sql);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertTrue(AsOfHistory.usedBy(on), on.queryExecution().executedPlan().toString());
    assertEquals(AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(spark.sql(sql).collectAsList())), rows);
    assertTrue(rows.stream().anyMatch(r -> r.get(4) == null || (Integer) r.get(4) < 0)
        && rows.stream().anyMatch(r -> r.get(4) != null && (Integer) r.get(4) > 0),
        "contexts with and without a history: " + rows.size());
  }

  /** The contexts left-joined to {@code hist(customer_id, as_of_date, h)}, padded over the join. */
  private static final String PADDED_OVER_THE_JOIN = " SELECT c.customer_id, c.as_of_date,"
      + " coalesce(concat(h.h.item_id, array_repeat(0, " + N + " - size(h.h))), array_repeat(0, " + N + "))"
      + " AS actions,"
      + " coalesce(concat(h.h.action_type, array_repeat(0, " + N + " - size(h.h))), array_repeat(0, " + N + "))"
      + " AS action_types"
      + " FROM contexts c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date";

  /** The top N without a window: the newest N of all the context's events, by a descending sort of structs. */
  private static String sortedSlice(int start) {
    return "hist AS (SELECT c.customer_id, c.as_of_date, slice(sort_array(collect_list("
        + "struct(e.occurred_at, e.action_type, e.item_id)), false), " + start + ", " + N + ") AS h"
        + " FROM contexts c JOIN events e ON e.customer_id = c.customer_id"
        + "  AND e.occurred_at < to_timestamp(c.as_of_date)"
        + "  AND e.occurred_at >= to_timestamp(date_sub(c.as_of_date, 8))"
        + " GROUP BY c.customer_id, c.as_of_date)";
  }

  @Test
  void theSortedSliceIsPlannedAsTheOrderedArraysAndEqualsStockAndBruteForce() {
    String sql = "WITH " + CONTEXTS + ", " + sortedSlice(1) + " SELECT * FROM hist";
    Dataset<Row> on = spark.sql(sql);
    List<Row> collected = on.collectAsList();
    List<List<Object>> rows = AsOfTestData.values(collected);
    assertTrue(on.queryExecution().executedPlan().toString().contains("AsOfHistoryArrays"),
        on.queryExecution().executedPlan().toString());
    assertEquals(AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(spark.sql(sql).collectAsList())), rows);
    assertTrue(rows.size() > 100, rows.size() + " histories");
    assertEquals(bruteForceSlices(), slices(collected));
  }

  /** Each history as (key, as-of) -> [(time, action_type, item_id), ...], newest first. */
  private static Map<List<Object>, List<List<Object>>> slices(List<Row> rows) {
    Map<List<Object>, List<List<Object>>> out = new HashMap<>();
    for (Row r : rows) {
      List<List<Object>> entries = new ArrayList<>();
      for (Row e : r.<Row>getList(2)) {
        entries.add(List.of(e.get(0), e.get(1), e.get(2)));
      }
      out.put(List.of(r.get(0), r.get(1)), entries);
    }
    return out;
  }

  /** The reference's rows (rank order) of the distinct contexts, as {@link #slices} groups them. */
  private static Map<List<Object>, List<List<Object>>> bruteForceSlices() {
    AsOfTestData distinct = new AsOfTestData();
    distinct.contexts.addAll(new LinkedHashSet<>(data.contexts));
    distinct.events.addAll(data.events);
    List<List<Object>> ranked = new ArrayList<>(distinct.expectedRows(N, 8));
    ranked.sort(Comparator.comparing(r -> (Integer) r.get(5)));
    Map<List<Object>, List<List<Object>>> out = new HashMap<>();
    for (List<Object> r : ranked) {
      out.computeIfAbsent(List.of(r.get(0), r.get(1)), k -> new ArrayList<>())
          .add(List.of(r.get(4), r.get(3), r.get(2)));
    }
    return out;
  }

  @Test
  void aSliceFromTheSecondStaysWithSpark() {
    String sql = "WITH " + CONTEXTS + ", " + sortedSlice(2) + " SELECT * FROM hist";
    Dataset<Row> on = spark.sql(sql);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertFalse(AsOfHistory.usedBy(on), on.queryExecution().executedPlan().toString());
    assertEquals(AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(spark.sql(sql).collectAsList())), rows);
  }

  /** One {@code transform} of its own sorted collect per field, in the aggregation; padded above it. */
  private static String transformedInTheAggregate(String sorted) {
    return "arrays AS (SELECT customer_id, as_of_date, transform(" + sorted + ", x -> x.item_id) AS items,"
        + " transform(" + sorted + ", x -> x.action_type) AS types FROM ranked WHERE rn <= " + N
        + " GROUP BY customer_id, as_of_date),"
        + " histories AS (SELECT customer_id, as_of_date,"
        + " concat(items, array_repeat(0, " + N + " - size(items))) AS actions,"
        + " concat(types, array_repeat(0, " + N + " - size(types))) AS action_types FROM arrays)";
  }

  @ParameterizedTest
  @MethodSource("stages")
  void theStageIsOnePassAndEqualsStock(String sql) {
    Dataset<Row> on = spark.sql(sql);
    List<List<Object>> rows = AsOfTestData.values(on.collectAsList());
    assertTrue(AsOfHistory.joinBackUsedBy(on), sql + "\n" + on.queryExecution().explainString(
        org.apache.spark.sql.execution.SimpleMode$.MODULE$));
    assertEquals(AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, "false",
        () -> AsOfTestData.values(spark.sql(sql).collectAsList())), rows);
  }
}
