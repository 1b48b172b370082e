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
 * environment is created by {@code connector/src/test/python/setup-venv.sh}; if it cannot be, this test fails.
 * Set {@code TRAINING_INPUTS_SKIP_PYTHON=1} to skip it.
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
    String setup = run(List.of("bash", ROOT.resolve("connector/src/test/python/setup-venv.sh").toString()), 900);
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
