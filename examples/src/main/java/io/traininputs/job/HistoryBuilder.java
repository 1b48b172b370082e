package io.traininputs.job;

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

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Builds each (customer_id, as_of_date) history in the form a Spark user writes it: a range join of actions to
 * contexts, a {@code row_number()} window filtered to the first N, and ordered, zero-padded arrays. This plan
 * shape is what the Catalyst extension recognises, and it is the stock baseline of every benchmark. The job writes
 * it one way whatever the extension's state: with the as-of operator on (the default) the whole stage is planned as
 * one pass per customer; with only TopNHistory on ({@code spark.traininputs.asof.enabled=false}) the window is a
 * bounded heap per context; with both off it is Spark's. The output is identical on every path.
 */
public final class HistoryBuilder {
  static final String RANK = "rn";
  private static final String HISTORY = "_history";

  private HistoryBuilder() {}

  /**
   * Returns one row per distinct context: {@code customer_id, as_of_date, actions, action_types}, both arrays exactly
   * {@code maxActions} long, zero-padded, all zeros when the customer has no qualifying action.
   *
   * @param actions canonical actions ({@link Schemas#ACTIONS})
   * @param contexts {@code customer_id, as_of_date} pairs (duplicates are removed)
   */
  public static Dataset<Row> build(Dataset<Row> actions, Dataset<Row> contexts, JobOptions options) {
    Dataset<Row> keys = contexts.select(col("customer_id"), col("as_of_date")).distinct();
    Dataset<Row> histories = histories(actions, keys, options);
    Column zeros = array_repeat(lit(Schemas.PADDING), options.maxActions());
    return keys.join(histories, new String[] {"customer_id", "as_of_date"}, "left")
        .select(
            col("customer_id"),
            col("as_of_date"),
            coalesce(col("actions"), zeros).as("actions"),
            coalesce(col("action_types"), zeros).as("action_types"));
  }

  /** Row_number window, collect_list, sort_array, padding: what the extension recognises, whatever its state. */
  static Dataset<Row> histories(Dataset<Row> actions, Dataset<Row> keys, JobOptions options) {
    Dataset<Row> ranked = rankedHistory(actions, keys, options);
    int n = options.maxActions();
    return ranked
        .groupBy(col("customer_id"), col("as_of_date"))
        .agg(sort_array(collect_list(struct(col(RANK), col("item_id"), col("action_type")))).as(HISTORY))
        .select(
            col("customer_id"),
            col("as_of_date"),
            padded(transform(col(HISTORY), e -> e.getField("item_id")), n).as("actions"),
            padded(transform(col(HISTORY), e -> e.getField("action_type")), n).as("action_types"));
  }

  /**
   * The history in row form: {@code customer_id, as_of_date, item_id, action_type, occurred_at, rn} for the first
   * {@code maxActions} qualifying actions of each context, {@code rn} counting from 1 in history order.
   */
  public static Dataset<Row> rankedHistory(Dataset<Row> actions, Dataset<Row> contexts, JobOptions options) {
    WindowSpec historyOrder =
        Window.partitionBy(col("customer_id"), col("as_of_date"))
            .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc());
    return joinedActions(actions, contexts, options)
        .withColumn(RANK, row_number().over(historyOrder))
        .where(col(RANK).leq(options.maxActions()));
  }

  /** Each context's qualifying actions: {@code customer_id, as_of_date, item_id, action_type, occurred_at}. */
  static Dataset<Row> joinedActions(Dataset<Row> actions, Dataset<Row> contexts, JobOptions options) {
    Dataset<Row> c = contexts.select(col("customer_id").as("c_customer_id"), col("as_of_date"));
    Column day0 = col("as_of_date").cast("timestamp");
    Column joinCondition =
        col("c_customer_id")
            .equalTo(col("customer_id"))
            .and(col("occurred_at").lt(day0))
            .and(col("occurred_at").geq(day0.minus(make_dt_interval(lit(options.lookbackDays())))));
    return c.join(actions, joinCondition, "inner")
        .select(col("customer_id"), col("as_of_date"), col("item_id"), col("action_type"), col("occurred_at"));
  }

  private static Column padded(Column values, int n) {
    return concat(values, array_repeat(lit(Schemas.PADDING), lit(n).minus(size(values))));
  }
}
