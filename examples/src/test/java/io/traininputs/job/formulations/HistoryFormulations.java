package io.traininputs.job.formulations;

import static io.traininputs.job.formulations.HistoryFormulation.Kind.HISTORIES;
import static io.traininputs.job.formulations.HistoryFormulation.Kind.JOINED;
import static io.traininputs.job.formulations.HistoryFormulation.Style.DATAFRAME;
import static io.traininputs.job.formulations.HistoryFormulation.Style.EXPR_STRINGS;
import static io.traininputs.job.formulations.HistoryFormulation.Style.PYSPARK_PORT;
import static io.traininputs.job.formulations.HistoryFormulation.Style.SQL_CTE;
import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_dt_interval;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The same history stage (SEMANTICS.md with max_actions = 5, lookback_days = 30, over the views of
 * {@link CorpusData}) as different users write it. Every entry must give exactly the contract's answer.
 */
public final class HistoryFormulations {
  private HistoryFormulations() {}

  private static final String[] KEYS = {"customer_id", "as_of_date"};

  /** All formulations of the contract, names unique. */
  public static List<HistoryFormulation> all() {
    List<HistoryFormulation> all = new ArrayList<>();
    all.addAll(pysparkPorts());
    all.addAll(sqlCtes());
    all.addAll(dataFrames());
    all.addAll(exprStrings());
    Set<String> names = new HashSet<>();
    for (HistoryFormulation f : all) {
      if (!names.add(f.name())) {
        throw new IllegalStateException("duplicate formulation name " + f.name());
      }
    }
    return all;
  }

  // ---------------------------------------------------------------------------------------------------------
  // PYSPARK_PORT: actions_union -> history_builder -> training_examples, as the seed pipeline, call for call.
  // ---------------------------------------------------------------------------------------------------------

  /** The seed's actions_union: clicks/atc/orders (and other sources) to one canonical stream with action_date. */
  private static Dataset<Row> actionsUnion(SparkSession spark) {
    Dataset<Row> clicks =
        spark.table("clicks").select(
            col("customer_id").cast("bigint").alias("customer_id"),
            col("item_id").cast("int").alias("item_id"),
            lit(1).alias("action_type"),
            col("click_time").cast("timestamp").alias("occurred_at"),
            lit("click").alias("source"));
    Dataset<Row> atc =
        spark.table("atc").select(
            col("customer_id").cast("bigint").alias("customer_id"),
            col("config_id").cast("int").alias("item_id"),
            lit(2).alias("action_type"),
            col("occur_at").cast("timestamp").alias("occurred_at"),
            lit("atc").alias("source"));
    Dataset<Row> orders =
        spark.table("orders").select(
            col("customer_id").cast("bigint").alias("customer_id"),
            col("config_id").cast("int").alias("item_id"),
            lit(3).alias("action_type"),
            to_timestamp(col("order_date")).alias("occurred_at"),
            lit("order").alias("source"));
    Dataset<Row> other =
        spark.table("extra_actions").select(
            col("customer_id"), col("item_id"), col("action_type"), col("occurred_at"), lit("other").alias("source"));
    return clicks.unionByName(atc).unionByName(orders).unionByName(other)
        .withColumn("action_date", to_date(col("occurred_at")));
  }

