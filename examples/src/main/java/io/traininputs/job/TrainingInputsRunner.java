package io.traininputs.job;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the reference job end to end: reads the four inputs with quarantine, checks the histories for same-day
 * leaks, writes the output as Parquet partitioned by {@code as_of_date} to {@code outDir} (replacing what is there)
 * and the quarantined records to {@code outDir/_quarantine/<input>/}.
 *
 * <p>Cost: every input is read from its files once and cached for the run. The leak check recomputes the
 * history stage ({@link HistoryBuilder#rankedHistory}) before anything is written, so a run with
 * {@code failOnSameDayLeak} never publishes a leaking output; it roughly doubles the history work. Counting the
 * output reads back only Parquet metadata-sized work (no column is read).
 */
public final class TrainingInputsRunner {
  static final String QUARANTINE_DIR = "_quarantine";
  private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

  private TrainingInputsRunner() {}

  public static RunSummary run(
      SparkSession spark, InputPaths paths, String outDir, JobOptions options, RunFlags flags) {
    return run(spark, paths, outDir, options, flags, RunProgress.NONE);
  }

  /**
   * @throws SameDayLeakException with {@code flags.failOnSameDayLeak()} when a history holds a same-day action
   * @throws InputSchemaException when an input path matches nothing or lacks a required column
   */
  public static RunSummary run(SparkSession spark, InputPaths paths, String outDir, JobOptions options,
                               RunFlags flags, RunProgress progress) {
    return run(spark, paths, outDir, options, flags, OutputFormat.sparkParquet(), progress);
  }

  /** As {@link #run(SparkSession, InputPaths, String, JobOptions, RunFlags, RunProgress)}, in the given format. */
  public static RunSummary run(SparkSession spark, InputPaths paths, String outDir, JobOptions options,
                               RunFlags flags, OutputFormat format, RunProgress progress) {
    checkSeparate(spark.sessionState().newHadoopConf(), paths, outDir);
    long start = System.nanoTime();
    // Before reading: timestamps without a zone in the inputs are read in the session time zone.
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    String savedPartitions = spark.conf().get(SHUFFLE_PARTITIONS);
    if (flags.shufflePartitions() > 0) {
      spark.conf().set(SHUFFLE_PARTITIONS, Integer.toString(flags.shufflePartitions()));
    }
    Map<RawInput, ReadResult> results = new EnumMap<>(RawInput.class);
    try {
      InputReader reader = new InputReader(spark);
      for (RawInput input : RawInput.values()) {
        results.put(input, phase(spark, progress, "read " + input.label(),
            () -> reader.read(input, paths.pathsOf(input))));
      }
      Map<RawInput, InputCounts> counts = new EnumMap<>(RawInput.class);
      results.forEach((input, r) -> counts.put(input, new InputCounts(r.read(), r.quarantined())));
      TrainingInputs inputs = new TrainingInputs(results.get(RawInput.IMPRESSIONS).usable(),
          results.get(RawInput.CLICKS).usable(), results.get(RawInput.ATC).usable(),
          results.get(RawInput.ORDERS).usable());

      Dataset<Row> actions = ActionsUnion.union(inputs.clicks(), inputs.atc(), inputs.orders());
      Dataset<Row> contexts = ImpressionSelection.select(inputs.impressions(), options.trainDays())
          .select(col("customer_id"), col("as_of_date")).distinct();
      long leaks = phase(spark, progress, "check same-day leaks",
          () -> QualityChecks.sameDayLeaks(actions, contexts, options));
      long contextCount = phase(spark, progress, "count contexts", contexts::count);
      if (leaks > 0 && flags.failOnSameDayLeak()) {
        throw new SameDayLeakException(new RunSummary(outDir, counts, contextCount, false, 0, 0, leaks,
            OptionalLong.empty(), Duration.ofNanos(System.nanoTime() - start)));
      }

      phase(spark, progress, "write output", () -> {
        format.write(TrainingInputsJob.build(inputs, options), outDir, options);
        return null;
      });
      Configuration conf = spark.sessionState().newHadoopConf();
      long bytes = outputBytes(conf, outDir);
      phase(spark, progress, "write quarantine", () -> {
        results.forEach((input, r) ->
            InputReader.writeQuarantine(r, new Path(new Path(outDir, QUARANTINE_DIR), input.label()).toString()));
        return null;
      });
      long outputRows = phase(spark, progress, "count output",
          () -> bytes == 0 ? 0L : format.read(spark, outDir).count());
      OptionalLong upstream = OptionalLong.empty();
      if (flags.scanUpstream()) {
        upstream = OptionalLong.of(phase(spark, progress, "scan upstream",
            () -> QualityChecks.upstreamSameDay(actions, contexts)));
      }
      return new RunSummary(outDir, counts, contextCount, true, outputRows, bytes, leaks, upstream,
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      results.values().forEach(ReadResult::close);
      spark.conf().set(SHUFFLE_PARTITIONS, savedPartitions);
      spark.sparkContext().setJobDescription(null);
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

  private static <T> T phase(SparkSession spark, RunProgress progress, String name, Supplier<T> work) {
    progress.started(name);
    spark.sparkContext().setJobDescription(name);
    long start = System.nanoTime();
    T result = work.get();
    progress.finished(name, (System.nanoTime() - start) / 1_000_000);
    return result;
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
