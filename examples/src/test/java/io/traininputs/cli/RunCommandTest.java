package io.traininputs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate → run → show in-process, for JSON and Parquet inputs, with planted bad records and the run's flags. */
class RunCommandTest {
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions")
        .appName("RunCommandTest")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static Path generate(Path dir, String format) {
    Path in = dir.resolve("in-" + format);
    CliRun run = CliRun.of("generate", "--out", in.toString(), "--customers", "30", "--days", "4",
        "--history-days", "60", "--items", "100", "--input-format", format);
    assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
    return in;
  }

  private static String[] runArgs(Path in, Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("run",
        "--impressions", in.resolve("impressions").toString(), "--clicks", in.resolve("clicks").toString(),
        "--atc", in.resolve("atc").toString(), "--orders", in.resolve("orders").toString(),
        "--out", out.toString()));
    args.addAll(Arrays.asList(extra));
    return args.toArray(new String[0]);
  }

  private static long rows(Path input) {
    return spark.read().parquet(input.toString()).count();
  }

  private static List<String> names(StructField[] fields) {
    return Arrays.stream(fields).map(StructField::name).sorted().toList();
  }

  @Test
  void jsonInputsWithPlantedBadRecordsRunQuarantineAndShow(@TempDir Path dir) throws IOException {
    Path in = generate(dir, "json");
    long impressions = spark.read().schema(Schemas.IMPRESSIONS).json(in.resolve("impressions").toString()).count();
    Files.writeString(in.resolve("clicks").resolve("planted-bad.json"),
        "{\"dt\":\"2025-03-30\",\"customer_id\":\"not-a-number\",\"item_id\":5,"
        + "\"click_time\":\"2025-03-30T10:00:00Z\"}\n"
        + "{this is not json\n");
    Files.writeString(in.resolve("orders").resolve("planted-bad.json"),
        "{\"order_date\":\"2025-03-29\",\"customer_id\":7,\"config_id\":null}\n");
    Path out = dir.resolve("out");

    CliRun run = CliRun.of(runArgs(in, out, "--max-actions", "50"));
    assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("clicks\\s+[\\d,]+\\s+2\\s+[\\d,]+")), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("orders\\s+[\\d,]+\\s+1\\s+[\\d,]+")), run.out());
    assertTrue(Files.isDirectory(out.resolve("_quarantine").resolve("clicks")), "clicks quarantine");
    assertTrue(Files.isDirectory(out.resolve("_quarantine").resolve("orders")), "orders quarantine");
    assertTrue(run.err().contains("write output"), "progress on stderr: " + run.err());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("output rows +[\\d,]+  \\(one per impression row\\)")),
        run.out());

    Dataset<Row> output = spark.read().parquet(out.toString());
    assertEquals(names(Schemas.OUTPUT_ROWS.fields()), names(output.schema().fields()));
    assertEquals(impressions, output.count(), "one output row per impression row (4 days < 14 train days)");
    assertEquals(50, output.selectExpr("max(size(actions))").first().getInt(0));

    CliRun show = CliRun.of("show", out.toString());
    assertEquals(ExitCodes.OK, show.exitCode(), show.toString());
    assertTrue(show.out().contains("quarantine  clicks, orders"), show.out());
    assertTrue(show.out().contains("… 50 elements"), show.out());
    assertTrue(show.out().lines().allMatch(l -> l.length() <= OutputPreview.WIDTH), show.out());
  }

  @Test
  void parquetInputsExplodedWithLeakCheckAndUpstreamScan(@TempDir Path dir) {
    Path in = generate(dir, "parquet");
    long impressedItems = spark.read().parquet(in.resolve("impressions").toString())
        .selectExpr("sum(size(impressions))").first().getLong(0);
    Path out = dir.resolve("out");

    CliRun run = CliRun.of(runArgs(in, out, "--explode", "--fail-on-same-day-leak", "--scan-upstream",
        "--shuffle-partitions", "3"));
    assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("same-day leaks\\s+0 .*")), run.out());
    String upstream = run.out().lines().filter(l -> l.startsWith("upstream same-day actions")).findFirst()
        .orElseThrow();
    long upstreamCount = Long.parseLong(upstream.replaceAll("[^0-9]", ""));
    assertTrue(upstreamCount > 0, "the generator plants same-day actions: " + upstream);
    assertEquals("4", spark.conf().get("spark.sql.shuffle.partitions"), "the session's setting is restored");

    Dataset<Row> output = spark.read().parquet(out.toString());
    assertEquals(names(Schemas.OUTPUT_EXPLODED.fields()), names(output.schema().fields()));
    assertEquals(impressedItems, output.count(), "one row per impressed item");
    String printed = String.format(java.util.Locale.ROOT, "%,d", impressedItems);
    assertTrue(run.out().lines().anyMatch(l -> l.matches("output rows +" + printed + "  \\(one per impressed item\\)")),
        run.out());
    assertTrue(!Files.exists(out.resolve("_quarantine")), "nothing to quarantine in generated Parquet");
  }

  @Test
  void arrowAndParquetFormatsInEveryLayoutGiveTheStockRows(@TempDir Path dir) {
    Path in = generate(dir, "parquet");
    Path stockOut = dir.resolve("stock");
    CliRun stock = CliRun.of(runArgs(in, stockOut, "--max-actions", "20", "--no-extension"));
    assertEquals(ExitCodes.OK, stock.exitCode(), stock.toString());
    assertTrue(stock.out().contains("stock Spark (--no-extension)"), stock.out());
    Dataset<Row> expected = spark.read().parquet(stockOut.toString())
        .selectExpr("as_of_date", "ranking_id", "customer_id", "impressions", "actions", "action_types");

    for (String format : List.of("arrow", "parquet")) {
      Path out = dir.resolve(format + "-rows");
      CliRun run = CliRun.of(runArgs(in, out, "--max-actions", "20", "--format", format));
      assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
      assertTrue(run.out().contains("TopNHistory / as-of extension"), run.out());
      Dataset<Row> back = spark.read().format("training-inputs").load(out.toString())
          .selectExpr("as_of_date", "ranking_id", "customer_id", "impressions", "actions",
              "transform(action_types, t -> CAST(t AS INT)) AS action_types");
      assertEquals(0, expected.exceptAll(back).count() + back.exceptAll(expected).count(), format + " rows");
      assertTrue(Files.exists(out.resolve("_SUCCESS")), format + " commit marker");
      CliRun show = CliRun.of("show", out.toString());
      assertEquals(ExitCodes.OK, show.exitCode(), show.toString());
      assertTrue(show.out().contains("… 20 elements"), show.out());
    }

    Path normalized = dir.resolve("arrow-normalized");
    CliRun run = CliRun.of(runArgs(in, normalized, "--max-actions", "20", "--format", "arrow", "--layout",
        "normalized"));
    assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
    long impressedItems = expected.selectExpr("sum(size(impressions))").first().getLong(0);
    assertEquals(impressedItems, spark.read().format("training-inputs").load(normalized.toString()).count(),
        "normalized reads back one example per impressed item");
  }

  @Test
  void aTrainWindowShortOfDaysWarnsAndWithTheFlagExitsFourWritingNothing(@TempDir Path dir) {
    Path in = generate(dir, "parquet");
    Path out = dir.resolve("out");
    CliRun full = CliRun.of(runArgs(in, out, "--train-days", "4", "--fail-on-suspicious-window"));
    assertEquals(ExitCodes.OK, full.exitCode(), full.toString());
    assertTrue(full.out().lines().noneMatch(l -> l.startsWith("WARNING")), full.out());

    CliRun warned = CliRun.of(runArgs(in, out, "--train-days", "5"));
    assertEquals(ExitCodes.OK, warned.exitCode(), warned.toString());
    assertTrue(warned.out().lines().anyMatch(l -> l.matches(
        "WARNING +train window 2025-03-27\\.\\.2025-03-31 holds 4 impression days of the 5 asked.*")), warned.out());

    Path failed = dir.resolve("failed");
    CliRun run = CliRun.of(runArgs(in, failed, "--train-days", "5", "--fail-on-suspicious-window"));
    assertEquals(ExitCodes.SUSPICIOUS_WINDOW, run.exitCode(), run.toString());
    assertEquals(1, run.errors().lines().count(), run.toString());
    assertTrue(run.errors().contains("suspicious train window: train window 2025-03-27..2025-03-31 holds 4"),
        run.toString());
    assertTrue(run.out().contains("(not written)"), run.out());
    assertTrue(!Files.exists(failed), "nothing published");

    CliRun help = CliRun.of("run", "--help");
    assertEquals(ExitCodes.OK, help.exitCode(), help.toString());
    assertTrue(help.out().contains("--fail-on-suspicious-window"), help.out());
    assertTrue(help.out().lines().allMatch(l -> l.length() <= 100), help.out());
  }

  @Test
  void aLayoutWithSparksWriterIsRejectedNamingTheOption(@TempDir Path dir) {
    CliRun run = CliRun.of(runArgs(dir, dir.resolve("out"), "--format", "spark-parquet", "--layout", "normalized"));
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--layout 'normalized' needs --format"), run.err());
    run = CliRun.of(runArgs(dir, dir.resolve("out"), "--format", "csv"));
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("'--format'") && run.err().contains("csv"), run.err());
  }

  @Test
  void aMissingInputPathFailsInOneLineNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-clicks");
    CliRun run = CliRun.of("run", "--impressions", missing.toString(), "--clicks", missing.toString(),
        "--atc", missing.toString(), "--orders", missing.toString(), "--out", dir.resolve("out").toString());
    assertEquals(ExitCodes.FAILED, run.exitCode(), run.toString());
    assertEquals(1, run.errors().lines().count(), run.toString());
    assertTrue(run.errors().contains(missing.toString()), run.toString());
  }
}
