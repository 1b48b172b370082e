package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One impression row on a far day moves the train window there (docs/semantics.md, "Checks a run makes"): the run
 * says so, and with {@code failOnSuspiciousWindow} stops before writing. A day past the years times may have is not
 * a far day but an unusable record.
 */
class TrainWindowTest {
  private static final JobOptions FOUR_DAYS = JobOptions.builder().maxActions(4).trainDays(4).build();
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(TrainWindowTest.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * Impressions on 2025-03-07..10 for customers 1..4, each with a click the day before (the latest on 2025-03-09),
   * an add-to-cart and an order before them; plus an impression row on each of {@code extraDays}.
   */
  private InputPaths inputs(String name, String... extraDays) throws IOException {
    Path in = Files.createDirectories(dir.resolve(name));
    List<String> impressions = new ArrayList<>();
    List<String> clicks = new ArrayList<>();
    for (int day = 7; day <= 10; day++) {
      impressions.add(String.format("{\"dt\": \"2025-03-%02d\", \"ranking_id\": \"r%d\", \"customer_id\": %d,"
          + " \"impressions\": [{\"item_id\": 100, \"is_order\": false}]}", day, day, day - 6));
      clicks.add(String.format("{\"customer_id\": %d, \"item_id\": 11, \"click_time\": \"2025-03-%02dT12:00:00Z\"}",
          day - 6, day - 1));
    }
    for (String extra : extraDays) {
      impressions.add("{\"dt\": \"" + extra + "\", \"ranking_id\": \"far\", \"customer_id\": 1,"
          + " \"impressions\": [{\"item_id\": 100, \"is_order\": true}]}");
    }
    Files.write(in.resolve("impressions.json"), impressions);
    Files.write(in.resolve("clicks.json"), clicks);
    Files.writeString(in.resolve("atc.json"),
        "{\"customer_id\": 1, \"config_id\": 12, \"occur_at\": \"2025-03-05T08:00:00Z\"}\n");
    Files.writeString(in.resolve("orders.json"),
        "{\"order_date\": \"2025-03-04\", \"customer_id\": 2, \"config_id\": 13}\n");
    return InputPaths.of(in.resolve("impressions.json").toString(), in.resolve("clicks.json").toString(),
        in.resolve("atc.json").toString(), in.resolve("orders.json").toString());
  }

  @Test
  void aFullWindowWithActionsUpToItRaisesNoWarning() throws IOException {
    RunSummary summary = TrainingInputsRunner.run(spark, inputs("in"), dir.resolve("out").toString(), FOUR_DAYS,
        new RunFlags(false, false, 0, true));
    assertEquals(List.of(), summary.warnings());
    assertEquals(4, summary.outputRows());
    assertFalse(summary.format().contains("WARNING"), summary.format());
  }

  @Test
  void aFarImpressionDayIsReportedAndWithTheFlagNothingIsPublished() throws IOException {
    InputPaths paths = inputs("in", "2026-03-10");
    String out = dir.resolve("out").toString();
    RunSummary summary = TrainingInputsRunner.run(spark, paths, out, FOUR_DAYS, RunFlags.defaults());
    assertEquals(List.of(
        "train window 2026-03-07..2026-03-10 holds 1 impression day of the 4 asked (--train-days)",
        "impression day after the latest action day 2025-03-09 + 1: 2026-03-10"), summary.warnings());
    assertEquals(1, summary.outputRows(), "the window moved: the run is what it was, but it says so");
    assertTrue(summary.format().contains("WARNING     train window 2026-03-07..2026-03-10 holds 1"),
        summary.format());

    Files.writeString(dir.resolve("out/previous.txt"), "the last good output");
    SuspiciousWindowException e = assertThrows(SuspiciousWindowException.class,
        () -> TrainingInputsRunner.run(spark, paths, out, FOUR_DAYS, new RunFlags(false, false, 0, true)));
    assertEquals("suspicious train window: train window 2026-03-07..2026-03-10 holds 1 impression day of the 4"
        + " asked (--train-days); impression day after the latest action day 2025-03-09 + 1: 2026-03-10; no output"
        + " was written", e.getMessage());
    assertFalse(e.summary().outputWritten());
    assertEquals(summary.warnings(), e.summary().warnings());
    assertEquals("the last good output", Files.readString(dir.resolve("out/previous.txt")));
    String version = Files.readSymbolicLink(dir.resolve("out")).toString();
    try (var names = Files.list(dir)) {
      assertEquals(List.of(version, "in", "out"), names.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staging folder is left behind, and the published version is the only one");
    }
  }

  @Test
  void aDayOutsideTheYearsTimesMayHaveIsQuarantinedAndLeavesTheWindowAlone() throws IOException {
    RunSummary summary = TrainingInputsRunner.run(spark, inputs("in", "2999-01-01"), dir.resolve("out").toString(),
        FOUR_DAYS, new RunFlags(false, false, 0, true));
    assertEquals(new InputCounts(5, Map.of(QuarantineReason.TIME, 1L)), summary.inputs().get(RawInput.IMPRESSIONS));
    assertEquals(List.of(), summary.warnings());
    assertEquals(4, summary.outputRows());
    try (ReadResult impressions = new InputReader(spark).read(RawInput.IMPRESSIONS,
        dir.resolve("in/impressions.json").toString())) {
      assertEquals(Map.of(QuarantineReason.TIME, 1L), impressions.quarantinedByReason());
    }
  }

  @Test
  void aWindowShortOfImpressionDaysIsAWarning() throws IOException {
    RunSummary summary = TrainingInputsRunner.run(spark, inputs("in"), dir.resolve("out").toString(),
        FOUR_DAYS.toBuilder().trainDays(14).build(), RunFlags.defaults());
    assertEquals(List.of("train window 2025-02-25..2025-03-10 holds 4 impression days of the 14 asked"
        + " (--train-days)"), summary.warnings());
    assertEquals(4, summary.outputRows());
  }
}
