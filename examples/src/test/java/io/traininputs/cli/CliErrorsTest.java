package io.traininputs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.job.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a process meets each class of failure: its stderr holds the progress lines and exactly one line naming
 * the root cause, with no Spark task logs, and it exits 1 (2 for a bad option). Each case runs
 * {@link TrainingInputsCli#main} in a JVM of its own, with the CLI's own logging configuration.
 */
class CliErrorsTest {
  private static SparkSession spark;
  @TempDir
  static Path inputs;

  @BeforeAll
  static void generate() {
    spark = SparkSession.builder()
        .master("local[2]")
        .config("spark.sql.extensions", "io.traininputs.catalyst.TrainingInputsExtensions")
        .appName("CliErrorsTest")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
    for (String format : List.of("json", "parquet")) {
      CliRun run = CliRun.of("generate", "--out", inputs.resolve(format).toString(), "--customers", "20",
          "--days", "3", "--history-days", "30", "--items", "50", "--input-format", format);
      assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
    }
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void aChecksumMismatchNamesTheChecksumExceptionAndTheFile(@TempDir Path dir) throws Exception {
    Path in = copy("json", dir);
    Path file = dataFile(in.resolve("clicks"));
    Files.writeString(file, "{\"customer_id\": 1, \"item_id\": 5, \"click_time\": \"2025-03-30 10:00:00\"}\n",
        StandardOpenOption.APPEND);

    Child run = cli(false, false, runArgs(in, dir));
    assertEquals(ExitCodes.FAILED, run.exitCode, run.toString());
    String line = run.onlyErrorLine();
    assertTrue(line.startsWith("training-inputs run: ChecksumException: Checksum error: "), line);
    assertTrue(line.contains(file.getFileName().toString()), line);

    Child debug = cli(false, true, runArgs(in, dir));
    assertEquals(ExitCodes.FAILED, debug.exitCode, debug.toString());
    assertTrue(debug.err.contains("ERROR Executor") && debug.err.contains("org.apache.hadoop.fs.ChecksumException"),
        "TRAINING_INPUTS_DEBUG=1 keeps Spark's task logs and the stack trace: " + debug);
  }

  @Test
  void aTruncatedParquetFileIsNamedAsNotParquet(@TempDir Path dir) throws Exception {
    Path in = copy("parquet", dir);
    Path file = dataFile(in.resolve("atc"));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    deleteChecksums(in.resolve("atc"));

    Child run = cli(false, false, runArgs(in, dir));
    assertEquals(ExitCodes.FAILED, run.exitCode, run.toString());
    String line = run.onlyErrorLine();
    assertTrue(line.matches("training-inputs run: cannot read the Parquet footer of \\S*" + file.getFileName()
        + ": RuntimeException: .+"), line);
  }

  @Test
  void aFileThatMayNotBeReadIsNamedWithPermissionDenied(@TempDir Path dir) throws Exception {
    Path in = copy("json", dir);
    Path file = dataFile(in.resolve("orders"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    try {
      Child run = cli(Files.isReadable(file), false, runArgs(in, dir));
      assertEquals(ExitCodes.FAILED, run.exitCode, run.toString());
      String line = run.onlyErrorLine();
      assertTrue(line.startsWith("training-inputs run: input 'orders': "), line);
      assertTrue(line.contains("FileNotFoundException: " + file + " (Permission denied)"), line);
    } finally {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  @Test
  void aMissingColumnIsNamedWithTheColumnsFound(@TempDir Path dir) throws Exception {
    Path in = copy("parquet", dir);
    Path clicks = in.resolve("clicks");
    Path without = dir.resolve("clicks-without-item-id");
    spark.read().parquet(clicks.toString()).drop("item_id").write().parquet(without.toString());
    deleteTree(clicks);
    Files.move(without, clicks);

    Child run = cli(false, false, runArgs(in, dir));
    assertEquals(ExitCodes.FAILED, run.exitCode, run.toString());
    String line = run.onlyErrorLine();
    assertTrue(line.startsWith("training-inputs run: input 'clicks' lacks required column 'item_id'; columns found"),
        line);
  }

  @Test
  void aBadOptionNamesTheOptionAndTheValue(@TempDir Path dir) throws Exception {
    Path in = copy("json", dir);
    List<String> args = new ArrayList<>(List.of(runArgs(in, dir)));
    args.addAll(List.of("--max-actions", "0"));

    Child run = cli(false, false, args.toArray(new String[0]));
    assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
    assertEquals(List.of(
        "training-inputs run: Invalid value for option '--max-actions': must be between 1 and 100000, got 0",
        "See 'training-inputs run --help'."), run.err.lines().toList(), run.toString());
  }

  private static String[] runArgs(Path in, Path dir) {
    return new String[] {"run", "--impressions", in.resolve("impressions").toString(),
        "--clicks", in.resolve("clicks").toString(), "--atc", in.resolve("atc").toString(),
        "--orders", in.resolve("orders").toString(), "--out", dir.resolve("out").toString()};
  }

  private static Path copy(String format, Path dir) throws IOException {
    Path from = inputs.resolve(format);
    Path to = dir.resolve("in");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }

  private static Path dataFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().findFirst().orElseThrow();
    }
  }

  private static void deleteChecksums(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".crc")).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Runs the CLI in a child JVM; {@code denyAsRoot} puts {@link DeniedFileSystem} under it. */
  private static Child cli(boolean denyAsRoot, boolean debug, String... args) throws Exception {
    List<String> cmd = ChildJvm.javaCommand();
    if (denyAsRoot) {
      cmd.addAll(List.of("-Dspark.hadoop.fs.file.impl=" + DeniedFileSystem.class.getName(),
          "-Dspark.hadoop.fs.file.impl.disable.cache=true"));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainingInputsCli.class.getName()));
    cmd.addAll(List.of(args));
    File out = File.createTempFile("cli-out", ".txt");
    File err = File.createTempFile("cli-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err);
      builder.environment().remove(TrainingInputsCli.DEBUG_ENV);
      if (debug) {
        builder.environment().put(TrainingInputsCli.DEBUG_ENV, "1");
      }
      Process p = builder.start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the CLI did not finish: " + Files.readString(err.toPath()));
      }
      return new Child(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    } finally {
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }

  private record Child(int exitCode, String out, String err) {
    /** The one stderr line that is not progress (progress lines start with the elapsed time in brackets). */
    String onlyErrorLine() {
      List<String> lines = err.lines().filter(l -> !l.startsWith("[")).toList();
      assertEquals(1, lines.size(), "one error line, no logs: " + this);
      return lines.get(0);
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
