package io.traininputs.job;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;

/**
 * Runs the reference job end to end: reads the four inputs with quarantine, checks the train window
 * ({@link TrainWindow}: one query over the impression days, one over the action times), writes the output (Parquet
 * partitioned by {@code as_of_date}, or the {@code training-inputs} format) and the quarantined records
 * ({@code _quarantine/<input>/}), checks the written histories for same-day leaks, and only then publishes it all at
 * {@code outDir} (replacing what is there).
 *
 * <p>Cost: clean Parquet inputs are counted from their footers and scanned once, by the job; other inputs are read
 * once and cached for the run ({@link InputReader}). The output is written once, to a hidden staging folder next to
 * {@code outDir}; the same-day leak check reads the count the history operator keeps while it writes
 * ({@link ExecutedPlans#sameDayEntries}), so it costs nothing more; the contexts are counted by the same operator
 * ({@link ExecutedPlans#contexts}). Only when the history was planned without that
 * operator (stock Spark) is the check a second computation of the history in row form
 * ({@link QualityChecks#sameDayLeaks(Dataset, Dataset, JobOptions)}). With {@code failOnSameDayLeak} a leaking
 * output is deleted unpublished. Publishing is a rename ({@link OutputVersions}: at every instant, and wherever a run
 * is killed, {@code outDir} shows the complete previous output or the complete new one); counting the output reads
 * only Parquet metadata.
 */
public final class TrainingInputsRunner {
  static final String QUARANTINE_DIR = "_quarantine";
  static final String CHECKED_WHILE_WRITING = "counted by the history operator while writing";
  static final String RECOMPUTED = "recomputed from the history in row form (stock plan)";
  private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  private static final String WRITE = "write output";
  private static final String LEAK_CHECK = "check same-day leaks";
  private static final String WINDOW_CHECK = "check train window";
  private static final String PLAN_DATES = "plan as-of dates";
  private static final String COPY_KEPT = "link kept dates";

  private TrainingInputsRunner() {}

  public static RunSummary run(
      SparkSession spark, InputPaths paths, String outDir, JobOptions options, RunFlags flags) {
    return run(spark, paths, outDir, options, flags, RunProgress.NONE);
  }

  /**
   * @throws SameDayLeakException with {@code flags.failOnSameDayLeak()} when a history holds a same-day action
   * @throws SuspiciousWindowException with {@code flags.failOnSuspiciousWindow()} when the train window is
   *     suspicious ({@link TrainWindow}); checked before anything is written
   * @throws InputSchemaException when an input path matches nothing or lacks a required column
   */
  public static RunSummary run(SparkSession spark, InputPaths paths, String outDir, JobOptions options,
                               RunFlags flags, RunProgress progress) {
    return run(spark, paths, outDir, options, flags, OutputFormat.sparkParquet(), progress);
  }

  /** As {@link #run(SparkSession, InputPaths, String, JobOptions, RunFlags, RunProgress)}, in the given format. */
  public static RunSummary run(SparkSession spark, InputPaths paths, String outDir, JobOptions options,
                               RunFlags flags, OutputFormat format, RunProgress progress) {
    return run(spark, paths, outDir, options, flags, format, progress, TrainingInputsJob::build);
  }

