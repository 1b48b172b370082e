package io.traininputs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate, demo and show in-process, on the test's Spark session (which the CLI must reuse, not stop). */
class CliCommandsTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions")
        .appName("CliCommandsTest")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void generateWritesTheFourInputsInBothFormats(@TempDir Path dir) {
    for (String format : new String[] {"json", "parquet"}) {
      Path out = dir.resolve(format);
      CliRun run = CliRun.of("generate", "--out", out.toString(), "--customers", "40", "--days", "5",
          "--history-days", "60", "--items", "200", "--seed", "3", "--input-format", format);
      assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
      assertTrue(run.out().contains("wrote " + format + " inputs under " + out), run.out());
      for (String input : new String[] {"impressions", "clicks", "atc", "orders"}) {
        assertTrue(Files.isDirectory(out.resolve(input)), input);
        assertTrue(Files.exists(out.resolve(input).resolve("_SUCCESS")), input);
      }
      Dataset<Row> clicks = format.equals("json")
          ? spark.read().schema(Schemas.CLICKS).json(out.resolve("clicks").toString())
          : spark.read().parquet(out.resolve("clicks").toString());
      String printed = String.format(java.util.Locale.ROOT, "%,d", clicks.count());
      assertTrue(run.out().lines().anyMatch(l -> l.contains("clicks") && l.contains(printed + " rows")), run.out());
      assertEquals(0, clicks.where("customer_id is null or click_time is null").count());
    }
    assertTrue(spark.sparkContext().isStopped() == false, "the CLI must not stop a session it did not start");
  }

  @Test
  void demoWritesAnOutputThatShowPrintsIn100Columns(@TempDir Path dir) {
    Path out = dir.resolve("demo");
    CliRun demo = CliRun.of("demo", "--customers", "25", "--out", out.toString());
    assertEquals(ExitCodes.OK, demo.exitCode(), demo.toString());
    assertTrue(demo.out().contains("output rows") && demo.out().contains("empty histories"), demo.out());
    assertTrue(demo.out().contains("one per impression row"), demo.out());
    assertTrue(demo.out().contains("job options       --max-actions 1000 --lookback-days 365 --train-days 14\n"),
        "the options as run takes them: " + demo.out());
    assertTrue(demo.out().contains("-- row 1"), demo.out());

    CliRun show = CliRun.of("show", out.toString(), "--rows", "2");
    assertEquals(ExitCodes.OK, show.exitCode(), show.toString());
    assertTrue(show.err().contains("] read output"), "show's progress names its phase: " + show.err());
    String text = show.out();
    assertTrue(text.lines().allMatch(l -> l.length() <= OutputPreview.WIDTH), text);
    assertTrue(text.contains("actions") && text.contains("array<int>"), text);
    assertTrue(text.contains("-- row 1") && text.contains("-- row 2") && !text.contains("-- row 3"), text);
    assertTrue(text.contains("… 1000 elements"), text);
    long rows = spark.read().parquet(out.toString()).count();
    long days = spark.read().parquet(out.toString()).select("as_of_date").distinct().count();
    assertTrue(text.contains(String.format(java.util.Locale.ROOT, "total (%d days)", days)), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("total") && l.endsWith(String.format("%,d", rows))), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("as_of_date ")), "as_of_date is shown first: " + text);
  }

  @Test
  void showOfAMissingFolderFailsInOneLine(@TempDir Path dir) {
    CliRun show = CliRun.of("show", dir.resolve("nothing-here").toString());
    assertEquals(ExitCodes.FAILED, show.exitCode(), show.toString());
    assertEquals(1, show.errors().lines().count(), show.toString());
    assertTrue(show.errors().contains("no output at"), show.toString());
  }
}
