package io.traininputs.catalyst.topn;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.metric.SQLMetrics;

/** The SQL metrics of one {@link TopNHistoryExec}: created on the driver, updated by tasks. */
final class TopNHistoryMetrics implements Serializable {

  private static final long serialVersionUID = 1L;

  final SQLMetric inputRows;
  final SQLMetric outputRows;
  final SQLMetric groups;
  final SQLMetric peakMemory;
  final SQLMetric earlyEmits;
  final SQLMetric sortFallbacks;
  final SQLMetric spillSize;

  TopNHistoryMetrics(SparkContext context) {
    inputRows = SQLMetrics.createMetric(context, "number of input rows");
    outputRows = SQLMetrics.createMetric(context, "number of output rows");
    groups = SQLMetrics.createMetric(context, "number of groups");
    peakMemory = SQLMetrics.createSizeMetric(context, "peak memory", -1L);
    earlyEmits = SQLMetrics.createMetric(context, "partial early emits");
    sortFallbacks = SQLMetrics.createMetric(context, "sort fallbacks");
    spillSize = SQLMetrics.createSizeMetric(context, "spill size", -1L);
  }

  Map<String, SQLMetric> asMap() {
    Map<String, SQLMetric> map = new LinkedHashMap<>();
    map.put("numInputRows", inputRows);
    map.put("numOutputRows", outputRows);
    map.put("numGroups", groups);
    map.put("peakMemory", peakMemory);
    map.put("numEarlyEmits", earlyEmits);
    map.put("numSortFallbacks", sortFallbacks);
    map.put("spillSize", spillSize);
    return map;
  }
}
