package io.traininputs.benchmarks;

import io.traininputs.job.TrainingInputs;
import io.traininputs.synthetic.SyntheticConfig;
import io.traininputs.synthetic.SyntheticInputs;
import org.apache.spark.sql.SparkSession;

/** The one place benchmarks get their inputs from: the CLI's skewed synthetic generator, default settings. */
final class BenchmarkInputs {
  private BenchmarkInputs() {}

  /** In-memory, lazily generated inputs for {@code customers} customers in the canonical schemas. */
  static TrainingInputs generate(SparkSession spark, int customers) {
    return SyntheticInputs.of(spark, SyntheticConfig.defaults().withCustomers(customers)).toTrainingInputs();
  }
}
