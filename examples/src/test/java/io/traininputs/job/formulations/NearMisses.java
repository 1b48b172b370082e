package io.traininputs.job.formulations;

import static io.traininputs.job.formulations.HistoryFormulation.Kind.HISTORIES;
import static io.traininputs.job.formulations.HistoryFormulation.Kind.JOINED;
import static io.traininputs.job.formulations.HistoryFormulation.Style.DATAFRAME;
import static io.traininputs.job.formulations.HistoryFormulation.Style.EXPR_STRINGS;
import static io.traininputs.job.formulations.HistoryFormulation.Style.SQL_CTE;
import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Queries that look like the history family but mean something else, or are written outside it. They need not
 * match the contract; the extension must still give stock Spark's answer for each (by declining or by being
 * right).
 */
public final class NearMisses {
  private NearMisses() {}

  /**
   * The classic CTE query with its pieces replaceable: {@code %1$s} the extra join/where condition (starting with
   * AND), {@code %2$s} the ranking function, {@code %3$s} the window's partition columns, {@code %4$s} its order,
   * {@code %5$s} the contexts.
   */
  private static final String TEMPLATE = """
      WITH ctx AS (%5$s),
      ranked AS (
        SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
               %2$s OVER (PARTITION BY %3$s ORDER BY %4$s) AS rn
        FROM ctx c JOIN actions a ON a.customer_id = c.customer_id
        WHERE a.occurred_at < c.as_of_date AND a.occurred_at >= date_sub(c.as_of_date, 30) %1$s),
      hist AS (
        SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
        FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
      SELECT c.customer_id, c.as_of_date,
             coalesce(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
             coalesce(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS action_types
      FROM ctx c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date
      """;
  private static final String DISTINCT_CONTEXTS = "SELECT DISTINCT customer_id, as_of_date FROM impressions";
  private static final String PARTITION = "c.customer_id, c.as_of_date";
  private static final String ORDER = "a.occurred_at DESC, a.action_type DESC, a.item_id DESC";

  private static HistoryFormulation template(
      String name, String note, String extra, String ranking, String partition, String order, String contexts) {
    String text = String.format(TEMPLATE, extra, ranking, partition, order, contexts);
    return HistoryFormulation.nearMiss(name, SQL_CTE, HISTORIES, note, spark -> spark.sql(text));
  }

  private static HistoryFormulation variant(String name, String note, String extra) {
    return template(name, note, extra, "row_number()", PARTITION, ORDER, DISTINCT_CONTEXTS);
  }

