package io.traininputs.benchmarks;

import io.traininputs.job.TrainingInputs;
import org.apache.spark.sql.SparkSession;

/** The one place benchmarks get their inputs from, so switching generators touches one line. */
final class BenchmarkInputs {
  private BenchmarkInputs() {}

  /** In-memory, lazily generated inputs for {@code customers} customers in the canonical schemas. */
  static TrainingInputs generate(SparkSession spark, int customers) {
    // TODO(bench): use io.traininputs.synthetic.SyntheticInputs once it is merged into main, then delete LocalInputs.
    return LocalInputs.generate(spark, customers);
  }
}
