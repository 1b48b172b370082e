package io.traininputs.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * Reports the progress of Spark stages, labelled with the run phase that started them (the job description
 * {@link TrainingInputsRunner} sets). Register with {@code spark.sparkContext().addSparkListener(...)} and remove
 * after the run. The sink is called on Spark's listener-bus thread, once when a stage starts, after every finished
 * task and when the stage ends; it should be quick, and may print only every so often.
 */
public final class StageProgressListener extends SparkListener {
  private static final String JOB_DESCRIPTION = "spark.job.description";

  /** One report: tasks finished (successfully or not) out of the stage's tasks. */
  public record StageProgress(int stageId, String phase, int tasksDone, int tasksTotal, boolean complete) {}

  /** Receives the reports. */
  public interface Sink {
    void report(StageProgress progress);
  }

  private final Sink sink;
  private final Map<Integer, Stage> stages = new ConcurrentHashMap<>();

  public StageProgressListener(Sink sink) {
    this.sink = sink;
  }

  private record Stage(String phase, int total, AtomicInteger done) {}

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    StageInfo info = event.stageInfo();
    String phase = event.properties() == null ? null : event.properties().getProperty(JOB_DESCRIPTION);
    Stage stage = new Stage(phase == null ? "" : phase, info.numTasks(), new AtomicInteger());
    stages.put(info.stageId(), stage);
    sink.report(new StageProgress(info.stageId(), stage.phase(), 0, stage.total(), false));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    Stage stage = stages.get(event.stageId());
    if (stage != null) {
      int done = stage.done().incrementAndGet();
      sink.report(new StageProgress(event.stageId(), stage.phase(), Math.min(done, stage.total()), stage.total(),
          false));
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    StageInfo info = event.stageInfo();
    Stage stage = stages.remove(info.stageId());
    if (stage != null) {
      sink.report(new StageProgress(info.stageId(), stage.phase(), stage.done().get(), stage.total(), true));
    }
  }
}
