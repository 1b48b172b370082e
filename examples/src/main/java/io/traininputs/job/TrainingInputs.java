package io.traininputs.job;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** TEMPORARY stub of the lead's class (JOB_API.md); replaced by main's version at merge. */
public record TrainingInputs(Dataset<Row> impressions, Dataset<Row> clicks, Dataset<Row> atc, Dataset<Row> orders) {
}
