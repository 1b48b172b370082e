package io.traininputs.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.reference.AdversarialData;
import io.traininputs.job.reference.AdversarialFeatures;
import io.traininputs.job.reference.ReferenceFrames;
import io.traininputs.job.reference.ReferenceInputs;
import io.traininputs.job.reference.ReferenceJob;
import io.traininputs.job.reference.DifferentialCases;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * The whole job against the independent plain-Java reference, on seeded adversarial data: on the stock plan, with
 * TopNHistory, and with the as-of operator (the default), each asserted to be in the executed plan.
 */
class JobVsReferenceTest {
  private static final long SEED = 7L;
  private static final JobOptions SMALL_CAP =
      JobOptions.builder().maxActions(3).lookbackDays(30).trainDays(3).explode(true).build();

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(JobVsReferenceTest.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Stream<Arguments> casesOnEveryPlan() {
    return Stream.of(HistoryPlan.values())
        .flatMap(plan -> DifferentialCases.cases().map(c -> Arguments.of(plan, c.get()[0], c.get()[1])));
  }

  @ParameterizedTest(name = "{0}, seed {1}, {2}")
  @MethodSource("casesOnEveryPlan")
  void wholeJobGivesExactlyTheReferenceRows(HistoryPlan plan, long seed, JobOptions options) {
    ReferenceInputs data = AdversarialData.generate(seed, options);
    assertEquals(List.of(), AdversarialFeatures.missing(data, options), "the data lost adversarial features");

    plan.select(spark);
    try {
      Dataset<Row> output = TrainingInputsJob.build(ReferenceFrames.of(spark, data), options);
      plan.assertUsedBy(output);
      JobDifferential.assertSameAsReference(output, ReferenceJob.run(data, options));
    } finally {
      HistoryPlan.AS_OF.select(spark);
    }
  }

  /** The stock plan gives the same answer whatever physical plan Spark picks. */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "spark.sql.adaptive.enabled, true",
    "spark.sql.autoBroadcastJoinThreshold, -1",
    "spark.sql.codegen.wholeStage, false",
    "spark.sql.datetime.java8API.enabled, true",
  })
  void wholeJobGivesTheReferenceRowsUnderOtherSessionSettings(String key, String value) {
    JobOptions options = JobOptions.builder().maxActions(50).lookbackDays(30).trainDays(14).explode(true).build();
    ReferenceInputs data = AdversarialData.generate(SEED, options);
    String before = spark.conf().get(key, null);
    spark.conf().set(key, value);
    try {
      JobDifferential.assertSameAsReference(
          TrainingInputsJob.build(ReferenceFrames.of(spark, data), options), ReferenceJob.run(data, options));
    } finally {
      if (before == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, before);
      }
    }
  }

  @Test
  void historyStageGivesExactlyTheReferenceHistories() {
    JobOptions options = JobOptions.builder().maxActions(50).lookbackDays(365).trainDays(14).build();
    ReferenceInputs data = AdversarialData.generate(SEED, options);
    TrainingInputs in = ReferenceFrames.of(spark, data);
    Dataset<Row> actions = ActionsUnion.union(in.clicks(), in.atc(), in.orders());
    Dataset<Row> contexts = ImpressionSelection.select(in.impressions(), options.trainDays())
        .select(col("customer_id"), col("as_of_date"));

    JobDifferential.assertSameHistories(
        HistoryBuilder.build(actions, contexts, options), ReferenceJob.histories(data, options));
  }

  @Test
  void theJobForcesUtcWhateverTheSessionTimeZone() {
    ReferenceInputs data = AdversarialData.generate(SEED, SMALL_CAP);
    spark.conf().set("spark.sql.session.timeZone", "Pacific/Kiritimati");
    try {
      JobDifferential.assertSameAsReference(
          TrainingInputsJob.build(ReferenceFrames.of(spark, data), SMALL_CAP), ReferenceJob.run(data, SMALL_CAP));
    } finally {
      spark.conf().set("spark.sql.session.timeZone", "UTC");
    }
  }

  /** The comparison is not vacuous on Spark output: a plan that drops duplicate actions is reported. */
  @Test
  void aJobThatDropsDuplicateActionsIsCaught() {
    ReferenceInputs data = AdversarialData.generate(SEED, SMALL_CAP);
    TrainingInputs in = ReferenceFrames.of(spark, data);
    TrainingInputs deduplicated = new TrainingInputs(
        in.impressions(), in.clicks().distinct(), in.atc().drop("simple_id").distinct().withColumn("simple_id",
            col("config_id")), in.orders().distinct());

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> JobDifferential.assertSameAsReference(
        TrainingInputsJob.build(deduplicated, SMALL_CAP), ReferenceJob.run(data, SMALL_CAP)));
    assertTrue(e.getMessage().contains("Output differs from the reference"), e.getMessage());
    assertTrue(e.getMessage().contains("actions differ first at index"), e.getMessage());
  }
}
