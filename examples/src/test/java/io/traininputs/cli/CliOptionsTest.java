package io.traininputs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad command lines are refused before Spark starts: exit 2 and one line naming the option and the bad value. */
class CliOptionsTest {

  private static void assertUsageError(CliRun run, String... mentions) {
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    String firstLine = run.err().lines().findFirst().orElse("");
    for (String mention : mentions) {
      assertTrue(firstLine.contains(mention), "'" + mention + "' missing from: " + firstLine);
    }
    assertTrue(run.err().contains("--help"), run.toString());
    assertEquals("", run.out());
  }

  @Test
  void outOfRangeGeneratorSizesNameTheOptionValueAndRange(@TempDir Path dir) {
    assertUsageError(CliRun.of("generate", "--out", dir.toString(), "--customers", "0"),
        "generate", "'--customers'", "between 1 and", "got 0");
    assertUsageError(CliRun.of("generate", "--out", dir.toString(), "--days", "-3"),
        "'--days'", "got -3");
    assertUsageError(CliRun.of("generate", "--out", dir.toString(), "--history-days", "0"),
        "'--history-days'", "got 0");
    assertUsageError(CliRun.of("generate", "--out", dir.toString(), "--items", "0"), "'--items'", "got 0");
    assertFalse(Files.exists(dir.resolve("clicks")), "nothing is written after a usage error");
  }

  @Test
  void unparseableValuesAndUnknownFormatsAreUsageErrors(@TempDir Path dir) {
    assertUsageError(CliRun.of("generate", "--out", dir.toString(), "--customers", "many"),
        "'--customers'", "'many'", "int");
    assertUsageError(CliRun.of("generate", "--out", dir.toString(), "--input-format", "csv"),
        "'--input-format'", "'csv'", "json", "parquet");
    assertUsageError(CliRun.of("demo", "--customers", "0"), "'--customers'", "got 0");
    assertUsageError(CliRun.of("show", dir.toString(), "--rows", "-1"), "'--rows'", "-1");
  }

  @Test
  void outOfRangeJobOptionsAreUsageErrors(@TempDir Path dir) {
    String d = dir.toString();
    String[] paths = {"run", "--impressions", d, "--clicks", d, "--atc", d, "--orders", d, "--out", d};
    assertUsageError(CliRun.of(concat(paths, "--max-actions", "0")), "run", "'--max-actions'", "got 0");
    assertUsageError(CliRun.of(concat(paths, "--lookback-days", "0")), "'--lookback-days'", "got 0");
    assertUsageError(CliRun.of(concat(paths, "--train-days", "-1")), "'--train-days'", "got -1");
    assertUsageError(CliRun.of(concat(paths, "--shuffle-partitions", "-2")), "'--shuffle-partitions'", "-2");
    assertUsageError(CliRun.of(concat(paths, "--dates", "2025-03-31")),
        "Invalid value for option '--dates': needs --incremental");
    assertUsageError(CliRun.of(concat(paths, "--retain-days", "14")),
        "Invalid value for option '--retain-days': needs --incremental");
    assertUsageError(CliRun.of(concat(paths, "--incremental", "--dates", "2025-3-31")),
        "Invalid value for option '--dates': expected dates of the form yyyy-MM-dd, got '2025-3-31'");
    assertUsageError(CliRun.of(concat(paths, "--incremental", "--retain-days", "-1")),
        "Invalid value for option '--retain-days': must be 0 (keep every date) or positive, got -1");
    assertUsageError(CliRun.of(concat(paths, "--max-actions", "1k")), "'--max-actions'", "'1k'");
    assertUsageError(CliRun.of(concat(paths, "--format", "arrow", "--layout", "columns")),
        "Invalid value for option '--layout': must be one of rows, exploded, normalized, got 'columns'");
    assertUsageError(CliRun.of(concat(paths, "--format", "csv")), "Invalid value for option '--format'", "'csv'");
    CliRun internal = CliRun.of(concat(paths, "--max-actions", "0"));
    assertFalse(internal.err().contains("maxActions"), "the option's name, not the library's: " + internal.err());
    assertUsageError(CliRun.of("run", "--impressions", d, "--clicks", d, "--atc", d, "--out", d), "--orders");
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  @Test
  void missingAndUnknownOptionsAreUsageErrors(@TempDir Path dir) {
    assertUsageError(CliRun.of("generate"), "--out");
    assertUsageError(CliRun.of("generate", "--out", dir.toString(), "--customer", "5"), "--customer");
    assertUsageError(CliRun.of("show"), "DIR");
    assertUsageError(CliRun.of("frobnicate"), "frobnicate");
  }

  @Test
  void noCommandPrintsUsageAndFails() {
    CliRun run = CliRun.of();
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("generate") && run.err().contains("show") && run.err().contains("demo"), run.err());
  }

  @Test
  void helpAndVersionSucceed() {
    CliRun help = CliRun.of("generate", "--help");
    assertEquals(ExitCodes.OK, help.exitCode(), help.toString());
    assertTrue(help.out().contains("--history-days") && help.out().contains("Default: 400"), help.out());
    assertTrue(help.out().lines().allMatch(l -> l.length() <= 100), help.out());
    assertEquals(ExitCodes.OK, CliRun.of("--version").exitCode());
  }

  @Test
  void abbreviatedArraysFitTheTerminal() {
    java.util.List<Integer> history = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      history.add(i < 37 ? 100_000 + i : 0);
    }
    String line = OutputPreview.abbreviate(history, 80);
    assertTrue(line.length() <= 80, line);
    assertTrue(line.startsWith("[100000, 100001,") && line.endsWith("… 1000 elements, 37 non-zero]"), line);
    assertEquals("[1, 0]", OutputPreview.abbreviate(java.util.List.of(1, 0), 80));
  }
}
