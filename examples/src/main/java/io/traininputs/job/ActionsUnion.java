package io.traininputs.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Normalises clicks, add-to-carts and orders into one stream of canonical actions ({@link Schemas#ACTIONS}). */
public final class ActionsUnion {
  private ActionsUnion() {}

  public static Dataset<Row> union(Dataset<Row> clicks, Dataset<Row> atc, Dataset<Row> orders) {
    Dataset<Row> fromClicks = canonical(clicks, "item_id", Schemas.CLICK, col("click_time").cast("timestamp"));
    Dataset<Row> fromAtc = canonical(atc, "config_id", Schemas.ADD_TO_CART, col("occur_at").cast("timestamp"));
    // An order has no time of day: it happened at 00:00:00 UTC of order_date (the session time zone is UTC).
    Dataset<Row> fromOrders =
        canonical(orders, "config_id", Schemas.ORDER, col("order_date").cast("date").cast("timestamp"));
    return fromClicks.unionByName(fromAtc).unionByName(fromOrders);
  }

  private static Dataset<Row> canonical(Dataset<Row> source, String itemColumn, int actionType, Column occurredAt) {
    return source.select(
        col("customer_id").cast("bigint").as("customer_id"),
        col(itemColumn).cast("int").as("item_id"),
        lit(actionType).as("action_type"),
        occurredAt.as("occurred_at"));
  }
}
