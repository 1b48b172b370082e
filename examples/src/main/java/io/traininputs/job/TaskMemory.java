package io.traininputs.job;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * The memory the tasks of a run used, from Spark's task metrics while it listens: the largest peak execution memory
 * of one task (Spark's operators and ours: the history operators report what they reserved) and the bytes spilled
 * to disk by all of them. Shown in the run's summary.
 */
final class TaskMemory extends SparkListener implements AutoCloseable {
  private final SparkSession spark;
  private long largestTaskPeak;
  private long spilledToDisk;
  private long tasks;

  private TaskMemory(SparkSession spark) {
    this.spark = spark;
  }

  static TaskMemory listen(SparkSession spark) {
    TaskMemory memory = new TaskMemory(spark);
    spark.sparkContext().addSparkListener(memory);
    return memory;
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    TaskMetrics metrics = taskEnd.taskMetrics();
    if (metrics != null) {
      tasks++;
      largestTaskPeak = Math.max(largestTaskPeak, metrics.peakExecutionMemory());
      spilledToDisk += metrics.diskBytesSpilled();
    }
  }

  /** One line for the summary, once the events of the tasks that ended so far are delivered. */
  String describe() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(TimeUnit.MINUTES.toMillis(1));
    } catch (TimeoutException e) {
      return "unknown (Spark's listener events were not delivered within a minute)";
    }
    synchronized (this) {
      return String.format(Locale.ROOT, "largest task peak %s, spilled %s, %,d tasks",
          RunSummary.bytes(largestTaskPeak), RunSummary.bytes(spilledToDisk), tasks);
    }
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(this);
  }
}
