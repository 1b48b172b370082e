package io.traininputs.benchmarks;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The measured (not warm-up) runs of one variant: the history stage alone, the whole job, and the user's port of
 * the seed pipeline's history stage ({@code seedHistory}; empty when it was not run).
 */
record VariantResult(
    Variant variant, List<Measurement> history, List<Measurement> job, List<Measurement> seedHistory) {
  VariantResult {
    history = List.copyOf(history);
    job = List.copyOf(job);
    seedHistory = List.copyOf(seedHistory);
  }

  VariantResult(Variant variant, List<Measurement> history, List<Measurement> job) {
    this(variant, history, job, List.of());
  }

  double historyMedianMillis() {
    return median(history, Measurement::nanos) / 1e6;
  }

  double jobMedianMillis() {
    return median(job, Measurement::nanos) / 1e6;
  }

  double seedHistoryMedianMillis() {
    return median(seedHistory, Measurement::nanos) / 1e6;
  }

  static double median(List<Measurement> runs, ToLongFunction<Measurement> metric) {
    if (runs.isEmpty()) {
      throw new IllegalStateException("no measured runs");
    }
    long[] values = runs.stream().mapToLong(metric).sorted().toArray();
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
  }

  static long max(List<Measurement> runs, ToLongFunction<Measurement> metric) {
    return runs.stream().mapToLong(metric).max().orElse(0);
  }

  static long min(List<Measurement> runs, ToLongFunction<Measurement> metric) {
    return runs.stream().mapToLong(metric).min().orElse(0);
  }
}
