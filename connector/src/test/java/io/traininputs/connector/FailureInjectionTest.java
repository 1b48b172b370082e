package io.traininputs.connector;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected failures: the visible output afterwards is exactly the new output or exactly the previous one, with
 * nothing staged left behind. The session allows one task retry ({@code local[2,2]}).
 */
class FailureInjectionTest {
  private static final int N = 8;
  private static final long SLOW_TASK_MILLIS = 1_500;
  private static final AtomicLong SIBLING_WOKE_AT = new AtomicLong();
  private static SparkSession spark;
  private static Dataset<Row> previous;
  private static Dataset<Row> next;
  private static final AtomicInteger FAILED_TASKS = new AtomicInteger();

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestData.session("local[2,2]");
    previous = TestData.rows(spark, 5, 2, N, 3, false).cache();
    next = TestData.rows(spark, 9, 3, N, 2, false).cache();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!end.taskInfo().successful()) {
          FAILED_TASKS.incrementAndGet();
        }
      }
    });
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private String out() {
    return dir.resolve("out").toString();
  }

  private void write(Dataset<Row> df, String mode, String failure, String format) {
    var w = df.write().format("training-inputs").mode(mode).option("historyLength", N).option("batchSize", 2)
        .option("fileFormat", format);
    if (failure != null) {
      w = w.option(TrainingInputsOptions.TEST_INJECT_FAILURE, failure);
    }
    w.save(out());
  }

  private List<String> read() {
    return TestData.sorted(spark.read().format("training-inputs").load(out()));
  }

  private static List<String> expected(Dataset<Row> df) {
    return TestData.sorted(TestData.expected(df, Layout.ROWS));
  }

  private List<String> listing() throws Exception {
    return TestData.listing(dir.resolve("out"));
  }

  @Test
  void aRetriedTaskAttemptLeavesNoDuplicateOrPartialFile() throws Exception {
    int failedBefore = FAILED_TASKS.get();
    write(next, "errorifexists", "task-attempt", "arrow");
    spark.sparkContext().listenerBus().waitUntilEmpty();
    assertEquals(failedBefore + 1, FAILED_TASKS.get(), "exactly one attempt failed and was retried");
    assertEquals(expected(next), read());
    assertFalse(Files.exists(dir.resolve("out/_staging")));
    // plain directory listing: exactly one file per (task, date), all in the manifest
    String manifest = Files.readString(dir.resolve("out/_manifest.json"));
    for (String f : listing()) {
      assertTrue(f.startsWith("_") || manifest.contains(f), f + " is not in the manifest");
    }
  }

  @Test
  void aJobFailingBeforeItsCommitLeavesNothing() throws Exception {
    assertThrows(Exception.class, () -> write(next, "errorifexists", "before-job-commit", "arrow"));
    assertFalse(Files.exists(dir.resolve("out")), "no output, no staging: " + listing());
    // and the path is free for the next write
    write(next, "errorifexists", null, "arrow");
    assertEquals(expected(next), read());
  }

  @Test
  void anOverwriteFailingBeforeItsCommitKeepsThePreviousOutput() throws Exception {
    write(previous, "errorifexists", null, "parquet");
    List<String> before = listing();
    assertThrows(Exception.class, () -> write(next, "overwrite", "before-job-commit", "parquet"));
    assertEquals(expected(previous), read());
    assertEquals(before, listing());
  }

  @Test
  void anOverwriteFailingMidwayThroughPublishingKeepsThePreviousOutput() throws Exception {
    write(previous, "errorifexists", null, "arrow");
    List<String> before = listing();
    Exception e = assertThrows(Exception.class, () -> write(next, "overwrite", "during-publish", "arrow"));
    assertTrue(e.getMessage().contains("Injected failure after publishing"), e.getMessage());
    assertEquals(expected(previous), read());
    assertEquals(before, listing(), "the files published before the failure are removed again");
    write(next, "overwrite", null, "arrow");
    assertEquals(expected(next), read());
  }

  @Test
  void aTaskFailingOnEveryAttemptFailsTheJobAndLeavesThePreviousOutput() throws Exception {
    write(previous, "errorifexists", null, "arrow");
    List<String> before = listing();
    Dataset<Row> bad = next.withColumn("actions", org.apache.spark.sql.functions.slice(
        org.apache.spark.sql.functions.col("actions"), 1, N - 1));
    assertThrows(Exception.class, () -> write(bad, "overwrite", null, "arrow"));
    assertEquals(expected(previous), read());
    assertEquals(before, listing());
    assertFalse(Files.exists(dir.resolve("out/_staging")), "the failed job's staging is removed");
  }

  @Test
  void aFirstWriteWhoseTaskFailsOnEveryAttemptLeavesNoDirectory() throws Exception {
    Dataset<Row> bad = next.withColumn("actions", org.apache.spark.sql.functions.slice(
        org.apache.spark.sql.functions.col("actions"), 1, N - 1));
    Exception e = assertThrows(Exception.class, () -> write(bad, "errorifexists", null, "parquet"));
    assertTrue(e instanceof org.apache.spark.SparkException, "Spark's job-aborted exception: " + e);
    assertFalse(Files.exists(dir.resolve("out")), "no output directory, no staging");
  }

  @Test
  void aSiblingTaskStillRunningWhenTheJobFailsStagesNothingAfterTheAbort() throws Exception {
    // Partition 0 fails on every attempt at once; partition 1 is still busy then (deaf to the kill's interrupt)
    // and writes its first row after the failure. The UDF reads the static field: a captured one would be a copy.
    SIBLING_WOKE_AT.set(0);
    spark.udf().register("slowInPartitionOne", (UDF1<Long, Long>) id -> {
      if (TaskContext.getPartitionId() == 1 && SIBLING_WOKE_AT.get() == 0) {
        long until = System.nanoTime() + SLOW_TASK_MILLIS * 1_000_000L;
        while (System.nanoTime() < until) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException ignored) {
            // keep running, as a task busy in native code would
          }
        }
        SIBLING_WOKE_AT.set(System.nanoTime());
      }
      return id;
    }, DataTypes.LongType);
    Dataset<Row> mixed = next.repartition(2)
        .withColumn("customer_id", callUDF("slowInPartitionOne", col("customer_id")))
        .withColumn("actions", when(spark_partition_id().equalTo(0), slice(col("actions"), 1, N - 1))
            .otherwise(col("actions")));
    assertThrows(Exception.class, () -> write(mixed, "errorifexists", null, "parquet"));
    long failedAt = System.nanoTime();
    assertTrue(SIBLING_WOKE_AT.get() != 0 && SIBLING_WOKE_AT.get() < failedAt,
        "the write failed only after the sibling task had gone on writing");
    assertFalse(Files.exists(dir.resolve("out")), "nothing there when the write fails: " + listing());
    spark.sparkContext().listenerBus().waitUntilEmpty();
    assertEquals(0, spark.sparkContext().statusTracker().getActiveStageIds().length);
    assertFalse(Files.exists(dir.resolve("out")), "nothing staged by the sibling task later: " + listing());
  }
}
