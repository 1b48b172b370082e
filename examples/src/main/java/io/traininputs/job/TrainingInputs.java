package io.traininputs.job;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The four raw inputs, already cast to {@link Schemas#IMPRESSIONS}, {@link Schemas#CLICKS}, {@link Schemas#ATC}
 * and {@link Schemas#ORDERS}, with unusable records removed (quarantined) by whoever read them.
 */
public record TrainingInputs(
    Dataset<Row> impressions, Dataset<Row> clicks, Dataset<Row> atc, Dataset<Row> orders) {
  public TrainingInputs {
    Objects.requireNonNull(impressions, "impressions");
    Objects.requireNonNull(clicks, "clicks");
    Objects.requireNonNull(atc, "atc");
    Objects.requireNonNull(orders, "orders");
  }
}
