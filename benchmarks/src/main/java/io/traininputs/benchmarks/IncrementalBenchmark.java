package io.traininputs.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A day of a production schedule, as whole processes on daily Parquet files ({@code generate --daily-files}): with
 * the 14 as-of dates up to the day before already written, {@code training-inputs run --incremental --retain-days 14}
 * adds the new day (and drops the oldest), against a full {@code run} of the same 14-day window, each
 * {@code --rounds} times, interleaved. Then checks that the incremental output holds exactly the full run's rows.
 * Exits 0 when every run succeeded and the outputs agree, 1 otherwise, 2 on a usage error.
 */
public final class IncrementalBenchmark {
  private static final String USAGE = String.join("\n",
      "usage: bin/benchmark incremental --data-dir DIR [--customers N] [--rounds R] [--heap 8g] [--work-dir DIR]",
      "  --data-dir DIR   daily Parquet inputs DIR/<input>/<yyyy-MM-dd>/; generated with the CLI's generator",
      "                   (--daily-files, 15 impression days) at --customers N (default 50000) when missing",
      "  --compacted      first rewrite every day but the last of each input into one folder (DIR-compacted/<input>/",
      "                   history), as a lake that compacts its past days; the last day stays a daily folder");

  /** The compacted past days' folder: a name that sorts before every day and passes for one. */
  private static final String HISTORY = "0000-history";

  private IncrementalBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    ProcessBenchmark.Options options;
    boolean compacted = List.of(args).contains("--compacted");
    try {
      List<String> rest = new ArrayList<>(List.of(args));
      rest.remove("--compacted");
      if (!rest.contains("--work-dir") && rest.contains("--data-dir")) {
        Path data = Path.of(rest.get(rest.indexOf("--data-dir") + 1)).toAbsolutePath();
        rest.addAll(List.of("--work-dir", data.resolveSibling(data.getFileName() + "-incremental-bench").toString()));
      }
      options = ProcessBenchmark.Options.parse(Path.of(System.getProperty("traininputs.root", ".")).toAbsolutePath(),
          rest.toArray(new String[0]));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Path logs = options.workDir().resolve("logs");
    Files.createDirectories(logs);
    String cli = options.root().resolve("bin/training-inputs").toString();
    ensureDailyInputs(options, cli);
    check(ProcessBenchmark.launch(List.of(cli, "--help"), Map.of(), logs.resolve("cli-help")), "--help");
    if (compacted) {
      options = compact(options);
    }
    List<String> days = days(options.dataDir().resolve("impressions"));
    String last = days.get(days.size() - 1);
    String before = days.get(days.size() - 2);
    Path full = options.workDir().resolve("out-full");
    Path incremental = options.workDir().resolve("out-incremental");
    Map<String, String> env = Map.of("TRAINING_INPUTS_DRIVER_MEMORY", options.heap());
    List<String> lines = new ArrayList<>();
    boolean ok = true;
    double fullSum = 0;
    double incrementalSum = 0;
    for (int round = 1; round <= options.rounds(); round++) {
      // the day before: 14 dates up to `before` written, as yesterday's run left them
      check(ProcessBenchmark.launch(run(cli, options, before, incremental, List.of()), env,
          logs.resolve("setup-" + round)), "the run of the day before");
      ProcessBenchmark.Measured f = ProcessBenchmark.launch(run(cli, options, last, full, List.of()), env,
          logs.resolve("full-" + round));
      ProcessBenchmark.Measured i = ProcessBenchmark.launch(run(cli, options, last, incremental,
          List.of("--incremental", "--retain-days", "14")), env, logs.resolve("incremental-" + round));
      ok &= f.exitCode() == 0 && i.exitCode() == 0;
      fullSum += f.wallSeconds();
      incrementalSum += i.wallSeconds();
      String dates = Files.readAllLines(logs.resolve("incremental-" + round + ".out")).stream()
          .filter(l -> l.startsWith("as-of dates")).findFirst().orElse("as-of dates  (none printed)");
      String line = String.format(Locale.ROOT,
          "round %d  full %7.1f s (peak RSS %,d MiB)  incremental %7.1f s (peak RSS %,d MiB)  ratio %.3f%n"
              + "         %s%n", round, f.wallSeconds(), f.peakRssBytes() >> 20, i.wallSeconds(),
          i.peakRssBytes() >> 20, i.wallSeconds() / f.wallSeconds(), dates);
      System.out.print(line);
      lines.add(line);
    }
    long differing = ok ? differingRows(full, incremental) : -1;
    System.out.printf(Locale.ROOT, "%d customers, new day %s: incremental / full = %.1f s / %.1f s = %.3f (target "
        + "<= 0.25); rows differing between the outputs: %d%n", options.customers(), last,
        incrementalSum / options.rounds(), fullSum / options.rounds(), incrementalSum / fullSum, differing);
    System.exit(ok && differing == 0 ? 0 : 1);
  }

