package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked example of docs/semantics.md as raw files, with bad records, through {@link TrainingInputsRunner#run}. */
class TrainingInputsRunnerTest {
  private static final String BAD_CLICK = "{\"customer_id\": 7, \"item_id\": 19, \"click_time\": ";
  private static final StructType LOOSE_ATC = new StructType()
      .add("customer_id", DataTypes.LongType)
      .add("config_id", DataTypes.LongType)
      .add("occur_at", DataTypes.StringType);

  private static SparkSession spark;

  @TempDir
  Path dir;
  private InputPaths paths;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(TrainingInputsRunnerTest.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @BeforeEach
  void writeInputs() throws IOException {
    Path impressions = write("in/impressions/day.json", "[\n"
        + " {\"dt\": \"2025-03-10\", \"ranking_id\": \"r1\", \"customer_id\": 7,\n"
        + "  \"impressions\": [{\"item_id\": 101, \"is_order\": false}, {\"item_id\": 102, \"is_order\": true}]},\n"
        + " {\"dt\": \"2025-03-10\", \"ranking_id\": \"r2\", \"customer_id\": 8,"
        + " \"impressions\": [{\"item_id\": 103, \"is_order\": false}]},\n"
        + " {\"dt\": \"2025-02-01\", \"ranking_id\": \"old\", \"customer_id\": 7, \"impressions\": []},\n"
        + " {\"dt\": \"2025-03-10\", \"ranking_id\": \"r3\", \"customer_id\": null, \"impressions\": []}\n"
        + "]\n");
    Path clicks = write("in/clicks/part-0.jsonl", String.join("\n",
        "{\"customer_id\": 7, \"item_id\": 11, \"click_time\": \"2025-03-10T00:00:00Z\"}",
        "{\"customer_id\": 7, \"item_id\": 12, \"click_time\": \"2025-03-09T23:59:59Z\"}",
        "{\"customer_id\": 7, \"item_id\": 15, \"click_time\": \"2025-03-01 08:00:00\"}",
        "{\"customer_id\": \"7\", \"item_id\": \"16\", \"click_time\": \"2024-03-10T00:00:00Z\"}",
        "{\"customer_id\": 7, \"item_id\": 17, \"click_time\": \"2024-03-09T23:59:59Z\"}",
        BAD_CLICK) + "\n");
    String atc = dir.resolve("in/atc").toString();
    spark.createDataFrame(List.of(
        RowFactory.create(7L, 13L, "2025-03-09T23:59:59Z"),
        RowFactory.create(7L, 13L, "soon")), LOOSE_ATC).coalesce(1).write().parquet(atc);
    Path orders = write("in/orders.json", "{\"order_date\": \"2025-03-09\", \"customer_id\": 7, \"config_id\": 14}\n");
    paths = InputPaths.of(impressions.getParent().toString(), clicks.getParent() + "/*.jsonl", atc,
        orders.toString());
  }

  @Test
  void runWritesPartitionedParquetQuarantineAndSummary() throws Exception {
    String out = dir.resolve("out").toString();
    List<String> phases = new ArrayList<>();
    RunProgress progress = new RunProgress() {
      @Override
      public void finished(String phase, long millis) {
        phases.add(phase);
      }
    };
    List<StageProgressListener.StageProgress> stages = new CopyOnWriteArrayList<>();
    StageProgressListener listener = new StageProgressListener(stages::add);
    spark.sparkContext().addSparkListener(listener);
    RunSummary summary;
    try {
      summary = TrainingInputsRunner.run(spark, paths, out, JobOptions.builder().maxActions(4).build(),
          new RunFlags(true, true, 3), progress);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }

    assertEquals(Map.of(
        RawInput.IMPRESSIONS, new InputCounts(4, Map.of(QuarantineReason.CUSTOMER_ID, 1L)),
        RawInput.CLICKS, new InputCounts(6, Map.of(QuarantineReason.CORRUPT_JSON, 1L)),
        RawInput.ATC, new InputCounts(2, Map.of(QuarantineReason.TIME, 1L)),
        RawInput.ORDERS, InputCounts.clean(1)), summary.inputs());
    assertEquals(2, summary.contexts());
    assertTrue(summary.outputWritten());
    assertEquals(2, summary.outputRows());
    assertTrue(summary.bytesWritten() > 0);
    assertEquals(0, summary.sameDayLeaks());
    assertEquals(OptionalLong.of(1), summary.upstreamSameDay(), "click 11 falls on 7's impression day");
    assertEquals(List.of("read impressions", "read clicks", "read atc", "read orders",
        "check train window", "write output", "check same-day leaks", "write quarantine", "publish output",
        "count output", "scan upstream"), phases);
    assertEquals(phases, summary.phases().stream().map(PhaseTime::name).toList());
    assertEquals(TrainingInputsRunner.CHECKED_WHILE_WRITING, summary.leakCheck());
    assertTrue(summary.historyPlan().startsWith("extension: AsOfContextHistory"), summary.historyPlan());
    assertTrue(summary.plans().get("write output").contains("AsOfContextHistory"), summary.plans().toString());
    assertEquals(java.util.Set.of(RawInput.IMPRESSIONS, RawInput.CLICKS, RawInput.ATC, RawInput.ORDERS),
        summary.cachedInputs(), "JSON, and Parquet with loose types, are parsed and cached");
    assertTrue(summary.format().contains("check same-day leaks"), summary.format());
    // The history operators report their reservations as the tasks' peak execution memory: never 0 here.
    assertTrue(summary.taskMemory().matches("largest task peak [1-9][0-9.]* [KMG]?i?B, spilled .*, [0-9,]+ tasks"),
        summary.taskMemory());
    assertEquals("0 reservations refused, 0 key-ordered fallbacks", summary.historyMemory());
    assertTrue(summary.format().contains("history operator memory"), summary.format());
    assertEquals("4", spark.conf().get("spark.sql.shuffle.partitions"), "the session's setting is restored");
    assertTrue(stages.stream().anyMatch(s -> s.phase().equals("write output") && s.complete()
        && s.tasksDone() == s.tasksTotal() && s.tasksTotal() > 0), stages.toString());
    assertTrue(stages.stream().anyMatch(s -> s.phase().equals("read clicks") && s.complete()), stages.toString());

    Dataset<Row> back = spark.read().parquet(out);
    assertSameFields(Schemas.OUTPUT_ROWS, back.schema());
    assertEquals(DataTypes.DateType, back.schema().apply("as_of_date").dataType());
    assertEquals(List.of("as_of_date=2025-03-10"), listNames(dir.resolve("out"), "as_of_date="));
    List<Row> rows = back.select(List.of(Schemas.OUTPUT_ROWS.fieldNames()).stream()
        .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
        .orderBy("customer_id").collectAsList();
    assertEquals("[2025-03-10,r1,7,ArraySeq([101,false], [102,true]),ArraySeq(13, 12, 14, 15),"
        + "ArraySeq(2, 1, 3, 1)]", rows.get(0).toString());
    assertEquals("[2025-03-10,r2,8,ArraySeq([103,false]),ArraySeq(0, 0, 0, 0),ArraySeq(0, 0, 0, 0)]",
        rows.get(1).toString());

    String quarantine = dir.resolve("out/_quarantine").toString();
    assertEquals(List.of("atc", "clicks", "impressions"), listNames(dir.resolve("out/_quarantine"), ""));
    assertEquals(List.of(RowFactory.create(BAD_CLICK, "CORRUPT_JSON", "record")),
        spark.read().text(quarantine + "/clicks").collectAsList());
    assertEquals(List.of("quarantine_reason=CORRUPT_JSON"), listNames(dir.resolve("out/_quarantine/clicks"), "q"));
    assertEquals(List.of(RowFactory.create("{\"dt\": \"2025-03-10\", \"ranking_id\": \"r3\", \"customer_id\": null, "
        + "\"impressions\": []}", "CUSTOMER_ID", "customer_id")),
        spark.read().text(quarantine + "/impressions").collectAsList());
    Dataset<Row> badAtc = spark.read().parquet(quarantine + "/atc");
    assertEquals(LOOSE_ATC.add("quarantine_reason", DataTypes.StringType)
        .add("quarantine_column", DataTypes.StringType), badAtc.schema());
    assertEquals(List.of(RowFactory.create(7L, 13L, "soon", "TIME", "occur_at")), badAtc.collectAsList());
    assertTrue(summary.format().contains("\n  clicks     CORRUPT_JSON"), summary.format());
    assertTrue(summary.format().lines().anyMatch(l -> l.matches("  atc +TIME +1")), summary.format());

    for (String line : summary.format().split("\n")) {
      assertTrue(line.length() <= 100 || line.startsWith("output ") || line.startsWith("quarantine "), line);
    }
    assertTrue(summary.format().contains("clicks"), summary.format());
  }

  @Test
  void explodedRunWithoutScanKeepsTheSessionsPartitionsAndReplacesTheOutput() throws IOException {
    String out = dir.resolve("out").toString();
    write("out/as_of_date=1999-01-01/stale.parquet", "not parquet");
    RunSummary summary = TrainingInputsRunner.run(spark, paths, out,
        JobOptions.builder().maxActions(4).explode(true).build(), RunFlags.defaults());

    assertEquals(OptionalLong.empty(), summary.upstreamSameDay());
    assertEquals(3, summary.outputRows(), "one row per impression element");
    Dataset<Row> back = spark.read().parquet(out);
    assertSameFields(Schemas.OUTPUT_EXPLODED, back.schema());
    assertEquals(List.of("as_of_date=2025-03-10"), listNames(dir.resolve("out"), "as_of_date="));
    assertFalse(summary.format().contains("LEAK"));
  }

  @Test
  void aPlantedLeakIsCountedFromWhatIsWrittenAndNothingIsPublishedWhenItFails() throws IOException {
    String out = dir.resolve("out").toString();
    Path previous = write("out/previous.txt", "the last good output");
    JobOptions options = JobOptions.builder().maxActions(4).build();
    SameDayLeakException e = assertThrows(SameDayLeakException.class, () -> TrainingInputsRunner.run(spark, paths,
        out, options, new RunFlags(true, false, 0), OutputFormat.sparkParquet(), RunProgress.NONE,
        PlantedLeakJob::build));
    // Customer 7's window now ends a day late: click 11 at 00:00:00 of 2025-03-10 is in its history.
    assertEquals(1, e.summary().sameDayLeaks());
    assertEquals(TrainingInputsRunner.CHECKED_WHILE_WRITING, e.summary().leakCheck());
    assertFalse(e.summary().outputWritten());
    assertEquals("the last good output", Files.readString(previous), "the previous output is untouched");
    assertEquals(List.of("previous.txt"), listNames(dir.resolve("out"), ""));
    assertEquals(List.of("in", "out"), listNames(dir, ""), "no staging folder is left behind");

    RunSummary counted = TrainingInputsRunner.run(spark, paths, out, options, RunFlags.defaults(),
        OutputFormat.sparkParquet(), RunProgress.NONE, PlantedLeakJob::build);
    assertEquals(1, counted.sameDayLeaks());
    assertTrue(counted.outputWritten());
    assertTrue(counted.format().contains("LEAK"), counted.format());
    assertEquals("ArraySeq(11, 13, 12, 14)", spark.read().parquet(out).where("customer_id = 7")
        .select("actions").first().get(0).toString(), "the leaking history is what was written");
    assertEquals(List.of("in", "out"), listNames(dir, "").stream().filter(n -> !n.startsWith(".")).toList());
    assertTrue(Files.isSymbolicLink(dir.resolve("out")), "out links to the version it shows");
    List<String> hidden = listNames(dir, ".");
    assertEquals(2, hidden.size(), hidden.toString());
    assertTrue(hidden.get(0).startsWith(".out.old-") && hidden.get(1).startsWith(".out.v-"),
        "the new version, and the previous output moved aside until the next run: " + hidden);
  }

  @Test
  void stockPlanRecomputesTheCheckAndReportsItsPlan() {
    String out = dir.resolve("out").toString();
    io.traininputs.catalyst.TrainingInputsExtensions.setEnabled(spark, false);
    RunSummary summary;
    try {
      summary = TrainingInputsRunner.run(spark, paths, out, JobOptions.builder().maxActions(4).build(),
          RunFlags.defaults());
    } finally {
      io.traininputs.catalyst.TrainingInputsExtensions.setEnabled(spark, true);
    }
    assertEquals(0, summary.sameDayLeaks());
    assertEquals(TrainingInputsRunner.RECOMPUTED, summary.leakCheck());
    assertEquals(2, summary.contexts(), "counted by a query of their own without the history operator");
    assertTrue(summary.phases().stream().anyMatch(p -> p.name().equals("count contexts")), summary.format());
    assertTrue(summary.historyPlan().startsWith("stock Spark: "), summary.historyPlan());
    assertTrue(summary.historyPlan().contains("Window"), summary.historyPlan());
    assertTrue(summary.plans().containsKey("check same-day leaks"), summary.plans().keySet().toString());
    assertEquals(2, summary.outputRows());
  }

  @Test
  void cleanParquetInputsAreCountedFromFootersAndGiveTheSameRunAsJson() throws IOException {
    JobOptions options = JobOptions.builder().maxActions(4).build();
    String clean = dir.resolve("clean").toString();
    // The usable records of every input, written back in the canonical types: JSON in, Parquet out.
    InputReader reader = new InputReader(spark);
    for (RawInput input : RawInput.values()) {
      try (ReadResult r = reader.read(input, paths.pathsOf(input))) {
        // An empty impressions array is usable, but the footers cannot tell it from a null one: leave it out.
        Dataset<Row> usable = input == RawInput.IMPRESSIONS ? r.usable().where("size(impressions) > 0") : r.usable();
        usable.coalesce(1).write().parquet(clean + "/" + input.label());
      }
    }
    InputPaths parquet = InputPaths.of(clean + "/impressions", clean + "/clicks", clean + "/atc",
        clean + "/orders");
    RunSummary fromJson = TrainingInputsRunner.run(spark, InputPaths.of(clean + "/impressions", paths.pathsOf(
        RawInput.CLICKS).get(0), paths.pathsOf(RawInput.ATC).get(0), paths.pathsOf(RawInput.ORDERS).get(0)),
        dir.resolve("out-json").toString(), options, RunFlags.defaults());
    RunSummary fromParquet = TrainingInputsRunner.run(spark, parquet, dir.resolve("out-parquet").toString(),
        options, RunFlags.defaults());

    assertEquals(java.util.Set.of(), fromParquet.cachedInputs(), fromParquet.format());
    assertTrue(fromParquet.format().lines().anyMatch(l -> l.matches("inputs held for the run +none .*")),
        fromParquet.format());
    assertEquals(java.util.Set.of(RawInput.CLICKS, RawInput.ATC, RawInput.ORDERS), fromJson.cachedInputs());
    assertEquals(InputCounts.clean(2), fromParquet.inputs().get(RawInput.IMPRESSIONS));
    for (RawInput input : List.of(RawInput.CLICKS, RawInput.ATC, RawInput.ORDERS)) {
      assertEquals(fromJson.inputs().get(input).used(), fromParquet.inputs().get(input).read(), input.label());
      assertEquals(0, fromParquet.inputs().get(input).quarantined(), input.label());
    }
    assertEquals(fromJson.outputRows(), fromParquet.outputRows());
    Dataset<Row> a = spark.read().parquet(dir.resolve("out-json").toString());
    Dataset<Row> b = spark.read().parquet(dir.resolve("out-parquet").toString());
    assertEquals(2, a.count());
    assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count());
    assertFalse(Files.exists(dir.resolve("out-parquet/_quarantine")), "nothing to quarantine");
  }

  @Test
  void outputMayNotOverlapAnInput() {
    String clicksDir = dir.resolve("in/clicks").toString();
    for (String out : List.of(dir.resolve("in").toString(), clicksDir + "/out")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TrainingInputsRunner.run(spark, paths, out, JobOptions.defaults(), RunFlags.defaults()));
      assertTrue(e.getMessage().contains("overlaps the output directory '" + out + "'"), e.getMessage());
    }
    assertTrue(Files.exists(dir.resolve("in/clicks/part-0.jsonl")), "nothing was deleted");
  }

  /** Same names and types as the schema of docs/semantics.md, in any order (the partition column comes last). */
  private static void assertSameFields(StructType expected, StructType actual) {
    assertEquals(List.of(expected.fieldNames()).stream().sorted().toList(),
        List.of(actual.fieldNames()).stream().sorted().toList());
    for (StructField f : expected.fields()) {
      assertEquals(f.dataType().catalogString(), actual.apply(f.name()).dataType().catalogString(), f.name());
    }
  }

  private static List<String> listNames(Path parent, String prefix) {
    try (var files = Files.list(parent)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }
}
