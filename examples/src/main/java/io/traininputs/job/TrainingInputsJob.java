package io.traininputs.job;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** TEMPORARY stub of the lead's class (JOB_API.md); replaced by main's version at merge. */
public final class TrainingInputsJob {
  private TrainingInputsJob() {
  }

  public static Dataset<Row> build(TrainingInputs inputs, JobOptions options) {
    throw new UnsupportedOperationException("stub");
  }
}
