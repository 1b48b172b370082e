package io.traininputs.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * Prints Spark's progress to stderr, at most once per interval: the running stages, their finished and total tasks,
 * and the description of the job they belong to (the run's phase). Also usable as a {@code RunProgress}-style
 * phase reporter through {@link #phaseStarted} and {@link #phaseFinished}.
 */
final class StageProgress extends SparkListener {
  static final long DEFAULT_INTERVAL_MILLIS = 3_000;

  private final PrintWriter err;
  private final long intervalMillis;
  private final long startNanos = System.nanoTime();
  private final AtomicLong lastPrintNanos = new AtomicLong(System.nanoTime());
  private final Map<Integer, int[]> running = new ConcurrentHashMap<>();
  private final Map<Integer, String> stageJob = new ConcurrentHashMap<>();
  private volatile String phase = "";

  StageProgress(PrintWriter err, long intervalMillis) {
    this.err = err;
    this.intervalMillis = intervalMillis;
  }

  void phaseStarted(String name) {
    phase = name;
    line(name + " ...");
  }

  void phaseFinished(String name, long millis) {
    line(String.format(Locale.ROOT, "%s done in %.1f s", name, millis / 1000.0));
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    String description = jobStart.properties() == null
        ? null : jobStart.properties().getProperty("spark.job.description");
    scala.collection.Iterator<StageInfo> stages = jobStart.stageInfos().iterator();
    while (stages.hasNext()) {
      stageJob.put(stages.next().stageId(), description == null ? phase : description);
    }
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    StageInfo info = submitted.stageInfo();
    running.put(info.stageId(), new int[] {0, info.numTasks()});
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    int[] tasks = running.get(taskEnd.stageId());
    if (tasks != null) {
      synchronized (tasks) {
        tasks[0]++;
      }
    }
    maybePrint();
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    running.remove(completed.stageInfo().stageId());
    stageJob.remove(completed.stageInfo().stageId());
  }

  private void maybePrint() {
    long now = System.nanoTime();
    long last = lastPrintNanos.get();
    if (now - last < intervalMillis * 1_000_000L || !lastPrintNanos.compareAndSet(last, now)) {
      return;
    }
    Map<String, StringBuilder> byJob = new TreeMap<>();
    running.forEach((stage, tasks) -> {
      StringBuilder stages = byJob.computeIfAbsent(stageJob.getOrDefault(stage, ""), job -> new StringBuilder());
      stages.append(stages.length() == 0 ? "stage " : ", ").append(stage).append(": ").append(tasks[0])
          .append('/').append(tasks[1]);
    });
    StringBuilder s = new StringBuilder();
    byJob.forEach((job, stages) -> s.append(s.length() == 0 ? "" : "; ").append(job.isEmpty() ? "" : job + " ")
        .append(stages).append(" tasks"));
    if (s.length() > 0) {
      line(s.toString());
    }
  }

  private void line(String text) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    String full = String.format(Locale.ROOT, "[%6.1fs] %s", elapsed, text);
    synchronized (err) {
      err.println(full.length() > 100 ? full.substring(0, 99) + "…" : full);
      err.flush();
    }
  }
}
