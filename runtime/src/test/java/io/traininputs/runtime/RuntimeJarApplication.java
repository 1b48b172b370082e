package io.traininputs.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A user's Spark application that knows this project only by names: the extension through
 * {@code spark.sql.extensions}, the format through {@code format("training-inputs")}. It compiles against Spark alone
 * and runs with the runtime jar added by {@code spark.jars}. It prints one {@code CHECK name ok|FAILED ...} line per
 * check and exits 1 if one failed.
 */
public final class RuntimeJarApplication {
  private static final int N = 4;
  private static final List<String> FAILED = new ArrayList<>();

  private RuntimeJarApplication() {}

  public static void main(String[] args) {
    String out = args[0];
    SparkSession spark = SparkSession.builder().appName("runtime-jar-application").getOrCreate();
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    // 60 customers, ties on time, same-day events, a null item; contexts on 5 dates, one customer with none.
    spark.sql("SELECT id % 60 AS customer_id, CAST((id * 7) % 23 AS INT) AS item_id,"
        + " IF(id % 97 = 0, NULL, CAST(id % 3 AS INT)) AS action_type,"
        + " timestamp'2026-01-01 00:00:00' + make_dt_interval(CAST(id % 20 AS INT), CAST(id % 5 AS INT), 0, 0)"
        + "   AS occurred_at FROM range(6000)").createOrReplaceTempView("events");
    spark.sql("SELECT c.id AS customer_id, date_add(DATE'2026-01-08', CAST(d.id AS INT) * 3) AS as_of_date"
        + " FROM range(61) c CROSS JOIN range(5) d").createOrReplaceTempView("contexts");

    // The history stage as the seed's PySpark users port it: date_sub lookback, array_sort, zero padding.
    String history = "WITH joined AS ("
        + " SELECT c.customer_id, c.as_of_date, e.item_id, e.occurred_at, e.action_type,"
        + "   row_number() OVER (PARTITION BY c.customer_id, c.as_of_date"
        + "     ORDER BY e.occurred_at DESC, e.item_id DESC, e.action_type DESC) AS rn"
        + " FROM events e JOIN contexts c ON e.customer_id = c.customer_id"
        + "   AND e.occurred_at < to_timestamp(c.as_of_date)"
        + "   AND e.occurred_at >= to_timestamp(date_sub(c.as_of_date, 7))),"
        + " ranked AS (SELECT customer_id, as_of_date,"
        + "   array_sort(collect_list(struct(rn, item_id AS item, coalesce(action_type, 0) AS type))) AS entries"
        + "   FROM joined WHERE rn <= " + N + " GROUP BY customer_id, as_of_date)"
        + " SELECT as_of_date, concat('r', customer_id) AS ranking_id, customer_id,"
        + "   array(named_struct('item_id', 1, 'is_order', false)) AS impressions,"
        + "   concat(transform(entries, x -> x.item), array_repeat(0, " + N + " - size(entries))) AS actions,"
        + "   concat(transform(entries, x -> x.type), array_repeat(0, " + N + " - size(entries))) AS action_types"
        + " FROM ranked";
    String latest = "SELECT customer_id, item_id, occurred_at FROM ("
        + " SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY occurred_at DESC, item_id) AS rn"
        + " FROM events) WHERE rn <= 3";

    List<String> historyOn = run(spark, "as-of history", history, "AsOf");
    List<String> latestOn = run(spark, "top-N", latest, "TopNHistory");
    spark.conf().set("spark.traininputs.asof.enabled", "false");
    spark.conf().set("spark.traininputs.topn.enabled", "false");
    check("as-of history equals stock", historyOn.equals(rows(spark.sql(history))), historyOn.size() + " rows");
    check("top-N equals stock", latestOn.equals(rows(spark.sql(latest))), latestOn.size() + " rows");

    spark.sql(history).write().format("training-inputs").option("historyLength", N).save(out);
    List<String> readBack = rows(spark.read().format("training-inputs").load(out)
        .select("as_of_date", "ranking_id", "customer_id", "impressions", "actions", "action_types"));
    check("format round trip", readBack.equals(historyOn), readBack.size() + " rows read back");

    spark.stop();
    if (!FAILED.isEmpty()) {
      System.out.println("FAILED: " + FAILED);
      System.exit(1);
    }
  }

  private static List<String> run(SparkSession spark, String name, String sql, String operator) {
    Dataset<Row> frame = spark.sql(sql);
    List<String> rows = rows(frame);
    String plan = frame.queryExecution().executedPlan().toString();
    boolean planned = plan.contains(operator);
    check(name + " planned with " + operator, planned, planned ? "executed plan" : plan.replace('\n', ' '));
    return rows;
  }

  private static List<String> rows(Dataset<Row> frame) {
    List<String> rows = new ArrayList<>();
    for (Row r : frame.collectAsList()) {
      rows.add(r.toString());
    }
    rows.sort(null);
    return rows;
  }

  private static void check(String name, boolean ok, String detail) {
    System.out.println("CHECK " + name + (ok ? " ok" : " FAILED") + " (" + detail + ")");
    if (!ok) {
      FAILED.add(name);
    }
  }
}
