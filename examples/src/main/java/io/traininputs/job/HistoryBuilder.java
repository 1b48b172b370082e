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

import io.traininputs.catalyst.TopNHistoryFunctions;
import io.traininputs.catalyst.asof.AsOfHistory;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Builds each (customer_id, as_of_date) history in the form a Spark user writes it: a range join of actions to
 * contexts, a {@code row_number()} window filtered to the first N, and ordered, zero-padded arrays. This plan
 * shape is what the Catalyst extension recognises, and it is the stock baseline of every benchmark. With the
 * extension's as-of operator on (the default), that stock form is kept and planned as one merge pass per customer.
 * With only TopNHistory on ({@code spark.traininputs.asof.enabled=false}), the arrays are built straight from its
 * per-group heaps instead ({@link TopNHistoryFunctions#topNArrays}). The output is identical on every path.
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
    Dataset<Row> histories =
        TopNHistoryFunctions.extensionActive(keys.sparkSession()) && !AsOfHistory.active(keys.sparkSession())
            ? heapHistories(actions, keys, options)
            : stockHistories(actions, keys, options);
    Column zeros = array_repeat(lit(Schemas.PADDING), options.maxActions());
    return keys.join(histories, new String[] {"customer_id", "as_of_date"}, "left")
        .select(
            col("customer_id"),
            col("as_of_date"),
            coalesce(col("actions"), zeros).as("actions"),
            coalesce(col("action_types"), zeros).as("action_types"));
  }

  /** Extension off: row_number window, collect_list, sort_array, padding. */
  static Dataset<Row> stockHistories(Dataset<Row> actions, Dataset<Row> keys, JobOptions options) {
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
   * Extension on: the padded arrays come straight from the per-group heaps of the TopNHistory operator
   * ({@link TopNHistoryFunctions#topNArrays}); no sort, window or collect_list.
   */
  static Dataset<Row> heapHistories(Dataset<Row> actions, Dataset<Row> keys, JobOptions options) {
    return TopNHistoryFunctions.topNArrays(
            joinedActions(actions, keys, options),
            List.of("customer_id", "as_of_date"),
            List.of(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc()),
            List.of("item_id", "action_type"),
            options.maxActions(),
            Schemas.PADDING)
        .select(
            col("customer_id"),
            col("as_of_date"),
            col("item_id").as("actions"),
            col("action_type").as("action_types"));
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
