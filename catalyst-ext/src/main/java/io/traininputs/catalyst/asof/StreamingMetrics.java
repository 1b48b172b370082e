package io.traininputs.catalyst.asof;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.metric.SQLMetrics;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The SQL metrics of the streaming as-of execs ({@code AsOfHistory}, {@code AsOfHistoryArrays}), whose state is one
 * group at a time (its contexts and at most the history length of events): output rows, the peak of what they
 * reserved for that state, and the reservations refused (the state cannot shrink, so the work goes on).
 */
final class StreamingMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  final SQLMetric outputRows;
  final SQLMetric peakMemory;
  final SQLMetric memoryRefusals;

  StreamingMetrics(SparkContext context) {
    outputRows = SQLMetrics.createMetric(context, "number of output rows");
    peakMemory = SQLMetrics.createSizeMetric(context, "peak memory (reserved)", -1L);
    memoryRefusals = SQLMetrics.createMetric(context, "memory reservations refused");
  }

  /** The task's reservation; its peak and refusals are added to the metrics when the task completes. */
  AsOfMemory memoryForTask() {
    AsOfMemory memory = AsOfMemory.forTask();
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> {
        peakMemory.add(memory.peak());
        memoryRefusals.add(memory.refusals());
        context.taskMetrics().incPeakExecutionMemory(memory.peak());
      });
    }
    return memory;
  }

  Map<String, SQLMetric> asMap() {
    Map<String, SQLMetric> map = new LinkedHashMap<>();
    map.put("numOutputRows", outputRows);
    map.put("peakMemory", peakMemory);
    map.put("numMemoryRefusals", memoryRefusals);
    return map;
  }
}
