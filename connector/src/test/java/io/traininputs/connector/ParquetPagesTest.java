package io.traininputs.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The page-wise Parquet writer on edge values, with pages and row groups made small so that every file holds
 * several of each: what {@code spark.read.parquet} and the format's reader return equals the input.
 */
class ParquetPagesTest {
  private static final int N = 40;
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestData.session("local[2]");
    spark.conf().set("parquet.page.size", "512");
    spark.conf().set("parquet.block.size", "4096");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** 600 rows over two dates: null ranking ids, extreme ints, all-zero, full and partly padded histories. */
  private static Dataset<Row> edgeRows(boolean tinyint) {
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 600; r++) {
      int[] actions = new int[N];
      Object[] types = new Object[N];
      int kind = r % 5;
      for (int i = 0; i < N; i++) {
        actions[i] = switch (kind) {
          case 0 -> 0;
          case 1 -> i % 2 == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
          case 2 -> random.nextInt();
          default -> i < r % N ? 1 + random.nextInt(5000) : 0;
        };
        int type = switch (kind) {
          case 0 -> 0;
          case 1 -> i % 2 == 0 ? Byte.MIN_VALUE : Byte.MAX_VALUE;
          case 2 -> (r * N + i) % 256 - 128;
          default -> i < r % N ? 1 + random.nextInt(3) : 0;
        };
        types[i] = tinyint ? (Object) (byte) type : (Object) type;
      }
      List<Row> impressions = new ArrayList<>();
      for (int i = 0; i < r % 4; i++) {
        impressions.add(RowFactory.create(i == 0 ? Integer.MIN_VALUE : i == 1 ? Integer.MAX_VALUE
            : random.nextInt(), random.nextBoolean()));
      }
      long customer = r == 0 ? Long.MIN_VALUE : r == 1 ? Long.MAX_VALUE : r / 2;
      rows.add(RowFactory.create(Date.valueOf(TestData.DAY.plusDays(r % 2)), r % 3 == 0 ? null : "r" + r,
          customer, impressions, Arrays.stream(actions).boxed().collect(Collectors.toList()),
          Arrays.asList(types)));
    }
    return spark.createDataFrame(rows, TestData.schema(tinyint ? DataTypes.ByteType : DataTypes.IntegerType))
        .repartition(2);
  }

  /** A dictionary page size of 256 bytes makes the int32 chunks fall back to PLAIN after 64 distinct values. */
  @ParameterizedTest
  @CsvSource({"rows, snappy, true, 1048576", "rows, none, false, 256", "exploded, zstd, true, 256"})
  void manyPagesAndRowGroupsReadBackEqual(String layout, String compression, boolean tinyint,
      int dictionaryPageSize) throws IOException {
    Dataset<Row> input = edgeRows(tinyint).cache();
    String out = dir.resolve(layout).toString();
    spark.conf().set("parquet.dictionary.page.size", Integer.toString(dictionaryPageSize));
    try {
      input.write().format("training-inputs").option("fileFormat", "parquet").option("layout", layout)
          .option("compression", compression).option("historyLength", N).save(out);
    } finally {
      spark.conf().unset("parquet.dictionary.page.size");
    }
    boolean fallback = dictionaryPageSize < 1024;

    Dataset<Row> expected = TestData.expected(input, Layout.valueOf(layout.toUpperCase(java.util.Locale.ROOT)));
    List<String> want = TestData.sorted(expected);
    assertEquals(want, TestData.sorted(spark.read().format("training-inputs").load(out)));
    Dataset<Row> plain = spark.read().parquet(out).select(expected.columns()[0],
        Arrays.copyOfRange(expected.columns(), 1, expected.columns().length));
    assertEquals(want, TestData.sorted(plain));

    List<String> plainChunks = new ArrayList<>();
    for (Path file : parquetFiles(Path.of(out))) {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))) {
        List<BlockMetaData> blocks = reader.getFooter().getBlocks();
        assertTrue(blocks.size() > 1, file + " has " + blocks.size() + " row group(s)");
        for (int b = 0; b < blocks.size(); b++) {
          for (ColumnChunkMetaData chunk : blocks.get(b).getColumns()) {
            String path = chunk.getPath().toDotString();
            if (path.startsWith(Columns.ACTIONS + ".") || path.startsWith(Columns.ACTION_TYPES + ".")) {
              int pages = reader.readOffsetIndex(chunk).getPageCount();
              // the last row group holds what is left, possibly less than a page
              assertTrue(pages > 1 || b == blocks.size() - 1, path + " of " + file + " has " + pages + " page(s)");
              assertTrue(chunk.getEncodings().contains(Encoding.PLAIN_DICTIONARY), path + ": " + chunk.getEncodings());
              if (chunk.getEncodings().contains(Encoding.PLAIN)) {
                plainChunks.add(path);
              }
            }
          }
        }
      }
    }
    assertEquals(fallback, !plainChunks.isEmpty(), "chunks with PLAIN pages: " + plainChunks);
    assertTrue(plainChunks.stream().allMatch(c -> c.startsWith(Columns.ACTIONS + ".")), "PLAIN: " + plainChunks);
  }

  @Test
  void normalizedLayoutReadsBackEqual() {
    Dataset<Row> input = TestData.rows(spark, 200, 2, N, 3, false).cache();
    String out = dir.resolve("normalized").toString();
    input.write().format("training-inputs").option("fileFormat", "parquet").option("layout", "normalized")
        .option("historyLength", N).save(out);
    assertEquals(TestData.sorted(TestData.expected(input, Layout.NORMALIZED)),
        TestData.sorted(spark.read().format("training-inputs").load(out).drop("history_index")));
  }

  private static List<Path> parquetFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".parquet")).collect(Collectors.toList());
      assertTrue(files.size() >= 2, "files: " + files);
      return files;
    }
  }
}
