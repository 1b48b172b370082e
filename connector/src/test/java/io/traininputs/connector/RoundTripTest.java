package io.traininputs.connector;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every file format x layout written and read back equals the input; the manifest describes the files. */
class RoundTripTest {
  private static final int N = 16;
  private static SparkSession spark;
  private static Dataset<Row> input;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestData.session("local[2]");
    input = TestData.rows(spark, 12, 3, N, 5, false).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "arrow, rows, none", "arrow, exploded, none", "arrow, normalized, none", "arrow, rows, zstd",
      "parquet, rows, snappy", "parquet, exploded, zstd", "parquet, normalized, none"})
  void roundTrip(String format, String layout, String compression) throws IOException {
    String out = dir.resolve("out").toString();
    input.write().format("training-inputs").option("fileFormat", format).option("layout", layout)
        .option("compression", compression).option("historyLength", N).option("batchSize", 7).save(out);

    Layout l = Layout.valueOf(layout.toUpperCase());
    Dataset<Row> read = spark.read().format("training-inputs").load(out);
    assertEquals(StoredSchemas.sparkRead(l), read.schema());
    Dataset<Row> actual = l == Layout.NORMALIZED ? read.drop("history_index") : read;
    List<String> expected = TestData.sorted(TestData.expected(input, l));
    assertTrue(expected.size() > 50, "enough rows to mean something");
    assertEquals(expected, TestData.sorted(actual));

    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("out/_manifest.json").toFile());
    assertEquals(format, manifest.path("fileFormat").asText());
    assertEquals(layout, manifest.path("layout").asText());
    assertEquals(N, manifest.path("historyLength").asInt());
    assertEquals(Manifest.WRITER_VERSION, manifest.path("writerVersion").asText());
    long rows = 0;
    for (JsonNode r : manifest.path("rowsPerDate")) {
      rows += r.asLong();
    }
    assertEquals(expected.size(), rows);
    assertEquals(3, manifest.path("rowsPerDate").size());
    for (JsonNode f : manifest.path("files")) {
      Path file = dir.resolve("out").resolve(f.path("path").asText());
      assertEquals(f.path("bytes").asLong(), Files.size(file), file.toString());
      assertEquals(f.path("checksum").asText(), crc32c(file), file.toString());
      assertTrue(f.path("path").asText().startsWith("as_of_date=" + f.path("as_of_date").asText() + "/"));
    }
    assertTrue(Files.exists(dir.resolve("out/_SUCCESS")));
    assertFalse(Files.exists(dir.resolve("out/_staging")), "staging is removed after the commit");
    List<String> listed = TestData.listing(dir.resolve("out"));
    assertEquals(manifest.path("files").size() + 2, listed.size(), "only the manifest's files, manifest, _SUCCESS: "
        + listed);
  }

  @Test
  void tinyintActionTypesAndManifestShapes() throws IOException {
    Dataset<Row> bytes = TestData.rows(spark, 5, 2, N, 3, true);
    String out = dir.resolve("bytes").toString();
    bytes.write().format("training-inputs").option("historyLength", N).save(out);
    assertEquals(TestData.sorted(TestData.expected(bytes, Layout.ROWS)),
        TestData.sorted(spark.read().format("training-inputs").load(out)));
    JsonNode kinds = new ObjectMapper().readTree(dir.resolve("bytes/_manifest.json").toFile()).path("fileKinds");
    Map<String, String> shapes = new HashMap<>();
    for (JsonNode c : kinds.path("rows")) {
      shapes.put(c.path("name").asText(), c.path("dtype").asText() + c.path("shape").toString());
    }
    assertEquals("int32[\"rows\"," + N + "]", shapes.get("actions"));
    assertEquals("int8[\"rows\"," + N + "]", shapes.get("action_types"));
    assertEquals("int64[\"rows\"]", shapes.get("customer_id"));
  }

  @Test
  void filtersOnAsOfDatePruneShards() throws IOException {
    String out = dir.resolve("pruned").toString();
    input.write().format("training-inputs").option("historyLength", N).save(out);
    String day = TestData.DAY.plusDays(1).toString();
    // corrupt every file of the other dates: a read that opens them fails
    try (var dates = Files.list(dir.resolve("pruned"))) {
      for (Path d : dates.filter(p -> p.getFileName().toString().startsWith("as_of_date=")
          && !p.getFileName().toString().endsWith(day)).toList()) {
        try (var files = Files.list(d)) {
          for (Path f : files.toList()) {
            Files.write(f, new byte[] {1, 2, 3});
          }
        }
      }
    }
    Dataset<Row> read = spark.read().format("training-inputs").load(out)
        .where(col("as_of_date").equalTo(java.sql.Date.valueOf(day)));
    String plan = read.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("dates=1/3"), plan);
    assertEquals(TestData.sorted(input.where(col("as_of_date").equalTo(java.sql.Date.valueOf(day)))
            .withColumn("action_types", col("action_types").cast("array<tinyint>"))),
        TestData.sorted(read));
  }

  @Test
  void parquetRowsAreReadableByPlainSparkParquet() {
    String out = dir.resolve("plain").toString();
    input.write().format("training-inputs").option("fileFormat", "parquet").option("historyLength", N).save(out);
    Dataset<Row> plain = spark.read().parquet(out).select("as_of_date", "ranking_id", "customer_id",
        "impressions", "actions", "action_types");
    assertEquals(TestData.sorted(TestData.expected(input, Layout.ROWS)), TestData.sorted(plain));
  }

  private static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    try (InputStream in = Files.newInputStream(file)) {
      crc.update(in.readAllBytes());
    }
    return String.format("crc32c:%08x", crc.getValue());
  }
}
