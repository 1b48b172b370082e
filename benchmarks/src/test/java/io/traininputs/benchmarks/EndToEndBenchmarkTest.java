package io.traininputs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.ActionsUnion;
import io.traininputs.job.TrainingInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndToEndBenchmarkTest {
  private static final String PARTITIONS = "spark.sql.shuffle.partitions";
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BenchmarkSpark.start("local[2]", 4, Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void eachVariantRunsWithItsConfsWhichAreRestoredAfterwards() {
    Variant two = new Variant("two-partitions", Map.of(PARTITIONS, "2"));
    List<String> seenByHistory = new ArrayList<>();
    List<String> seenByJob = new ArrayList<>();
    List<String> seenBySeed = new ArrayList<>();
    List<VariantResult> results =
        EndToEndBenchmark.compare(
            spark,
            List.of(Variants.stock(), two),
            1,
            2,
            () -> seenByHistory.add(spark.conf().get(PARTITIONS)),
            () -> seenByJob.add(spark.conf().get(PARTITIONS)),
            () -> seenBySeed.add(spark.conf().get(PARTITIONS)));
    // three rounds (one warm-up), variants interleaved within each round
    assertEquals(List.of("4", "2", "4", "2", "4", "2"), seenByHistory);
    assertEquals(seenByHistory, seenByJob);
    assertEquals(seenByHistory, seenBySeed);
    assertEquals("4", spark.conf().get(PARTITIONS));
    assertEquals(2, results.size());
    for (VariantResult r : results) {
      assertEquals(2, r.history().size(), "warm-up rounds are not kept");
      assertEquals(2, r.job().size());
      assertEquals(2, r.seedHistory().size());
    }
  }

  @Test
  void tinyRunMeasuresTheHistoryStageAndTheJob(@TempDir Path dir) throws Exception {
    EndToEndOptions options =
        EndToEndOptions.parse(
            "--customers", "20", "--max-actions", "10", "--warmups", "0", "--iterations", "1", "--data-dir",
            dir.toString());
    EndToEndReport report = EndToEndBenchmark.run(spark, options);
    TrainingInputs generated = BenchmarkInputs.generate(spark, 20);
    assertEquals(actionRows(generated), report.actionRows());
    assertEquals(generated.impressions().count(), report.impressionRows());
    assertTrue(report.contextRows() > 0 && report.contextRows() <= report.impressionRows(),
        "contexts " + report.contextRows());
    Measurement history = report.stock().history().get(0);
    Measurement job = report.stock().job().get(0);
    assertTrue(history.nanos() > 0 && job.nanos() > 0);
    assertTrue(history.shuffleBytesWritten() > 0, "the history stage shuffles");
    assertTrue(job.shuffleBytesWritten() > 0, "the job shuffles");
    assertTrue(history.peakHeapBytes() > 0);
    Measurement seed = report.stock().seedHistory().get(0);
    assertTrue(seed.nanos() > 0 && seed.shuffleBytesWritten() > 0, "the seed port's history stage shuffles");
    assertFalse(report.table().isEmpty());
    assertTrue(report.table().contains("stock        seed-hist"), report.table());
    assertTrue(report.json().contains("\"seedHistory\": {\"millis\": ["), report.json());
    assertEquals(List.of(), report.gateFailures());
    assertTrue(Files.isDirectory(dir.resolve("clicks")), "Parquet inputs are kept in --data-dir");
  }

  @Test
  void inMemoryRunTimesTheGeneratedInputs() throws Exception {
    EndToEndOptions options =
        EndToEndOptions.parse(
            "--in-memory", "--customers", "10", "--max-actions", "5", "--warmups", "0", "--iterations", "1");
    EndToEndReport report = EndToEndBenchmark.run(spark, options);
    assertEquals(1, report.stock().job().size());
    assertTrue(report.stock().history().get(0).shuffleBytesWritten() > 0);
    assertEquals(actionRows(BenchmarkInputs.generate(spark, 10)), report.actionRows());
    assertTrue(report.table().contains("in-memory inputs"), report.table());
  }

  private static long actionRows(TrainingInputs inputs) {
    return ActionsUnion.union(inputs.clicks(), inputs.atc(), inputs.orders()).count();
  }
}