  /** All near misses, names unique. */
  public static List<HistoryFormulation> all() {
    List<HistoryFormulation> list = new ArrayList<>();
    list.add(HistoryFormulation.nearMiss("near-inclusive-upper-bound", SQL_CTE, HISTORIES,
        "occurred_at <= as_of_date: actions at exactly 00:00 of the as-of day leak into the history",
        spark -> spark.sql("""
            WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
            ranked AS (
              SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                     row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                        ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
              FROM ctx c JOIN actions a ON a.customer_id = c.customer_id
              WHERE a.occurred_at <= c.as_of_date AND a.occurred_at >= date_sub(c.as_of_date, 30)),
            hist AS (
              SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
              FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
            SELECT c.customer_id, c.as_of_date,
                   coalesce(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
                   coalesce(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5))
                     AS action_types
            FROM ctx c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date
            """)));
    list.add(template("near-rank", "rank() instead of row_number(): tied actions share a rank, so more than 5"
        + " can be kept and arrays grow past 5", "", "rank()", PARTITION, ORDER, DISTINCT_CONTEXTS));
    list.add(template("near-dense-rank", "dense_rank() instead of row_number(): ties share a rank and ranks do not"
        + " skip, arrays grow past 5", "", "dense_rank()", PARTITION, ORDER, DISTINCT_CONTEXTS));
    list.add(variant("near-clicks-only", "extra event-side condition action_type = 1: a click history",
        "AND a.action_type = 1"));
    list.add(variant("near-context-side-condition", "extra context-side condition: only contexts after"
        + " 2025-03-06 get a history, the others get zeros", "AND c.as_of_date > DATE'2025-03-06'"));
    list.add(variant("near-hour-of-day", "non-monotone condition on the time: only actions before noon",
        "AND hour(a.occurred_at) < 12"));
    list.add(variant("near-weekdays-only", "non-monotone condition on the time: weekends dropped (dayofweek)",
        "AND dayofweek(a.occurred_at) NOT IN (1, 7)"));
    list.add(variant("near-exclusive-timestamp-lower-31", "occurred_at > date_sub(as_of_date, 31) on the timestamp:"
        + " admits the whole 31st day back after its midnight, not the same as >= date_sub(as_of_date, 30)",
        "OR (a.customer_id = c.customer_id AND a.occurred_at > date_sub(c.as_of_date, 31)"
            + " AND a.occurred_at < c.as_of_date)"));
    list.add(template("near-ascending-order", "ordered ascending: the oldest 5 actions of the window, oldest first",
        "", "row_number()", PARTITION, "a.occurred_at ASC, a.action_type ASC, a.item_id ASC", DISTINCT_CONTEXTS));
    list.add(template("near-tie-break-ascending", "ties on occurred_at broken by action_type ASC, item_id ASC",
        "", "row_number()", PARTITION, "a.occurred_at DESC, a.action_type ASC, a.item_id ASC", DISTINCT_CONTEXTS));
    list.add(template("near-partition-by-customer-only", "window partitioned by customer only: the 5 newest"
        + " actions over all of the customer's contexts, not per as-of date (as_of_date DESC breaks the ties of one"
        + " action joined to several contexts, so the query stays deterministic)", "", "row_number()",
        "c.customer_id", ORDER + ", c.as_of_date DESC", DISTINCT_CONTEXTS));
    list.add(template("near-extra-partition-item", "window partitioned also by item_id: the newest 5 actions of"
        + " every item", "", "row_number()", PARTITION + ", a.item_id", ORDER, DISTINCT_CONTEXTS));
    list.add(template("near-duplicate-contexts", "contexts taken from impressions without dedup: each action is"
        + " joined once per impression row of its context, duplicates fill the history and rows repeat", "",
        "row_number()", PARTITION, ORDER, "SELECT customer_id, as_of_date FROM impressions"));
    String nullSafe = String.format(TEMPLATE.replace("ON a.customer_id = c.customer_id",
        "ON a.customer_id <=> c.customer_id"), "", "row_number()", PARTITION, ORDER, DISTINCT_CONTEXTS);
    list.add(HistoryFormulation.nearMiss("near-null-safe-customer-join", SQL_CTE, HISTORIES,
        "null-safe customer join (<=>): null-customer actions become the history of null-customer contexts",
        spark -> spark.sql(nullSafe)));
    list.add(HistoryFormulation.nearMiss("near-null-time-coalesced", SQL_CTE, HISTORIES,
        "null occurred_at replaced by one second before the as-of day: null-time actions enter every history",
        spark -> spark.sql("""
            WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
            events AS (
              SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                     coalesce(a.occurred_at, CAST(c.as_of_date AS TIMESTAMP) - INTERVAL 1 SECOND) AS t
              FROM ctx c JOIN actions a ON a.customer_id = c.customer_id),
            ranked AS (
              SELECT *, row_number() OVER (PARTITION BY customer_id, as_of_date
                                           ORDER BY t DESC, action_type DESC, item_id DESC) AS rn
              FROM events WHERE t < as_of_date AND t >= date_sub(as_of_date, 30)),
            hist AS (
              SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
              FROM ranked WHERE rn <= 5 GROUP BY customer_id, as_of_date)
            SELECT c.customer_id, c.as_of_date,
                   coalesce(concat(h.h.item_id, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5)) AS actions,
                   coalesce(concat(h.h.action_type, array_repeat(0, 5 - size(h.h))), array_repeat(0, 5))
                     AS action_types
            FROM ctx c LEFT JOIN hist h ON c.customer_id = h.customer_id AND c.as_of_date = h.as_of_date
            """)));
    list.add(HistoryFormulation.nearMiss("near-left-outer-before-window", DATAFRAME, HISTORIES,
        "contexts LEFT OUTER joined to the events (bounds in the join condition) before the window: the same"
            + " answer as the contract, but the window also ranks the null row of every context without history",
        spark -> {
          Dataset<Row> c = spark.table("impressions").select("customer_id", "as_of_date").distinct().alias("c");
          Dataset<Row> a = spark.table("actions").alias("a");
          Dataset<Row> joined = c.join(a, col("a.customer_id").equalTo(col("c.customer_id"))
                  .and(col("a.occurred_at").lt(col("c.as_of_date")))
                  .and(col("a.occurred_at").geq(date_sub(col("c.as_of_date"), 30))), "left_outer")
              .select(col("c.customer_id"), col("c.as_of_date"), col("a.occurred_at"), col("a.item_id"),
                  col("a.action_type"));
          return joined
              .withColumn("rn", row_number().over(Window.partitionBy("customer_id", "as_of_date")
                  .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
              .where(col("rn").leq(5))
              .groupBy("customer_id", "as_of_date")
              .agg(sort_array(collect_list(expr("CASE WHEN occurred_at IS NOT NULL"
                  + " THEN struct(rn, item_id, action_type) END"))).as("h"))
              .select(col("customer_id"), col("as_of_date"),
                  coalesce(concat(col("h.item_id"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
                      array_repeat(lit(0), 5)).as("actions"),
                  coalesce(concat(col("h.action_type"), array_repeat(lit(0), lit(5).minus(size(col("h"))))),
                      array_repeat(lit(0), 5)).as("action_types"));
        }));
    list.add(HistoryFormulation.nearMiss("near-per-impression-row-window", EXPR_STRINGS, JOINED,
        "impressions joined to the events without dedup, window partitioned by ranking_id too (an extra partition"
            + " column; ranking_id is unique here, so the histories are the contract's), no zero rows for"
            + " impressions without history (inner join)",
        spark -> spark.table("impressions").join(spark.table("actions"), "customer_id")
            .where("occurred_at < as_of_date AND occurred_at >= date_sub(as_of_date, 30)")
            .withColumn("rn", expr("row_number() OVER (PARTITION BY ranking_id, customer_id, as_of_date"
                + " ORDER BY occurred_at DESC, action_type DESC, item_id DESC)"))
            .where("rn <= 5")
            .groupBy("ranking_id", "customer_id", "as_of_date")
            .agg(expr("sort_array(collect_list(struct(rn, item_id, action_type))) AS h"))
            .selectExpr("ranking_id", "customer_id", "as_of_date",
                "concat(h.item_id, array_repeat(0, 5 - size(h))) AS actions",
                "concat(h.action_type, array_repeat(0, 5 - size(h))) AS action_types")));
    list.add(HistoryFormulation.nearMiss("near-rn-cap-six", SQL_CTE, JOINED,
        "keeps 6 actions (rn <= 6) and pads to 6: another N than the corpus's",
        spark -> spark.sql("""
            WITH ctx AS (SELECT DISTINCT customer_id, as_of_date FROM impressions),
            ranked AS (
              SELECT c.customer_id, c.as_of_date, a.item_id, a.action_type,
                     row_number() OVER (PARTITION BY c.customer_id, c.as_of_date
                                        ORDER BY a.occurred_at DESC, a.action_type DESC, a.item_id DESC) AS rn
              FROM ctx c JOIN actions a ON a.customer_id = c.customer_id
              WHERE a.occurred_at < c.as_of_date AND a.occurred_at >= date_sub(c.as_of_date, 30)),
            hist AS (
              SELECT customer_id, as_of_date, sort_array(collect_list(struct(rn, item_id, action_type))) AS h
              FROM ranked WHERE rn <= 6 GROUP BY customer_id, as_of_date)
            SELECT i.ranking_id, i.customer_id, i.as_of_date,
                   coalesce(concat(h.h.item_id, array_repeat(0, 6 - size(h.h))), array_repeat(0, 6)) AS actions,
                   coalesce(concat(h.h.action_type, array_repeat(0, 6 - size(h.h))), array_repeat(0, 6))
                     AS action_types
            FROM impressions i LEFT JOIN hist h ON i.customer_id = h.customer_id AND i.as_of_date = h.as_of_date
            """)));
    Set<String> names = new HashSet<>();
    for (HistoryFormulation f : list) {
      if (!names.add(f.name())) {
        throw new IllegalStateException("duplicate near miss " + f.name());
      }
    }
    return list;
  }
}
