package io.traininputs.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} at each phase of a run: the CLI (or a direct write with the format) runs in a child JVM whose file
 * system ({@link HaltingFileSystem}) halts it at a chosen operation. Afterwards the format's reader and
 * {@code spark.read.parquet} must find exactly the previous output (or, once the new one is switched in, exactly the
 * new one), DuckDB globbing {@code out/*}{@code /*.parquet} and {@code pyarrow.dataset} must find what Spark does
 * ({@link GlobReaders}), and a new run must clean up what the killed one left and succeed. Its own surefire run prints
 * to the console, so that where no Python environment can be made the reason shows in the build's log.
 *
 * <p>A kill inside the run's staging folder is the same for readers of {@code out} wherever it falls, so the
 * format's own publish and manifest replacement are killed in direct writes, where they are visible. Three input
 * sets: A (the previous output, with a quarantined click), C (the killed run's, also with one) and
 * B (the run after the kill, clean: its output must hold no quarantine).
 */
class CrashSafetyTest {
  private static final String PARQUET_ROWS = "parquet";
  private static final OutputFormat FORMAT = new OutputFormat("parquet", "rows");
  private static final JobOptions OPTIONS = JobOptions.builder().maxActions(4).build();

  @TempDir
  static Path shared;
  @TempDir
  Path dir;

  private static SparkSession spark;
  private static InputPaths inputsA;
  private static InputPaths inputsB;
  private static InputPaths inputsC;
  private static List<String> rowsA;
  private static List<String> rowsB;
  private static List<String> rowsC;
  private static Path versionA;
  private static GlobReaders globReaders;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    globReaders = GlobReaders.find();
    if (globReaders.unavailable() != null) {
      System.out.println("CrashSafetyTest: DuckDB and pyarrow NOT checked: " + globReaders.unavailable());
    }
    // no file listing cache: the tests read the same path while other processes replace what it shows
    spark = TestSpark.builder(CrashSafetyTest.class).config("spark.sql.hive.manageFilesourcePartitions", "false")
        .getOrCreate();
    inputsA = inputs("in-a", 1, true);
    inputsB = inputs("in-b", 2, false);
    inputsC = inputs("in-c", 3, true);
    rowsA = referenceRun(inputsA, "ref-a");
    rowsB = referenceRun(inputsB, "ref-b");
    rowsC = referenceRun(inputsC, "ref-c");
    versionA = shared.resolve("ref-a/out").toRealPath();
    for (String set : List.of("a", "c")) {
      spark.read().format("training-inputs").load(shared.resolve("ref-" + set + "/out").toString())
          .write().parquet(shared.resolve("rows-" + set).toString());
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<String> referenceRun(InputPaths inputs, String name) {
    String out = shared.resolve(name + "/out").toString();
    TrainingInputsRunner.run(spark, inputs, out, OPTIONS, RunFlags.defaults(), FORMAT, RunProgress.NONE);
    List<String> rows = formatRows(Paths.get(out));
    assertEquals(rows, plainRows(Paths.get(out)));
    assertFalse(rows.isEmpty());
    return rows;
  }

  // ---- the CLI, symbolic-link publish (the local file system)

  /** The format's tasks write local files directly: the first look at a staged file is the job commit's. */
  @Test
  void killedWithTheFormatsFilesStaged() throws Exception {
    killedRun("status:1:before:\\.out\\.staging-.*/_staging/.*part-", false, PARQUET_ROWS);
    assertPrevious();
    assertRecovered();
  }



  /** An incremental run's staging starts as links to the previous version's files: killing it leaves them whole. */
  @Test
  void killedIncrementalRunLeavesThePreviousDatesIntact() throws Exception {
    killedRun("status:1:before:\\.out\\.staging-.*/_staging/.*part-", false, PARQUET_ROWS, "--incremental");
    assertPrevious();
    assertRecovered();
  }

  @Test
  void killedWhileWritingTheQuarantine() throws Exception {
    killedRun("create:1:before:\\.out\\.staging-.*/_quarantine/", false, PARQUET_ROWS);
    assertPrevious();
    assertRecovered();
  }

  @Test
  void killedWithTheNewVersionCompleteButNotYetSwitchedIn() throws Exception {
    killedRun("rename:1:after:\\.out\\.staging-[^/]* -> .*/\\.out\\.v-", false, PARQUET_ROWS);
    assertPrevious();
    assertRecovered();
  }

  @Test
  void killedJustAfterTheSwitchShowsTheCompleteNewOutput() throws Exception {
    killedRun("open:1:before:/out/_manifest\\.json", false, PARQUET_ROWS);
    assertEquals(rowsC, formatRows(out()));
    assertEquals(rowsC, plainRows(out()));
    globReaders.assertSameAsSpark(spark, out(), "the new output, just switched in");
    assertRecovered();
  }

  @Test
  void killedWhileSparksParquetWriterStages() throws Exception {
    killedRun("create:1:before:\\.out\\.staging-.*part-", false, "spark-parquet");
    assertPrevious();
    assertRecovered();
  }

  // ---- the CLI, rename publish (file systems without symbolic links, as HDFS)


  @Test
  void withoutLinksKilledBetweenTheTwoRenamesIsCompletedByTheNextRun() throws Exception {
    killedRun("rename:1:after:/out -> .*/\\.out\\.old-", true, PARQUET_ROWS);
    // the one window of this publish: the old output moved away, the new one not yet in place
    assertFalse(Files.exists(out()), "out is missing until the next run");
    withoutLinks(conf -> OutputVersions.of(conf, out().toString()).recover());
    assertEquals(rowsC, formatRows(out()), "recovery rolled the killed run's complete, checked version forward");
    assertEquals(rowsC, plainRows(out()));
    globReaders.assertSameAsSpark(spark, out(), "the killed run's version, rolled forward");
    assertRecoveredWithoutLinks();
  }

  // ---- a direct write with the format: its manifest keeps the format's reader consistent

  @Test
  void aDirectWriteKilledWhilePublishingIsUndoneByTheNextWrite() throws Exception {
    directPrevious();
    int code = child(false, "rename:2:before:/_staging/.* -> .*/out/as_of_date=", SaveInChild.class.getName(),
        shared.resolve("rows-c").toString(), out().toString(), "overwrite");
    assertEquals(HaltingFileSystem.HALTED, code);
    assertEquals(rowsA, formatRows(out()));
    assertTrue(Files.exists(out().resolve("_staging")));
    ignoreWrite();
    assertEquals(rowsA, formatRows(out()));
    assertEquals(rowsA, plainRows(out()), "the dead job's published files are gone");
    globReaders.assertSameAsSpark(spark, out(), "the dataset after the next write's recovery");
    assertCleanDataset();
  }

  @Test
  void aDirectWriteKilledAfterItsManifestIsCompletedByTheNextWrite() throws Exception {
    directPrevious();
    String before = success();
    int code = child(false, "rename:1:after:_manifest\\.json\\..*\\.tmp -> ", SaveInChild.class.getName(),
        shared.resolve("rows-c").toString(), out().toString(), "overwrite");
    assertEquals(HaltingFileSystem.HALTED, code);
    assertEquals(rowsC, formatRows(out()));
    assertEquals(before, success(), "killed before its _SUCCESS");
    ignoreWrite();
    assertEquals(rowsC, plainRows(out()), "the files the committed manifest replaced are gone");
    globReaders.assertSameAsSpark(spark, out(), "the dataset after the next write's recovery");
    assertCleanDataset();
  }

  // ---- a failing job (an exception in a task: Spark's checked SparkException on the driver)

  @Test
  void aFirstRunWhoseTaskFailsLeavesNothing() throws Exception {
    Exception e = assertThrows(Exception.class, () -> TrainingInputsRunner.run(spark, inputsB, out().toString(),
        OPTIONS, RunFlags.defaults(), FORMAT, RunProgress.NONE, CrashSafetyTest::failingJob));
    assertTrue(String.valueOf(e.getMessage()).contains("planted task failure"), String.valueOf(e));
    assertFalse(Files.exists(out(), LinkOption.NOFOLLOW_LINKS), "no output");
    assertEquals(List.of(), hidden(), "no staging");
  }

  @Test
  void aRunWhoseTaskFailsKeepsThePreviousOutputAndLeavesNoStaging() throws Exception {
    seedPrevious(false);
    assertThrows(Exception.class, () -> TrainingInputsRunner.run(spark, inputsB, out().toString(), OPTIONS,
        RunFlags.defaults(), FORMAT, RunProgress.NONE, CrashSafetyTest::failingJob));
    assertPrevious();
    assertEquals(List.of(".out.v-00000000000000000-seed"), hidden());
  }

  private static Dataset<Row> failingJob(TrainingInputs inputs, JobOptions options) {
    return TrainingInputsJob.build(inputs, options).withColumn("ranking_id",
        when(col("customer_id").isNotNull(), raise_error(lit("planted task failure"))).otherwise(col("ranking_id")));
  }

  // ---- helpers

  private Path out() {
    return dir.resolve("out");
  }

  /** Seeds the previous output (A, as a published version), then runs the CLI on C in a child that halts. */
  private void killedRun(String halt, boolean noLinks, String format, String... more) throws Exception {
    seedPrevious(noLinks);
    List<String> args = new java.util.ArrayList<>(List.of("run",
        "--impressions", inputsC.pathsOf(RawInput.IMPRESSIONS).get(0),
        "--clicks", inputsC.pathsOf(RawInput.CLICKS).get(0), "--atc", inputsC.pathsOf(RawInput.ATC).get(0),
        "--orders", inputsC.pathsOf(RawInput.ORDERS).get(0), "--out", out().toString(), "--max-actions", "4",
        "--shuffle-partitions", "4", "--format", format));
    args.addAll(List.of(more));
    int code = child(noLinks, halt, "io.traininputs.cli.TrainingInputsCli", args.toArray(new String[0]));
    assertEquals(HaltingFileSystem.HALTED, code, "the child halted at the hook");
  }

  /** Output A at out: a version and the link to it, or (without links) the directory itself. */
  private void seedPrevious(boolean noLinks) throws IOException, InterruptedException {
    if (noLinks) {
      copy(versionA, out());
    } else {
      Path version = dir.resolve(".out.v-00000000000000000-seed");
      copy(versionA, version);
      Files.createSymbolicLink(out(), Paths.get(version.getFileName().toString()));
    }
    assertPrevious();
  }

  private void assertPrevious() throws IOException, InterruptedException {
    assertEquals(rowsA, formatRows(out()), "the format's reader finds the previous output");
    assertEquals(rowsA, plainRows(out()), "spark.read.parquet finds the previous output, no more, no less");
    globReaders.assertSameAsSpark(spark, out(), "the previous output");
    assertTrue(Files.isDirectory(out().resolve("_quarantine/clicks")), "with its quarantine");
  }

  /** A new run (B, clean) succeeds and leaves only the link, its version and the one before. */
  private void assertRecovered() throws IOException, InterruptedException {
    run(inputsB);
    assertEquals(rowsB, formatRows(out()));
    assertEquals(rowsB, plainRows(out()));
    globReaders.assertSameAsSpark(spark, out(), "the next run's output");
    assertTrue(Files.isSymbolicLink(out()));
    String current = Files.readSymbolicLink(out()).toString();
    List<String> left = hidden();
    assertTrue(left.contains(current), left.toString());
    assertTrue(left.size() <= 2 && left.stream().allMatch(n -> n.startsWith(".out.v-")),
        "only the current version and the previous one remain: " + left);
    assertCleanDataset();
  }

  private void assertRecoveredWithoutLinks() throws Exception {
    withoutLinks(conf -> run(inputsB));
    assertEquals(rowsB, formatRows(out()));
    assertEquals(rowsB, plainRows(out()));
    globReaders.assertSameAsSpark(spark, out(), "the next run's output, without links");
    assertFalse(Files.isSymbolicLink(out()));
    assertEquals(List.of(), hidden(), "nothing is left next to the output");
    assertCleanDataset();
  }

  private void assertCleanDataset() throws IOException {
    try (Stream<Path> s = Files.list(out())) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.stream().noneMatch(n -> n.startsWith("_manifest.json.") || n.equals("_staging")
          || n.equals("_quarantine")), "no staging, temporary manifest or stale quarantine: " + names);
    }
    String manifest = Files.readString(out().resolve("_manifest.json"));
    assertTrue(manifest.contains("\"jobId\" : \"" + success() + "\""), "_SUCCESS names the manifest's job");
  }

  private String success() throws IOException {
    return Files.readString(out().resolve("_SUCCESS")).trim();
  }

  private List<String> hidden() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
    }
  }

  private void run(InputPaths inputs) {
    TrainingInputsRunner.run(spark, inputs, out().toString(), OPTIONS, RunFlags.defaults(), FORMAT,
        RunProgress.NONE);
  }

  private void directPrevious() {
    spark.read().parquet(shared.resolve("rows-a").toString()).write().format("training-inputs")
        .option("historyLength", 4).option("fileFormat", "parquet").save(out().toString());
  }

  /** A write in ignore mode over an existing dataset writes nothing: all it does is its recovery. */
  private void ignoreWrite() {
    spark.read().parquet(shared.resolve("rows-a").toString()).write().format("training-inputs")
        .option("historyLength", 4).option("fileFormat", "parquet").mode("ignore").save(out().toString());
  }

  private interface WithConf {
    void run(Configuration conf) throws Exception;
  }

  /** Runs in this JVM on a file system that reports no symbolic links, as HDFS's publish sees it. */
  private static void withoutLinks(WithConf work) throws Exception {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    hadoop.set("fs.file.impl", HaltingFileSystem.class.getName());
    hadoop.setBoolean("fs.file.impl.disable.cache", true);
    System.setProperty(HaltingFileSystem.NO_LINKS, "true");
    try {
      work.run(spark.sessionState().newHadoopConf());
    } finally {
      System.clearProperty(HaltingFileSystem.NO_LINKS);
      hadoop.unset("fs.file.impl");
      hadoop.unset("fs.file.impl.disable.cache");
    }
  }

  private int child(boolean noLinks, String halt, String main, String... args) throws Exception {
    List<String> cmd = ChildJvm.javaCommand();
    cmd.addAll(List.of("-Dspark.hadoop.fs.file.impl=" + HaltingFileSystem.class.getName(),
        "-Dspark.hadoop.fs.file.impl.disable.cache=true", "-D" + HaltingFileSystem.SPEC + "=" + halt,
        "-D" + HaltingFileSystem.NO_LINKS + "=" + noLinks, "-cp", System.getProperty("java.class.path"), main));
    cmd.addAll(List.of(args));
    File log = dir.resolve("child.log").toFile();
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child did not finish: " + Files.readString(log.toPath()));
    }
    String output = Files.readString(log.toPath());
    Files.delete(log.toPath());
    System.out.printf("child %s (%s) exited %d after %d ms%n", main, halt, p.exitValue(),
        (System.nanoTime() - start) / 1_000_000);
    if (p.exitValue() != HaltingFileSystem.HALTED) {
      System.err.println(output);
    }
    return p.exitValue();
  }

  private static List<String> formatRows(Path out) {
    return OutputRows.ofFormat(spark, out);
  }

  private static List<String> plainRows(Path out) {
    return OutputRows.ofParquet(spark, out);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Small JSON inputs: six customers, impressions on two days, clicks before them; one broken click if bad. */
  private static InputPaths inputs(String name, int variant, boolean bad) throws IOException {
    Path in = shared.resolve(name);
    StringBuilder impressions = new StringBuilder();
    StringBuilder clicks = new StringBuilder();
    for (int c = 1; c <= 6; c++) {
      for (String day : List.of("2025-03-09", "2025-03-10")) {
        impressions.append(String.format("{\"dt\": \"%s\", \"ranking_id\": \"r%d-%d-%s\", \"customer_id\": %d, "
            + "\"impressions\": [{\"item_id\": %d, \"is_order\": false}]}%n", day, variant, c, day, c,
            100 * variant + c));
      }
      for (int k = 0; k < 5; k++) {
        clicks.append(String.format("{\"customer_id\": %d, \"item_id\": %d, \"click_time\": "
            + "\"2025-03-0%dT08:00:00Z\"}%n", c, 1000 * variant + 10 * c + k, k + 1));
      }
    }
    if (bad) {
      clicks.append("{\"customer_id\": 7, \"item_id\": 19, \"click_time\": \n");
    }
    write(in.resolve("impressions/day.jsonl"), impressions.toString());
    write(in.resolve("clicks/part-0.jsonl"), clicks.toString());
    write(in.resolve("atc/part-0.jsonl"), "{\"customer_id\": 1, \"config_id\": " + variant
        + ", \"occur_at\": \"2025-03-05T10:00:00Z\"}\n");
    write(in.resolve("orders/part-0.jsonl"), "{\"order_date\": \"2025-03-04\", \"customer_id\": 2, \"config_id\": "
        + (50 + variant) + "}\n");
    return InputPaths.of(in.resolve("impressions").toString(), in.resolve("clicks").toString(),
        in.resolve("atc").toString(), in.resolve("orders").toString());
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
