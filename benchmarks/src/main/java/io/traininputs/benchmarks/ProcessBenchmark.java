package io.traininputs.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Times whole processes on the same Parquet inputs, each {@code --rounds} times, interleaved: the CLI's
 * {@code run} (default options), the user's stock job ({@code io.traininputs.userjob.StockTrainingInputsJob}) from
 * its own jar with the Spark class path alone, and the same job with catalyst-ext's jar added to the class path.
 * Records wall time, peak RSS of the process tree and exit code per run, the CLI's phase times from its progress
 * lines, then checks that the three outputs hold the same rows per {@code as_of_date}. Exits 0 when every run
 * succeeded and the outputs agree, 1 otherwise, 2 on a usage error.
 */
public final class ProcessBenchmark {
  static final String CLI = "cli";
  static final String STOCK = "user-stock";
  static final String WITH_EXTENSION = "user-with-ext";
  private static final Pattern PHASE = Pattern.compile("^\\[\\s*[0-9.]+s\\] (.+) done in ([0-9.]+) s$");

  private ProcessBenchmark() {}

  record Options(Path root, Path dataDir, Path workDir, int customers, int rounds, String heap, Path jsonOut) {
    static final String USAGE =
        String.join(
            "\n",
            "usage: bin/benchmark process --data-dir DIR [--customers N] [--rounds R] [--heap 8g] [--work-dir DIR]",
            "         [--json FILE]",
            "  --data-dir DIR   Parquet inputs DIR/impressions, clicks, atc, orders; generated with the CLI's",
            "                   generator at --customers N (default 50000) when missing",
            "  --work-dir DIR   outputs and logs of the runs (default: DIR-process-bench next to the data)",
            "  --heap SIZE      -Xmx of every measured process (default 8g); Spark runs local[*] in all of them");

    static Options parse(Path root, String... args) {
      Path dataDir = null;
      Path workDir = null;
      int customers = 50_000;
      int rounds = 1;
      String heap = "8g";
      Path json = null;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        String value = args[i + 1];
        switch (args[i]) {
          case "--data-dir" -> dataDir = Path.of(value).toAbsolutePath();
          case "--work-dir" -> workDir = Path.of(value).toAbsolutePath();
          case "--customers" -> customers = positive(args[i], value);
          case "--rounds" -> rounds = positive(args[i], value);
          case "--heap" -> {
            if (!value.matches("[0-9]+[mMgG]")) {
              throw new IllegalArgumentException("--heap must look like 8g or 4096m, got '" + value + "'");
            }
            heap = value;
          }
          case "--json" -> json = Path.of(value).toAbsolutePath();
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (dataDir == null) {
        throw new IllegalArgumentException("--data-dir is required");
      }
      if (workDir == null) {
        workDir = dataDir.resolveSibling(dataDir.getFileName() + "-process-bench");
      }
      return new Options(root, dataDir, workDir, customers, rounds, heap, json);
    }

    private static int positive(String flag, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(flag + " must be a positive integer, got '" + value + "'");
    }
  }

