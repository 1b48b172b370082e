package io.traininputs.benchmarks;

import static org.apache.spark.sql.functions.col;

import io.traininputs.job.HistoryBuilder;
import io.traininputs.job.JobOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One customer with very many actions and many as-of dates (issue 14, skew): the job's history stage
 * ({@link HistoryBuilder#build}, the extension on) over that customer plus ordinary ones, written to Parquet as the job
 * writes. Reports the wall time, the history operators' metrics (peak memory reserved, fallbacks, spill) and the JVM's
 * heap, then checks every history of the skewed customer against its closed form: its action times are distinct
 * and evenly spaced, so a context's history is the latest {@code --max-actions} indices inside its window, newest
 * first. Stock Spark is not run: its range join would materialise every (context, action) pair of the windows
 * (billions of rows). Exits 0 when every history matched, 1 otherwise, 2 on a usage error.
 */
public final class SkewBenchmark {
  private static final String USAGE = String.join("\n",
      "usage: bin/benchmark skew [--events N] [--contexts C] [--customers K] [--max-actions M] [--lookback-days L]",
      "                          [--master local[2]] [--partitions P] [--work-dir DIR]",
      "  --events N        actions of the skewed customer (default 20000000)",
      "  --contexts C      its as-of dates, one a day (default 365)",
      "  --customers K     ordinary customers, 100 actions and 14 as-of dates each (default 1000)",
      "  --max-actions M   history length (default 1000); --lookback-days L: the window (default 365)");
  private static final LocalDate FIRST_AS_OF = LocalDate.of(2025, 1, 1);
  private static final long SKEWED = 7L;

  private SkewBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>(Map.of("--events", "20000000", "--contexts", "365",
        "--customers", "1000", "--max-actions", "1000", "--lookback-days", "365", "--master", "local[2]",
        "--partitions", "4", "--work-dir", "/tmp/skew-bench"));
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println(USAGE);
        return;
      }
      if (!o.containsKey(args[i]) || i + 1 == args.length) {
        System.err.println("unknown option or missing value: " + args[i] + "\n" + USAGE);
        System.exit(2);
      }
      o.put(args[i], args[++i]);
    }
    long events = Long.parseLong(o.get("--events"));
    int contexts = Integer.parseInt(o.get("--contexts"));
    long customers = Long.parseLong(o.get("--customers"));
    int maxActions = Integer.parseInt(o.get("--max-actions"));
    int lookback = Integer.parseInt(o.get("--lookback-days"));
    Path out = Path.of(o.get("--work-dir")).resolve("histories");
    deleteTree(out);

    SparkSession spark = BenchmarkSpark.start(o.get("--master"), Integer.parseInt(o.get("--partitions")), Map.of());
    List<QueryExecution> executions = new ArrayList<>();
    spark.listenerManager().register(new QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        synchronized (executions) {
          executions.add(qe);
        }
      }

      @Override
      public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
    });
    // The skewed customer's actions span the window before its first as-of date and all its as-of dates, evenly:
    // action i at spanStart + i * step microseconds, item i, type i % 4 + 1.
    long spanStartMicros = FIRST_AS_OF.minusDays(lookback).toEpochDay() * 86_400_000_000L;
    long spanMicros = (long) (lookback + contexts) * 86_400_000_000L;
    long step = spanMicros / events;
    Dataset<Row> skewed = spark.range(0, events, 1, 8).selectExpr(
        SKEWED + "L AS customer_id", "CAST(id AS INT) AS item_id", "CAST(id % 4 + 1 AS INT) AS action_type",
        "TIMESTAMP_MICROS(" + spanStartMicros + "L + id * " + step + "L) AS occurred_at");
    Dataset<Row> ordinary = spark.range(0, customers * 100, 1, 4).selectExpr(
        "1000 + id % " + customers + " AS customer_id", "CAST(id % 9973 AS INT) AS item_id",
        "CAST(id % 4 + 1 AS INT) AS action_type",
        "TIMESTAMP_MICROS(" + spanStartMicros + "L + (id * 7919) % " + spanMicros + "L) AS occurred_at");
    Dataset<Row> actions = skewed.unionByName(ordinary);
    Dataset<Row> contextRows = spark.range(0, contexts, 1, 1).selectExpr(
            SKEWED + "L AS customer_id", "DATE_ADD(DATE'" + FIRST_AS_OF + "', CAST(id AS INT)) AS as_of_date")
        .unionByName(spark.range(0, customers * 14, 1, 4).selectExpr(
            "1000 + id % " + customers + " AS customer_id",
            "DATE_ADD(DATE'" + FIRST_AS_OF + "', CAST(id DIV " + customers + " * 7 AS INT)) AS as_of_date"));
    JobOptions options = JobOptions.builder().maxActions(maxActions).lookbackDays(lookback).build();

    System.out.printf(Locale.ROOT, "skewed customer: %,d actions, %,d as-of dates; %,d other customers; "
        + "history %d, lookback %d days%n", events, contexts, customers, maxActions, lookback);
    long start = System.nanoTime();
    HistoryBuilder.build(actions, contextRows, options).write().parquet(out.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
    QueryExecution written;
    synchronized (executions) {
      written = executions.get(executions.size() - 1);
    }
    System.out.printf(Locale.ROOT, "history stage to Parquet: %.1f s%n", seconds);
    for (SparkPlan node : nodes(written.executedPlan())) {
      if (node.nodeName().startsWith("AsOf")) {
        StringBuilder line = new StringBuilder("  " + node.nodeName() + ":");
        for (String name : List.of("peakMemory", "numFallbacks", "numMemoryRefusals", "spillSize", "numEarlyEmits",
            "numKeptEvents", "numContexts")) {
          scala.Option<SQLMetric> metric = node.metrics().get(name);
          if (metric.isDefined()) {
            line.append(' ').append(name).append('=').append(metric.get().value());
          }
        }
        System.out.println(line);
      }
    }
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(Locale.ROOT, "JVM heap: max %,d MiB, peak (sum of the pools' peaks) %,d MiB%n",
        Runtime.getRuntime().maxMemory() >> 20, heapPeak >> 20);

    List<Row> histories = spark.read().parquet(out.toString()).where(col("customer_id").equalTo(SKEWED))
        .orderBy("as_of_date").collectAsList();
    int wrong = 0;
    for (Row row : histories) {
      if (!matchesClosedForm(row, spanStartMicros, step, events, maxActions, lookback)) {
        if (wrong++ < 3) {
          System.out.println("  wrong history for " + row.get(1));
        }
      }
    }
    boolean ok = histories.size() == contexts && wrong == 0;
    System.out.printf(Locale.ROOT,
        "skewed customer's histories: %d of %d present, %d differ from the closed form: %s%n", histories.size(),
        contexts, wrong, ok ? "OK" : "FAILED");
    spark.stop();
    System.exit(ok ? 0 : 1);
  }

  /** Action i is in the window of as-of day d when d - lookback <= t_i < d (00:00 UTC); the latest come first. */
  private static boolean matchesClosedForm(
      Row row, long spanStart, long step, long events, int maxActions, int lookback) {
    long day = row.getDate(1).toLocalDate().toEpochDay();
    long upper = day * 86_400_000_000L;
    long lower = (day - lookback) * 86_400_000_000L;
    long lastBefore = Math.min(events - 1, Math.floorDiv(upper - 1 - spanStart, step));
    long first = Math.max(0, Math.floorDiv(lower - spanStart + step - 1, step));
    List<Integer> items = row.getList(2);
    List<Integer> types = row.getList(3);
    if (items.size() != maxActions || types.size() != maxActions) {
      return false;
    }
    for (int k = 0; k < maxActions; k++) {
      long i = lastBefore - k;
      boolean inWindow = i >= first;
      int item = inWindow ? (int) i : 0;
      int type = inWindow ? (int) (i % 4 + 1) : 0;
      if (items.get(k) != item || types.get(k) != type) {
        return false;
      }
    }
    return true;
  }

  private static List<SparkPlan> nodes(SparkPlan plan) {
    List<SparkPlan> out = new ArrayList<>();
    out.add(plan);
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      out.addAll(nodes(child));
    }
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
