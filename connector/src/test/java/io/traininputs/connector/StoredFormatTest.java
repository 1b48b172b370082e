package io.traininputs.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is on disk: Arrow and Parquet types and shapes, and the normalized layout's size against exploded. */
class StoredFormatTest {
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestData.session("local[2]");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private JsonNode write(Dataset<Row> df, String name, String format, String layout, int n) throws IOException {
    df.write().format("training-inputs").option("fileFormat", format).option("layout", layout)
        .option("historyLength", n).save(dir.resolve(name).toString());
    return new ObjectMapper().readTree(dir.resolve(name).resolve("_manifest.json").toFile());
  }

  private static long totalBytes(JsonNode manifest) {
    long total = 0;
    for (JsonNode f : manifest.path("files")) {
      total += f.path("bytes").asLong();
    }
    return total;
  }

  @Test
  void arrowFilesHoldFixedSizeListsOfNonNullElements() throws IOException {
    int n = 8;
    JsonNode manifest = write(TestData.rows(spark, 4, 1, n, 2, false), "arrow", "arrow", "rows", n);
    Path file = dir.resolve("arrow").resolve(manifest.path("files").get(0).path("path").asText());
    try (BufferAllocator allocator = new RootAllocator();
         ArrowFileReader reader = new ArrowFileReader(FileChannel.open(file, StandardOpenOption.READ), allocator)) {
      Schema schema = reader.getVectorSchemaRoot().getSchema();
      Field actions = schema.findField("actions");
      assertEquals(new ArrowType.FixedSizeList(n), actions.getType());
      assertFalse(actions.isNullable());
      assertEquals(new ArrowType.Int(32, true), actions.getChildren().get(0).getType());
      assertFalse(actions.getChildren().get(0).isNullable());
      assertEquals(new ArrowType.Int(8, true), schema.findField("action_types").getChildren().get(0).getType());
      assertEquals(new ArrowType.Int(64, true), schema.findField("customer_id").getType());
      assertTrue(schema.findField("ranking_id").isNullable());
      assertEquals(ArrowType.List.INSTANCE, schema.findField("impressions").getType());
      long rows = 0;
      while (reader.loadNextBatch()) {
        FixedSizeListVector v = (FixedSizeListVector) reader.getVectorSchemaRoot().getVector("actions");
        assertEquals(0, v.getNullCount());
        assertEquals(0, v.getDataVector().getNullCount());
        rows += v.getValueCount();
      }
      assertEquals(manifest.path("files").get(0).path("rows").asLong(), rows);
    }
  }

  @Test
  void parquetFilesCarryTheArrowSchemaWithTheFixedShape() throws IOException {
    int n = 8;
    JsonNode manifest = write(TestData.rows(spark, 4, 1, n, 2, false), "parquet", "parquet", "rows", n);
    Path file = dir.resolve("parquet").resolve(manifest.path("files").get(0).path("path").asText());
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      String encoded = reader.getFileMetaData().getKeyValueMetaData().get(ParquetRecordSink.ARROW_SCHEMA_KEY);
      byte[] message = Base64.getDecoder().decode(encoded);
      Schema arrow = org.apache.arrow.vector.ipc.message.MessageSerializer.deserializeSchema(
          new org.apache.arrow.vector.ipc.ReadChannel(java.nio.channels.Channels.newChannel(
              new java.io.ByteArrayInputStream(message))));
      assertEquals(new ArrowType.FixedSizeList(n), arrow.findField("actions").getType());
      String parquetSchema = reader.getFileMetaData().getSchema().toString();
      assertTrue(parquetSchema.contains("required group actions (LIST)"), parquetSchema);
      assertTrue(parquetSchema.contains("required int32 element (INTEGER(8,true))"), parquetSchema);
    }
  }

  @Test
  void normalizedIsAtLeastTenTimesSmallerThanExploded() throws IOException {
    int n = 1000;
    Dataset<Row> input = TestData.rows(spark, 20, 2, n, 20, false).cache();
    long exploded = totalBytes(write(input, "exploded", "arrow", "exploded", n));
    long normalized = totalBytes(write(input, "normalized", "arrow", "normalized", n));
    assertTrue(exploded >= 10 * normalized, "exploded " + exploded + " bytes, normalized " + normalized);
    assertTrue(Files.exists(dir.resolve("normalized/_SUCCESS")));
  }
}