  /** One measured process. {@code phases}: the CLI's phase times in seconds, empty for the user job. */
  record Run(String variant, int round, int exitCode, double wallSeconds, long peakRssBytes,
             Map<String, Double> phases) {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(Options.USAGE);
      return;
    }
    Options options;
    try {
      options = Options.parse(Path.of(System.getProperty("traininputs.root", ".")).toAbsolutePath(), args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    Instant startedAt = Instant.now();
    double loadBefore = loadAverage();
    Files.createDirectories(options.workDir().resolve("logs"));
    Map<String, List<String>> commands = commands(options);
    ensureInputs(options);
    // bin/training-inputs builds itself when stale; that must not land in a measured run.
    check(launch(List.of(options.root().resolve("bin/training-inputs").toString(), "--help"), Map.of(),
        options.workDir().resolve("logs/cli-help")), "bin/training-inputs --help");
    List<Run> runs = new ArrayList<>();
    for (int round = 1; round <= options.rounds(); round++) {
      for (Map.Entry<String, List<String>> command : commands.entrySet()) {
        String variant = command.getKey();
        Path log = options.workDir().resolve("logs/" + variant + "-" + round);
        Map<String, String> env = variant.equals(CLI)
            ? Map.of("TRAINING_INPUTS_DRIVER_MEMORY", options.heap()) : Map.of();
        Measured m = launch(command.getValue(), env, log);
        Map<String, Double> phases = variant.equals(CLI) ? phases(Files.readAllLines(err(log))) : Map.of();
        Run run = new Run(variant, round, m.exitCode(), m.wallSeconds(), m.peakRssBytes(), phases);
        runs.add(run);
        System.out.printf(Locale.ROOT, "round %d %-14s exit %d  %8.1f s  peak RSS %,d MiB%n",
            round, variant, run.exitCode(), run.wallSeconds(), run.peakRssBytes() >> 20);
      }
    }
    Map<String, Map<String, Long>> rowsPerDay = new LinkedHashMap<>();
    if (runs.stream().allMatch(r -> r.exitCode() == 0)) {
      rowsPerDay = rowsPerDay(options, commands.keySet());
    }
    ProcessReport report =
        new ProcessReport(options, startedAt, loadBefore, loadAverage(), commands, runs, rowsPerDay);
    System.out.print(report.table());
    if (options.jsonOut() != null) {
      Files.writeString(options.jsonOut(), report.json());
      System.out.println("results written to " + options.jsonOut());
    }
    System.exit(report.ok() ? 0 : 1);
  }

  /** The three command lines, by variant, in the order each round runs them. */
  static Map<String, List<String>> commands(Options options) {
    Path root = options.root();
    Path data = options.dataDir();
    List<String> inputs = List.of(
        "--impressions", data.resolve("impressions").toString(), "--clicks", data.resolve("clicks").toString(),
        "--atc", data.resolve("atc").toString(), "--orders", data.resolve("orders").toString());
    Map<String, List<String>> commands = new LinkedHashMap<>();
    List<String> cli = new ArrayList<>(List.of(root.resolve("bin/training-inputs").toString(), "run"));
    cli.addAll(inputs);
    cli.addAll(List.of("--out", out(options, CLI).toString()));
    commands.put(CLI, cli);
    String sparkClassPath = sparkClassPath(root);
    String userJar = onlyFile(root.resolve("benchmarks/target"), "training-inputs-benchmarks-", "-user-job.jar");
    String runtimeJar = onlyFile(root.resolve("runtime/target"), "training-inputs-spark", ".jar");
    commands.put(STOCK, userJob(options, inputs, userJar + ":" + sparkClassPath, List.of(), out(options, STOCK)));
    // as a user adds it: the runtime jar, and the extension named in spark.sql.extensions (SparkConf reads spark.*
    // properties)
    commands.put(WITH_EXTENSION, userJob(options, inputs, userJar + ":" + runtimeJar + ":" + sparkClassPath,
        List.of("-Dspark.sql.extensions=io.traininputs.catalyst.TrainingInputsExtensions"),
        out(options, WITH_EXTENSION)));
    return commands;
  }

  static Path out(Options options, String variant) {
    return options.workDir().resolve("out-" + variant);
  }

  private static List<String> userJob(Options options, List<String> inputs, String classPath, List<String> confs,
                                      Path out) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + options.root().resolve("bin/jvm-options"));
    command.add("-Xmx" + options.heap());
    command.add("-Dlog4j2.configurationFile=" + options.root().resolve("benchmarks/log4j2-benchmarks.properties"));
    command.addAll(confs);
    command.add("-cp");
    command.add(classPath);
    command.add("io.traininputs.userjob.StockTrainingInputsJob");
    command.addAll(inputs);
    command.addAll(List.of("--out", out.toString()));
    return command;
  }

