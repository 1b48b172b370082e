package io.traininputs.job;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which as-of dates a run writes, keeps and drops, and what it records of them in the training-inputs manifest: the
 * job options that shape every row ({@code metadata.job}) and, per date, the inputs it was computed from
 * ({@code dateMetadata}, {@link InputFingerprints}). A full run writes every date of the train window. An incremental
 * run reads what the output's manifest recorded and writes the window's dates that it lacks or whose inputs changed
 * (or exactly the dates asked for), keeps the rest, and drops the dates older than the retention; it refuses an
 * output written with other options.
 *
 * @param compute the dates to compute, in order, each with why
 * @param kept the dates the output holds and keeps, in order
 * @param dropped the dates the output holds and drops, in order
 * @param addsToPrevious whether the run starts from the output it found (an incremental run over an existing output)
 * @param inputs the inputs of every date of the window
 * @param options the run's job options
 */
record IncrementalPlan(Map<LocalDate, String> compute, List<LocalDate> kept, List<LocalDate> dropped,
                       boolean addsToPrevious, Map<LocalDate, InputFingerprints.DateInputs> inputs,
                       JobOptions options) {
  static final String NEW = "new";
  static final String CHANGED = "inputs changed";
  static final String ASKED = "asked for";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "_manifest.json";

  /** Every date of the window: a run that replaces its output. */
  static IncrementalPlan full(List<LocalDate> window, Map<LocalDate, InputFingerprints.DateInputs> inputs,
                              JobOptions options) {
    Map<LocalDate, String> compute = new LinkedHashMap<>();
    window.forEach(d -> compute.put(d, NEW));
    return new IncrementalPlan(compute, List.of(), List.of(), false, inputs, options);
  }

  /**
   * @param outDir the output the run adds to; absent: every date of the window is new
   * @throws IllegalArgumentException when the output was written with other options, a date asked for is not in the
   *     train window, or the retention is shorter than the window
   */
  static IncrementalPlan incremental(Configuration conf, String outDir, Incremental incremental,
                                     List<LocalDate> window, Map<LocalDate, InputFingerprints.DateInputs> inputs,
                                     JobOptions options, OutputFormat format) {
    checkFlags(incremental, options, format);
    for (LocalDate d : incremental.dates()) {
      if (!window.contains(d)) {
        throw new IllegalArgumentException("--dates " + d + " is not an impression day of the train window ("
            + (window.isEmpty() ? "empty" : window.get(0) + ".." + window.get(window.size() - 1)) + ")");
      }
    }
    JsonNode manifest = readManifest(conf, outDir);
    Map<LocalDate, String> compute = new LinkedHashMap<>();
    if (manifest == null) {
      (incremental.dates().isEmpty() ? window : incremental.dates()).forEach(d -> compute.put(d, NEW));
      return new IncrementalPlan(compute, List.of(), List.of(), false, inputs, options);
    }
    checkSameOptions(manifest, outDir, options, format);
    TreeSet<LocalDate> held = new TreeSet<>();
    manifest.path("rowsPerDate").fieldNames().forEachRemaining(d -> held.add(LocalDate.parse(d)));
    if (!incremental.dates().isEmpty()) {
      new TreeSet<>(incremental.dates()).forEach(d -> compute.put(d, ASKED));
    } else {
      for (LocalDate d : window) {
        String recorded = manifest.path("dateMetadata").path(d.toString()).path("inputs").path("sha256").asText();
        if (!held.contains(d)) {
          compute.put(d, NEW);
        } else if (!recorded.equals(inputs.get(d).sha256())) {
          compute.put(d, CHANGED);
        }
      }
    }
    List<LocalDate> dropped = new ArrayList<>();
    if (incremental.retainDays() > 0 && !window.isEmpty()) {
      LocalDate oldestKept = window.get(window.size() - 1).minusDays(incremental.retainDays() - 1L);
      held.stream().filter(d -> d.isBefore(oldestKept)).forEach(dropped::add);
    }
    List<LocalDate> kept = held.stream().filter(d -> !compute.containsKey(d) && !dropped.contains(d)).toList();
    return new IncrementalPlan(compute, kept, dropped, true, inputs, options);
  }

  /**
   * Checks, before anything is read, what an incremental run can check from its options and the output's manifest.
   *
   * @throws IllegalArgumentException as {@link #incremental} does
   */
  static void check(Configuration conf, String outDir, Incremental incremental, JobOptions options,
                    OutputFormat format) {
    checkFlags(incremental, options, format);
    JsonNode manifest = readManifest(conf, outDir);
    if (manifest != null) {
      checkSameOptions(manifest, outDir, options, format);
    }
  }

  /** Whether the run computes only some of the window's dates (the job then reads only their impressions). */
  boolean isPartial(List<LocalDate> window) {
    return !compute.keySet().containsAll(window);
  }

  /**
   * The inputs of the dates to compute and nothing else: their days' impressions, and the actions of their customers
   * that fall in a lookback ({@code [first - lookbackDays, last)}, 00:00 UTC). Every other action reaches no
   * history of these dates, so the history stage shuffles and ranks only these.
   */
  TrainingInputs relevantInputs(TrainingInputs inputs) {
    List<LocalDate> dates = compute.keySet().stream().sorted().toList();
    if (dates.isEmpty()) {
      // only dates to drop: the write is an empty one that commits the drop
      return new TrainingInputs(inputs.impressions().where(lit(false)), inputs.clicks().where(lit(false)),
          inputs.atc().where(lit(false)), inputs.orders().where(lit(false)));
    }
    Object[] days = dates.stream().map(LocalDate::toString).toArray();
    Dataset<Row> impressions = inputs.impressions().where(col("dt").isin(days));
    Dataset<Row> customers = broadcast(impressions.select(col("customer_id")).distinct());
    LocalDate from = dates.get(0).minusDays(options.lookbackDays());
    LocalDate until = dates.get(dates.size() - 1);
    Instant fromTime = from.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant untilTime = until.atStartOfDay(ZoneOffset.UTC).toInstant();
    return new TrainingInputs(impressions,
        ofCustomers(inputs.clicks().where(col("click_time").geq(lit(fromTime)).and(col("click_time")
            .lt(lit(untilTime)))), customers),
        ofCustomers(inputs.atc().where(col("occur_at").geq(lit(fromTime)).and(col("occur_at").lt(lit(untilTime)))),
            customers),
        ofCustomers(inputs.orders().where(col("order_date").geq(lit(from)).and(col("order_date").lt(lit(until)))),
            customers));
  }

  private static Dataset<Row> ofCustomers(Dataset<Row> actions, Dataset<Row> customers) {
    return actions.join(customers, actions.col("customer_id").equalTo(customers.col("customer_id")), "left_semi");
  }

  boolean changesNothing() {
    return compute.isEmpty() && dropped.isEmpty();
  }

  /** The write options that record the dates written and drop the dates dropped, with the previous output kept. */
  Map<String, String> writeOptions() {
    Map<String, String> out = new LinkedHashMap<>();
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("writer", "training-inputs run");
    ObjectNode job = metadata.putObject("job");
    job.put("maxActions", options.maxActions());
    job.put("lookbackDays", options.lookbackDays());
    job.put("explode", options.explode());
    out.put("metadata", metadata.toString());
    ObjectNode dates = JSON.createObjectNode();
    for (LocalDate d : compute.keySet()) {
      InputFingerprints.DateInputs in = inputs.get(d);
      ObjectNode entry = dates.putObject(d.toString()).putObject("inputs");
      entry.put("files", in.files());
      entry.put("sha256", in.sha256());
    }
    out.put("dateMetadata", dates.toString());
    if (addsToPrevious) {
      out.put("partitionOverwriteMode", "dynamic");
      if (!dropped.isEmpty()) {
        out.put("dropDates", dropped.stream().map(LocalDate::toString).collect(Collectors.joining(",")));
      }
    }
    return out;
  }

  /** One line for the run summary: what was computed and why, kept and dropped. */
  String describe() {
    if (changesNothing()) {
      return "nothing to do: the output holds every date of the window, computed from the same inputs";
    }
    String computed = compute.isEmpty() ? "computed none" : "computed " + dates(compute.keySet().stream().toList())
        + " (" + compute.values().stream().distinct().collect(Collectors.joining(", ")) + ")";
    return computed + "; kept " + kept.size() + "; dropped " + (dropped.isEmpty() ? "none" : dates(dropped));
  }

  private static String dates(List<LocalDate> dates) {
    return dates.size() == 1 ? dates.get(0).toString()
        : dates.size() + " dates " + dates.get(0) + ".." + dates.get(dates.size() - 1);
  }

  private static void checkFlags(Incremental incremental, JobOptions options, OutputFormat format) {
    if (!format.isTrainingInputs()) {
      throw new IllegalArgumentException("--incremental needs the training-inputs format (--format parquet or arrow),"
          + " whose manifest records what each date was computed from; --format spark-parquet has none");
    }
    if (incremental.retainDays() > 0 && incremental.retainDays() < options.trainDays()) {
      throw new IllegalArgumentException("--retain-days " + incremental.retainDays() + " is less than --train-days "
          + options.trainDays() + ": the run would drop dates of the window it writes");
    }
  }

  private static void checkSameOptions(JsonNode manifest, String outDir, JobOptions options, OutputFormat format) {
    JsonNode job = manifest.path("metadata").path("job");
    if (job.isMissingNode()) {
      throw new IllegalArgumentException("--incremental: " + outDir + " was not written by training-inputs run (its "
          + "manifest records no job options); run once without --incremental to rewrite it");
    }
    mismatch(outDir, "--format", manifest.path("fileFormat").asText(), format.fileFormat());
    mismatch(outDir, "--layout", manifest.path("layout").asText(), format.layout());
    mismatch(outDir, "--max-actions", job.path("maxActions").asText(), Integer.toString(options.maxActions()));
    mismatch(outDir, "--lookback-days", job.path("lookbackDays").asText(), Integer.toString(options.lookbackDays()));
    mismatch(outDir, "--explode", job.path("explode").asText(), Boolean.toString(options.explode()));
  }

  private static void mismatch(String outDir, String option, String written, String now) {
    if (!written.equalsIgnoreCase(now)) {
      throw new IllegalArgumentException("--incremental: " + outDir + " was written with " + option + " " + written
          + ", this run has " + option + " " + now + "; dates made with both cannot be mixed. Use " + option + " "
          + written + ", or run without --incremental to rewrite every date");
    }
  }

  private static JsonNode readManifest(Configuration conf, String outDir) {
    Path manifest = new Path(outDir, MANIFEST);
    try {
      FileSystem fs = manifest.getFileSystem(conf);
      if (!fs.exists(manifest)) {
        if (fs.exists(new Path(outDir)) && fs.listStatus(new Path(outDir)).length > 0) {
          throw new IllegalArgumentException("--incremental: " + outDir + " holds files but no " + MANIFEST
              + ", so it is not a training-inputs output to add to; run once without --incremental");
        }
        return null;
      }
      try (InputStream in = fs.open(manifest)) {
        return JSON.readTree(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output's manifest " + manifest, e);
    }
  }
}
