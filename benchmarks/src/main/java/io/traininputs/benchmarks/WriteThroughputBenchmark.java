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
 * Parquet, Spark's built-in Parquet writer (partitioned by as_of_date), and a raw sequential write of as many bytes
 * as the Arrow output, with as many writer threads as the DataFrame has partitions (the limit). Spark's
 * {@code noop} sink shows what reading the cached rows alone costs every writer.
 *
 * <p>Arguments: {@code [rows=100000] [historyLength=1000] [partitions=2] [repeat=3] [dir=/tmp/...] [writers]},
 * writers a comma list of {@code training-inputs-arrow, training-inputs-parquet, spark-parquet, raw-sequential,
 * spark-noop} (default all).
 * Reports the best of {@code repeat} runs of each, in wall-clock seconds and in process CPU seconds (user + system,
 * all threads), which stays comparable when the machine is shared.
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
    only = args.length > 5 ? List.of(args[5].split(",")) : null;
    SparkSession spark = SparkSession.builder().master("local[" + partitions + "]").appName("write-throughput")
        .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", Integer.toString(partitions)).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> df = TrainingInputRows.dataFrame(spark, rows, historyLength, partitions).cache();
    System.out.printf("rows=%d historyLength=%d partitions=%d repeat=%d cached=%d%n", rows, historyLength,
        partitions, repeat, df.count());

    Map<String, Double> best = new LinkedHashMap<>();
    Map<String, Double> bestCpu = new LinkedHashMap<>();
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
    }
    System.out.println();
    System.out.printf("%-26s %10s %10s %12s %12s %14s%n", "writer", "best s", "best cpu s", "output MB",
        "MB/s out", "rows/s");
    for (String name : best.keySet()) {
      double s = best.get(name);
      System.out.printf("%-26s %10.3f %10.3f %12.1f %12.1f %14.0f%n", name, s, bestCpu.get(name),
          bytes.get(name) / 1e6, bytes.get(name) / 1e6 / s, rows / s);
    }
    if (best.containsKey("training-inputs arrow") && best.containsKey("spark parquet")
        && best.containsKey("raw sequential write")) {
      double arrow = best.get("training-inputs arrow");
      System.out.printf("%nspark parquet time / training-inputs arrow time = %.2fx (target >= 3)%n",
          best.get("spark parquet") / arrow);
      System.out.printf("training-inputs arrow bandwidth / raw sequential bandwidth = %.0f%% (target >= 50%%)%n",
          100 * best.get("raw sequential write") / arrow);
      double arrowCpu = bestCpu.get("training-inputs arrow");
      System.out.printf("process CPU seconds: spark parquet / training-inputs arrow = %.2fx, raw / arrow = %.0f%%%n",
          bestCpu.get("spark parquet") / arrowCpu, 100 * bestCpu.get("raw sequential write") / arrowCpu);
    }
    spark.stop();
  }

  private static List<String> only;
  private static Map<String, Double> cpuBest;

  private interface Write {
    void to(String out) throws Exception;
  }

  private static void time(String name, Map<String, Double> best, Map<String, Long> bytes, Path dir, Write write)
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
    cpuBest.merge(name, cpu, Math::min);
    long size = size(out);
    delete(out);
    best.merge(name, seconds, Math::min);
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