  /** As above, with the job that turns the read inputs into the output (tests plant faulty jobs here). */
  static RunSummary run(SparkSession spark, InputPaths paths, String outDir, JobOptions options, RunFlags flags,
                        OutputFormat format, RunProgress progress,
                        BiFunction<TrainingInputs, JobOptions, Dataset<Row>> job) {
    checkSeparate(spark.sessionState().newHadoopConf(), paths, outDir);
    if (flags.incremental().enabled()) {
      IncrementalPlan.check(spark.sessionState().newHadoopConf(), outDir, flags.incremental(), options, format);
    }
    long start = System.nanoTime();
    // Before reading: timestamps without a zone in the inputs are read in the session time zone.
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    String savedPartitions = spark.conf().get(SHUFFLE_PARTITIONS);
    if (flags.shufflePartitions() > 0) {
      spark.conf().set(SHUFFLE_PARTITIONS, Integer.toString(flags.shufflePartitions()));
    }
    Phases phases = new Phases(spark, progress);
    Map<RawInput, ReadResult> results = new EnumMap<>(RawInput.class);
    Configuration conf = spark.sessionState().newHadoopConf();
    OutputVersions versions = io(() -> OutputVersions.of(conf, outDir), "cannot resolve the output " + outDir);
    String runId = OutputVersions.newId();
    Path staging = versions.staging(runId);
    try (ExecutedPlans executed = ExecutedPlans.listen(spark); TaskMemory memory = TaskMemory.listen(spark)) {
      io(() -> {
        versions.recover();
        return null;
      }, "cannot clean up what earlier runs left next to " + outDir);
      InputReader reader = new InputReader(spark);
      for (RawInput input : RawInput.values()) {
        results.put(input, phases.run("read " + input.label(), () -> reader.read(input, paths.pathsOf(input))));
      }
      Map<RawInput, InputCounts> counts = new EnumMap<>(RawInput.class);
      Set<RawInput> cached = EnumSet.noneOf(RawInput.class);
      results.forEach((input, r) -> {
        counts.put(input, new InputCounts(r.read(), r.quarantinedByReason()));
        if (r.isCached()) {
          cached.add(input);
        }
      });
      TrainingInputs inputs = new TrainingInputs(results.get(RawInput.IMPRESSIONS).usable(),
          results.get(RawInput.CLICKS).usable(), results.get(RawInput.ATC).usable(),
          results.get(RawInput.ORDERS).usable());

      Dataset<Row> actions = ActionsUnion.union(inputs.clicks(), inputs.atc(), inputs.orders());
      TrainWindow window = phases.run(WINDOW_CHECK,
          () -> TrainWindow.of(inputs.impressions(), actions, options.trainDays(), reader.latestActionDay(results),
              reader.impressionDays(results)));
      List<String> warnings = window.warnings();
      if (!warnings.isEmpty() && flags.failOnSuspiciousWindow()) {
        long all = ImpressionSelection.select(inputs.impressions(), options.trainDays())
            .select(col("customer_id"), col("as_of_date")).distinct().count();
        throw new SuspiciousWindowException(new RunSummary(outDir, counts, cached, all, false, 0,
            format.rowsAre(options), 0, 0,
            RunSummary.LEAKS_NOT_CHECKED, OptionalLong.empty(), "not planned", phases.times(),
            Map.of(), Duration.ofNanos(System.nanoTime() - start), warnings, "", memory.describe(), ""));
      }
      IncrementalPlan plan = format.isTrainingInputs() ? phases.run(PLAN_DATES, () -> {
        Map<LocalDate, InputFingerprints.DateInputs> dateInputs = reader.fingerprints()
            .of(window.window(), options.lookbackDays());
        return flags.incremental().enabled()
            ? IncrementalPlan.incremental(conf, outDir, flags.incremental(), window.window(), dateInputs, options,
                format)
            : IncrementalPlan.full(window.window(), dateInputs, options);
      }) : null;
      String dates = flags.incremental().enabled() ? plan.describe() : "";
      if (plan != null && plan.changesNothing()) {
        return new RunSummary(outDir, counts, cached, 0, false, format.countRows(spark, outDir),
            format.rowsAre(options), 0, 0, RunSummary.LEAKS_NOT_CHECKED, OptionalLong.empty(), "not planned",
            phases.times(), Map.of(), Duration.ofNanos(System.nanoTime() - start), warnings, dates,
            memory.describe(), "");
      }
      TrainingInputs chosen = plan != null && plan.isPartial(window.window()) ? plan.relevantInputs(inputs) : inputs;
      Dataset<Row> contexts = ImpressionSelection.select(chosen.impressions(), options.trainDays())
          .select(col("customer_id"), col("as_of_date")).distinct();
      Map<String, String> formatOptions = plan == null ? Map.of() : plan.writeOptions();
      if (plan != null && plan.addsToPrevious()) {
        phases.run(COPY_KEPT, () -> io(() -> {
          versions.startFrom(staging);
          return null;
        }, "cannot copy the dates kept from " + outDir));
      }

      Map<String, String> plans = new LinkedHashMap<>();
      QueryExecution write = phases.run(WRITE, () -> {
        withoutOneRowSortElimination(spark, () -> format.write(job.apply(chosen, options), staging.toString(),
            options, formatOptions));
        return executed.last();
      });
      SparkPlan writePlan = write == null ? null : write.executedPlan();
      String historyPlan = writePlan == null ? "unknown (the write's plan was not seen)"
          : ExecutedPlans.historyPlan(writePlan);
      if (writePlan != null) {
        plans.put(WRITE, writePlan.treeString());
      }
      OptionalLong answered = writePlan == null ? OptionalLong.empty() : ExecutedPlans.contexts(writePlan);
      long contextCount = answered.isPresent() ? answered.getAsLong()
          : phases.run("count contexts", contexts::count);
      OptionalLong counted = writePlan == null ? OptionalLong.empty() : ExecutedPlans.sameDayEntries(writePlan);
      String leakCheck = counted.isPresent() ? CHECKED_WHILE_WRITING : RECOMPUTED;
      long leaks = phases.run(LEAK_CHECK, () -> {
        if (counted.isPresent()) {
          return counted.getAsLong();
        }
        long n = QualityChecks.sameDayLeaks(actions, contexts, options);
        QueryExecution check = executed.last();
        if (check != null) {
          plans.put(LEAK_CHECK, check.executedPlan().treeString());
        }
        return n;
      });
      if (leaks > 0 && flags.failOnSameDayLeak()) {
        delete(conf, staging);
        throw new SameDayLeakException(new RunSummary(outDir, counts, cached, contextCount, false, 0,
            format.rowsAre(options), 0, leaks,
            leakCheck, OptionalLong.empty(), historyPlan, phases.times(), plans,
            Duration.ofNanos(System.nanoTime() - start), warnings, dates, memory.describe(),
            ""));
      }
      long bytes = outputBytes(conf, staging.toString());
      phases.run("write quarantine", () -> {
        results.forEach((input, r) -> InputReader.writeQuarantine(r,
            new Path(new Path(staging, QUARANTINE_DIR), input.label()).toString()));
        return null;
      });
      phases.run("publish output", () -> io(() -> {
        versions.publish(staging, runId);
        return null;
      }, "cannot publish the output at " + outDir));
      long outputRows = phases.run("count output",
          () -> bytes == 0 ? 0L : format.countRows(spark, outDir));
      OptionalLong upstream = OptionalLong.empty();
      if (flags.scanUpstream()) {
        upstream = OptionalLong.of(phases.run("scan upstream",
            () -> QualityChecks.upstreamSameDay(actions, contexts)));
      }
      return new RunSummary(outDir, counts, cached, contextCount, true, outputRows,
          format.rowsAre(options), bytes, leaks, leakCheck,
          upstream, historyPlan, phases.times(), plans, Duration.ofNanos(System.nanoTime() - start), warnings, dates,
          memory.describe(), writePlan == null ? "" : ExecutedPlans.historyMemory(writePlan));
    } finally {
      delete(conf, staging);
      results.values().forEach(ReadResult::close);
      spark.conf().set(SHUFFLE_PARTITIONS, savedPartitions);
      spark.sparkContext().setJobDescription(null);
    }
  }

