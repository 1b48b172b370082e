package io.traininputs.catalyst.internal;

import java.util.Map;
import java.util.StringJoiner;
import org.apache.spark.sql.execution.metric.SQLMetric;

/** The SQL metrics of an operator as one line, for {@code explain("formatted")}. */
public final class MetricsText {
  private MetricsText() {}

  /** {@code Metrics: name=value, ...} followed by a newline; values as the tasks reported them so far. */
  public static String of(Map<String, SQLMetric> metrics) {
    StringJoiner line = new StringJoiner(", ", "Metrics: ", "\n");
    metrics.forEach((name, metric) -> line.add(name + "=" + Math.max(0L, metric.value())));
    return line.toString();
  }
}
