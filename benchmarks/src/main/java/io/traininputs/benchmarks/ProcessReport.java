package io.traininputs.benchmarks;

import io.traininputs.benchmarks.ProcessBenchmark.Options;
import io.traininputs.benchmarks.ProcessBenchmark.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** The results of one process benchmark: a table for people, JSON for tools, and whether it passed. */
record ProcessReport(
    Options options,
    Instant startedAt,
    double loadAverageBefore,
    double loadAverageAfter,
    Map<String, List<String>> commands,
    List<Run> runs,
    Map<String, Map<String, Long>> rowsPerDay) {
  static final double CLI_TARGET = 8.0;
  static final double EXTENSION_TARGET = 3.0;
  private static final double MIB = 1024.0 * 1024.0;

  ProcessReport {
    commands = Map.copyOf(commands);
    runs = List.copyOf(runs);
    rowsPerDay = Map.copyOf(rowsPerDay);
  }

  List<Run> runsOf(String variant) {
    return runs.stream().filter(r -> r.variant().equals(variant)).toList();
  }

  double medianWall(String variant) {
    return median(runsOf(variant), Run::wallSeconds);
  }

  double medianRssMib(String variant) {
    return median(runsOf(variant), r -> r.peakRssBytes() / MIB);
  }

  /** The stock user job's median wall time over the CLI's (issue target: at least 8). */
  double stockOverCli() {
    return medianWall(ProcessBenchmark.STOCK) / medianWall(ProcessBenchmark.CLI);
  }

  /** The stock user job's median wall time over the same job's with the extension's jar (target: at least 3). */
  double stockOverExtension() {
    return medianWall(ProcessBenchmark.STOCK) / medianWall(ProcessBenchmark.WITH_EXTENSION);
  }

  boolean allExitedZero() {
    return runs.stream().allMatch(r -> r.exitCode() == 0);
  }

  /** Every variant's output has the same rows per as_of_date, and there are some. */
  boolean outputsAgree() {
    Map<String, Long> cli = rowsPerDay.get(ProcessBenchmark.CLI);
    return cli != null
        && !cli.isEmpty()
        && rowsPerDay.size() == 3
        && rowsPerDay.values().stream().allMatch(cli::equals);
  }

  boolean ok() {
    return allExitedZero() && outputsAgree();
  }

  /** Median seconds of each CLI phase, in the order the CLI ran them. */
  Map<String, Double> cliPhaseMedians() {
    Set<String> names = new LinkedHashSet<>();
    runsOf(ProcessBenchmark.CLI).forEach(r -> names.addAll(r.phases().keySet()));
    Map<String, Double> medians = new LinkedHashMap<>();
    for (String name : names) {
      medians.put(name, median(runsOf(ProcessBenchmark.CLI), r -> r.phases().getOrDefault(name, 0.0)));
    }
    return medians;
  }

  String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "process benchmark %s: data %s, %d round(s), -Xmx%s, local[*], %d cpus, load average %.1f before,"
            + " %.1f after%n",
        startedAt, options.dataDir(), options.rounds(), options.heap(),
        Runtime.getRuntime().availableProcessors(), loadAverageBefore, loadAverageAfter));
    out.append(String.format(Locale.ROOT, "%-14s %10s %10s %10s %16s %16s %s%n",
        "variant", "median_s", "min_s", "max_s", "peak_rss_mib", "max_rss_mib", "exit codes"));
    for (String variant : commands.keySet().stream().sorted(this::byOrder).toList()) {
      List<Run> of = runsOf(variant);
      out.append(String.format(Locale.ROOT, "%-14s %10.1f %10.1f %10.1f %16.0f %16.0f %s%n",
          variant, medianWall(variant), min(of, Run::wallSeconds), max(of, Run::wallSeconds),
          medianRssMib(variant), max(of, r -> r.peakRssBytes() / MIB),
          of.stream().map(r -> Integer.toString(r.exitCode())).toList()));
    }
    out.append(String.format(Locale.ROOT,
        "ratio %s / %s = %.2f (target >= %.0f: %s)%n", ProcessBenchmark.STOCK, ProcessBenchmark.CLI,
        stockOverCli(), CLI_TARGET, stockOverCli() >= CLI_TARGET ? "met" : "not met"));
    out.append(String.format(Locale.ROOT,
        "ratio %s / %s = %.2f (target >= %.0f: %s)%n", ProcessBenchmark.STOCK, ProcessBenchmark.WITH_EXTENSION,
        stockOverExtension(), EXTENSION_TARGET, stockOverExtension() >= EXTENSION_TARGET ? "met" : "not met"));
    Map<String, Double> phases = cliPhaseMedians();
    if (!phases.isEmpty()) {
      out.append("cli phases (median s):");
      phases.forEach((name, s) -> out.append(String.format(Locale.ROOT, " %s %.1f;", name, s)));
      out.append('\n');
    }
    if (rowsPerDay.isEmpty()) {
      out.append("outputs not compared: a run failed\n");
    } else {
      Map<String, Long> cli = rowsPerDay.getOrDefault(ProcessBenchmark.CLI, Map.of());
      out.append(String.format(Locale.ROOT, "outputs: %s, %d days, %,d rows (cli)%n",
          outputsAgree() ? "same rows per as_of_date in all three" : "DIFFERENT rows per as_of_date",
          cli.size(), cli.values().stream().mapToLong(Long::longValue).sum()));
      if (!outputsAgree()) {
        rowsPerDay.forEach((variant, perDay) -> out.append("  ").append(variant).append(' ').append(perDay)
            .append('\n'));
      }
    }
    return out.toString();
  }

  private int byOrder(String a, String b) {
    List<String> order = List.of(ProcessBenchmark.CLI, ProcessBenchmark.STOCK, ProcessBenchmark.WITH_EXTENSION);
    return Integer.compare(order.indexOf(a), order.indexOf(b));
  }

  String json() {
    StringBuilder out = new StringBuilder("{\n");
    out.append("  \"startedAt\": \"").append(startedAt).append("\",\n");
    out.append("  \"dataDir\": ").append(quote(options.dataDir().toString())).append(",\n");
    out.append("  \"rounds\": ").append(options.rounds()).append(",\n");
    out.append("  \"heap\": ").append(quote(options.heap())).append(",\n");
    out.append("  \"cpus\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
    out.append("  \"loadAverageBefore\": ").append(fmt(loadAverageBefore)).append(",\n");
    out.append("  \"loadAverageAfter\": ").append(fmt(loadAverageAfter)).append(",\n");
    out.append("  \"stockOverCli\": ").append(fmt(stockOverCli())).append(",\n");
    out.append("  \"stockOverExtension\": ").append(fmt(stockOverExtension())).append(",\n");
    out.append("  \"outputsAgree\": ").append(outputsAgree()).append(",\n");
    out.append("  \"variants\": [\n");
    List<String> variants = commands.keySet().stream().sorted(this::byOrder).toList();
    for (int i = 0; i < variants.size(); i++) {
      String v = variants.get(i);
      out.append("    {\"name\": ").append(quote(v));
      out.append(", \"medianWallSeconds\": ").append(fmt(medianWall(v)));
      out.append(", \"medianPeakRssBytes\": ").append((long) median(runsOf(v), r -> r.peakRssBytes()));
      out.append(",\n     \"command\": [");
      List<String> command = commands.get(v);
      for (int c = 0; c < command.size(); c++) {
        out.append(c == 0 ? "" : ", ").append(quote(command.get(c)));
      }
      out.append("],\n     \"runs\": [");
      List<String> runJson = new ArrayList<>();
      for (Run r : runsOf(v)) {
        StringBuilder one = new StringBuilder();
        one.append("{\"round\": ").append(r.round()).append(", \"exitCode\": ").append(r.exitCode());
        one.append(", \"wallSeconds\": ").append(fmt(r.wallSeconds()));
        one.append(", \"peakRssBytes\": ").append(r.peakRssBytes()).append(", \"phases\": {");
        int p = 0;
        for (Map.Entry<String, Double> phase : r.phases().entrySet()) {
          one.append(p++ == 0 ? "" : ", ").append(quote(phase.getKey())).append(": ").append(fmt(phase.getValue()));
        }
        runJson.add(one.append("}}").toString());
      }
      out.append(String.join(", ", runJson)).append("],\n     \"rowsPerDay\": {");
      int d = 0;
      for (Map.Entry<String, Long> day : rowsPerDay.getOrDefault(v, Map.of()).entrySet()) {
        out.append(d++ == 0 ? "" : ", ").append(quote(day.getKey())).append(": ").append(day.getValue());
      }
      out.append("}}").append(i + 1 < variants.size() ? ",\n" : "\n");
    }
    return out.append("  ]\n}\n").toString();
  }

  static double median(List<Run> runs, ToDoubleFunction<Run> metric) {
    double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private static double min(List<Run> runs, ToDoubleFunction<Run> metric) {
    return runs.stream().mapToDouble(metric).min().orElse(Double.NaN);
  }

  private static double max(List<Run> runs, ToDoubleFunction<Run> metric) {
    return runs.stream().mapToDouble(metric).max().orElse(Double.NaN);
  }

  private static String fmt(double value) {
    return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
