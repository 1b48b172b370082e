package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.reference.AdversarialData;
import io.traininputs.job.reference.ReferenceFrames;
import io.traininputs.job.reference.ReferenceInputs;
import io.traininputs.job.reference.ReferenceJob;
import io.traininputs.synthetic.DailyFiles;
import io.traininputs.synthetic.InputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --incremental}: daily runs that add one as-of date each give exactly the rows of one full run over the same
 * window (and of the independent reference); a changed input file recomputes exactly the dates it can reach; an
 * output made with other options is refused. Inputs land as daily Parquet files ({@link DailyFiles}) of seeded
 * adversarial data: ties, same-day and boundary actions, empty histories.
 */
class IncrementalRunTest {
  private static final JobOptions OPTIONS =
      JobOptions.builder().maxActions(5).lookbackDays(30).trainDays(3).build();
  private static final OutputFormat FORMAT = new OutputFormat("parquet", "rows");

  @TempDir
  static Path shared;
  @TempDir
  Path dir;

  private static SparkSession spark;
  private static ReferenceInputs data;
  private static Path inputs;
  private static List<String> days;
  private static List<String> fullRows;

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.start(IncrementalRunTest.class);
    // Impressions with an unusable element are quarantined by the reader, which the reference does not model: leave
    // them out, so that the files hold exactly the reference's records (asserted: nothing is quarantined).
    ReferenceInputs generated = AdversarialData.generate(11L, OPTIONS);
    data = new ReferenceInputs(generated.impressions().stream()
        .filter(i -> !i.items().isEmpty() && i.items().stream().allMatch(item -> item.isOrder() != null)).toList(),
        generated.clicks(), generated.carts(), generated.orders());
    TrainingInputs frames = ReferenceFrames.of(spark, data);
    Map<String, Dataset<Row>> byName = new LinkedHashMap<>();
    byName.put("impressions", frames.impressions());
    byName.put("clicks", frames.clicks());
    byName.put("atc", frames.atc());
    byName.put("orders", frames.orders());
    inputs = shared.resolve("in");
    DailyFiles.write(byName, inputs.toString(), InputFormat.PARQUET);
    try (Stream<Path> s = Files.list(inputs.resolve("impressions"))) {
      days = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("20")).sorted().toList();
    }
    assertTrue(days.size() >= OPTIONS.trainDays() + 2, "enough impression days: " + days);
    String full = shared.resolve("full").toString();
    RunSummary summary = run(upTo(last(0)), full, Incremental.OFF, OPTIONS);
    assertEquals("", summary.dates(), "a full run says nothing of dates");
    assertEquals(0, summary.recordsQuarantined(), "the files hold exactly the reference's records");
    assertEquals(List.of(), summary.warnings(), "the latest action day read from the footers is right");
    JobDifferential.assertSameAsReference(
        spark.read().format("training-inputs").load(full), ReferenceJob.run(data, OPTIONS));
    fullRows = rows(Path.of(full));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void dailyIncrementalRunsGiveTheRowsOfOneFullRun() throws IOException {
    Incremental daily = new Incremental(true, List.of(), OPTIONS.trainDays());
    RunSummary first = run(upTo(last(2)), out(), daily, OPTIONS);
    assertEquals("computed 3 dates " + last(4) + ".." + last(2) + " (new); kept 0; dropped none", first.dates());

    RunSummary second = run(upTo(last(1)), out(), daily, OPTIONS);
    assertEquals("computed " + last(1) + " (new); kept 2; dropped " + last(4), second.dates());
    List<String> keptFiles = files(last(2));

    RunSummary third = run(upTo(last(0)), out(), daily, OPTIONS);
    assertEquals("computed " + last(0) + " (new); kept 2; dropped " + last(3), third.dates());
    assertEquals(keptFiles, files(last(2)), "a kept date's files are not rewritten");
    assertEquals(contextsOf(last(0)), third.contexts(), "only the new day's contexts were answered");
    assertEquals(fullRows, rows(out()), "three daily runs give the full run's rows");
    assertEquals(fullRows, plainRows(out()), "spark.read.parquet reads the same rows");

    RunSummary again = run(upTo(last(0)), out(), daily, OPTIONS);
    assertFalse(again.outputWritten());
    assertTrue(again.dates().startsWith("nothing to do"), again.dates());
    assertEquals(fullRows, rows(out()));
  }

  @Test
  void aChangedInputFileRecomputesExactlyTheDatesItCanReach() throws IOException {
    run(upTo(last(0)), out(), Incremental.missingDates(), OPTIONS);
    assertEquals(fullRows, rows(out()));

    // clicks of the day before the last: only the last date's lookback holds that day
    touch(inputs.resolve("clicks").resolve(last(1)));
    RunSummary one = run(upTo(last(0)), out(), Incremental.missingDates(), OPTIONS);
    assertEquals("computed " + last(0) + " (inputs changed); kept 2; dropped none", one.dates());

    // an order of a day before the whole window reaches every date
    touch(inputs.resolve("orders").resolve(last(5)));
    RunSummary all = run(upTo(last(0)), out(), Incremental.missingDates(), OPTIONS);
    assertEquals("computed 3 dates " + last(2) + ".." + last(0) + " (inputs changed); kept 0; dropped none",
        all.dates());

    // the impressions of one day reach that date only
    touch(inputs.resolve("impressions").resolve(last(2)));
    RunSummary impressions = run(upTo(last(0)), out(), Incremental.missingDates(), OPTIONS);
    assertEquals("computed " + last(2) + " (inputs changed); kept 2; dropped none", impressions.dates());

    RunSummary asked = run(upTo(last(0)), out(), new Incremental(true, List.of(LocalDate.parse(last(1))), 0),
        OPTIONS);
    assertEquals("computed " + last(1) + " (asked for); kept 2; dropped none", asked.dates());
    assertEquals(fullRows, rows(out()));
  }

  @Test
  void aShorterRetentionDropsDatesWithoutComputingAny() throws IOException {
    run(upTo(last(1)), out(), Incremental.missingDates(), OPTIONS);
    RunSummary added = run(upTo(last(0)), out(), Incremental.missingDates(), OPTIONS);
    assertEquals("computed " + last(0) + " (new); kept 3; dropped none", added.dates());
    RunSummary dropped = run(upTo(last(0)), out(), new Incremental(true, List.of(), OPTIONS.trainDays()), OPTIONS);
    assertEquals("computed none; kept 3; dropped " + last(3), dropped.dates());
    assertEquals(fullRows, rows(out()));
    assertFalse(Files.exists(out().resolve("as_of_date=" + last(3))), "the dropped date's folder is gone");
  }

  @Test
  void anOutputMadeWithOtherOptionsIsRefusedNamingTheOption() throws IOException {
    run(upTo(last(0)), out(), Incremental.OFF, OPTIONS);
    IllegalArgumentException options = assertThrows(IllegalArgumentException.class, () -> run(upTo(last(0)), out(),
        Incremental.missingDates(), OPTIONS.toBuilder().maxActions(7).build()));
    assertTrue(options.getMessage().contains("was written with --max-actions 5, this run has --max-actions 7"),
        options.getMessage());
    IllegalArgumentException lookback = assertThrows(IllegalArgumentException.class, () -> run(upTo(last(0)),
        out(), Incremental.missingDates(), OPTIONS.toBuilder().lookbackDays(31).build()));
    assertTrue(lookback.getMessage().contains("--lookback-days 30, this run has --lookback-days 31"),
        lookback.getMessage());
    IllegalArgumentException date = assertThrows(IllegalArgumentException.class, () -> run(upTo(last(0)), out(),
        new Incremental(true, List.of(LocalDate.parse(last(5))), 0), OPTIONS));
    assertTrue(date.getMessage().contains("--dates " + last(5) + " is not an impression day of the train window"),
        date.getMessage());
    IllegalArgumentException retain = assertThrows(IllegalArgumentException.class, () -> run(upTo(last(0)), out(),
        new Incremental(true, List.of(), 2), OPTIONS));
    assertTrue(retain.getMessage().contains("--retain-days 2 is less than --train-days 3"), retain.getMessage());
    IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () ->
        TrainingInputsRunner.run(spark, upTo(last(0)), out().toString(), OPTIONS,
            RunFlags.defaults().with(Incremental.missingDates()), OutputFormat.sparkParquet(), RunProgress.NONE));
    assertTrue(format.getMessage().contains("--incremental needs the training-inputs format"), format.getMessage());
    assertEquals(fullRows, rows(out()), "no refused run changed the output");
  }

  private Path out() {
    return dir.resolve("out");
  }

  /** The day {@code back} days before the last impression day. */
  private static String last(int back) {
    return LocalDate.parse(days.get(days.size() - 1)).minusDays(back).toString();
  }

  /** The daily folders of every input up to {@code day}, and folders that are not days (records without one). */
  private static InputPaths upTo(String day) {
    Map<String, List<String>> paths = new LinkedHashMap<>();
    for (String input : List.of("impressions", "clicks", "atc", "orders")) {
      List<String> dirs = new ArrayList<>();
      try (Stream<Path> s = Files.list(inputs.resolve(input))) {
        s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
            .filter(n -> !n.startsWith("20") || n.compareTo(day) <= 0).sorted()
            .forEach(n -> dirs.add(inputs.resolve(input).resolve(n).toString()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      paths.put(input, dirs);
    }
    return new InputPaths(paths.get("impressions"), paths.get("clicks"), paths.get("atc"), paths.get("orders"));
  }

  private static RunSummary run(InputPaths paths, Object out, Incremental incremental, JobOptions options) {
    return TrainingInputsRunner.run(spark, paths, out.toString(), options, RunFlags.defaults().with(incremental),
        FORMAT, RunProgress.NONE);
  }

  private static long contextsOf(String day) {
    return data.impressions().stream().filter(i -> day.equals(i.dt()))
        .map(ReferenceInputs.Impression::customerId).distinct().count();
  }

  private List<String> files(String day) throws IOException {
    try (Stream<Path> s = Files.list(out().resolve("as_of_date=" + day))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void touch(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 60_000));
      }
    }
  }

  private static List<String> rows(Path out) {
    return OutputRows.ofFormat(spark, out);
  }

  private static List<String> plainRows(Path out) {
    return OutputRows.ofParquet(spark, out);
  }
}
