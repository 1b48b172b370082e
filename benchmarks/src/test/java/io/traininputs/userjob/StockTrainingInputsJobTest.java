package io.traininputs.userjob;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.cli.TrainingInputsCli;
import io.traininputs.job.InputPaths;
import io.traininputs.job.JobOptions;
import io.traininputs.job.RunFlags;
import io.traininputs.job.TrainingInputsRunner;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's port of the seed pipeline gives the CLI's answer, row for row, on the CLI generator's Parquet inputs:
 * planned by stock Spark (the extension's kill switches off) and with the extension as the class path applies it.
 * {@code -Duserjob.test.customers=N} changes the scale (default 1,000 customers, about 240k actions).
 */
class StockTrainingInputsJobTest {
  private static final int CUSTOMERS = Integer.getInteger("userjob.test.customers", 1000);
  private static SparkSession spark;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("user-job-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    int code =
        TrainingInputsCli.commandLine()
            .execute(
                "generate", "--out", input(""), "--customers", Integer.toString(CUSTOMERS),
                "--input-format", "parquet");
    assertEquals(0, code, "generate");
    TrainingInputsRunner.run(
        spark,
        InputPaths.of(input("impressions"), input("clicks"), input("atc"), input("orders")),
        out("cli"),
        JobOptions.defaults(),
        new RunFlags(false, false, 0));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void stockPlanGivesTheCliRows() {
    spark.conf().set(TrainingInputsConf.TOPN_ENABLED, "false");
    spark.conf().set(TrainingInputsConf.ASOF_ENABLED, "false");
    try {
      assertSameRows(out("cli"), runUserJob("stock"));
    } finally {
      spark.conf().unset(TrainingInputsConf.TOPN_ENABLED);
      spark.conf().unset(TrainingInputsConf.ASOF_ENABLED);
    }
  }

  @Test
  void withTheExtensionOnTheClassPathGivesTheCliRows() {
    assertSameRows(out("cli"), runUserJob("with-extension"));
  }

  private static String runUserJob(String name) {
    return StockTrainingInputsJob.run(
        spark,
        "--impressions", input("impressions"), "--clicks", input("clicks"), "--atc", input("atc"),
        "--orders", input("orders"), "--out", out(name));
  }

  private static void assertSameRows(String expectedDir, String actualDir) {
    Dataset<Row> expected = rows(expectedDir);
    Dataset<Row> actual = rows(actualDir);
    long count = expected.count();
    assertTrue(count > CUSTOMERS, "the CLI wrote " + count + " rows");
    assertEquals(count, actual.count(), "rows");
    assertEquals(0, expected.exceptAll(actual).count(), "CLI rows missing from the user job's output");
    assertEquals(0, actual.exceptAll(expected).count(), "user job rows not in the CLI's output");
    long withHistory = actual.where(col("actions").getItem(0).notEqual(0)).count();
    assertTrue(withHistory > 0 && withHistory < count, "rows with a history: " + withHistory + " of " + count);
  }

  /** The output columns in the contract's order; action types as int (the contract allows int or tinyint). */
  private static Dataset<Row> rows(String outDir) {
    return spark.read().parquet(outDir)
        .select(
            col("as_of_date"),
            col("ranking_id"),
            col("customer_id"),
            col("impressions"),
            col("actions"),
            col("action_types").cast("array<int>").as("action_types"));
  }

  private static String input(String name) {
    return dir.resolve("in").resolve(name).toString();
  }

  private static String out(String name) {
    return dir.resolve("out-" + name).toString();
  }
}
