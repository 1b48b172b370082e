package io.traininputs.connector;

import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Counts the running tasks of the jobs that carry one job tag, from the listener bus's own events. Spark reports a
 * job's failure while its other tasks are still being killed; the abort waits here so that no task still writing
 * stages files after it. The status tracker cannot say this: its live view is refreshed at most every
 * {@code spark.ui.liveUpdate.period}, so a task that has just started can read as none.
 */
final class WriteTaskTracker extends SparkListener implements AutoCloseable {
  private final SparkContext context;
  private final String tag;
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  private final AtomicInteger running = new AtomicInteger();

  private WriteTaskTracker(SparkContext context, String tag) {
    this.context = context;
    this.tag = tag;
  }

  static WriteTaskTracker start(SparkContext context, String tag) {
    WriteTaskTracker tracker = new WriteTaskTracker(context, tag);
    context.addSparkListener(tracker);
    return tracker;
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    Properties p = start.properties();
    String tags = p == null ? null : p.getProperty(SparkContext$.MODULE$.SPARK_JOB_TAGS());
    if (tags != null && Arrays.asList(tags.split(Pattern.quote(SparkContext$.MODULE$.SPARK_JOB_TAGS_SEP())))
        .contains(tag)) {
      scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds()).forEach(id -> stages.add((Integer) id));
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart start) {
    if (stages.contains(start.stageId())) {
      running.incrementAndGet();
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (stages.contains(end.stageId())) {
      running.decrementAndGet();
    }
  }

  /**
   * Waits, at most {@code millis}, until every task of the tagged jobs that started has ended. Every task start is
   * posted before the job's failure is, so once the bus has delivered what was posted so far the count is complete.
   */
  void awaitNoneRunning(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    try {
      context.listenerBus().waitUntilEmpty(millis);
      while (running.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } catch (TimeoutException e) {
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    context.removeSparkListener(this);
  }
}
