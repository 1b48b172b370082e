package io.traininputs.job;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
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

/**
 * The reference job with a planted off-by-one-day bug: each history ends before 00:00 of the day AFTER its as-of day,
 * so actions of the as-of day itself leak into it. Written in the stock shape of {@link HistoryBuilder}, so the
 * extension plans it as the same one-pass operator and writes exactly what the buggy stock plan would.
 */
final class PlantedLeakJob {
  private PlantedLeakJob() {}

  static Dataset<Row> build(TrainingInputs inputs, JobOptions options) {
    Dataset<Row> actions = ActionsUnion.union(inputs.clicks(), inputs.atc(), inputs.orders());
    Dataset<Row> selected = ImpressionSelection.select(inputs.impressions(), options.trainDays());
    Dataset<Row> keys = selected.select(col("customer_id"), col("as_of_date")).distinct();
    Dataset<Row> c = keys.select(col("customer_id").as("c_customer_id"), col("as_of_date"));
    Column end = date_add(col("as_of_date"), 1).cast("timestamp");
    Column condition = col("c_customer_id").equalTo(col("customer_id"))
        .and(col("occurred_at").lt(end))
        .and(col("occurred_at").geq(end.minus(make_dt_interval(lit(options.lookbackDays())))));
    int n = options.maxActions();
    Dataset<Row> ranked = c.join(actions, condition, "inner")
        .select(col("customer_id"), col("as_of_date"), col("item_id"), col("action_type"), col("occurred_at"))
        .withColumn("rn", row_number().over(Window.partitionBy(col("customer_id"), col("as_of_date"))
            .orderBy(col("occurred_at").desc(), col("action_type").desc(), col("item_id").desc())))
        .where(col("rn").leq(n));
    Dataset<Row> histories = ranked.groupBy(col("customer_id"), col("as_of_date"))
        .agg(sort_array(collect_list(struct(col("rn"), col("item_id"), col("action_type")))).as("h"))
        .select(col("customer_id"), col("as_of_date"),
            padded(transform(col("h"), e -> e.getField("item_id")), n).as("actions"),
            padded(transform(col("h"), e -> e.getField("action_type")), n).as("action_types"));
    Column zeros = array_repeat(lit(Schemas.PADDING), n);
    Dataset<Row> padded = keys.join(histories, new String[] {"customer_id", "as_of_date"}, "left")
        .select(col("customer_id"), col("as_of_date"), coalesce(col("actions"), zeros).as("actions"),
            coalesce(col("action_types"), zeros).as("action_types"));
    return TrainingExamples.build(selected, padded, options);
  }

  private static Column padded(Column values, int n) {
    return concat(values, array_repeat(lit(Schemas.PADDING), lit(n).minus(size(values))));
  }
}