  /** spark-classpath.txt without any of our modules: the stock run must not see the extension. */
  static String sparkClassPath(Path root) {
    Path file = root.resolve("benchmarks/target/spark-classpath.txt");
    String[] entries;
    try {
      entries = Files.readString(file).trim().split(":");
    } catch (IOException e) {
      throw new UncheckedIOException("missing " + file + "; build with mvn -B -q -pl benchmarks -am package", e);
    }
    return Arrays.stream(entries)
        .filter(e -> !e.contains("training-inputs-") && !e.contains("/catalyst-ext/"))
        .collect(Collectors.joining(":"));
  }

  private static String onlyFile(Path dir, String prefix, String suffix) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found = files
          .filter(p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(suffix) && !n.contains("-sources") && !n.contains("-tests")
                && (suffix.equals("-user-job.jar") || !n.contains("-user-job"));
          })
          .toList();
      if (found.size() != 1) {
        throw new IllegalStateException("expected one " + prefix + "*" + suffix + " in " + dir + ", found " + found);
      }
      return found.get(0).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + "; build with mvn -B -q package -DskipTests", e);
    }
  }

  private static void ensureInputs(Options options) throws IOException, InterruptedException {
    boolean present = Stream.of("impressions", "clicks", "atc", "orders")
        .allMatch(n -> Files.isDirectory(options.dataDir().resolve(n)));
    if (present) {
      return;
    }
    System.out.println("generating " + options.customers() + " customers into " + options.dataDir());
    check(launch(List.of(options.root().resolve("bin/training-inputs").toString(), "generate", "--out",
        options.dataDir().toString(), "--customers", Integer.toString(options.customers()),
        "--input-format", "parquet"), Map.of(), options.workDir().resolve("logs/generate")), "generate");
  }

  private static void check(Measured m, String what) {
    if (m.exitCode() != 0) {
      throw new IllegalStateException(what + " exited " + m.exitCode());
    }
  }

  record Measured(int exitCode, double wallSeconds, long peakRssBytes) {}

  /** Runs {@code command} with stdout and stderr to {@code log.out} / {@code log.err}, sampling its tree's RSS. */
  static Measured launch(List<String> command, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile())
        .redirectError(err(log).toFile());
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    long peak = 0;
    while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, treeRssBytes(process.toHandle()));
    }
    double wall = (System.nanoTime() - start) / 1e9;
    return new Measured(process.exitValue(), wall, peak);
  }

  private static Path err(Path log) {
    return log.resolveSibling(log.getFileName() + ".err");
  }

  /** The resident set of {@code root} and all its descendants, from /proc; 0 for processes already gone. */
  static long treeRssBytes(ProcessHandle root) {
    long total = rssBytes(root.pid());
    for (ProcessHandle child : (Iterable<ProcessHandle>) root.descendants()::iterator) {
      total += rssBytes(child.pid());
    }
    return total;
  }

  private static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // the process ended between listing and reading
    }
    return 0;
  }

  /** Phase name to seconds, from the CLI's progress lines ({@code [  12.3s] read clicks done in 4.5 s}). */
  static Map<String, Double> phases(List<String> stderrLines) {
    Map<String, Double> phases = new LinkedHashMap<>();
    for (String line : stderrLines) {
      Matcher m = PHASE.matcher(line);
      if (m.matches()) {
        phases.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return phases;
  }

  /** Rows per as_of_date of each variant's output, read back with Spark. */
  static Map<String, Map<String, Long>> rowsPerDay(Options options, Iterable<String> variants) {
    Map<String, Map<String, Long>> result = new LinkedHashMap<>();
    SparkSession spark = BenchmarkSpark.start("local[2]", 4, Map.of());
    try {
      for (String variant : variants) {
        Map<String, Long> perDay = new TreeMap<>();
        for (Row row : spark.read().parquet(out(options, variant).toString())
            .groupBy("as_of_date").count().collectAsList()) {
          perDay.put(row.get(0).toString(), row.getLong(1));
        }
        result.put(variant, perDay);
      }
    } finally {
      spark.stop();
    }
    return result;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