  /**
   * {@code DIR-compacted}: each input's days but the last rewritten as four files under {@code <input>/history}
   * (named as a day that sorts first, so that every run reads it), the last day's folder as it was. Made once.
   */
  private static ProcessBenchmark.Options compact(ProcessBenchmark.Options options) throws IOException {
    Path source = options.dataDir();
    Path target = source.resolveSibling(source.getFileName() + "-compacted");
    ProcessBenchmark.Options compacted = new ProcessBenchmark.Options(options.root(), target, options.workDir(),
        options.customers(), options.rounds(), options.heap(), options.jsonOut());
    if (Files.isDirectory(target.resolve("impressions"))) {
      return compacted;
    }
    List<String> days = days(source.resolve("impressions"));
    String last = days.get(days.size() - 1);
    SparkSession spark = BenchmarkSpark.start("local[2]", 4, Map.of("spark.sql.parquet.outputTimestampType",
        "TIMESTAMP_MICROS"));
    try {
      for (String input : List.of("impressions", "clicks", "atc", "orders")) {
        String[] past = days(source.resolve(input)).stream().filter(d -> d.compareTo(last) < 0)
            .map(d -> source.resolve(input).resolve(d).toString()).toArray(String[]::new);
        spark.read().parquet(past).repartition(4).write().parquet(target.resolve(input).resolve(HISTORY).toString());
        Path lastDay = target.resolve(input).resolve(last);
        Files.createDirectories(lastDay);
        try (Stream<Path> files = Files.list(source.resolve(input).resolve(last))) {
          for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
            Files.copy(f, lastDay.resolve(f.getFileName()));
          }
        }
      }
    } finally {
      spark.stop();
    }
    return compacted;
  }

  /** The CLI's run over every input's daily folders up to {@code day}, into {@code out}. */
  private static List<String> run(String cli, ProcessBenchmark.Options options, String day, Path out,
                                  List<String> more) throws IOException {
    List<String> command = new ArrayList<>(List.of(cli, "run"));
    for (String input : List.of("impressions", "clicks", "atc", "orders")) {
      Path dir = options.dataDir().resolve(input);
      for (String d : days(dir)) {
        if (d.compareTo(day) <= 0) {
          command.addAll(List.of("--" + input, dir.resolve(d).toString()));
        }
      }
    }
    command.addAll(List.of("--out", out.toString()));
    command.addAll(more);
    return command;
  }

  private static List<String> days(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{4}-.*"))
          .sorted().toList();
    }
  }

  private static void ensureDailyInputs(ProcessBenchmark.Options options, String cli) throws Exception {
    if (Files.isDirectory(options.dataDir().resolve("impressions"))) {
      return;
    }
    System.out.println("generating " + options.customers() + " customers (daily files) into " + options.dataDir());
    check(ProcessBenchmark.launch(List.of(cli, "generate", "--out", options.dataDir().toString(), "--customers",
        Integer.toString(options.customers()), "--days", "15", "--input-format", "parquet", "--daily-files"),
        Map.of(), options.workDir().resolve("logs/generate")), "generate");
  }

  private static void check(ProcessBenchmark.Measured m, String what) {
    if (m.exitCode() != 0) {
      throw new IllegalStateException(what + " exited " + m.exitCode());
    }
  }

  /** Rows in one output and not the other, both ways, comparing whole rows. */
  private static long differingRows(Path a, Path b) {
    SparkSession spark = BenchmarkSpark.start("local[2]", 4, Map.of());
    try {
      Dataset<Row> x = spark.read().format("training-inputs").load(a.toString());
      Dataset<Row> y = spark.read().format("training-inputs").load(b.toString());
      return x.exceptAll(y).count() + y.exceptAll(x).count();
    } finally {
      spark.stop();
    }
  }
}
