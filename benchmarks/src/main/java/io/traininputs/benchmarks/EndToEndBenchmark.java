package io.traininputs.benchmarks;

import static org.apache.spark.sql.functions.col;

import io.traininputs.job.ActionsUnion;
import io.traininputs.job.HistoryBuilder;
import io.traininputs.job.ImpressionSelection;
import io.traininputs.job.JobOptions;
import io.traininputs.job.TrainingInputs;
import io.traininputs.job.TrainingInputsJob;
import io.traininputs.userjob.StockTrainingInputsJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * Generates inputs at a given scale, writes them as Parquet (unless {@code --in-memory}), then times the stock job
 * and every other requested {@link Variant} in the same JVM and session: the history stage alone
 * ({@link HistoryBuilder#build} on pre-computed canonical actions and contexts read from Parquet; with
 * {@code --in-memory}, computed from the generator in each run), the whole job ({@link TrainingInputsJob#build}
 * from the raw inputs), and the history stage as a user ported it from the seed PySpark pipeline
 * ({@link StockTrainingInputsJob#buildHistories} on that job's own actions and contexts from the same raw inputs),
 * all written to the {@code noop} sink. Rounds interleave the variants so drift (JIT, page
 * cache, a busy neighbour) hits them alike. Prints a table; exits 1 when a variant's history stage is slower than
 * stock's by more than {@code --max-slowdown}, 2 on a usage error. {@code --explain} prints the plans instead, to
 * check that a variant's operator is planned and that the stage alone plans like the stage inside the job.
 */
public final class EndToEndBenchmark {
  private EndToEndBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(EndToEndOptions.USAGE);
      return;
    }
    EndToEndOptions options;
    try {
      options = EndToEndOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(EndToEndOptions.USAGE);
      System.exit(2);
      return;
    }
    EndToEndReport report;
    try (SparkSession spark =
        BenchmarkSpark.start(options.master(), options.shufflePartitions(), options.sparkConfs())) {
      report = run(spark, options);
    }
    if (report == null) {
      return;
    }
    System.out.print(report.table());
    if (options.jsonOut() != null) {
      Files.writeString(options.jsonOut(), report.json());
      System.out.println("results written to " + options.jsonOut());
    }
    List<String> failures = report.gateFailures();
    failures.forEach(System.out::println);
    if (!failures.isEmpty()) {
      System.exit(1);
    }
  }

  /** Generates, then times every variant; with {@code --explain} prints the plans instead and returns null. */
  static EndToEndReport run(SparkSession spark, EndToEndOptions options) throws IOException {
    Instant startedAt = Instant.now();
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    JobOptions jobOptions = JobOptions.builder().maxActions(options.maxActions()).build();
    boolean tempData = !options.inMemory() && options.dataDir() == null;
    Path dataDir = tempData ? Files.createTempDirectory("training-inputs-bench") : options.dataDir();
    try {
      long start = System.nanoTime();
      spark.conf().set("spark.sql.session.timeZone", "UTC");
      TrainingInputs inputs = BenchmarkInputs.generate(spark, options.customers());
      if (!options.inMemory()) {
        inputs = prepare(inputs, dataDir);
      }
      // The stage's inputs are built exactly as inside the job, so Spark sizes them alike and picks the same join:
      // a pre-materialised contexts file is small enough to be broadcast and changes the plan.
      Dataset<Row> actions = actions(inputs);
      Dataset<Row> contexts = contexts(inputs, jobOptions);
      double generateMillis = (System.nanoTime() - start) / 1e6;
      TrainingInputs jobInputs = inputs;
      Dataset<Row> historyActions = actions;
      Dataset<Row> historyContexts = contexts;
      Dataset<Row> seedActions = StockTrainingInputsJob.actionsUnion(inputs.clicks(), inputs.atc(), inputs.orders());
      Dataset<Row> seedContexts = StockTrainingInputsJob.contexts(
          StockTrainingInputsJob.normalizeImpressions(inputs.impressions(), jobOptions.trainDays()));
      Runnable seedStage = () -> noop(seedHistory(seedActions, seedContexts, jobOptions));
      if (options.explain()) {
        explain(spark, options.variants(), historyActions, historyContexts, jobInputs, jobOptions);
        explainSeed(spark, options.variants(), seedActions, seedContexts, jobOptions);
        return null;
      }
      List<VariantResult> results =
          compare(
              spark,
              options.variants(),
              options.warmups(),
              options.iterations(),
              () -> noop(HistoryBuilder.build(historyActions, historyContexts, jobOptions)),
              () -> noop(TrainingInputsJob.build(jobInputs, jobOptions)),
              seedStage);
      double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return new EndToEndReport(
          options,
          startedAt,
          loadBefore,
          loadAfter,
          generateMillis,
          actions.count(),
          inputs.impressions().count(),
          contexts.distinct().count(),
          results);
    } finally {
      if (tempData) {
        deleteRecursively(dataDir);
      }
    }
  }

  /** As {@link #compare(SparkSession, List, int, int, Runnable, Runnable, Runnable)} without the seed stage. */
  static List<VariantResult> compare(
      SparkSession spark,
      List<Variant> variants,
      int warmups,
      int iterations,
      Runnable historyStage,
      Runnable job) {
    return compare(spark, variants, warmups, iterations, historyStage, job, null);
  }

  /**
   * Runs {@code warmups + iterations} rounds; each round runs every variant's history stage, its job, then (when
   * not null) the seed port's history stage with the variant's session confs set. Confs any variant touches are
   * restored to their values before the call.
   */
  static List<VariantResult> compare(
      SparkSession spark,
      List<Variant> variants,
      int warmups,
      int iterations,
      Runnable historyStage,
      Runnable job,
      Runnable seedHistoryStage) {
    Set<String> touched = new LinkedHashSet<>();
    variants.forEach(v -> touched.addAll(v.sessionConfs().keySet()));
    Map<String, Option<String>> original = new LinkedHashMap<>();
    for (String key : touched) {
      original.put(key, spark.conf().getOption(key));
    }
    Map<Variant, List<Measurement>> history = new LinkedHashMap<>();
    Map<Variant, List<Measurement>> whole = new LinkedHashMap<>();
    Map<Variant, List<Measurement>> seed = new LinkedHashMap<>();
    variants.forEach(v -> history.put(v, new ArrayList<>()));
    variants.forEach(v -> whole.put(v, new ArrayList<>()));
    variants.forEach(v -> seed.put(v, new ArrayList<>()));
    try (StageMeter meter = new StageMeter(spark)) {
      for (int round = 0; round < warmups + iterations; round++) {
        for (Variant variant : variants) {
          restore(spark, original);
          variant.sessionConfs().forEach(spark.conf()::set);
          Measurement h = meter.measure(historyStage);
          Measurement j = meter.measure(job);
          Measurement s = seedHistoryStage == null ? null : meter.measure(seedHistoryStage);
          if (round >= warmups) {
            history.get(variant).add(h);
            whole.get(variant).add(j);
            if (s != null) {
              seed.get(variant).add(s);
            }
          }
        }
      }
    } finally {
      restore(spark, original);
    }
    List<VariantResult> results = new ArrayList<>();
    for (Variant variant : variants) {
      results.add(new VariantResult(variant, history.get(variant), whole.get(variant), seed.get(variant)));
    }
    return results;
  }

  /** Prints, for each variant, the physical plans of the history stage and of the job; runs nothing. */
  static void explain(
      SparkSession spark,
      List<Variant> variants,
      Dataset<Row> actions,
      Dataset<Row> contexts,
      TrainingInputs inputs,
      JobOptions jobOptions) {
    Map<String, Option<String>> original = new LinkedHashMap<>();
    variants.forEach(v -> v.sessionConfs().keySet().forEach(k -> original.put(k, spark.conf().getOption(k))));
    try {
      for (Variant variant : variants) {
        restore(spark, original);
        variant.sessionConfs().forEach(spark.conf()::set);
        System.out.println("== " + variant.name() + ": history stage ==");
        System.out.println(HistoryBuilder.build(actions, contexts, jobOptions).queryExecution().executedPlan());
        System.out.println("== " + variant.name() + ": job ==");
        System.out.println(TrainingInputsJob.build(inputs, jobOptions).queryExecution().executedPlan());
      }
    } finally {
      restore(spark, original);
    }
  }

  /** The seed port's history stage: one row per context with at least one action (its job joins them after). */
  static Dataset<Row> seedHistory(Dataset<Row> seedActions, Dataset<Row> seedContexts, JobOptions jobOptions) {
    return StockTrainingInputsJob.buildHistories(
        seedActions, seedContexts, jobOptions.maxActions(), jobOptions.lookbackDays());
  }

  private static void explainSeed(
      SparkSession spark, List<Variant> variants, Dataset<Row> actions, Dataset<Row> contexts, JobOptions options) {
    Map<String, Option<String>> original = new LinkedHashMap<>();
    variants.forEach(v -> v.sessionConfs().keySet().forEach(k -> original.put(k, spark.conf().getOption(k))));
    try {
      for (Variant variant : variants) {
        restore(spark, original);
        variant.sessionConfs().forEach(spark.conf()::set);
        System.out.println("== " + variant.name() + ": seed-port history stage ==");
        System.out.println(seedHistory(actions, contexts, options).queryExecution().executedPlan());
      }
    } finally {
      restore(spark, original);
    }
  }

  private static void restore(SparkSession spark, Map<String, Option<String>> original) {
    original.forEach(
        (key, value) -> {
          if (value.isDefined()) {
            spark.conf().set(key, value.get());
          } else {
            spark.conf().unset(key);
          }
        });
  }

  static Dataset<Row> actions(TrainingInputs inputs) {
    return ActionsUnion.union(inputs.clicks(), inputs.atc(), inputs.orders());
  }

  /** The (customer_id, as_of_date) pairs of the selected impressions, as {@link TrainingInputsJob} derives them. */
  static Dataset<Row> contexts(TrainingInputs inputs, JobOptions jobOptions) {
    return ImpressionSelection.select(inputs.impressions(), jobOptions.trainDays())
        .select(col("customer_id"), col("as_of_date"));
  }

  /** Writes the raw inputs under {@code dir} as Parquet and returns them read back, as the job reads files. */
  static TrainingInputs prepare(TrainingInputs inputs, Path dir) {
    write(inputs.impressions(), dir.resolve("impressions"));
    write(inputs.clicks(), dir.resolve("clicks"));
    write(inputs.atc(), dir.resolve("atc"));
    write(inputs.orders(), dir.resolve("orders"));
    SparkSession spark = inputs.impressions().sparkSession();
    return new TrainingInputs(
        spark.read().parquet(dir.resolve("impressions").toString()),
        spark.read().parquet(dir.resolve("clicks").toString()),
        spark.read().parquet(dir.resolve("atc").toString()),
        spark.read().parquet(dir.resolve("orders").toString()));
  }

  private static void write(Dataset<Row> frame, Path path) {
    frame.write().mode("overwrite").parquet(path.toString());
  }

  private static void noop(Dataset<Row> frame) {
    frame.write().format("noop").mode("overwrite").save();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
