package io.traininputs.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Joins histories back to the selected impressions, in the non-exploded or the exploded output shape. */
public final class TrainingExamples {
  private static final String ELEMENT = "_impression";

  private TrainingExamples() {}

  /**
   * @param selected the output of {@link ImpressionSelection#select}
   * @param histories the output of {@link HistoryBuilder#build}, one row per (customer_id, as_of_date) of selected
   */
  public static Dataset<Row> build(Dataset<Row> selected, Dataset<Row> histories, JobOptions options) {
    Dataset<Row> joined = selected.join(histories, new String[] {"customer_id", "as_of_date"}, "inner");
    if (!options.explode()) {
      return joined.select(
          col("as_of_date"),
          col("ranking_id"),
          col("customer_id"),
          col("impressions"),
          col("actions"),
          col("action_types"));
    }
    return joined
        .select(
            col("as_of_date"),
            col("ranking_id"),
            col("customer_id"),
            explode(col("impressions")).as(ELEMENT),
            col("actions"),
            col("action_types"))
        .select(
            col("as_of_date"),
            col("ranking_id"),
            col("customer_id"),
            col(ELEMENT).getField("item_id").as("impression_item_id"),
            col(ELEMENT).getField("is_order").as("is_order"),
            col("actions"),
            col("action_types"));
  }
}
