package io.traininputs.job;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The reference training-input job: canonical inputs in, training examples out (see docs/semantics.md). */
public final class TrainingInputsJob {
  private TrainingInputsJob() {}

  /** Wires the stages; lazy, nothing runs until an action. Forces the session time zone to UTC. */
  public static Dataset<Row> build(TrainingInputs inputs, JobOptions options) {
    SparkSession spark = inputs.impressions().sparkSession();
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    Dataset<Row> actions = ActionsUnion.union(inputs.clicks(), inputs.atc(), inputs.orders());
    Dataset<Row> selected = ImpressionSelection.select(inputs.impressions(), options.trainDays());
    Dataset<Row> contexts = selected.select(col("customer_id"), col("as_of_date"));
    Dataset<Row> histories = HistoryBuilder.build(actions, contexts, options);
    return TrainingExamples.build(selected, histories, options);
  }
}
