package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * DuckDB and pyarrow as plain directory readers of an output folder ({@code examples/src/test/python/glob_readers.py}:
 * no manifest, no Spark), compared with what {@code spark.read.parquet} finds: rows, the sums of {@code customer_id}
 * and of every {@code actions} element, and the dates. The Python environment is {@code .venv} with pyarrow and
 * duckdb, made by {@code examples/python/setup-venv.sh} when missing; where it cannot be made, {@link #unavailable}
 * says why and the comparison is not made.
 */
final class GlobReaders {
  private static final Path ROOT = Paths.get(System.getProperty("user.dir")).getParent();
  private static final Path PYTHON = ROOT.resolve(".venv/bin/python");
  private static final Path SCRIPT = ROOT.resolve("examples/src/test/python/glob_readers.py");

  private final String unavailable;

  private GlobReaders(String unavailable) {
    this.unavailable = unavailable;
  }

  static GlobReaders find() throws IOException, InterruptedException {
    if (run(List.of(PYTHON.toString(), "-c", "import duckdb, pyarrow.dataset"), 60).exit == 0) {
      return new GlobReaders(null);
    }
    Result setup = run(List.of("bash", ROOT.resolve("examples/python/setup-venv.sh").toString()), 900);
    if (setup.exit == 0) {
      return new GlobReaders(null);
    }
    return new GlobReaders("examples/python/setup-venv.sh could not make .venv with pyarrow and duckdb: "
        + setup.output.lines().reduce((a, b) -> b).orElse(""));
  }

  /** Why DuckDB and pyarrow cannot be asked; null when they can. */
  String unavailable() {
    return unavailable;
  }

  /** DuckDB's glob and pyarrow's dataset of {@code out} each find what {@code spark.read.parquet} does. */
  void assertSameAsSpark(SparkSession spark, Path out, String what) throws IOException, InterruptedException {
    if (unavailable != null) {
      return;
    }
    Row spark1 = spark.read().parquet(out.toString()).selectExpr("count(*)", "coalesce(sum(customer_id), 0)",
        "coalesce(sum(aggregate(actions, 0L, (a, x) -> a + x)), 0L)",
        "array_join(array_sort(collect_set(CAST(as_of_date AS STRING))), ',')").first();
    String expected = spark1.getLong(0) + " rows, customers " + spark1.getLong(1) + ", actions " + spark1.getLong(2)
        + ", dates " + spark1.getString(3);
    Result result = run(List.of(PYTHON.toString(), SCRIPT.toString(), out.toString()), 120);
    assertEquals(0, result.exit, "glob_readers.py failed: " + result.output);
    JsonNode json = new ObjectMapper().readTree(result.output.lines().reduce((a, b) -> b).orElse("{}"));
    for (String reader : List.of("duckdb", "pyarrow")) {
      JsonNode view = json.path(reader);
      List<String> dates = new ArrayList<>();
      view.path("dates").forEach(d -> dates.add(d.asText()));
      String actual = view.path("rows").asLong() + " rows, customers " + view.path("customers_sum").asLong()
          + ", actions " + view.path("actions_sum").asLong() + ", dates " + String.join(",", dates);
      assertEquals(expected, actual, reader + " reading " + out + " as a directory: " + what);
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    File log = File.createTempFile("glob-readers", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
          .redirectOutput(log);
      builder.environment().put("TRAINING_INPUTS_NO_TORCH", "1");
      Process p;
      try {
        p = builder.start();
      } catch (IOException e) {
        return new Result(-1, String.valueOf(e.getMessage()));
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log.toPath());
    }
  }
}
