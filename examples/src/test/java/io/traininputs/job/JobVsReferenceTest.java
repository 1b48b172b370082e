package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.traininputs.job.reference.AdversarialData;
import io.traininputs.job.reference.AdversarialFeatures;
import io.traininputs.job.reference.ReferenceFrames;
import io.traininputs.job.reference.ReferenceInputs;
import io.traininputs.job.reference.ReferenceJob;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole job (stock Spark plan) against the independent plain-Java reference, on seeded adversarial data. */
class JobVsReferenceTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(JobVsReferenceTest.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("io.traininputs.job.reference.DifferentialCases#cases")
  void wholeJobGivesExactlyTheReferenceRows(long seed, JobOptions options) {
    ReferenceInputs data = AdversarialData.generate(seed, options);
    assertEquals(List.of(), AdversarialFeatures.missing(data, options), "the data lost adversarial features");

    JobDifferential.assertSameAsReference(
        TrainingInputsJob.build(ReferenceFrames.of(spark, data), options), ReferenceJob.run(data, options));
  }
}