  private static WindowSpec historyOrder() {
    return Window.partitionBy("customer_id", "as_of_date")
        .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc());
  }

  /** The seed's padding: right-pad an array column with 0 to maxActions. */
  private static Column padRight(Column array, int maxActions) {
    return concat(array, array_repeat(lit(0), lit(maxActions).minus(size(array))));
  }

  private static List<HistoryFormulation> pysparkPorts() {
    List<HistoryFormulation> list = new ArrayList<>();
    list.add(HistoryFormulation.of("pyspark-history-builder", PYSPARK_PORT, HISTORIES, spark -> {
      int maxActions = 5;
      int lookbackDays = 30;
      Dataset<Row> actions = spark.table("actions");
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Dataset<Row> joined = actions.join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), lookbackDays)));
      Dataset<Row> ranked = joined.withColumn("rn", row_number().over(historyOrder()))
          .where(col("rn").leq(maxActions));
      Dataset<Row> hist = ranked.groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct(col("rn"), col("item_id"), col("action_type")))).alias("h"))
          .select(
              col("customer_id"), col("as_of_date"),
              padRight(transform(col("h"), x -> x.getField("item_id")), maxActions).alias("actions"),
              padRight(transform(col("h"), x -> x.getField("action_type")), maxActions).alias("action_types"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(col("actions"), array_repeat(lit(0), maxActions)).alias("actions"),
          coalesce(col("action_types"), array_repeat(lit(0), maxActions)).alias("action_types"));
    }));
    list.add(HistoryFormulation.of("pyspark-actions-union-action-date", PYSPARK_PORT, HISTORIES, spark -> {
      Dataset<Row> actions = actionsUnion(spark).repartition(col("customer_id"));
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").dropDuplicates();
      Dataset<Row> joined = actions.join(contexts, "customer_id")
          .where(col("action_date").lt(col("as_of_date")))
          .where(col("action_date").geq(date_sub(col("as_of_date"), 30)));
      Dataset<Row> top = joined.withColumn("rn", row_number().over(historyOrder())).where(col("rn").leq(5));
      Dataset<Row> hist = top.groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).alias("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          when(col("h").isNull(), array_repeat(lit(0), 5))
              .otherwise(padRight(col("h").getField("item_id"), 5)).alias("actions"),
          when(col("h").isNull(), array_repeat(lit(0), 5))
              .otherwise(padRight(col("h").getField("action_type"), 5)).alias("action_types"));
    }));
    list.add(HistoryFormulation.of("pyspark-training-examples-left-join", PYSPARK_PORT, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.select("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date").cast("timestamp")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), 30)))
          .withColumn("rn", row_number().over(historyOrder()))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).alias("h"))
          .select(
              col("customer_id"), col("as_of_date"),
              padRight(col("h.item_id"), 5).alias("actions"),
              padRight(col("h.action_type"), 5).alias("action_types"));
      return impressions.join(hist, KEYS, "left")
          .withColumn("actions", coalesce(col("actions"), array_repeat(lit(0), 5)))
          .withColumn("action_types", coalesce(col("action_types"), array_repeat(lit(0), 5)));
    }));
    list.add(HistoryFormulation.of("pyspark-repartition-to-timestamp-lookback", PYSPARK_PORT, HISTORIES, spark -> {
      Dataset<Row> actions = spark.table("actions").repartition(col("customer_id"));
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct()
          .repartition(col("customer_id"), col("as_of_date"));
      Dataset<Row> hist = actions.join(contexts, "customer_id")
          .where(col("occurred_at").geq(to_timestamp(date_sub(col("as_of_date"), 30)))
              .and(col("occurred_at").lt(to_timestamp(col("as_of_date")))))
          .withColumn("rn", row_number().over(historyOrder()))
          .where("rn <= 5")
          .groupBy("customer_id", "as_of_date")
          .agg(array_sort(collect_list(struct("rn", "item_id", "action_type"))).alias("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(padRight(col("h.item_id"), 5), array_repeat(lit(0), 5)).alias("actions"),
          coalesce(padRight(col("h.action_type"), 5), array_repeat(lit(0), 5)).alias("action_types"));
    }));
    list.add(HistoryFormulation.of("pyspark-expr-padding", PYSPARK_PORT, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_add(col("as_of_date"), -30)))
          .withColumn("rn", row_number().over(historyOrder()))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).alias("h"))
          .withColumn("actions", expr("transform(h, x -> x.item_id)"))
          .withColumn("action_types", expr("transform(h, x -> x.action_type)"))
          .drop("h");
      return contexts.join(hist, KEYS, "left")
          .withColumn("actions", expr("coalesce(concat(actions, array_repeat(0, 5 - size(actions))), "
              + "array_repeat(0, 5))"))
          .withColumn("action_types", expr("coalesce(concat(action_types, array_repeat(0, 5 - size(action_types))),"
              + " array_repeat(0, 5))"));
    }));
    list.add(HistoryFormulation.of("pyspark-driver-side-prefilter", PYSPARK_PORT, HISTORIES, spark -> {
      // "Strict pre-filters: apply lookback_days and occurred_at < as_of_date before windowing."
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Row range = contexts.agg(min("as_of_date"), max("as_of_date")).first();
      LocalDate first = range.getAs(0);
      LocalDate last = range.getAs(1);
      Dataset<Row> actions = spark.table("actions")
          .where(col("occurred_at").geq(lit(first.minusDays(30).toString()).cast("timestamp")))
          .where(col("occurred_at").lt(lit(last.toString()).cast("timestamp")));
      Dataset<Row> hist = actions.join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), 30)))
          .withColumn("rn", row_number().over(historyOrder()))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).alias("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(padRight(col("h.item_id"), 5), array_repeat(lit(0), 5)).alias("actions"),
          coalesce(padRight(col("h.action_type"), 5), array_repeat(lit(0), 5)).alias("action_types"));
    }));
    list.add(HistoryFormulation.of("pyspark-joined-broadcast-contexts", PYSPARK_PORT, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.select("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(broadcast(contexts), "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), 30)))
          .withColumn("rn", row_number().over(historyOrder()))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).alias("h"));
      Dataset<Row> withHist = contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(padRight(col("h.item_id"), 5), array_repeat(lit(0), 5)).alias("actions"),
          coalesce(padRight(col("h.action_type"), 5), array_repeat(lit(0), 5)).alias("action_types"));
      return impressions.join(withHist, KEYS, "inner");
    }));
    list.add(HistoryFormulation.of("pyspark-lookback-start-column", PYSPARK_PORT, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Dataset<Row> windows = contexts
          .withColumn("lookback_start", date_sub(col("as_of_date"), 30).cast("timestamp"))
          .withColumn("day_start", col("as_of_date").cast("timestamp"));
      Dataset<Row> hist = spark.table("actions").join(windows, "customer_id")
          .where(col("occurred_at").geq(col("lookback_start")))
          .where(col("occurred_at").lt(col("day_start")))
          .withColumn("rn", row_number().over(historyOrder()))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).alias("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(padRight(col("h.item_id"), 5), array_repeat(lit(0), 5)).alias("actions"),
          coalesce(padRight(col("h.action_type"), 5), array_repeat(lit(0), 5)).alias("action_types"));
    }));
    list.add(HistoryFormulation.of("pyspark-joined-two-step-drop-duplicates", PYSPARK_PORT, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.dropDuplicates("customer_id", "as_of_date").select("customer_id",
          "as_of_date");
      Dataset<Row> actions = actionsUnion(spark).select("customer_id", "item_id", "action_type", "occurred_at");
      Dataset<Row> hist = contexts.join(actions, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), 30)))
          .withColumn("rn", row_number().over(historyOrder()))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).alias("h"));
      Dataset<Row> padded = contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(padRight(col("h.item_id"), 5), array_repeat(lit(0), 5)).alias("actions"),
          coalesce(padRight(col("h.action_type"), 5), array_repeat(lit(0), 5)).alias("action_types"));
      return impressions.join(padded, KEYS);
    }));
    list.add(HistoryFormulation.of("pyspark-rn-lt-six-make-dt-interval", PYSPARK_PORT, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").groupBy("customer_id", "as_of_date").count()
          .drop("count");
      Column dayStart = col("as_of_date").cast("timestamp");
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where(col("occurred_at").geq(dayStart.minus(make_dt_interval(lit(30)))))
          .where(col("occurred_at").lt(dayStart))
          .withColumn("rn", row_number().over(historyOrder()))
          .where(col("rn").lt(6))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).alias("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(padRight(col("h.item_id"), 5), array_repeat(lit(0), 5)).alias("actions"),
          coalesce(padRight(col("h.action_type"), 5), array_repeat(lit(0), 5)).alias("action_types"));
    }));
    return list;
  }

  // ---------------------------------------------------------------------------------------------------------
  // SQL_CTE: one statement each.
  // ---------------------------------------------------------------------------------------------------------

  private static HistoryFormulation sql(String name, HistoryFormulation.Kind kind, String text) {
    return HistoryFormulation.of(name, SQL_CTE, kind, spark -> spark.sql(text));
  }

  private static List<HistoryFormulation> sqlCtes() {
    List<HistoryFormulation> list = new ArrayList<>();
    list.add(sql("sql-cte-classic", HISTORIES, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM ctx c JOIN actions a ON a.customer_id = c.customer_id
          WHERE a.occurred_at < c.as_of_date AND a.occurred_at >= date_sub(c.as_of_date, 30)),
        top_n AS (SELECT * FROM ranked WHERE rn <= 5),
        hist AS (
          SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
          FROM top_n GROUP BY customer_id, as_of_date)
        SELECT c.customer_id, c.as_of_date,
               coalesce(concat(transform(hs.h, x -> x.item_id), array_repeat(0, 5 - size(hs.h))),
                        array_repeat(0, 5)) AS actions,
               coalesce(concat(transform(hs.h, x -> x.action_type), array_repeat(0, 5 - size(hs.h))),
                        array_repeat(0, 5)) AS action_types
        FROM ctx c LEFT JOIN hist hs ON c.customer_id = hs.customer_id AND c.as_of_date = hs.as_of_date
        """));
    // Spark 4.1 has no QUALIFY (PARSE_SYNTAX_ERROR); users write the filter one level up instead.
    list.add(sql("sql-on-clause-bounds-outer-rn-filter", HISTORIES, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        top_n AS (
          SELECT * FROM (
            SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                   row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                      ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
            FROM actions a JOIN ctx c ON a.customer_id = c.customer_id
             AND a.occurred_at >= date_sub(c.as_of_date, 30) AND a.occurred_at < c.as_of_date) ranked
          WHERE rn <= 5),
        hist AS (
          SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
          FROM top_n GROUP BY customer_id, as_of_date)
        SELECT c.customer_id, c.as_of_date,
               coalesce(concat(hs.h.item_id, array_repeat(0, 5 - size(hs.h))), array_repeat(0, 5)) AS actions,
               coalesce(concat(hs.h.action_type, array_repeat(0, 5 - size(hs.h))), array_repeat(0, 5))
                 AS action_types
        FROM ctx c LEFT JOIN hist hs USING (customer_id, as_of_date)
        """));
    list.add(sql("sql-subqueries-date-add-to-date-rn-lt-6", HISTORIES, """
        SELECT ctx.customer_id, ctx.as_of_date,
               CASE WHEN hist.items IS NULL THEN array_repeat(0, 5)
                    ELSE concat(hist.items, array_repeat(0, 5 - size(hist.items))) END AS actions,
               CASE WHEN hist.types IS NULL THEN array_repeat(0, 5)
                    ELSE concat(hist.types, array_repeat(0, 5 - size(hist.types))) END AS action_types
        FROM (SELECT customer_id, as_of_date FROM impressions GROUP BY customer_id, as_of_date) ctx
        LEFT JOIN (
          SELECT customer_id, as_of_date,
                 transform(sort_array(collect_list(struct(rn, item_id, action_type))), s -> s.item_id) AS items,
                 transform(sort_array(collect_list(struct(rn, item_id, action_type))), s -> s.action_type) AS types
          FROM (
            SELECT a.customer_id, c.as_of_date, a.item_id, a.action_type,
                   row_number() OVER (PARTITION BY a.customer_id, c.as_of_date
                                      ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
            FROM actions a
            JOIN (SELECT DISTINCT customer_id, as_of_date FROM impressions) c ON a.customer_id = c.customer_id
            WHERE to_date(a.occurred_at) < c.as_of_date AND a.occurred_at >= date_add(c.as_of_date, -30)) r
          WHERE rn < 6
          GROUP BY customer_id, as_of_date) hist
        ON ctx.customer_id = hist.customer_id AND ctx.as_of_date = hist.as_of_date
        """));
    list.add(sql("sql-interval-days-cast-timestamp-array-sort", HISTORIES, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        windowed AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type, a.occurred_at
          FROM ctx c JOIN actions a
            ON a.customer_id = c.customer_id
           AND a.occurred_at >= CAST(c.as_of_date AS TIMESTAMP) - INTERVAL 30 DAYS
           AND a.occurred_at < CAST(c.as_of_date AS TIMESTAMP)),
        ranked AS (
          SELECT *, row_number() OVER (PARTITION BY customer_id, as_of_date
                                       ORDER BY occurred_at DESC, action_type DESC, item_id DESC) AS rn
          FROM windowed),
        hist AS (
          SELECT customer_id, as_of_date, array_sort(collect_list(struct(rn, item_id, action_type))) AS h
          FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
        SELECT c.customer_id, c.as_of_date,
               slice(concat(coalesce(transform(h, x -> x.item_id), array()), array_repeat(0, 5)), 1, 5) AS actions,
               slice(concat(coalesce(transform(h, x -> x.action_type), array()), array_repeat(0, 5)), 1, 5)
                 AS action_types
        FROM ctx c LEFT JOIN hist USING (customer_id, as_of_date)
        """));
    list.add(sql("sql-make-dt-interval-slice-pad", HISTORIES, """
        WITH ctx AS (SELECT customer_id, as_of_date FROM impressions GROUP BY 1, 2),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM ctx c JOIN actions a ON c.customer_id = a.customer_id
          WHERE a.occurred_at >= CAST(c.as_of_date AS TIMESTAMP) - make_dt_interval(30)
            AND a.occurred_at < c.as_of_date),
        hist AS (
          SELECT customer_id, as_of_date,
                 transform(sort_array(collect_list(struct(rn, item_id))), x -> x.item_id) AS items,
                 transform(sort_array(collect_list(struct(rn, action_type))), x -> x.action_type) AS types
          FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
        SELECT c.customer_id, c.as_of_date,
               slice(concat(coalesce(h.items, array_repeat(0, 0)), array_repeat(0, 5)), 1, 5) AS actions,
               slice(concat(coalesce(h.types, array_repeat(0, 0)), array_repeat(0, 5)), 1, 5) AS action_types
        FROM ctx c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date
        """));
    list.add(sql("sql-timestampadd-timestamp-fn", HISTORIES, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM actions a JOIN ctx c ON a.customer_id = c.customer_id
          WHERE a.occurred_at >= timestampadd(DAY, -30, CAST(c.as_of_date AS TIMESTAMP))
            AND a.occurred_at < timestamp(c.as_of_date))
        SELECT c.customer_id, c.as_of_date,
               coalesce(concat(h.items, array_repeat(0, 5 - size(h.items))), array_repeat(0, 5)) AS actions,
               coalesce(concat(h.types, array_repeat(0, 5 - size(h.types))), array_repeat(0, 5)) AS action_types
        FROM ctx c
        LEFT JOIN (
          SELECT customer_id, as_of_date,
                 sort_array(collect_list(struct(rn, item_id, action_type))).item_id AS items,
                 sort_array(collect_list(struct(rn, item_id, action_type))).action_type AS types
          FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date) h
        ON h.customer_id = c.customer_id AND h.as_of_date = c.as_of_date
        """));
    list.add(sql("sql-union-raw-inputs-action-date", HISTORIES, """
        WITH actions_union AS (
          SELECT customer_id, item_id, 1 AS action_type, click_time AS occurred_at FROM clicks
          UNION ALL
          SELECT customer_id, config_id AS item_id, 2 AS action_type, occur_at AS occurred_at FROM atc
          UNION ALL
          SELECT customer_id, config_id AS item_id, 3 AS action_type, CAST(order_date AS TIMESTAMP) AS occurred_at
          FROM orders
          UNION ALL
          SELECT customer_id, item_id, action_type, occurred_at FROM extra_actions),
        acts AS (SELECT *, to_date(occurred_at) AS action_date FROM actions_union),
        ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM acts a JOIN ctx c ON a.customer_id = c.customer_id
          WHERE a.action_date < c.as_of_date AND a.action_date >= date_sub(c.as_of_date, 30)),
        hist AS (
          SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
          FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
        SELECT c.customer_id, c.as_of_date,
               coalesce(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
               coalesce(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5))
                 AS action_types
        FROM ctx c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date
        """));
    list.add(sql("sql-no-window-sort-desc-slice", HISTORIES, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        hist AS (
          SELECT c.customer_id, c.as_of_date,
                 slice(sort_array(collect_list(struct(a.occurred_at, a.action_type, a.item_id)), false), 1, 5) AS h
          FROM ctx c JOIN actions a
            ON a.customer_id = c.customer_id
           AND a.occurred_at >= date_sub(c.as_of_date, 30) AND a.occurred_at < c.as_of_date
          GROUP BY c.customer_id, c.as_of_date)
        SELECT c.customer_id, c.as_of_date,
               coalesce(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
               coalesce(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5))
                 AS action_types
        FROM ctx c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date
        """));
    list.add(sql("sql-joined-impressions-left-join-histories", JOINED, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM ctx c JOIN actions a ON a.customer_id = c.customer_id
          WHERE a.occurred_at < c.as_of_date AND a.occurred_at >= date_sub(c.as_of_date, 30)),
        hist AS (
          SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
          FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
        SELECT i.ranking_id, i.customer_id, i.as_of_date, i.dt, i.impressions,
               coalesce(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
               coalesce(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5))
                 AS action_types
        FROM impressions i
        LEFT JOIN hist h ON i.customer_id = h.customer_id AND i.as_of_date = h.as_of_date
        """));
    list.add(sql("sql-joined-broadcast-group-by-contexts", JOINED, """
        WITH ctx AS (SELECT customer_id, as_of_date FROM impressions GROUP BY customer_id, as_of_date),
        ranked AS (
          SELECT /*+ BROADCAST(c) */ c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM actions a JOIN ctx c ON a.customer_id = c.customer_id
          WHERE a.occurred_at < c.as_of_date AND a.occurred_at >= date_sub(c.as_of_date, 30)),
        hist AS (
          SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
          FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date),
        ctx_hist AS (
          SELECT c.customer_id, c.as_of_date,
                 coalesce(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
                 coalesce(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5))
                   AS action_types
          FROM ctx c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date)
        SELECT i.*, ch.actions, ch.action_types
        FROM impressions i JOIN ctx_hist ch ON i.customer_id = ch.customer_id AND i.as_of_date = ch.as_of_date
        """));
    list.add(sql("sql-joined-between-minus-microsecond", JOINED, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM ctx c JOIN actions a ON a.customer_id = c.customer_id
          WHERE a.occurred_at BETWEEN CAST(date_sub(c.as_of_date, 30) AS TIMESTAMP)
                                  AND CAST(c.as_of_date AS TIMESTAMP) - INTERVAL 1 MICROSECOND),
        hist AS (
          SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
          FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
        SELECT i.ranking_id, i.customer_id, i.as_of_date, i.impressions,
               nvl(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
               nvl(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS action_types
        FROM impressions i LEFT JOIN hist h USING (customer_id, as_of_date)
        """));
    // The classic CTE and the joined query with only the lower bound respelt as timestamp interval arithmetic.
    list.add(sql("sql-cte-classic-interval-lower", HISTORIES, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM ctx c JOIN actions a ON a.customer_id = c.customer_id
          WHERE a.occurred_at < c.as_of_date
            AND a.occurred_at >= CAST(c.as_of_date AS TIMESTAMP) - INTERVAL 30 DAYS),
        top_n AS (SELECT * FROM ranked WHERE rn <= 5),
        hist AS (
          SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
          FROM top_n GROUP BY customer_id, as_of_date)
        SELECT c.customer_id, c.as_of_date,
               coalesce(concat(transform(hs.h, x -> x.item_id), array_repeat(0, 5 - size(hs.h))),
                        array_repeat(0, 5)) AS actions,
               coalesce(concat(transform(hs.h, x -> x.action_type), array_repeat(0, 5 - size(hs.h))),
                        array_repeat(0, 5)) AS action_types
        FROM ctx c LEFT JOIN hist hs ON c.customer_id = hs.customer_id AND c.as_of_date = hs.as_of_date
        """));
    list.add(sql("sql-joined-left-join-interval-lower", JOINED, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM ctx c JOIN actions a ON a.customer_id = c.customer_id
          WHERE a.occurred_at < CAST(c.as_of_date AS TIMESTAMP)
            AND a.occurred_at >= CAST(c.as_of_date AS TIMESTAMP) - INTERVAL 30 DAYS),
        hist AS (
          SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
          FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
        SELECT i.ranking_id, i.customer_id, i.as_of_date, i.dt, i.impressions,
               coalesce(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
               coalesce(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5))
                 AS action_types
        FROM impressions i
        LEFT JOIN hist h ON i.customer_id = h.customer_id AND i.as_of_date = h.as_of_date
        """));
    list.add(sql("sql-pivot-max-case", HISTORIES, """
        WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
        ranked AS (
          SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                 row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                    ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
          FROM ctx c LEFT JOIN actions a
            ON a.customer_id = c.customer_id
           AND a.occurred_at >= date_sub(c.as_of_date, 30) AND a.occurred_at < c.as_of_date),
        slots AS (
          SELECT customer_id, as_of_date,
                 max(CASE WHEN rn = 1 THEN item_id END) AS i1, max(CASE WHEN rn = 1 THEN action_type END) AS t1,
                 max(CASE WHEN rn = 2 THEN item_id END) AS i2, max(CASE WHEN rn = 2 THEN action_type END) AS t2,
                 max(CASE WHEN rn = 3 THEN item_id END) AS i3, max(CASE WHEN rn = 3 THEN action_type END) AS t3,
                 max(CASE WHEN rn = 4 THEN item_id END) AS i4, max(CASE WHEN rn = 4 THEN action_type END) AS t4,
                 max(CASE WHEN rn = 5 THEN item_id END) AS i5, max(CASE WHEN rn = 5 THEN action_type END) AS t5
          FROM ranked GROUP BY customer_id, as_of_date)
        SELECT customer_id, as_of_date,
               array(coalesce(i1, 0), coalesce(i2, 0), coalesce(i3, 0), coalesce(i4, 0), coalesce(i5, 0))
                 AS actions,
               array(coalesce(t1, 0), coalesce(t2, 0), coalesce(t3, 0), coalesce(t4, 0), coalesce(t5, 0))
                 AS action_types
        FROM slots
        """));
    return list;
  }

  // ---------------------------------------------------------------------------------------------------------
  // DATAFRAME: typed Column expressions.
  // ---------------------------------------------------------------------------------------------------------

  private static List<HistoryFormulation> dataFrames() {
    List<HistoryFormulation> list = new ArrayList<>();
    list.add(HistoryFormulation.of("df-events-left-column-condition", DATAFRAME, HISTORIES, spark -> {
      Dataset<Row> a = spark.table("actions").alias("a");
      Dataset<Row> c = spark.table("impressions").select("customer_id", "as_of_date").distinct().alias("c");
      Dataset<Row> joined = a.join(c,
          col("a.customer_id").equalTo(col("c.customer_id"))
              .and(col("a.occurred_at").lt(col("c.as_of_date")))
              .and(col("a.occurred_at").geq(date_sub(col("c.as_of_date"), 30))))
          .select(col("c.customer_id"), col("c.as_of_date"), col("a.occurred_at"), col("a.item_id"),
              col("a.action_type"));
      Dataset<Row> hist = joined
          .withColumn("rn", row_number().over(Window.partitionBy(col("customer_id"), col("as_of_date"))
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .filter(col("rn").leq(lit(5)))
          .groupBy(col("customer_id"), col("as_of_date"))
          .agg(sort_array(collect_list(struct(col("rn"), col("item_id"), col("action_type")))).as("h"));
      Column zeros = array_repeat(lit(0), 5);
      return c.join(hist, KEYS, "left_outer").select(
          col("customer_id"), col("as_of_date"),
          coalesce(concat(col("h.item_id"), array_repeat(lit(0), lit(5).minus(size(col("h"))))), zeros)
              .as("actions"),
          coalesce(concat(col("h.action_type"), array_repeat(lit(0), lit(5).minus(size(col("h"))))), zeros)
              .as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-contexts-left-drop-duplicates-date-add", DATAFRAME, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").dropDuplicates("customer_id", "as_of_date")
          .select("customer_id", "as_of_date");
      Dataset<Row> hist = contexts.join(spark.table("actions"), "customer_id")
          .filter(col("occurred_at").geq(date_add(col("as_of_date"), -30)))
          .filter(col("occurred_at").lt(col("as_of_date").cast("timestamp")))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .filter(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).as("h"))
          .select(col("customer_id"), col("as_of_date"),
              transform(col("h"), x -> x.getField("item_id")).as("items"),
              transform(col("h"), x -> x.getField("action_type")).as("types"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          when(col("items").isNull(), array_repeat(lit(0), 5))
              .otherwise(concat(col("items"), array_repeat(lit(0), lit(5).minus(size(col("items"))))))
              .as("actions"),
          when(col("types").isNull(), array_repeat(lit(0), 5))
              .otherwise(concat(col("types"), array_repeat(lit(0), lit(5).minus(size(col("types"))))))
              .as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-action-date-gt-date-sub-31", DATAFRAME, HISTORIES, spark -> {
      Dataset<Row> actions = spark.table("actions").withColumn("action_date", to_date(col("occurred_at")));
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = actions.join(contexts, "customer_id")
          .filter(col("action_date").lt(col("as_of_date")).and(col("action_date").gt(date_sub(col("as_of_date"),
              31))))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .filter(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).as("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          slice(concat(coalesce(col("h.item_id"), array_repeat(lit(0), 0)), array_repeat(lit(0), 5)), 1, 5)
              .as("actions"),
          slice(concat(coalesce(col("h.action_type"), array_repeat(lit(0), 0)), array_repeat(lit(0), 5)), 1, 5)
              .as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-rn-filter-after-projection", DATAFRAME, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Dataset<Row> ranked = spark.table("actions").join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")).and(col("occurred_at").geq(date_sub(col("as_of_date"),
              30))))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .select(col("customer_id"), col("as_of_date"), col("rn"),
              struct(col("rn"), col("item_id"), col("action_type")).as("entry"));
      Dataset<Row> hist = ranked.where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(col("entry"))).as("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(concat(col("h.item_id"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("actions"),
          coalesce(concat(col("h.action_type"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-no-window-sort-desc-slice", DATAFRAME, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), 30)))
          .groupBy("customer_id", "as_of_date")
          .agg(slice(sort_array(collect_list(struct("occurred_at", "action_type", "item_id")), false), 1, 5)
              .as("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(concat(col("h.item_id"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("actions"),
          coalesce(concat(col("h.action_type"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-broadcast-make-dt-interval", DATAFRAME, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Column day0 = col("as_of_date").cast("timestamp");
      Dataset<Row> hist = spark.table("actions").join(broadcast(contexts), "customer_id")
          .where(col("occurred_at").geq(day0.minus(make_dt_interval(lit(30)))).and(col("occurred_at").lt(day0)))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).as("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(concat(col("h.item_id"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("actions"),
          coalesce(concat(col("h.action_type"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-union-raw-inputs", DATAFRAME, HISTORIES, spark -> {
      Dataset<Row> events = spark.table("clicks")
          .select(col("customer_id"), col("item_id"), lit(1).as("action_type"), col("click_time").as("occurred_at"))
          .union(spark.table("atc").select(col("customer_id"), col("config_id").as("item_id"),
              lit(2).as("action_type"), col("occur_at").as("occurred_at")))
          .union(spark.table("orders").select(col("customer_id"), col("config_id").as("item_id"),
              lit(3).as("action_type"), col("order_date").cast("timestamp").as("occurred_at")))
          .union(spark.table("extra_actions").select("customer_id", "item_id", "action_type", "occurred_at"));
      Dataset<Row> contexts = spark.table("impressions").select("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = events.join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), 30)))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).as("h"));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(concat(col("h.item_id"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("actions"),
          coalesce(concat(col("h.action_type"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-joined-impressions-left-coalesce", DATAFRAME, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.select("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), 30)))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).as("h"))
          .select(col("customer_id"), col("as_of_date"),
              concat(col("h.item_id"), array_repeat(lit(0), lit(5).minus(size(col("h"))))).as("actions"),
              concat(col("h.action_type"), array_repeat(lit(0), lit(5).minus(size(col("h"))))).as("action_types"));
      Dataset<Row> i = impressions.alias("i");
      Dataset<Row> h = hist.alias("h");
      return i.join(h, col("i.customer_id").equalTo(col("h.customer_id"))
              .and(col("i.as_of_date").equalTo(col("h.as_of_date"))), "left")
          .select(col("i.ranking_id"), col("i.customer_id"), col("i.as_of_date"), col("i.impressions"),
              coalesce(col("h.actions"), array_repeat(lit(0), 5)).as("actions"),
              coalesce(col("h.action_types"), array_repeat(lit(0), 5)).as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-joined-inner-contexts-left-histories", DATAFRAME, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.groupBy("customer_id", "as_of_date").count().drop("count");
      Dataset<Row> hist = contexts.join(spark.table("actions"), "customer_id")
          .where(col("as_of_date").gt(col("occurred_at")))
          .where(date_sub(col("as_of_date"), 30).leq(col("occurred_at")))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).as("h"));
      Dataset<Row> contextHistories = contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          coalesce(concat(col("h.item_id"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("actions"),
          coalesce(concat(col("h.action_type"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
              array_repeat(lit(0), 5)).as("action_types"));
      return impressions.join(contextHistories, KEYS, "inner");
    }));
    list.add(HistoryFormulation.of("df-sequence-try-element-at-padding", DATAFRAME, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").groupBy("customer_id", "as_of_date").count()
          .drop("count");
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date")))
          .where(col("occurred_at").geq(date_sub(col("as_of_date"), 30)))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).as("h"));
      Column slots = sequence(lit(1), lit(5));
      return contexts.join(hist, KEYS, "left").select(
          col("customer_id"), col("as_of_date"),
          transform(slots, k -> coalesce(try_element_at(col("h.item_id"), k), lit(0))).as("actions"),
          transform(slots, k -> coalesce(try_element_at(col("h.action_type"), k), lit(0))).as("action_types"));
    }));
    list.add(HistoryFormulation.of("df-joined-broadcast-histories-lambda", DATAFRAME, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.select("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where(col("occurred_at").lt(col("as_of_date").cast("timestamp")))
          .where(col("occurred_at").geq(col("as_of_date").cast("timestamp").minus(expr("INTERVAL 30 DAYS"))))
          .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
              .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
          .where(col("rn").leq(5))
          .groupBy("customer_id", "as_of_date")
          .agg(sort_array(collect_list(struct("rn", "item_id", "action_type"))).as("h"))
          .select(col("customer_id"), col("as_of_date"),
              transform(col("h"), x -> x.getField("item_id")).as("items"),
              transform(col("h"), x -> x.getField("action_type")).as("types"));
      return impressions.join(broadcast(hist), KEYS, "left").select(
          col("ranking_id"), col("customer_id"), col("as_of_date"), col("dt"), col("impressions"),
          coalesce(concat(col("items"), array_repeat(lit(0), lit(5).minus(size(col("items"))))),
              array_repeat(lit(0), 5)).as("actions"),
          coalesce(concat(col("types"), array_repeat(lit(0), lit(5).minus(size(col("types"))))),
              array_repeat(lit(0), 5)).as("action_types"));
    }));
    return list;
  }

  // ---------------------------------------------------------------------------------------------------------
  // EXPR_STRINGS: Dataset API driven by SQL expression strings.
  // ---------------------------------------------------------------------------------------------------------

  private static final String RN =
      "row_number() OVER (PARTITION BY customer_id, as_of_date "
          + "ORDER BY occurred_at DESC, action_type DESC, item_id DESC)";

  private static List<HistoryFormulation> exprStrings() {
    List<HistoryFormulation> list = new ArrayList<>();
    list.add(HistoryFormulation.of("expr-where-strings", EXPR_STRINGS, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").selectExpr("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where("occurred_at < as_of_date AND occurred_at >= date_sub(as_of_date, 30)")
          .withColumn("rn", expr(RN))
          .where("rn <= 5")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      return contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "coalesce(concat(transform(h, x -> x.item_id), array_repeat(0, 5 - size(h))), array_repeat(0, 5))"
              + " AS actions",
          "coalesce(concat(transform(h, x -> x.action_type), array_repeat(0, 5 - size(h))), array_repeat(0, 5))"
              + " AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-unix-micros-bounds", EXPR_STRINGS, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").selectExpr("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where("unix_micros(occurred_at) >= unix_micros(CAST(as_of_date AS TIMESTAMP)) - 30L * 86400000000L")
          .where("unix_micros(occurred_at) < unix_micros(CAST(as_of_date AS TIMESTAMP))")
          .withColumn("rn", expr(RN))
          .where("rn <= 5")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      return contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "coalesce(concat(h.item_id, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS actions",
          "coalesce(concat(h.action_type, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-datediff-between", EXPR_STRINGS, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").selectExpr("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where("datediff(as_of_date, to_date(occurred_at)) BETWEEN 1 AND 30")
          .withColumn("rn", expr(RN))
          .where("rn <= 5")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      return contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "coalesce(concat(h.item_id, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS actions",
          "coalesce(concat(h.action_type, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-timestampadd-rn-lt-6", EXPR_STRINGS, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").selectExpr("customer_id", "as_of_date")
          .dropDuplicates();
      Dataset<Row> hist = contexts.join(spark.table("actions"), "customer_id")
          .filter(expr("occurred_at >= timestampadd(DAY, -30, to_timestamp(as_of_date))"))
          .filter(expr("occurred_at < to_timestamp(as_of_date)"))
          .selectExpr("customer_id", "as_of_date", "item_id", "action_type", RN + " AS rn")
          .filter("rn < 6")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      return contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "coalesce(concat(h.item_id, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS actions",
          "coalesce(concat(h.action_type, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-date-minus-interval-reversed-upper", EXPR_STRINGS, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").selectExpr("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where("as_of_date - INTERVAL 30 DAYS <= occurred_at")
          .where("as_of_date > occurred_at")
          .withColumn("rn", expr(RN))
          .where("rn <= 5")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      return contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "coalesce(concat(h.item_id, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS actions",
          "coalesce(concat(h.action_type, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-array-sort-comparator", EXPR_STRINGS, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").selectExpr("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where("occurred_at < as_of_date AND occurred_at >= date_sub(as_of_date, 30)")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("slice(array_sort(collect_list(struct(occurred_at, action_type, item_id)), (l, r) -> "
              + "CASE WHEN l.occurred_at > r.occurred_at THEN -1 WHEN l.occurred_at < r.occurred_at THEN 1 "
              + "WHEN l.action_type > r.action_type THEN -1 WHEN l.action_type < r.action_type THEN 1 "
              + "WHEN l.item_id > r.item_id THEN -1 WHEN l.item_id < r.item_id THEN 1 ELSE 0 END), 1, 5) AS h"));
      return contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "coalesce(concat(h.item_id, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS actions",
          "coalesce(concat(h.action_type, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-joined-selectexpr-coalesce", EXPR_STRINGS, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.selectExpr("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where("occurred_at < CAST(as_of_date AS TIMESTAMP)")
          .where("occurred_at >= CAST(date_sub(as_of_date, 30) AS TIMESTAMP)")
          .withColumn("rn", expr(RN))
          .where("rn <= 5")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      return impressions.join(hist, KEYS, "left").selectExpr(
          "ranking_id", "customer_id", "as_of_date", "dt", "impressions",
          "coalesce(concat(h.item_id, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS actions",
          "coalesce(concat(h.action_type, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-field-extraction-slice-pad", EXPR_STRINGS, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").selectExpr("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = spark.table("actions")
          .selectExpr("customer_id", "item_id", "action_type", "occurred_at", "to_date(occurred_at) AS action_date")
          .join(contexts, "customer_id")
          .where("action_date < as_of_date")
          .where("action_date >= date_sub(as_of_date, 30)")
          .withColumn("rn", expr(RN))
          .where("rn <= 5")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      return contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "slice(concat(coalesce(h.item_id, array_repeat(0, 0)), array_repeat(0, 5)), 1, 5) AS actions",
          "slice(concat(coalesce(h.action_type, array_repeat(0, 0)), array_repeat(0, 5)), 1, 5) AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-joined-nvl-inner-contexts", EXPR_STRINGS, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.groupBy("customer_id", "as_of_date").agg(expr("count(*) AS n"))
          .selectExpr("customer_id", "as_of_date");
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where("occurred_at < as_of_date AND occurred_at >= date_add(as_of_date, -30)")
          .withColumn("rn", expr(RN))
          .where("rn BETWEEN 1 AND 5")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      Dataset<Row> padded = contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "nvl(concat(h.item_id, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS actions",
          "nvl(concat(h.action_type, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS action_types");
      return impressions.join(padded, KEYS);
    }));
    list.add(HistoryFormulation.of("expr-to-timestamp-date-sub-contexts-left", EXPR_STRINGS, HISTORIES, spark -> {
      Dataset<Row> contexts = spark.table("impressions").selectExpr("customer_id", "as_of_date").distinct();
      Dataset<Row> hist = contexts.join(spark.table("actions"), "customer_id")
          .where(expr("occurred_at >= to_timestamp(date_sub(as_of_date, 30))"))
          .where(expr("occurred_at < as_of_date"))
          .withColumn("rn", expr(RN))
          .where(expr("rn <= 5"))
          .groupBy("customer_id", "as_of_date")
          .agg(expr("transform(sort_array(collect_list(struct(rn, item_id, action_type))), e -> e.item_id) AS a"),
              expr("transform(sort_array(collect_list(struct(rn, item_id, action_type))), e -> e.action_type) AS t"));
      return contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "CASE WHEN a IS NULL THEN array_repeat(0, 5) ELSE concat(a, array_repeat(0, 5 - size(a))) END AS actions",
          "CASE WHEN t IS NULL THEN array_repeat(0, 5) ELSE concat(t, array_repeat(0, 5 - size(t))) END"
              + " AS action_types");
    }));
    list.add(HistoryFormulation.of("expr-joined-using-broadcast-hint", EXPR_STRINGS, JOINED, spark -> {
      Dataset<Row> impressions = spark.table("impressions");
      Dataset<Row> contexts = impressions.selectExpr("customer_id", "as_of_date").distinct().hint("broadcast");
      Dataset<Row> hist = spark.table("actions").join(contexts, "customer_id")
          .where("occurred_at < as_of_date")
          .where("occurred_at >= CAST(as_of_date AS TIMESTAMP) - make_dt_interval(30, 0, 0, 0)")
          .withColumn("rn", expr(RN))
          .where("rn <= 5")
          .groupBy("customer_id", "as_of_date")
          .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"));
      Dataset<Row> padded = contexts.join(hist, KEYS, "left").selectExpr(
          "customer_id", "as_of_date",
          "coalesce(concat(h.item_id, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS actions",
          "coalesce(concat(h.action_type, array_repeat(0, 5 - size(h))), array_repeat(0, 5)) AS action_types");
      return impressions.join(padded, KEYS, "inner").selectExpr("*");
    }));
    return list;
  }
}
