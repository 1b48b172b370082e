package io.traininputs.catalyst.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.traininputs.catalyst.TrainingInputsConf;
import io.traininputs.catalyst.TrainingInputsExtensions;
import io.traininputs.connector.HistoryPagesParquet;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spark's own Parquet write with the extension: the int-array columns are written as whole pages, and the files
 * read back (Spark's vectorized and parquet-mr readers, filters pushed down) exactly as the files Spark's writer
 * writes from the same rows: null, empty, short, long and N-long lists, null elements, extreme values, other
 * columns of every kind, several row groups, pages and dictionary fall-backs, every codec. Settings the writer does
 * not implement leave the file to Spark's writer.
 */
class WholePageParquetWritesTest {
  private static final int N = 50;
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("WholePageParquetWritesTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.extensions", TrainingInputsExtensions.class.getName())
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("day", DataTypes.DateType, false),
      DataTypes.createStructField("id", DataTypes.LongType, true),
      DataTypes.createStructField("name", DataTypes.StringType, true),
      DataTypes.createStructField("history", new ArrayType(DataTypes.IntegerType, false), false),
      DataTypes.createStructField("types", new ArrayType(DataTypes.IntegerType, true), false),
      DataTypes.createStructField("ragged", new ArrayType(DataTypes.IntegerType, true), true),
      DataTypes.createStructField("items", new ArrayType(new StructType(new StructField[] {
          DataTypes.createStructField("item", DataTypes.IntegerType, true),
          DataTypes.createStructField("flag", DataTypes.BooleanType, true)}), true), true),
      DataTypes.createStructField("score", DataTypes.DoubleType, true),
  });

  /** Seeded rows: histories mostly N long and zero-padded, some lists of every other shape. */
  private static Dataset<Row> rows(int count, long seed, int distinct) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      int filled = random.nextInt(N + 1);
      Integer[] history = new Integer[N];
      Integer[] types = new Integer[N];
      for (int i = 0; i < N; i++) {
        history[i] = i < filled ? value(random, distinct) : 0;
        types[i] = i < filled ? 1 + random.nextInt(3) : 0;
      }
      if (r % 17 == 3) {
        types[random.nextInt(N)] = null;
      }
      List<Integer> typesList = Arrays.asList(types);
      if (r % 23 == 5) {
        typesList = List.of();
      } else if (r % 29 == 7) {
        typesList = typesList.subList(0, 1 + random.nextInt(N - 1));
      } else if (r % 31 == 11) {
        typesList = new ArrayList<>(typesList);
        typesList.addAll(Collections.nCopies(1 + random.nextInt(3 * N), -7));
      }
      List<Integer> ragged = null;
      if (r % 5 != 0) {
        ragged = new ArrayList<>();
        for (int i = random.nextInt(2 * N); i > 0; i--) {
          ragged.add(random.nextInt(9) == 0 ? null : value(random, distinct));
        }
      }
      List<Row> items = r % 7 == 0 ? null : List.of(RowFactory.create(random.nextInt(100), r % 2 == 0),
          RowFactory.create(null, null));
      rows.add(RowFactory.create(Date.valueOf("2025-03-" + (10 + r % 3)), r % 13 == 0 ? null : (long) r * 31,
          r % 11 == 0 ? null : "name-" + r, Arrays.asList(history), typesList, ragged, items,
          r % 19 == 0 ? null : random.nextGaussian()));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static int value(Random random, int distinct) {
    int pick = random.nextInt(40);
    if (pick == 0) {
      return Integer.MIN_VALUE;
    }
    if (pick == 1) {
      return Integer.MAX_VALUE;
    }
    return 1 + random.nextInt(distinct);
  }

  /** Writes {@code df} with the whole-page writer on or off, with the given write options. */
  private Path write(Dataset<Row> df, boolean pages, String name, Map<String, String> options) {
    spark.conf().set(TrainingInputsConf.PARQUET_PAGES_ENABLED, String.valueOf(pages));
    try {
      Path out = dir.resolve(name);
      df.write().options(options).partitionBy("day").parquet(out.toString());
      return out;
    } finally {
      spark.conf().unset(TrainingInputsConf.PARQUET_PAGES_ENABLED);
    }
  }

  private static List<String> read(Path path, boolean vectorized, String filter) {
    spark.conf().set("spark.sql.parquet.enableVectorizedReader", String.valueOf(vectorized));
    try {
      Dataset<Row> df = spark.read().parquet(path.toString());
      if (filter != null) {
        df = df.where(filter);
      }
      List<String> out = new ArrayList<>();
      for (Row row : df.collectAsList()) {
        out.add(row.toString());
      }
      Collections.sort(out);
      return out;
    } finally {
      spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
    }
  }

  /** Equal lists of rows; on a difference, the counts and the first row that differs, not every row. */
  private static void assertSameRows(List<String> expected, List<String> actual, String what) {
    if (expected.equals(actual)) {
      return;
    }
    int i = 0;
    while (i < Math.min(expected.size(), actual.size()) && expected.get(i).equals(actual.get(i))) {
      i++;
    }
    throw new AssertionError(what + ": " + expected.size() + " rows expected, " + actual.size() + " read; first "
        + "difference at " + i + ": expected " + (i < expected.size() ? expected.get(i) : "none") + ", read "
        + (i < actual.size() ? actual.get(i) : "none"));
  }

  private static List<File> files(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(p -> p.toString().endsWith(".parquet")).map(Path::toFile).sorted().toList();
    }
  }

  private static ParquetMetadata footer(File file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.getPath()), new Configuration()))) {
      return reader.getFooter();
    }
  }

  /** Both writes' rows, read every way, are equal; the files of the first were written as pages, Spark's not. */
  private void assertSameFiles(Path pages, Path stock) throws IOException {
    for (boolean vectorized : new boolean[] {true, false}) {
      assertSameRows(read(stock, vectorized, null), read(pages, vectorized, null), "vectorized=" + vectorized);
      for (String filter : List.of("ragged is null", "id is null", "try_element_at(types, 1) = 2", "size(types) = 0",
          "array_contains(history, 2147483647)", "name = 'name-40'")) {
        assertSameRows(read(stock, vectorized, filter), read(pages, vectorized, filter), filter);
      }
    }
    List<File> pageFiles = files(pages);
    assertFalse(pageFiles.isEmpty());
    ParquetMetadata stockFooter = footer(files(stock).get(0));
    for (File f : pageFiles) {
      ParquetMetadata footer = footer(f);
      Map<String, String> keyValues = new java.util.HashMap<>(footer.getFileMetaData().getKeyValueMetaData());
      assertEquals("history,types,ragged", keyValues.remove(HistoryPagesParquet.PAGES_KEY), f.getName());
      assertEquals(stockFooter.getFileMetaData().getKeyValueMetaData(), keyValues);
      assertEquals(stockFooter.getFileMetaData().getSchema(), footer.getFileMetaData().getSchema());
      assertEquals(stockFooter.getBlocks().get(0).getColumns().get(3).getCodec(),
          footer.getBlocks().get(0).getColumns().get(3).getCodec());
    }
    for (File f : files(stock)) {
      assertNull(footer(f).getFileMetaData().getKeyValueMetaData().get(HistoryPagesParquet.PAGES_KEY));
    }
  }

  @Test
  void sameRowsAsSparksWriter() throws IOException {
    Dataset<Row> df = rows(3000, 42, 500);
    assertSameFiles(write(df, true, "pages", Map.of()), write(df, false, "stock", Map.of()));
  }

  /**
   * pyarrow and DuckDB read our files as Spark's own. Needs the Python environment of {@code
   * examples/python/setup-venv.sh} ({@code .venv}, which the connector's PythonReadersTest makes first in a build);
   * skipped, saying so, without it.
   */
  @Test
  void pyarrowAndDuckDbReadTheSameRows() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path python = root.resolve(".venv/bin/python");
    Assumptions.assumeTrue(Files.isExecutable(python) && !"1".equals(System.getenv("TRAINING_INPUTS_SKIP_PYTHON")),
        "no .venv (examples/python/setup-venv.sh) or TRAINING_INPUTS_SKIP_PYTHON=1: pyarrow/DuckDB check skipped");
    Dataset<Row> df = rows(2000, 11, 300);
    Path pages = write(df, true, "pages", Map.of());
    Path stock = write(df, false, "stock", Map.of());
    Process p = new ProcessBuilder(python.toString(),
        root.resolve("catalyst-ext/src/test/python/compare_parquet_dirs.py").toString(), pages.toString(),
        stock.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, output);
    String json = output.lines().reduce((x, y) -> y).orElse("");
    assertEquals("{\"pyarrow_rows\": 2000, \"pyarrow_same_schema\": true, \"pyarrow_same_rows\": true, "
        + "\"duckdb_rows\": 2000, \"duckdb_same\": true}", json, output);
  }

  @Test
  void manyRowGroupsPagesAndDictionaryFallbacks() throws IOException {
    Dataset<Row> df = rows(4000, 7, 100_000).repartition(1);
    Map<String, String> small = Map.of("parquet.block.size", "200000", "parquet.page.size", "8192",
        "parquet.dictionary.page.size", "4096");
    Path pages = write(df, true, "pages", small);
    assertSameFiles(pages, write(df, false, "stock", small));
    int rowGroups = 0;
    for (File f : files(pages)) {
      List<BlockMetaData> blocks = footer(f).getBlocks();
      rowGroups += blocks.size();
      assertTrue(blocks.get(0).getColumns().get(3).getEncodings().toString().contains("PLAIN"), f.getName());
    }
    assertTrue(rowGroups > 6, "row groups: " + rowGroups);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zstd", "gzip", "uncompressed", "lz4_raw"})
  void everyCodec(String codec) throws IOException {
    Dataset<Row> df = rows(500, 3, 50);
    Map<String, String> options = Map.of("compression", codec);
    assertSameFiles(write(df, true, "pages", options), write(df, false, "stock", options));
  }

  @Test
  void allNullAndEmptyListsOnly() throws IOException {
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("day", DataTypes.DateType, false),
        DataTypes.createStructField("a", new ArrayType(DataTypes.IntegerType, true), true)});
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 100; r++) {
      rows.add(RowFactory.create(Date.valueOf("2025-01-01"), r % 2 == 0 ? null : List.of()));
    }
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    Path pages = write(df, true, "pages", Map.of());
    Path stock = write(df, false, "stock", Map.of());
    assertSameRows(read(stock, true, null), read(pages, true, null), "vectorized");
    assertSameRows(read(stock, false, "a is null"), read(pages, false, "a is null"), "a is null");
    assertEquals("a", footer(files(pages).get(0)).getFileMetaData().getKeyValueMetaData()
        .get(HistoryPagesParquet.PAGES_KEY));
  }

  @Test
  void settingsTheWriterLacksLeaveTheFileToSpark() throws IOException {
    Dataset<Row> df = rows(300, 5, 50);
    for (Map<String, String> options : List.of(Map.of("parquet.bloom.filter.enabled", "true"),
        Map.of("parquet.writer.version", "v2"), Map.of("parquet.enable.dictionary", "false"),
        Map.of("parquet.bloom.filter.enabled#id", "true"))) {
      Path out = write(df, true, "declined-" + Math.abs(options.hashCode()), options);
      for (File f : files(out)) {
        assertNull(footer(f).getFileMetaData().getKeyValueMetaData().get(HistoryPagesParquet.PAGES_KEY),
            options + " " + f);
      }
      assertSameRows(read(write(df, false, "stock-" + Math.abs(options.hashCode()), options), true, null),
          read(out, true, null), options.toString());
    }
  }

  @Test
  void planNamesTheWriterAndABadSwitchValueIsNamed() throws Exception {
    Dataset<Row> df = rows(10, 1, 5);
    List<String> plans = Collections.synchronizedList(new ArrayList<>());
    QueryExecutionListener listener = new QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        plans.add(qe.optimizedPlan().toString());
      }

      @Override
      public void onFailure(String funcName, QueryExecution qe, Exception exception) {
      }
    };
    spark.listenerManager().register(listener);
    try {
      write(df, true, "on", Map.of());
      write(df, false, "off", Map.of());
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(listener);
    }
    assertEquals(2, plans.size(), plans.toString());
    assertTrue(plans.get(0).contains("Parquet (int arrays as whole pages)"), plans.get(0));
    assertFalse(plans.get(1).contains("whole pages"), plans.get(1));
    spark.conf().set(TrainingInputsConf.PARQUET_PAGES_ENABLED, "maybe");
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> df.write().parquet(dir.resolve("bad").toString()));
      assertTrue(e.getMessage().contains(TrainingInputsConf.PARQUET_PAGES_ENABLED)
          && e.getMessage().contains("'maybe'"), e.getMessage());
    } finally {
      spark.conf().unset(TrainingInputsConf.PARQUET_PAGES_ENABLED);
    }
  }
}
