package io.traininputs.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The results of one end-to-end run: a table for people, JSON for tools, and the slowdown gate. */
record EndToEndReport(
    EndToEndOptions options,
    Instant startedAt,
    double loadAverageBefore,
    double loadAverageAfter,
    double generateMillis,
    long actionRows,
    long impressionRows,
    long contextRows,
    List<VariantResult> results) {
  private static final double MIB = 1024.0 * 1024.0;

  EndToEndReport {
    results = List.copyOf(results);
    if (results.isEmpty() || !results.get(0).variant().name().equals(Variants.STOCK_NAME)) {
      throw new IllegalArgumentException("the first result must be the stock variant");
    }
  }

  VariantResult stock() {
    return results.get(0);
  }

  /** A variant's median history-stage time over stock's. */
  double historyRatio(VariantResult result) {
    return result.historyMedianMillis() / stock().historyMedianMillis();
  }

  double jobRatio(VariantResult result) {
    return result.jobMedianMillis() / stock().jobMedianMillis();
  }

  /** A variant's median time of the seed port's history stage over stock's; NaN when the stage was not run. */
  double seedHistoryRatio(VariantResult result) {
    if (result.seedHistory().isEmpty() || stock().seedHistory().isEmpty()) {
      return Double.NaN;
    }
    return result.seedHistoryMedianMillis() / stock().seedHistoryMedianMillis();
  }

  /** One line per variant whose history stage is more than {@code maxSlowdown} times slower than stock's. */
  List<String> gateFailures() {
    List<String> failures = new ArrayList<>();
    for (VariantResult result : results.subList(1, results.size())) {
      double ratio = historyRatio(result);
      if (ratio > options.maxSlowdown()) {
        failures.add(
            String.format(
                Locale.ROOT,
                "variant %s: history stage %.0f ms is %.2fx stock's %.0f ms, over the allowed %.2fx",
                result.variant().name(),
                result.historyMedianMillis(),
                ratio,
                stock().historyMedianMillis(),
                options.maxSlowdown()));
      }
    }
    return failures;
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "end-to-end benchmark %s: %d customers, %d actions, %d impression rows, %d contexts, maxActions %d, %s,"
                + " %s, %d warm-up + %d measured rounds, generate%s %.0f ms, %d cpus, max heap %d MiB,"
                + " load average %.1f before, %.1f after%n",
            startedAt,
            options.customers(),
            actionRows,
            impressionRows,
            contextRows,
            options.maxActions(),
            options.master(),
            options.inMemory() ? "in-memory inputs" : "Parquet inputs",
            options.warmups(),
            options.iterations(),
            options.inMemory() ? "" : "+write",
            generateMillis,
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20,
            loadAverageBefore,
            loadAverageAfter));
    out.append(
        String.format(
            Locale.ROOT,
            "%-12s %-9s %10s %10s %10s %8s %12s %14s %12s%n",
            "variant",
            "stage",
            "median_ms",
            "min_ms",
            "max_ms",
            "ratio",
            "peak_heap_mb",
            "heap_after_gc",
            "shuffle_mb"));
    for (VariantResult result : results) {
      row(out, result, "history", result.history(), historyRatio(result));
      row(out, result, "job", result.job(), jobRatio(result));
      if (!result.seedHistory().isEmpty()) {
        row(out, result, "seed-hist", result.seedHistory(), seedHistoryRatio(result));
      }
    }
    return out.toString();
  }

  private static void row(
      StringBuilder out, VariantResult result, String stage, List<Measurement> runs, double ratio) {
    out.append(
        String.format(
            Locale.ROOT,
            "%-12s %-9s %10.0f %10.0f %10.0f %8.2f %12.0f %14.0f %12.1f%n",
            result.variant().name(),
            stage,
            VariantResult.median(runs, Measurement::nanos) / 1e6,
            VariantResult.min(runs, Measurement::nanos) / 1e6,
            VariantResult.max(runs, Measurement::nanos) / 1e6,
            ratio,
            VariantResult.max(runs, Measurement::peakHeapBytes) / MIB,
            VariantResult.max(runs, Measurement::maxHeapAfterGcBytes) / MIB,
            VariantResult.median(runs, Measurement::shuffleBytesWritten) / MIB));
  }

  String json() {
    StringBuilder out = new StringBuilder();
    out.append("{\n");
    out.append("  \"startedAt\": \"").append(startedAt).append("\",\n");
    out.append("  \"customers\": ").append(options.customers()).append(",\n");
    out.append("  \"actionRows\": ").append(actionRows).append(",\n");
    out.append("  \"impressionRows\": ").append(impressionRows).append(",\n");
    out.append("  \"contextRows\": ").append(contextRows).append(",\n");
    out.append("  \"maxActions\": ").append(options.maxActions()).append(",\n");
    out.append("  \"master\": \"").append(options.master()).append("\",\n");
    out.append("  \"inMemory\": ").append(options.inMemory()).append(",\n");
    out.append("  \"cpus\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
    out.append("  \"maxHeapBytes\": ").append(Runtime.getRuntime().maxMemory()).append(",\n");
    out.append("  \"loadAverageBefore\": ").append(fmt(loadAverageBefore)).append(",\n");
    out.append("  \"loadAverageAfter\": ").append(fmt(loadAverageAfter)).append(",\n");
    out.append("  \"warmups\": ").append(options.warmups()).append(",\n");
    out.append("  \"iterations\": ").append(options.iterations()).append(",\n");
    out.append("  \"generateMillis\": ").append(fmt(generateMillis)).append(",\n");
    out.append("  \"variants\": [\n");
    for (int i = 0; i < results.size(); i++) {
      VariantResult r = results.get(i);
      out.append("    {\"name\": \"").append(r.variant().name()).append("\", \"sessionConfs\": {");
      int c = 0;
      for (Map.Entry<String, String> conf : r.variant().sessionConfs().entrySet()) {
        out.append(c++ == 0 ? "" : ", ").append('"').append(escape(conf.getKey())).append("\": \"");
        out.append(escape(conf.getValue())).append('"');
      }
      out.append("},\n");
      out.append("     \"historyRatio\": ").append(fmt(historyRatio(r)));
      out.append(", \"jobRatio\": ").append(fmt(jobRatio(r)));
      out.append(", \"seedHistoryRatio\": ").append(fmt(seedHistoryRatio(r))).append(",\n");
      out.append("     \"history\": ").append(runs(r.history())).append(",\n");
      out.append("     \"job\": ").append(runs(r.job())).append(",\n");
      out.append("     \"seedHistory\": ").append(runs(r.seedHistory())).append("}");
      out.append(i + 1 < results.size() ? ",\n" : "\n");
    }
    out.append("  ]\n}\n");
    return out.toString();
  }

  private static String runs(List<Measurement> runs) {
    StringBuilder out = new StringBuilder("{");
    out.append("\"millis\": ").append(list(runs, Measurement::nanos, 1e6));
    out.append(", \"peakHeapBytes\": ").append(list(runs, Measurement::peakHeapBytes, 1));
    out.append(", \"maxHeapAfterGcBytes\": ").append(list(runs, Measurement::maxHeapAfterGcBytes, 1));
    out.append(", \"shuffleBytesWritten\": ").append(list(runs, Measurement::shuffleBytesWritten, 1));
    return out.append('}').toString();
  }

  private static String list(List<Measurement> runs, ToLongFunction<Measurement> metric, double divisor) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < runs.size(); i++) {
      long value = metric.applyAsLong(runs.get(i));
      out.append(i == 0 ? "" : ", ").append(divisor == 1 ? Long.toString(value) : fmt(value / divisor));
    }
    return out.append(']').toString();
  }

  private static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "null";
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
