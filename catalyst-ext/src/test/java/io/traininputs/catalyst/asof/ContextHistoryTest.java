package io.traininputs.catalyst.asof;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.coalesce;
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
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.internal.ScalaInterop;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The padded history joined back to every context, as the reference job writes it, is planned as one
 * {@link AsOfContextHistoryExec} pass and gives exactly the stock answer and the brute-force answer: on adversarial
 * data (null and extreme keys, null as-of dates and times, ties, duplicates, boundary times, a key with thousands of
 * events that forces compaction), with array widths above and below N, the rank as an array field, and joined-back
 * contexts that the history was not defined for.
 */
class ContextHistoryTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = AsOfSessions.start(ContextHistoryTest.class, true);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The reference job's history stage, written with stock functions. */
  private static Dataset<Row> paddedHistories(
      Dataset<Row> events, Dataset<Row> keys, Dataset<Row> historyKeys, int n, int width, int lookbackDays) {
    Dataset<Row> histories = histories(events, historyKeys, n, width, lookbackDays);
    return keys.join(histories, new String[] {"customer_id", "as_of_date"}, "left")
        .select(col("customer_id"), col("as_of_date"), col("actions"), col("action_types"), col("ranks"));
  }

  /** One row per context with at least one event: its padded arrays. */
  private static Dataset<Row> histories(
      Dataset<Row> events, Dataset<Row> historyKeys, int n, int width, int lookbackDays) {
    Dataset<Row> c = historyKeys.select(col("customer_id").as("c_customer_id"), col("as_of_date"));
    Column day0 = col("as_of_date").cast("timestamp");
    Column condition = col("c_customer_id").equalTo(col("customer_id"))
        .and(col("occurred_at").lt(day0))
        .and(col("occurred_at").geq(day0.minus(make_dt_interval(lit(lookbackDays)))));
    Dataset<Row> ranked = c.join(events, condition, "inner")
        .select(col("customer_id"), col("as_of_date"), col("item_id"), col("action_type"), col("occurred_at"))
        .withColumn("rn", row_number().over(Window.partitionBy(col("customer_id"), col("as_of_date"))
            .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
        .where(col("rn").leq(n));
    return ranked.groupBy(col("customer_id"), col("as_of_date"))
        .agg(sort_array(collect_list(struct(col("rn"), col("item_id"), col("action_type")))).as("h"))
        .select(col("customer_id"), col("as_of_date"),
            padded(transform(col("h"), e -> e.getField("item_id")), width, 0).as("actions"),
            padded(transform(col("h"), e -> e.getField("action_type")), width, -7).as("action_types"),
            padded(transform(col("h"), e -> e.getField("rn")), width, 0).as("ranks"));
  }

  private static Column padded(Column values, int width, int pad) {
    return concat(values, array_repeat(lit(pad), lit(width).minus(size(values))));
  }

  private static <T> T withEnabled(boolean enabled, Supplier<T> body) {
    return AsOfSessions.withConf(spark, TrainingInputsConf.ASOF_ENABLED, String.valueOf(enabled), body);
  }

  private Dataset<Row> contexts(List<Row> rows) {
    return spark.createDataFrame(rows, AsOfTestData.CONTEXTS);
  }

  private Dataset<Row> events(AsOfTestData d) {
    return spark.createDataFrame(d.events, AsOfTestData.EVENTS);
  }

  @Test
  void historiesAloneArePlannedInOnePassAndEqualStockAndBruteForce() {
    int[][] shapes = {{3, 5, 4}, {4, 2, 25}, {1, 1, 4}};
    for (int s = 0; s < shapes.length; s++) {
      int n = shapes[s][0];
      int width = shapes[s][1];
      int lookback = shapes[s][2];
      AsOfTestData d = AsOfTestData.random(70 + s, 120, 900, s == 1 ? 6_000 : 0, lookback);
      Supplier<Dataset<Row>> query = () -> histories(events(d), contexts(d.contexts).distinct(), n, width, lookback);
      Dataset<Row> on = query.get();
      List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
      assertTrue(AsOfHistory.historiesOnlyUsedBy(on), on.queryExecution().executedPlan().toString());
      assertFalse(AsOfHistory.joinBackUsedBy(on), on.queryExecution().executedPlan().toString());
      List<List<Object>> withSpark = withEnabled(false, () -> {
        Dataset<Row> off = query.get();
        assertFalse(AsOfHistory.usedBy(off));
        return AsOfTestData.values(off.collectAsList());
      });
      assertEquals(withSpark, withOperator, "shape " + s);
      List<List<Object>> expected = bruteForce(d, d.contexts, n, width, lookback).stream()
          .filter(r -> r.get(2) != null).toList();
      assertEquals(expected, withOperator, "shape " + s);
      assertTrue(withOperator.size() > 50, "too few histories to mean anything: " + withOperator.size());
      assertTrue(withOperator.size() < bruteForce(d, d.contexts, n, width, lookback).size(),
          "some contexts must have no history, or dropping them is not tested");
    }
  }

  @Test
  void joinedBackHistoriesEqualStockAndBruteForce() {
    int[][] shapes = {{3, 5, 4}, {4, 2, 25}, {1, 1, 4}, {50, 50, 25}};
    for (int s = 0; s < shapes.length; s++) {
      int n = shapes[s][0];
      int width = shapes[s][1];
      int lookback = shapes[s][2];
      AsOfTestData d = AsOfTestData.random(40 + s, 120, 900, s == 1 ? 6_000 : 0, lookback);
      Supplier<Dataset<Row>> query = () -> {
        Dataset<Row> keys = contexts(d.contexts).distinct();
        return paddedHistories(events(d), keys, keys, n, width, lookback);
      };
      Dataset<Row> on = query.get();
      List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
      assertTrue(AsOfHistory.joinBackUsedBy(on), on.queryExecution().executedPlan().toString());
      List<List<Object>> withSpark = withEnabled(false, () -> {
        Dataset<Row> off = query.get();
        assertFalse(AsOfHistory.usedBy(off));
        return AsOfTestData.values(off.collectAsList());
      });
      assertEquals(withSpark, withOperator, "shape " + s);
      assertEquals(bruteForce(d, d.contexts, n, width, lookback), withOperator, "shape " + s);
      assertTrue(withOperator.size() > 50, "too few contexts to mean anything: " + withOperator.size());
    }
  }

  /**
   * With file inputs Spark infers a not-null filter on the key for the range join's contexts only; the operator then
   * reads the joined-back contexts' shuffle twice instead of computing the contexts twice.
   */
  @Test
  void contextsFromFilesAreComputedOnceAndGiveTheSameAnswer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    AsOfTestData d = AsOfTestData.random(57, 200, 2_000, 3_000, 25);
    contexts(d.contexts).write().parquet(dir.resolve("contexts").toString());
    events(d).write().parquet(dir.resolve("events").toString());
    AsOfSessions.withConf(spark, "spark.sql.adaptive.enabled", "false", () -> {
      Supplier<Dataset<Row>> query = () -> {
        Dataset<Row> keys = spark.read().parquet(dir.resolve("contexts").toString()).distinct();
        return paddedHistories(spark.read().parquet(dir.resolve("events").toString()), keys, keys, 7, 9, 25);
      };
      Dataset<Row> on = query.get();
      List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
      AsOfContextHistoryExec exec = find(on.queryExecution().executedPlan());
      assertTrue(exec != null && exec.children().apply(1).toString().contains("ReusedExchange"),
          on.queryExecution().executedPlan().toString());
      assertEquals(withEnabled(false, () -> AsOfTestData.values(query.get().collectAsList())), withOperator);
      assertEquals(bruteForce(d, d.contexts, 7, 9, 25), withOperator);
    });
  }

  @Test
  void contextsTheHistoryWasNotDefinedForGetNulls() {
    AsOfTestData d = AsOfTestData.random(51, 150, 1_200, 0, 10);
    List<Row> defined = d.contexts.subList(0, 60);
    Supplier<Dataset<Row>> query = () -> paddedHistories(
        events(d), contexts(d.contexts).distinct(), contexts(defined).distinct(), 4, 6, 10);
    Dataset<Row> on = query.get();
    List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
    assertTrue(AsOfHistory.joinBackUsedBy(on), on.queryExecution().executedPlan().toString());
    assertEquals(withEnabled(false, () -> AsOfTestData.values(query.get().collectAsList())), withOperator);
    assertEquals(bruteForce(d, defined, 4, 6, 10), withOperator);
    long nullsIfAllDefined = bruteForce(d, d.contexts, 4, 6, 10).stream().filter(r -> r.get(2) == null).count();
    long nulls = withOperator.stream().filter(r -> r.get(2) == null).count();
    assertTrue(nulls > nullsIfAllDefined, "no context with events was left out of the history's: " + nulls);
  }

  /**
   * A deterministic projection over the join back (the job's {@code coalesce(arrays, zeros)}) is written by the
   * operator itself, with no projection after it; a non-deterministic one stays Spark's.
   */
  @Test
  void aProjectionOverTheJoinBackIsWrittenByTheOperator() {
    AsOfTestData d = AsOfTestData.random(53, 150, 400, 0, 3);
    AsOfSessions.withConf(spark, "spark.sql.adaptive.enabled", "false", () -> {
      Supplier<Dataset<Row>> projected = () -> {
        Dataset<Row> keys = contexts(d.contexts).distinct();
        return paddedHistories(events(d), keys, keys, 3, 4, 3).select(
            col("as_of_date"), coalesce(col("actions"), array_repeat(lit(0), 4)).as("actions"),
            size(col("action_types")).as("types"), col("customer_id").cast("string").as("key_text"));
      };
      Dataset<Row> on = projected.get();
      List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
      assertTrue(on.queryExecution().executedPlan() instanceof AsOfContextHistoryExec,
          on.queryExecution().executedPlan().toString());
      assertEquals(withEnabled(false, () -> AsOfTestData.values(projected.get().collectAsList())), withOperator);
      List<List<Object>> expected = new ArrayList<>();
      for (List<Object> h : bruteForce(d, d.contexts, 3, 4, 3)) {
        expected.add(java.util.Arrays.asList(h.get(1),
            h.get(2) == null ? scala.jdk.javaapi.CollectionConverters.asScala(List.of(0, 0, 0, 0)).toSeq() : h.get(2),
            h.get(3) == null ? null : 4, h.get(0) == null ? null : String.valueOf(h.get(0))));
      }
      assertEquals(AsOfTestData.sorted(expected), withOperator);
      assertTrue(withOperator.stream().anyMatch(r -> r.get(2) == null), "no empty history");

      Dataset<Row> random = projected.get().withColumn("r", org.apache.spark.sql.functions.rand(3));
      assertTrue(AsOfHistory.joinBackUsedBy(random), random.queryExecution().executedPlan().toString());
      assertFalse(random.queryExecution().executedPlan() instanceof AsOfContextHistoryExec);
    });
  }

  @Test
  void nullTieBreaksAndPayloadsAreOrderedAsSparkOrdersThem() {
    AsOfTestData d = AsOfTestData.random(61, 100, 1_500, 0, 25);
    Supplier<Dataset<Row>> query = () -> {
      Dataset<Row> ev = events(d).withColumn("item_id",
          when(col("item_id").equalTo(3), lit(null).cast("int")).otherwise(col("item_id")));
      Dataset<Row> keys = contexts(d.contexts).distinct();
      return paddedHistories(ev, keys, keys, 6, 8, 25);
    };
    Dataset<Row> on = query.get();
    List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
    assertTrue(AsOfHistory.joinBackUsedBy(on));
    assertTrue(withOperator.stream().anyMatch(r -> r.get(2) != null && r.get(2).toString().contains("null")),
        "no null item reached an array");
    assertEquals(withEnabled(false, () -> AsOfTestData.values(query.get().collectAsList())), withOperator);
  }

  @Test
  void metricsCountContextsEventsAndCompactions() {
    AsOfSessions.withConf(spark, "spark.sql.adaptive.enabled", "false", () -> {
      AsOfTestData d = AsOfTestData.random(71, 120, 800, 8_000, 25);
      Dataset<Row> keys = contexts(d.contexts).distinct();
      Dataset<Row> out = paddedHistories(events(d), keys, keys, 5, 5, 25);
      long rows = out.collectAsList().size();
      AsOfContextHistoryExec exec = find(out.queryExecution().executedPlan());
      Map<String, Long> m = new HashMap<>();
      ScalaInterop.toJava(exec.metrics().toList()).forEach(t -> m.put(t._1(), t._2().value()));
      assertEquals(rows, m.get("numOutputRows"));
      assertEquals(rows, m.get("numContexts"));
      // Spark infers not-null filters on the key and the time from the join condition below the operator.
      long joinable = d.events.stream().filter(e -> e.get(0) != null && e.get(3) != null).count();
      assertEquals(joinable, m.get("numInputEvents"));
      assertTrue(m.get("numKeptEvents") < d.events.size(), m.toString());
      assertTrue(m.get("numCompactions") > 0, "the heavy key never compacted: " + m);
      assertTrue(m.get("peakMemory") > 0, m.toString());
      String formatted = out.queryExecution().explainString(
          org.apache.spark.sql.execution.ExplainMode.fromString("formatted"));
      assertTrue(formatted.contains("AsOfContextHistory"), formatted);
      assertTrue(formatted.contains("numOutputRows=" + rows), formatted);
      assertTrue(formatted.contains("numCompactions=" + m.get("numCompactions")), formatted);
      assertTrue(formatted.contains("AsOfEventPack"), formatted);
    });
  }

  /** A key with two million events needs memory for its contexts' windows only, and still gets the stock answer. */
  @Test
  void aKeyWithMillionsOfEventsStaysWithinItsContextsWindows() {
    AsOfSessions.withConf(spark, "spark.sql.adaptive.enabled", "false", () -> {
      Supplier<Dataset<Row>> query = () -> {
        // id % 1 keeps the key a column: a literal key would be folded into a filter and change the plan's shape.
        Dataset<Row> events = spark.range(0, 2_000_000, 1, 4).selectExpr(
            "42 + id % 1 AS customer_id", "CAST(id % 7 AS INT) AS item_id", "CAST(id % 3 AS INT) AS action_type",
            "TIMESTAMP_SECONDS(1735689600 - 40 * 86400 + (id * 7919) % (40 * 86400)) AS occurred_at");
        Dataset<Row> keys = spark.range(0, 3).selectExpr(
            "42 + id % 1 AS customer_id", "DATE_ADD(DATE'2025-01-01', CAST(-7 * id AS INT)) AS as_of_date")
            .union(spark.range(0, 1).selectExpr("43 + id % 1", "DATE'2025-01-01'")).distinct();
        return paddedHistories(events, keys, keys, 5, 5, 10);
      };
      Dataset<Row> on = query.get();
      List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
      AsOfContextHistoryExec exec = find(on.queryExecution().executedPlan());
      assertTrue(exec != null, on.queryExecution().executedPlan().toString());
      long peak = (Long) exec.metrics().apply("peakMemory").value();
      long compactions = (Long) exec.metrics().apply("numCompactions").value();
      assertTrue(peak > 0 && peak < 8L << 20, "peak memory " + peak + " bytes for 2M events of one key");
      assertTrue(compactions > 1_000, "compactions: " + compactions);
      assertEquals(withEnabled(false, () -> AsOfTestData.values(query.get().collectAsList())), withOperator);
      assertEquals(4, withOperator.size());
    });
  }

  /**
   * Rows inner-joined on (key, asOf) to the padded histories of their distinct contexts, with a projection over the
   * histories and one over the join, rows on either side, are written by the operator in one pass (AQE on and off);
   * rows whose context is null or not among the contexts are dropped as the join drops them, and counted.
   */
  @Test
  void rowsInnerJoinedToTheirHistoriesAreWrittenByTheOperator() {
    AsOfTestData d = AsOfTestData.random(91, 160, 300, 0, 2);
    List<Row> rowList = new ArrayList<>();
    for (int i = 0; i < d.contexts.size(); i++) {
      Row c = d.contexts.get(i);
      rowList.add(RowFactory.create(i, c.get(0), c.get(1), "r" + i));
      if (i % 5 == 0) {
        rowList.add(RowFactory.create(-i, c.get(0), c.get(1), "copy" + i));
      }
    }
    StructType rowSchema = new StructType().add("row_id", DataTypes.IntegerType)
        .add("customer_id", DataTypes.LongType).add("as_of_date", DataTypes.DateType)
        .add("label", DataTypes.StringType);
    List<Row> keyRows = new ArrayList<>();
    for (Row r : rowList) {
      if (r.getInt(0) % 3 != 0) {
        keyRows.add(RowFactory.create(r.get(1), r.get(2)));
      }
    }
    for (boolean rowsOnTheLeft : new boolean[] {true, false}) {
      Supplier<Dataset<Row>> query = () -> {
        Dataset<Row> rows = spark.createDataFrame(rowList, rowSchema);
        Dataset<Row> keys = rows.where(col("row_id").mod(3).notEqual(0))
            .select(col("customer_id"), col("as_of_date")).distinct();
        Dataset<Row> histories = paddedHistories(events(d), keys, keys, 3, 4, 2).select(
            col("customer_id"), col("as_of_date"),
            coalesce(col("actions"), array_repeat(lit(0), 4)).as("actions"), col("action_types"), col("ranks"));
        String[] on = {"customer_id", "as_of_date"};
        Dataset<Row> joined = rowsOnTheLeft ? rows.join(histories, on, "inner") : histories.join(rows, on, "inner");
        return joined.select(col("row_id"), col("label"), col("as_of_date"), col("actions"), col("action_types"),
            col("ranks"), col("customer_id").cast("string").as("key_text"));
      };
      for (String adaptive : new String[] {"true", "false"}) {
        AsOfSessions.withConf(spark, "spark.sql.adaptive.enabled", adaptive, () -> {
          Dataset<Row> on = query.get();
          List<List<Object>> withOperator = AsOfTestData.values(on.collectAsList());
          String plan = on.queryExecution().executedPlan().toString();
          AsOfContextHistoryExec exec = find(on.queryExecution().executedPlan());
          assertTrue(exec != null && exec.simpleString(20).contains("AsOfContextHistory Inner"), plan);
          assertFalse(plan.contains("SortMergeJoin") || plan.contains("BroadcastHashJoin"), plan);
          List<List<Object>> expected = joinedBruteForce(d, rowList, keyRows, 3, 4, 2);
          assertEquals(expected, withOperator, "rows on the left: " + rowsOnTheLeft + ", adaptive " + adaptive);
          assertEquals(withEnabled(false, () -> AsOfTestData.values(query.get().collectAsList())), withOperator);
          // Spark drops rows with a null key or as-of before they reach the operator (an inferred not-null filter).
          long dropped = (Long) exec.metrics().apply("numDroppedRows").value();
          long unknown = rowList.stream().filter(r -> r.get(1) != null && r.get(2) != null).count() - expected.size();
          assertTrue(dropped >= unknown && dropped <= rowList.size() - expected.size(), "dropped " + dropped);
          assertTrue(unknown > 10 && expected.size() > 100, "unknown " + unknown + " of " + rowList.size());
          assertTrue(withOperator.stream().anyMatch(r -> r.get(4) == null), "no row without history");
        });
      }
    }
  }

  /** The brute-force answer of the joined query above: (row_id, label, as_of_date, actions, types, ranks, key). */
  private static List<List<Object>> joinedBruteForce(
      AsOfTestData d, List<Row> rows, List<Row> keys, int n, int width, int lookbackDays) {
    Map<List<Object>, List<Object>> histories = new HashMap<>();
    for (List<Object> h : bruteForce(d, keys, n, width, lookbackDays)) {
      histories.put(h.subList(0, 2), h);
    }
    Set<List<Object>> contexts = new HashSet<>();
    for (Row k : keys) {
      if (k.get(0) != null && k.get(1) != null) {
        contexts.add(java.util.Arrays.asList(k.get(0), k.get(1)));
      }
    }
    List<Object> zeros = new ArrayList<>(java.util.Collections.nCopies(width, 0));
    List<List<Object>> out = new ArrayList<>();
    for (Row r : rows) {
      List<Object> context = java.util.Arrays.asList(r.get(1), r.get(2));
      if (!contexts.contains(context)) {
        continue;
      }
      List<Object> h = histories.get(context);
      out.add(java.util.Arrays.asList(r.get(0), r.get(3), r.get(2),
          h.get(2) == null ? scala.jdk.javaapi.CollectionConverters.asScala(zeros).toSeq() : h.get(2), h.get(3),
          h.get(4), String.valueOf(r.get(1))));
    }
    return AsOfTestData.sorted(out);
  }

  private static AsOfContextHistoryExec find(SparkPlan plan) {
    return (AsOfContextHistoryExec) AsOfHistory.find(plan, p -> p instanceof AsOfContextHistoryExec);
  }

  @Test
  void shapesThatDifferAreNotFused() {
    AsOfTestData d = AsOfTestData.random(81, 60, 400, 0, 10);
    Dataset<Row> keys = contexts(d.contexts).distinct();
    Dataset<Row> histories = histories(events(d), keys, 3, 3, 10);
    String[] on = {"customer_id", "as_of_date"};
    List<Dataset<Row>> others = List.of(
        keys.join(histories, on, "inner"),
        keys.join(histories.withColumn("k", size(col("actions"))), on, "left"),
        keys.join(histories.withColumn("actions", concat(col("actions"), array_repeat(lit(0), 2))), on, "left"));
    for (Dataset<Row> other : others) {
      List<List<Object>> withOperator = AsOfTestData.values(other.collectAsList());
      assertFalse(AsOfHistory.joinBackUsedBy(other), other.queryExecution().executedPlan().toString());
      assertTrue(AsOfHistory.usedBy(other), other.queryExecution().executedPlan().toString());
      assertEquals(withEnabled(false, () -> AsOfTestData.values(other.collectAsList())), withOperator);
    }
  }

  /** Each context of {@code all} with the arrays of its history, or nulls when it has none or is not in defined. */
  private static List<List<Object>> bruteForce(
      AsOfTestData d, List<Row> defined, int n, int width, int lookbackDays) {
    Set<List<Object>> definedKeys = new HashSet<>();
    for (Row c : defined) {
      definedKeys.add(java.util.Arrays.asList(c.get(0), c.get(1)));
    }
    Set<List<Object>> all = new java.util.LinkedHashSet<>();
    for (Row c : d.contexts) {
      all.add(java.util.Arrays.asList(c.get(0), c.get(1)));
    }
    Comparator<Row> order = Comparator.<Row, Instant>comparing(e -> (Instant) e.get(3))
        .thenComparing(e -> e.getInt(2)).thenComparing(e -> e.getInt(1)).reversed();
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> c : all) {
      List<Row> hits = new ArrayList<>();
      if (c.get(0) != null && c.get(1) != null && definedKeys.contains(c)) {
        Instant upper = ((LocalDate) c.get(1)).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant lower = upper.minus(Duration.ofDays(lookbackDays));
        for (Row e : d.events) {
          Instant t = (Instant) e.get(3);
          if (Objects.equals(e.get(0), c.get(0)) && t != null && t.isBefore(upper) && !t.isBefore(lower)) {
            hits.add(e);
          }
        }
      }
      hits.sort(order);
      List<Object> row = new ArrayList<>(c);
      if (hits.isEmpty()) {
        row.add(null);
        row.add(null);
        row.add(null);
      } else {
        int kept = Math.min(n, hits.size());
        List<Integer> items = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < Math.max(kept, width); i++) {
          items.add(i < kept ? hits.get(i).getInt(1) : 0);
          types.add(i < kept ? hits.get(i).getInt(2) : -7);
          ranks.add(i < kept ? i + 1 : 0);
        }
        row.add(scala.jdk.javaapi.CollectionConverters.asScala(items).toSeq());
        row.add(scala.jdk.javaapi.CollectionConverters.asScala(types).toSeq());
        row.add(scala.jdk.javaapi.CollectionConverters.asScala(ranks).toSeq());
      }
      out.add(row);
    }
    return AsOfTestData.sorted(out);
  }
}
