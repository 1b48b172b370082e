package io.traininputs.catalyst.asof;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.metric.SQLMetrics;

/** The SQL metrics of one {@link AsOfContextHistoryExec}: created on the driver, updated by tasks. */
final class ContextHistoryMetrics implements Serializable {
  private static final long serialVersionUID = 1L;
  /**
   * The key of the metric that counts written history entries whose event time is at or after 00:00 of their
   * context's as-of day (UTC; the as-of value's day when it is a timestamp), each distinct context counted once.
   * Counted only when the event time is a timestamp and the as-of value a date or timestamp; 0 on a correct plan.
   */
  static final String SAME_DAY_ENTRIES = "numSameDayEntries";
  static final String CONTEXTS = "numContexts";

  final SQLMetric contexts;
  final SQLMetric droppedRows;
  final SQLMetric inputEvents;
  final SQLMetric keptEvents;
  final SQLMetric outputRows;
  final SQLMetric emptyHistories;
  final SQLMetric compactions;
  final SQLMetric peakMemory;
  final SQLMetric sameDayEntries;
  final SQLMetric fallbacks;
  final SQLMetric spillSize;
  final SQLMetric memoryRefusals;

  ContextHistoryMetrics(SparkContext context) {
    contexts = SQLMetrics.createMetric(context, "number of contexts");
    droppedRows = SQLMetrics.createMetric(context, "rows dropped by the inner join (null or unknown context)");
    inputEvents = SQLMetrics.createMetric(context, "number of input events");
    keptEvents = SQLMetrics.createMetric(context, "number of events some context can see");
    outputRows = SQLMetrics.createMetric(context, "number of output rows");
    emptyHistories = SQLMetrics.createMetric(context, "contexts with no history");
    compactions = SQLMetrics.createMetric(context, "per-key compactions");
    peakMemory = SQLMetrics.createSizeMetric(context, "peak memory (reserved, all structures)", -1L);
    sameDayEntries = SQLMetrics.createMetric(context, "history entries at or after 00:00 of their as-of day");
    fallbacks = SQLMetrics.createMetric(context, "key-ordered fallbacks (memory refused)");
    spillSize = SQLMetrics.createSizeMetric(context, "spill size", -1L);
    memoryRefusals = SQLMetrics.createMetric(context, "memory reservations refused");
  }

  Map<String, SQLMetric> asMap() {
    Map<String, SQLMetric> map = new LinkedHashMap<>();
    map.put(CONTEXTS, contexts);
    map.put("numDroppedRows", droppedRows);
    map.put("numInputEvents", inputEvents);
    map.put("numKeptEvents", keptEvents);
    map.put("numOutputRows", outputRows);
    map.put("numEmptyHistories", emptyHistories);
    map.put("numCompactions", compactions);
    map.put("peakMemory", peakMemory);
    map.put(SAME_DAY_ENTRIES, sameDayEntries);
    map.put("numFallbacks", fallbacks);
    map.put("spillSize", spillSize);
    map.put("numMemoryRefusals", memoryRefusals);
    return map;
  }
}
