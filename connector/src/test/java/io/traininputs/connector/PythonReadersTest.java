package io.traininputs.connector;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Independent readers: pyarrow maps the Arrow files into (rows, N) arrays allocating nothing and reads the Parquet
 * as FixedSizeList; DuckDB reads the Parquet. Their counts and sums must equal Spark's on the input. The Python
 * environment (pyarrow, numpy, duckdb in {@code .venv}; no torch) is created by
 * {@code examples/python/setup-venv.sh}. Where it cannot be (no {@code python3}, or no pip index reachable) the test
 * is skipped and says why on stdout, so that {@code mvn verify} needs only Java and Maven; once the environment
 * exists, a reader that disagrees fails the test. Set {@code TRAINING_INPUTS_SKIP_PYTHON=1} to skip it outright.
 */
class PythonReadersTest {
  private static final int N = 32;
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    Assumptions.assumeFalse("1".equals(System.getenv("TRAINING_INPUTS_SKIP_PYTHON")),
        "TRAINING_INPUTS_SKIP_PYTHON=1");
    spark = TestData.session("local[2]");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void pyarrowAndDuckDbReadWhatSparkWrote() throws Exception {
    String setup = pythonEnvironment();
    Dataset<Row> input = TestData.rows(spark, 10, 3, N, 4, false).cache();
    String arrowRows = write(input, "arrow", "rows");
    String arrowNormalized = write(input, "arrow", "normalized");
    String parquetRows = write(input, "parquet", "rows");
    String parquetExploded = write(input, "parquet", "exploded");

    String output = run(List.of(ROOT.resolve(".venv/bin/python").toString(),
        ROOT.resolve("connector/src/test/python/check_training_inputs.py").toString(), "--n", Integer.toString(N),
        "--arrow-rows", arrowRows, "--arrow-normalized", arrowNormalized, "--parquet-rows", parquetRows,
        "--parquet-exploded", parquetExploded), 300);
    String json = output.lines().reduce((a, b) -> b).orElse("");
    JsonNode result = new ObjectMapper().readTree(json);

    Row rows = sums(input);
    Dataset<Row> exploded = TestData.expected(input, Layout.EXPLODED);
    Row items = sums(exploded);
    for (String name : List.of("arrow_rows", "parquet_rows", "duckdb_parquet_rows")) {
      assertSums(rows, result.path(name), name + " / " + setup);
    }
    for (String name : List.of("parquet_exploded", "duckdb_parquet_exploded")) {
      assertSums(items, result.path(name), name);
    }
    assertEquals(3, result.path("duckdb_parquet_rows").path("dates").asInt());
    JsonNode normalized = result.path("arrow_normalized");
    assertEquals(input.select("as_of_date", "customer_id").distinct().count(), normalized.path("rows").asLong());
    assertEquals(items.getLong(0), normalized.path("examples").asLong());
    assertEquals(items.getLong(1), normalized.path("gathered_actions_sum").asLong());
  }

  private static void assertSums(Row expected, JsonNode actual, String name) {
    assertEquals(expected.getLong(0), actual.path("rows").asLong(), name + " rows");
    assertEquals(expected.getLong(1), actual.path("actions_sum").asLong(), name + " actions");
    assertEquals(expected.getLong(2), actual.path("action_types_sum").asLong(), name + " action_types");
  }

  private static Row sums(Dataset<Row> df) {
    return df.select(expr("count(*)"),
        expr("coalesce(sum(aggregate(actions, 0L, (a, x) -> a + x)), 0L)"),
        expr("coalesce(sum(aggregate(action_types, 0L, (a, x) -> a + x)), 0L)")).first();
  }

  private String write(Dataset<Row> input, String format, String layout) {
    String out = dir.resolve(format + "-" + layout).toString();
    input.write().format("training-inputs").option("fileFormat", format).option("layout", layout)
        .option("historyLength", N).option("batchSize", 16).save(out);
    return out;
  }

  /** Makes the environment, or skips the test with the reason printed. */
  private static String pythonEnvironment() throws IOException, InterruptedException {
    String why = null;
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        why = "python3 --version failed";
      }
    } catch (IOException e) {
      why = "no python3 on the PATH";
    }
    if (why == null) {
      File log = File.createTempFile("python-setup", ".log");
      ProcessBuilder setup = new ProcessBuilder("bash", ROOT.resolve("examples/python/setup-venv.sh").toString())
          .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log);
      setup.environment().put("TRAINING_INPUTS_NO_TORCH", "1");
      Process p = setup.start();
      boolean finished = p.waitFor(900, TimeUnit.SECONDS);
      String output = java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8).strip();
      java.nio.file.Files.delete(log.toPath());
      if (finished && p.exitValue() == 0) {
        return output;
      }
      p.destroyForcibly();
      String last = output.lines().reduce((a, b) -> b).orElse("");
      why = "examples/python/setup-venv.sh could not install pyarrow, numpy and duckdb (is a pip index reachable?): "
          + last;
    }
    System.out.println("PythonReadersTest skipped: " + why);
    Assumptions.abort(why);
    return null;
  }

  private static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    File log = File.createTempFile("python-check", ".log");
    Process p = new ProcessBuilder(new ArrayList<>(command)).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log).start();
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    String output = java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8);
    if (!finished) {
      p.destroyForcibly();
    }
    assertEquals(0, finished ? p.exitValue() : -1, String.join(" ", command) + " failed:\n" + output);
    return output.strip();
  }
}
