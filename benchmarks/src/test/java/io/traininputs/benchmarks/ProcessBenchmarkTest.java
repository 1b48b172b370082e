package io.traininputs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.benchmarks.ProcessBenchmark.Measured;
import io.traininputs.benchmarks.ProcessBenchmark.Options;
import io.traininputs.benchmarks.ProcessBenchmark.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessBenchmarkTest {

  @Test
  void parsesTheCliPhaseLines() {
    Map<String, Double> phases = ProcessBenchmark.phases(List.of(
        "[   3.1s] read impressions ...",
        "[   4.0s] read impressions done in 0.9 s",
        "[  12.5s] write output stage 41: 1/2, 42: 0/2 tasks",
        "[ 105.7s] count contexts done in 2.8 s",
        "[ 140.1s] write output done in 34.4 s",
        "history plan      extension"));
    assertEquals(Map.of("read impressions", 0.9, "count contexts", 2.8, "write output", 34.4), phases);
    assertEquals(List.of("read impressions", "count contexts", "write output"), List.copyOf(phases.keySet()));
  }

  @Test
  void measuresTheRssOfTheWholeProcessTree(@TempDir Path dir) throws Exception {
    // the parent shell holds little; the child allocates and touches about 200 MiB
    Measured m = ProcessBenchmark.launch(
        List.of("bash", "-c", "head -c 200000000 /dev/zero | python3 -c 'import sys, time; b = sys.stdin.buffer"
            + ".read(); time.sleep(1.5); print(len(b))'"),
        Map.of(), dir.resolve("tree"));
    assertEquals(0, m.exitCode(), Files.readString(dir.resolve("tree.err")));
    assertEquals("200000000", Files.readString(dir.resolve("tree.out")).trim());
    assertTrue(m.peakRssBytes() > 190_000_000L, "peak RSS " + m.peakRssBytes());
    assertTrue(m.wallSeconds() >= 1.5, "wall " + m.wallSeconds());
  }

  @Test
  void reportsTheExitCodeOfAFailedRun(@TempDir Path dir) throws Exception {
    assertEquals(3, ProcessBenchmark.launch(List.of("bash", "-c", "exit 3"), Map.of(), dir.resolve("x")).exitCode());
  }

  @Test
  void theStockClassPathNeverHoldsOurModules(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("benchmarks/target"));
    Files.writeString(root.resolve("benchmarks/target/spark-classpath.txt"),
        "/m2/spark-catalyst_2.13-4.1.2.jar:/w/catalyst-ext/target/classes:"
            + "/m2/training-inputs-catalyst-ext-0.1.0-SNAPSHOT.jar:/m2/spark-sql_2.13-4.1.2.jar\n");
    assertEquals("/m2/spark-catalyst_2.13-4.1.2.jar:/m2/spark-sql_2.13-4.1.2.jar",
        ProcessBenchmark.sparkClassPath(root));
  }

  @Test
  void optionsNeedADataDirAndCheckTheirValues() {
    Path root = Path.of("/r");
    assertThrows(IllegalArgumentException.class, () -> Options.parse(root, "--rounds", "2"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse(root, "--data-dir", "/d", "--rounds", "0"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse(root, "--data-dir", "/d", "--heap", "8"));
    Options o = Options.parse(root, "--data-dir", "/d/g50", "--rounds", "3");
    assertEquals(Path.of("/d/g50-process-bench"), o.workDir());
    assertEquals("8g", o.heap());
    assertEquals(3, o.rounds());
  }

  @Test
  void ratiosUseMediansAndOutputsMustAgreeDayByDay() {
    Options o = Options.parse(Path.of("/r"), "--data-dir", "/d", "--rounds", "3");
    List<Run> runs = List.of(
        run(ProcessBenchmark.CLI, 10), run(ProcessBenchmark.CLI, 12), run(ProcessBenchmark.CLI, 100),
        run(ProcessBenchmark.STOCK, 90), run(ProcessBenchmark.STOCK, 96), run(ProcessBenchmark.STOCK, 99),
        run(ProcessBenchmark.WITH_EXTENSION, 31), run(ProcessBenchmark.WITH_EXTENSION, 32),
        run(ProcessBenchmark.WITH_EXTENSION, 33));
    Map<String, List<String>> commands = Map.of(ProcessBenchmark.CLI, List.of("cli"), ProcessBenchmark.STOCK,
        List.of("stock"), ProcessBenchmark.WITH_EXTENSION, List.of("ext"));
    Map<String, Long> days = Map.of("2025-03-30", 5L, "2025-03-31", 7L);
    ProcessReport same = new ProcessReport(o, Instant.EPOCH, 1, 1, commands, runs, Map.of(
        ProcessBenchmark.CLI, days, ProcessBenchmark.STOCK, days, ProcessBenchmark.WITH_EXTENSION, days));
    assertEquals(8.0, same.stockOverCli(), 1e-9);
    assertEquals(3.0, same.stockOverExtension(), 1e-9);
    assertTrue(same.ok());
    assertTrue(same.table().contains("target >= 8: met"), same.table());
    assertTrue(same.json().contains("\"stockOverCli\": 8.000"), same.json());
    assertEquals(Map.of("write output", 4.0), same.cliPhaseMedians());
    ProcessReport different = new ProcessReport(o, Instant.EPOCH, 1, 1, commands, runs, Map.of(
        ProcessBenchmark.CLI, days, ProcessBenchmark.STOCK, Map.of("2025-03-30", 5L, "2025-03-31", 6L),
        ProcessBenchmark.WITH_EXTENSION, days));
    assertFalse(different.ok());
    assertTrue(different.table().contains("DIFFERENT rows per as_of_date"), different.table());
  }

  private static Run run(String variant, double seconds) {
    Map<String, Double> phases = variant.equals(ProcessBenchmark.CLI) ? Map.of("write output", seconds / 3) : Map.of();
    return new Run(variant, 1, 0, seconds, 1L << 30, phases);
  }
}