  /**
   * Runs {@code write} with Spark's adaptive {@code OptimizeOneRowPlan} rule off. When the inputs are read straight
   * from their files (clean Parquet), adaptive re-planning of the write's final stage judged the rows under the
   * partitioned writer's {@code Sort [as_of_date]} to be at most one per partition and removed that sort, and the
   * writer, given unsorted rows, failed opening a file it had already written ({@code FileAlreadyExistsException}).
   * The rule only saves sorts and aggregates of single rows, so the write loses nothing by it.
   */
  private static void withoutOneRowSortElimination(SparkSession spark, Runnable write) {
    String key = "spark.sql.adaptive.optimizer.excludedRules";
    String rule = "org.apache.spark.sql.catalyst.optimizer.OptimizeOneRowPlan";
    String saved = spark.conf().getOption(key).getOrElse(() -> null);
    spark.conf().set(key, saved == null || saved.isBlank() ? rule : saved + "," + rule);
    try {
      write.run();
    } finally {
      if (saved == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, saved);
      }
    }
  }

  private interface IoWork<T> {
    T run() throws IOException;
  }

  private static <T> T io(IoWork<T> work, String failure) {
    try {
      return work.run();
    } catch (IOException e) {
      throw new UncheckedIOException(failure, e);
    }
  }

  private static void delete(Configuration conf, Path path) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (fs.exists(path)) {
        fs.delete(path, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the staging folder " + path, e);
    }
  }

  /** Runs phases, reports them to the progress listener and names their Spark jobs; keeps their times. */
  private static final class Phases {
    private final SparkSession spark;
    private final RunProgress progress;
    private final List<PhaseTime> times = new ArrayList<>();

    Phases(SparkSession spark, RunProgress progress) {
      this.spark = spark;
      this.progress = progress;
    }

    <T> T run(String name, Supplier<T> work) {
      progress.started(name);
      spark.sparkContext().setJobDescription(name);
      long start = System.nanoTime();
      T result = work.get();
      long millis = (System.nanoTime() - start) / 1_000_000;
      times.add(new PhaseTime(name, millis));
      progress.finished(name, millis);
      return result;
    }

    List<PhaseTime> times() {
      return times;
    }
  }

  /**
   * The run replaces {@code outDir}: no input may lie inside it, and it may not lie inside an input directory (or
   * below the fixed part of a glob), where a later run would read it back.
   */
  private static void checkSeparate(Configuration conf, InputPaths paths, String outDir) {
    String out = qualified(conf, outDir);
    for (RawInput input : RawInput.values()) {
      for (String path : paths.pathsOf(input)) {
        String in = qualified(conf, globFree(path));
        if (in.equals(out) || in.startsWith(out + "/") || out.startsWith(in + "/")) {
          throw new IllegalArgumentException("input '" + input.label() + "' path '" + path + "' overlaps the output"
              + " directory '" + outDir + "', which the run replaces; write the output elsewhere");
        }
      }
    }
  }

  /** The path up to its first component with a glob character: every file the glob can match lies below it. */
  private static String globFree(String path) {
    int glob = path.length();
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int i = path.indexOf(c);
      if (i >= 0) {
        glob = Math.min(glob, i);
      }
    }
    if (glob == path.length()) {
      return path;
    }
    int slash = path.lastIndexOf('/', glob);
    if (slash < 0) {
      return ".";
    }
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  private static String qualified(Configuration conf, String path) {
    Path p = new Path(path);
    try {
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path, e);
    }
  }

  /** Bytes of the Parquet data files under {@code outDir}, hidden files and the quarantine left out. */
  private static long outputBytes(Configuration conf, String outDir) {
    Path root = new Path(outDir);
    try {
      FileSystem fs = root.getFileSystem(conf);
      long bytes = 0;
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
      while (files.hasNext()) {
        LocatedFileStatus f = files.next();
        if (!InputFiles.isHidden(fs.makeQualified(root), f.getPath())) {
          bytes += f.getLen();
        }
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the output " + outDir, e);
    }
  }
}
