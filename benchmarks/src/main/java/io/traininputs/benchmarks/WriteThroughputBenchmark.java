package io.traininputs.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * End-to-end write throughput on one cached DataFrame, in one run: training-inputs Arrow, training-inputs
 * Parquet, Spark's built-in Parquet writer (partitioned by as_of_date), and raw sequential writes of as many bytes
 * as the Arrow and the training-inputs Parquet outputs, with as many writer threads as the DataFrame has
 * partitions (the limit). Spark's {@code noop} sink shows what reading the cached rows alone costs every writer.
 *
 * <p>Arguments: {@code [rows=100000] [historyLength=1000] [partitions=2] [repeat=3] [dir=/tmp/...] [writers]
 * [fill=uniform]}, writers a comma list of {@code training-inputs-arrow, training-inputs-parquet, spark-parquet,
 * raw-sequential, raw-parquet-bytes, spark-noop} (default all; {@code all} for all), fill {@code uniform} (history
 * lengths uniform in [0, N)) or {@code skewed} (like the reference job's output: mostly tens of actions, the rest
 * zero padding; see {@link TrainingInputRows#dataFrame}).
 * Reports the median, min and max of {@code repeat} runs of each, in wall-clock seconds, and the median process
 * CPU seconds (user + system, all threads), which stays comparable when the machine is shared.
 */
public final class WriteThroughputBenchmark {

  private WriteThroughputBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    int historyLength = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int repeat = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Path dir = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("write-throughput");
    only = args.length > 5 && !args[5].equals("all") ? List.of(args[5].split(",")) : null;
    boolean skewed = args.length > 6 && args[6].equals("skewed");
    SparkSession spark = SparkSession.builder().master("local[" + partitions + "]").appName("write-throughput")
        .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", Integer.toString(partitions)).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> df = TrainingInputRows.dataFrame(spark, rows, historyLength, partitions, skewed).cache();
    System.out.printf("rows=%d historyLength=%d partitions=%d repeat=%d fill=%s cached=%d cpus=%d%n", rows,
        historyLength, partitions, repeat, skewed ? "skewed" : "uniform", df.count(),
        Runtime.getRuntime().availableProcessors());

    Map<String, List<Double>> best = new LinkedHashMap<>();
    Map<String, List<Double>> bestCpu = new LinkedHashMap<>();
    cpuBest = bestCpu;
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (int r = 0; r < repeat; r++) {
      time("spark noop (read only)", best, bytes, dir, out -> df.write().format("noop").mode("overwrite").save());
      time("training-inputs arrow", best, bytes, dir, out -> df.write().format("training-inputs")
          .option("historyLength", historyLength).save(out));
      time("training-inputs parquet", best, bytes, dir, out -> df.write().format("training-inputs")
          .option("fileFormat", "parquet").option("historyLength", historyLength).save(out));
      time("spark parquet", best, bytes, dir, out -> df.write().partitionBy("as_of_date").parquet(out));
      long arrowBytes = bytes.getOrDefault("training-inputs arrow", 0L);
      time("raw sequential write", best, bytes, dir, out -> rawWrite(Path.of(out), arrowBytes, partitions));
      long parquetBytes = bytes.getOrDefault("training-inputs parquet", 0L);
      time("raw parquet-bytes write", best, bytes, dir, out -> rawWrite(Path.of(out), parquetBytes, partitions));
    }
    System.out.println();
    System.out.printf("%-26s %10s %17s %12s %12s %12s %14s%n", "writer", "median s", "min-max s", "median cpu s",
        "output MB", "MB/s out", "rows/s");
    Map<String, Double> median = new LinkedHashMap<>();
    for (String name : best.keySet()) {
      List<Double> runs = best.get(name);
      double s = median(runs);
      median.put(name, s);
      System.out.printf("%-26s %10.3f %8.3f-%-8.3f %12.3f %12.1f %12.1f %14.0f%n", name, s,
          runs.stream().min(Double::compare).orElseThrow(), runs.stream().max(Double::compare).orElseThrow(),
          median(bestCpu.get(name)), bytes.get(name) / 1e6, bytes.get(name) / 1e6 / s, rows / s);
    }
    System.out.println();
    ratio(median, "spark parquet", "training-inputs arrow", "spark parquet time / training-inputs arrow time");
    ratio(median, "spark parquet", "training-inputs parquet", "spark parquet time / training-inputs parquet time");
    ratio(median, "training-inputs parquet", "raw parquet-bytes write",
        "training-inputs parquet time / raw write of as many bytes");
    ratio(median, "training-inputs arrow", "raw sequential write",
        "training-inputs arrow time / raw write of as many bytes");
    spark.stop();
  }

  private static double median(List<Double> runs) {
    List<Double> sorted = runs.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void ratio(Map<String, Double> median, String a, String b, String label) {
    if (median.containsKey(a) && median.containsKey(b)) {
      System.out.printf("%s = %.2fx%n", label, median.get(a) / median.get(b));
    }
  }

  private static List<String> only;
  private static Map<String, List<Double>> cpuBest;

  private interface Write {
    void to(String out) throws Exception;
  }

  private static void time(String name, Map<String, List<Double>> best, Map<String, Long> bytes, Path dir, Write write)
      throws Exception {
    if (only != null && !only.contains(name.split(" ")[0] + "-" + name.split(" ")[1])) {
      return;
    }
    Path out = dir.resolve(name.replace(' ', '-'));
    delete(out);
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    write.to(out.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
    cpuBest.computeIfAbsent(name, k -> new ArrayList<>()).add(cpu);
    long size = size(out);
    delete(out);
    best.computeIfAbsent(name, k -> new ArrayList<>()).add(seconds);
    bytes.put(name, size);
    System.out.printf("%-26s %8.3f s %8.3f cpu s %10.1f MB%n", name, seconds, cpu, size / 1e6);
  }

  /** Writes {@code total} bytes as {@code threads} files in parallel, 4 MiB at a time from a direct buffer. */
  private static void rawWrite(Path out, long total, int threads) throws Exception {
    Files.createDirectories(out);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Path file = out.resolve("part-" + t);
      long share = total / threads + (t == 0 ? total % threads : 0);
      futures.add(pool.submit(() -> {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
          for (long left = share; left > 0; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), left));
            while (buffer.hasRemaining()) {
              left -= channel.write(buffer);
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
  }

  private static long size(Path p) throws IOException {
    if (!Files.exists(p)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
