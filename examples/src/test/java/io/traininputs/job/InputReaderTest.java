package io.traininputs.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputReaderTest {
  private static SparkSession spark;
  private static InputReader reader;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(InputReaderTest.class);
    reader = new InputReader(spark);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void jsonLinesWithLooseTypesAreCastToTheCanonicalSchema() throws IOException {
    Path file = write("clicks/part-0.json",
        "{\"dt\":\"2025-03-09\",\"customer_id\":\"7\",\"item_id\":12,\"click_time\":\"2025-03-09T23:59:59Z\"}\n"
        + "\n"
        + "{\"customer_id\":7,\"item_id\":\"15\",\"click_time\":\"2025-03-01 08:00:00\",\"extra\":[1,2]}\r\n"
        + "  \n");
    try (ReadResult result = reader.read(RawInput.CLICKS, file.toString())) {
      assertSameTypes(Schemas.CLICKS, result.usable().schema());
      List<Row> rows = result.usable().orderBy("item_id").collectAsList();
      assertEquals(List.of(
          RowFactory.create("2025-03-09", 7L, 12, Timestamp.valueOf("2025-03-09 23:59:59")),
          RowFactory.create(null, 7L, 15, Timestamp.valueOf("2025-03-01 08:00:00"))), rows);
      assertCounts(result, 2, 0);
    }
  }

  @Test
  void jsonArrayFilesYieldOneRecordPerElementAndMayBePrettyPrinted() throws IOException {
    Path file = write("atc/atc.json", "[\n"
        + "  {\"dt\": \"2025-03-09\", \"customer_id\": 7, \"config_id\": 13, \"simple_id\": 130,\n"
        + "   \"occur_at\": \"2025-03-09T23:59:59\"},\n"
        + "  {\"dt\": \"2025-03-08\", \"customer_id\": 8, \"config_id\": 14, \"occur_at\": \"2025-03-08T10:00:00Z\"}\n"
        + "]\n");
    write("atc/more.json", "[{\"customer_id\": 9, \"config_id\": 15, \"occur_at\": \"2025-03-07T00:00:00Z\"}]");
    try (ReadResult result = reader.read(RawInput.ATC, file.getParent().toString())) {
      assertSameTypes(Schemas.ATC, result.usable().schema());
      List<Row> rows = result.usable().orderBy("customer_id").collectAsList();
      assertEquals(List.of(
          RowFactory.create("2025-03-09", 7L, 13, 130, Timestamp.valueOf("2025-03-09 23:59:59")),
          RowFactory.create("2025-03-08", 8L, 14, null, Timestamp.valueOf("2025-03-08 10:00:00")),
          RowFactory.create(null, 9L, 15, null, Timestamp.valueOf("2025-03-07 00:00:00"))), rows);
      assertCounts(result, 3, 0);
    }
  }

  @Test
  void damagedJsonArrayKeepsTheElementsBeforeTheDamageAndQuarantinesTheRest() throws IOException {
    String rest = "{\"customer_id\": 8, \"config_id\": oops},\n {\"customer_id\": 9, \"config_id\": 3}]";
    Path file = write("orders.json", "[{\"order_date\": \"2025-03-09\", \"customer_id\": 7, \"config_id\": 14},\n "
        + rest + "\n");
    try (ReadResult result = reader.read(RawInput.ORDERS, file.toString())) {
      assertEquals(List.of(RowFactory.create(Date.valueOf("2025-03-09"), 7L, 14)),
          result.usable().collectAsList());
      assertEquals(Map.of(QuarantineReason.CORRUPT_JSON, 1L), result.quarantinedByReason());
      assertCounts(result, 2, 1);
      assertEquals(List.of(RowFactory.create(rest, "CORRUPT_JSON", "record")), result.quarantine().collectAsList());
    }
  }

  @Test
  void jsonSplitterKeepsOriginalTextOfEveryElement() {
    assertEquals(List.of("{\"a\": [1, {\"b\": \"]\"}]}", "\"s\"", "3", "{}"),
        JsonArraySplitter.split("\uFEFF [ {\"a\": [1, {\"b\": \"]\"}]} , \"s\",3 ] [{}] "));
    assertEquals(List.of(), JsonArraySplitter.split("[]"));
    assertEquals(List.of("{\"x\": 1}", "{\"y\":"), JsonArraySplitter.split("[{\"x\": 1}, {\"y\":"));
  }

  @Test
  void parquetWithLooserTypesIsCastAndQuarantinedRowsKeepTheirOriginalColumns() throws IOException {
    StructType loose = new StructType()
        .add("order_date", DataTypes.StringType)
        .add("CUSTOMER_ID", DataTypes.StringType)
        .add("config_id", DataTypes.LongType)
        .add("note", DataTypes.StringType);
    List<Row> rows = List.of(
        RowFactory.create("2025-03-09", "7", 14L, "ok"),
        RowFactory.create("not a date", "7", 15L, "bad date"),
        RowFactory.create("2025-03-09", "7", 3_000_000_000L, "config_id overflows int"));
    String path = dir.resolve("orders_parquet").toString();
    spark.createDataFrame(rows, loose).coalesce(1).write().parquet(path);

    try (ReadResult result = reader.read(RawInput.ORDERS, path)) {
      assertSameTypes(Schemas.ORDERS, result.usable().schema());
      assertEquals(List.of(RowFactory.create(Date.valueOf("2025-03-09"), 7L, 14)), result.usable().collectAsList());
      assertEquals(Map.of(QuarantineReason.TIME, 1L, QuarantineReason.ITEM_ID, 1L), result.quarantinedByReason());
      assertCounts(result, 3, 2);

      String out = dir.resolve("q/orders").toString();
      assertTrue(InputReader.writeQuarantine(result, out));
      Dataset<Row> back = spark.read().parquet(out);
      assertEquals(loose.add("quarantine_reason", DataTypes.StringType).add("quarantine_column", DataTypes.StringType),
          back.schema());
      assertEquals(List.of(RowFactory.create("not a date", "7", 15L, "bad date", "TIME", "order_date"),
          RowFactory.create("2025-03-09", "7", 3_000_000_000L, "config_id overflows int", "ITEM_ID", "config_id")),
          back.orderBy("note").collectAsList());
    }
  }

  /** Spark jobs started while {@code body} runs. */
  private static int jobsDuring(Runnable body) throws java.util.concurrent.TimeoutException {
    java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
        jobs.incrementAndGet();
      }
    };
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().addSparkListener(listener);
    try {
      body.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    return jobs.get();
  }

  private static final List<Row> CLICK_ROWS = List.of(
      RowFactory.create("2025-03-09", 7L, 12, Timestamp.valueOf("2025-03-09 23:59:59")),
      RowFactory.create(null, 7L, 15, Timestamp.valueOf("2025-03-01 08:00:00")),
      RowFactory.create("2025-03-08", 8L, 16, Timestamp.valueOf("2025-03-08 10:00:00")));

  @Test
  void cleanParquetTakesTheFastPathWithCountsFromFootersAndTheSameRecordsAsTheSlowPath() throws Exception {
    // Timestamps as TIMESTAMP_MICROS: their footer statistics prove every time in range.
    String path = dir.resolve("clean_clicks").toString();
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    try {
      spark.createDataFrame(CLICK_ROWS, Schemas.CLICKS).repartition(2).write().parquet(path);
    } finally {
      spark.conf().unset("spark.sql.parquet.outputTimestampType");
    }
    // Spark's default INT96 has no statistics: one scan of the time column, still nothing cached.
    String int96 = dir.resolve("clean_clicks_int96").toString();
    spark.createDataFrame(CLICK_ROWS, Schemas.CLICKS).repartition(2).write().parquet(int96);
    ReadResult[] scanned = new ReadResult[1];
    assertEquals(1, jobsDuring(() -> scanned[0] = reader.read(RawInput.CLICKS, int96)),
        "INT96 times are checked by one scan");
    try (ReadResult r = scanned[0]; ReadResult noAtc = reader.read(RawInput.ATC, List.of());
         ReadResult noOrders = reader.read(RawInput.ORDERS, List.of())) {
      assertFalse(r.isCached());
      assertCounts(r, 3, 0);
      assertEquals(java.util.Optional.of(LocalDate.of(2025, 3, 9)), reader.latestActionDay(
          Map.of(RawInput.CLICKS, r, RawInput.ATC, noAtc, RawInput.ORDERS, noOrders)),
          "the scan that checks INT96 times also finds the latest action day, which the train window needs");
    }
    // The same records as JSON lines: the parsing, quarantining path.
    Path json = write("clean_clicks.json", String.join("\n",
        "{\"dt\":\"2025-03-09\",\"customer_id\":7,\"item_id\":12,\"click_time\":\"2025-03-09T23:59:59Z\"}",
        "{\"customer_id\":7,\"item_id\":15,\"click_time\":\"2025-03-01T08:00:00Z\"}",
        "{\"dt\":\"2025-03-08\",\"customer_id\":8,\"item_id\":16,\"click_time\":\"2025-03-08T10:00:00Z\"}"));
    ReadResult[] fast = new ReadResult[1];
    assertEquals(0, jobsDuring(() -> fast[0] = reader.read(RawInput.CLICKS, path)),
        "counting clean Parquet reads footers only: no Spark job");
    assertTrue(spark.sharedState().cacheManager().isEmpty(), "the fast path persists nothing");
    try (ReadResult clean = fast[0]; ReadResult slow = reader.read(RawInput.CLICKS, json.toString())) {
      assertFalse(clean.isCached());
      assertTrue(slow.isCached());
      assertFalse(spark.sharedState().cacheManager().isEmpty(), "the slow path persists its records");
      String plan = clean.usable().queryExecution().optimizedPlan().toString();
      assertFalse(plan.contains("InMemoryRelation"), plan);
      assertTrue(plan.contains("parquet"), "the fast path's records are the files: " + plan);
      String scan = clean.usable().where(col("click_time").geq(lit(Timestamp.valueOf("2025-03-05 00:00:00"))))
          .queryExecution().executedPlan().toString();
      assertTrue(scan.contains("GreaterThanOrEqual(click_time,"), "the columns as stored: a time filter reaches "
          + "the Parquet reader: " + scan);
      assertSameTypes(Schemas.CLICKS, clean.usable().schema());
      assertCounts(clean, 3, 0);
      assertCounts(slow, 3, 0);
      assertEquals(slow.usable().orderBy("item_id").collectAsList(), clean.usable().orderBy("item_id").collectAsList());
      assertFalse(InputReader.writeQuarantine(clean, dir.resolve("q").toString()));
    }
  }

  @Test
  void parquetWithANullInARequiredColumnOrALooserTypeTakesTheQuarantiningPath() throws IOException {
    List<Row> rows = new ArrayList<>(CLICK_ROWS);
    rows.add(RowFactory.create("2025-03-08", null, 17, Timestamp.valueOf("2025-03-08 11:00:00")));
    rows.add(RowFactory.create("2025-03-08", 9L, null, Timestamp.valueOf("2025-03-08 12:00:00")));
    rows.add(RowFactory.create("2025-03-08", 9L, 18, null));
    String nulls = dir.resolve("null_clicks").toString();
    spark.createDataFrame(rows, Schemas.CLICKS).coalesce(1).write().parquet(nulls);
    try (ReadResult result = reader.read(RawInput.CLICKS, nulls)) {
      assertTrue(result.isCached(), "a null where a record needs a value: parsed and checked");
      assertEquals(Map.of(QuarantineReason.CUSTOMER_ID, 1L, QuarantineReason.ITEM_ID, 1L, QuarantineReason.TIME, 1L),
          result.quarantinedByReason());
      assertCounts(result, 6, 3);
    }
    // A null in a column a record does not need (dt) keeps the fast path.
    String optional = dir.resolve("optional_null_clicks").toString();
    spark.createDataFrame(CLICK_ROWS, Schemas.CLICKS).coalesce(1).write().parquet(optional);
    try (ReadResult result = reader.read(RawInput.CLICKS, optional)) {
      assertFalse(result.isCached());
      assertCounts(result, 3, 0);
    }
    // Canonical values in a looser type (item_id as bigint, one overflowing int): the casting path.
    StructType loose = new StructType().add("customer_id", DataTypes.LongType).add("item_id", DataTypes.LongType)
        .add("click_time", DataTypes.TimestampType);
    String looser = dir.resolve("loose_clicks").toString();
    spark.createDataFrame(List.of(RowFactory.create(7L, 12L, Timestamp.valueOf("2025-03-09 23:59:59")),
        RowFactory.create(7L, 3_000_000_000L, Timestamp.valueOf("2025-03-09 23:59:59"))), loose)
        .coalesce(1).write().parquet(looser);
    try (ReadResult result = reader.read(RawInput.CLICKS, looser)) {
      assertTrue(result.isCached());
      assertEquals(Map.of(QuarantineReason.ITEM_ID, 1L), result.quarantinedByReason());
      assertCounts(result, 2, 1);
    }
  }

  @Test
  void parquetImpressionsTakeTheFastPathOnlyWhenDtParsesAndNoElementCanBeNull() throws IOException {
    StructType schema = Schemas.IMPRESSIONS;
    Row good = RowFactory.create("2025-03-10", "r1", 7L, List.of(RowFactory.create(1, false)));
    String clean = dir.resolve("clean_impressions").toString();
    spark.createDataFrame(List.of(good), schema).coalesce(1).write().parquet(clean);
    try (ReadResult result = reader.read(RawInput.IMPRESSIONS, clean)) {
      assertFalse(result.isCached());
      assertCounts(result, 1, 0);
      assertEquals("[[2025-03-10,r1,7,ArraySeq([1,false])]]", result.usable().collectAsList().toString());
      assertEquals(List.of(LocalDate.of(2025, 3, 10)), reader.impressionDays(Map.of(RawInput.IMPRESSIONS, result)),
          "the scan that checks dt also finds the impression days");
      String scan = result.usable().where(col("dt").equalTo("2025-03-10")).queryExecution().executedPlan().toString();
      assertTrue(scan.contains("EqualTo(dt,2025-03-10)"), "a proven dt is read as stored: its filter reaches the "
          + "Parquet reader: " + scan);
    }
    Map<String, Row> dirty = Map.of(
        "bad_dt", RowFactory.create("10/03/2025", "r2", 7L, List.of(RowFactory.create(1, false))),
        "null_item", RowFactory.create("2025-03-10", "r3", 7L, List.of(RowFactory.create(null, false))),
        "empty_array", RowFactory.create("2025-03-10", "r4", 7L, List.of()));
    Map<String, Map<QuarantineReason, Long>> expected = Map.of(
        "bad_dt", Map.of(QuarantineReason.TIME, 1L),
        "null_item", Map.of(QuarantineReason.IMPRESSION_ITEM_ID, 1L),
        "empty_array", Map.of());
    for (Map.Entry<String, Row> e : dirty.entrySet()) {
      String path = dir.resolve("impressions_" + e.getKey()).toString();
      spark.createDataFrame(List.of(good, e.getValue()), schema).coalesce(1).write().parquet(path);
      try (ReadResult result = reader.read(RawInput.IMPRESSIONS, path)) {
        assertTrue(result.isCached(), e.getKey());
        assertNull(reader.impressionDays(Map.of(RawInput.IMPRESSIONS, result)), e.getKey());
        assertEquals(expected.get(e.getKey()), result.quarantinedByReason(), e.getKey());
        assertCounts(result, 2, expected.get(e.getKey()).size());
      }
    }
  }

  @Test
  void globsAndDirectoriesSkipHiddenFilesAndMayMixJsonLinesWithArrays() throws IOException {
    String line = "{\"customer_id\":1,\"item_id\":2,\"click_time\":\"2025-01-01T00:00:00Z\"}\n";
    write("g/dt=2025-01-01/part-0.json", line + line);
    write("g/dt=2025-01-02/part-0.json", "[" + line.strip() + "]");
    write("g/dt=2025-01-02/_SUCCESS", "");
    write("g/dt=2025-01-02/.part-0.json.crc", "garbage");
    write("g/other/part-0.json", line);
    try (ReadResult glob = reader.read(RawInput.CLICKS, dir.resolve("g/dt=*").toString())) {
      assertCounts(glob, 3, 0);
    }
    try (ReadResult whole = reader.read(RawInput.CLICKS, dir.resolve("g").toString())) {
      assertCounts(whole, 4, 0);
    }
    try (ReadResult list = reader.read(RawInput.CLICKS,
        List.of(dir.resolve("g/dt=2025-01-01").toString(), dir.resolve("g/other/*.json").toString()))) {
      assertCounts(list, 3, 0);
    }
  }

  @Test
  void everyQuarantineCauseOfImpressionsIsCountedAndWrittenAsItCame() throws IOException {
    List<String> good = List.of(
        "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r1\",\"customer_id\":7,"
            + "\"impressions\":[{\"item_id\":1,\"is_order\":false},{\"item_id\":\"2\",\"is_order\":\"true\"}]}",
        "{\"dt\":\"2025-03-10\",\"ranking_id\":null,\"customer_id\":8,\"impressions\":[]}");
    Map<QuarantineReason, List<String>> bad = Map.of(
        QuarantineReason.CORRUPT_JSON, List.of("{\"dt\":\"2025-03-10\",", "[1,2]", "not json"),
        QuarantineReason.CUSTOMER_ID, List.of(
            "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r\",\"customer_id\":null,\"impressions\":[]}",
            "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r\",\"customer_id\":\"x7\",\"impressions\":[]}"),
        QuarantineReason.TIME, List.of(
            "{\"dt\":\"10/03/2025\",\"ranking_id\":\"r\",\"customer_id\":7,\"impressions\":[]}",
            "{\"ranking_id\":\"r\",\"customer_id\":7,\"impressions\":[]}"),
        QuarantineReason.IMPRESSIONS_NULL, List.of(
            "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r\",\"customer_id\":7,\"impressions\":null}"),
        QuarantineReason.IMPRESSION_ITEM_ID, List.of(
            "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r\",\"customer_id\":7,"
                + "\"impressions\":[{\"item_id\":1},{\"item_id\":null,\"is_order\":true}]}",
            "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r\",\"customer_id\":7,\"impressions\":[{\"item_id\":\"a\"}]}",
            "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r\",\"customer_id\":7,\"impressions\":[null]}"));
    List<String> lines = new ArrayList<>(good);
    bad.values().forEach(lines::addAll);
    Path file = write("impressions.jsonl", String.join("\n", lines) + "\n");

    try (ReadResult result = reader.read(RawInput.IMPRESSIONS, file.toString())) {
      assertSameTypes(Schemas.IMPRESSIONS, result.usable().schema());
      Map<QuarantineReason, Long> expected = bad.entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
      assertEquals(expected, result.quarantinedByReason());
      assertCounts(result, lines.size(), lines.size() - good.size());
      assertEquals("[[2025-03-10,r1,7,ArraySeq([1,false], [2,true])], [2025-03-10,null,8,ArraySeq()]]",
          result.usable().orderBy("customer_id").collectAsList().toString());

      String out = dir.resolve("out/_quarantine/impressions").toString();
      assertTrue(InputReader.writeQuarantine(result, out));
      List<String> written = spark.read().text(out)
          .selectExpr("concat_ws(' | ', quarantine_reason, quarantine_column, value)").as(Encoders.STRING())
          .collectAsList();
      List<String> expectedText = new ArrayList<>();
      bad.forEach((reason, records) -> records.forEach(r -> expectedText.add(reason + " | "
          + reason.column(RawInput.IMPRESSIONS) + " | " + r)));
      assertEquals(sorted(expectedText), sorted(written));
    }
  }

  @Test
  void everyQuarantineCauseOfActionInputsIsCounted() throws IOException {
    Path clicks = write("c.json", String.join("\n",
        "{\"customer_id\":1,\"item_id\":2,\"click_time\":\"2025-01-01T00:00:00Z\"}",
        "{\"customer_id\":1,\"item_id\":2,\"click_time\":\"yesterday\"}",
        "{\"customer_id\":1,\"item_id\":2}",
        "{\"customer_id\":1,\"item_id\":2.5e40,\"click_time\":\"2025-01-01T00:00:00Z\"}",
        "{\"customer_id\":1,\"click_time\":\"2025-01-01T00:00:00Z\"}",
        "{\"customer_id\":99999999999999999999,\"item_id\":2,\"click_time\":\"2025-01-01T00:00:00Z\"}",
        "{\"customer_id\":1,\"item_id\":2,\"click_time\":\"2025-01-01T00:00:00Z\""));
    try (ReadResult result = reader.read(RawInput.CLICKS, clicks.toString())) {
      assertEquals(Map.of(QuarantineReason.TIME, 2L, QuarantineReason.ITEM_ID, 2L,
          QuarantineReason.CUSTOMER_ID, 1L, QuarantineReason.CORRUPT_JSON, 1L), result.quarantinedByReason());
      assertCounts(result, 7, 6);
    }
    Path atc = write("a.json", "[{\"customer_id\":1,\"config_id\":2,\"occur_at\":\"2025-01-01T00:00:00Z\"},"
        + "{\"customer_id\":1,\"config_id\":null,\"simple_id\":\"not used\",\"occur_at\":\"2025-01-01T00:00:00Z\"},"
        + "{\"customer_id\":1,\"config_id\":2,\"simple_id\":\"not used\",\"occur_at\":\"2025-01-01T00:00:00Z\"}]");
    try (ReadResult result = reader.read(RawInput.ATC, atc.toString())) {
      assertEquals(Map.of(QuarantineReason.ITEM_ID, 1L), result.quarantinedByReason());
      assertCounts(result, 3, 1);
    }
    Path orders = write("o.json", "{\"order_date\":\"2025-01-01\",\"customer_id\":1,\"config_id\":2}\n"
        + "{\"order_date\":\"2025-02-30\",\"customer_id\":1,\"config_id\":2}\n"
        + "{\"order_date\":\"2025-01-01\",\"customer_id\":\"\",\"config_id\":2}\n");
    try (ReadResult result = reader.read(RawInput.ORDERS, orders.toString())) {
      assertEquals(Map.of(QuarantineReason.TIME, 1L, QuarantineReason.CUSTOMER_ID, 1L),
          result.quarantinedByReason());
      assertCounts(result, 3, 2);
    }
  }

  @Test
  void readEqualsUsedPlusQuarantinedForEveryInput() throws IOException {
    Map<RawInput, String> files = Map.of(
        RawInput.IMPRESSIONS, "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r\",\"customer_id\":7,\"impressions\":[]}\n"
            + "{\"dt\":\"2025-03-10\",\"ranking_id\":\"r\",\"customer_id\":7}\n{",
        RawInput.CLICKS, "{\"customer_id\":1,\"item_id\":2,\"click_time\":\"2025-01-01T00:00:00Z\"}\n"
            + "{\"customer_id\":1,\"item_id\":2,\"click_time\":null}\n}",
        RawInput.ATC, "[{\"customer_id\":1,\"config_id\":2,\"occur_at\":\"2025-01-01T00:00:00Z\"},"
            + "{\"customer_id\":1,\"config_id\":2,\"occur_at\":\"2025-13-01T00:00:00Z\"}, 5]",
        RawInput.ORDERS, "{\"order_date\":\"2025-01-01\",\"customer_id\":1,\"config_id\":2}\n"
            + "{\"order_date\":\"2025-01-01\",\"customer_id\":1,\"config_id\":\"two\"}\n[");
    for (Map.Entry<RawInput, String> e : files.entrySet()) {
      Path file = write("every/" + e.getKey().label() + ".json", e.getValue());
      try (ReadResult result = reader.read(e.getKey(), file.toString())) {
        assertCounts(result, 3, 2);
        String out = dir.resolve("every/_quarantine/" + e.getKey().label()).toString();
        InputReader.writeQuarantine(result, out);
        assertEquals(2, spark.read().text(out).count(), e.getKey().label());
      }
    }
  }

  @Test
  void missingRequiredColumnNamesTheInputTheColumnAndTheColumnsFound() throws IOException {
    Path json = write("clicks.json", "{\"customer_id\":1,\"item_id\":2,\"dt\":\"2025-01-01\"}\n{broken\n");
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> reader.read(RawInput.CLICKS, json.toString()));
    assertEquals("input 'clicks' lacks required column 'click_time'; columns found: [customer_id, dt, item_id]",
        e.getMessage());

    String parquet = dir.resolve("orders").toString();
    spark.createDataFrame(List.of(RowFactory.create(1L, 2)), new StructType()
        .add("customer_id", DataTypes.LongType).add("item_id", DataTypes.IntegerType)).write().parquet(parquet);
    InputSchemaException p = assertThrows(InputSchemaException.class,
        () -> reader.read(RawInput.ORDERS, parquet));
    assertEquals("input 'orders' lacks required columns [order_date, config_id]; columns found: "
        + "[customer_id, item_id]", p.getMessage());
  }

  @Test
  void emptyInputsAreValidAndHaveNoRows() throws IOException {
    write("empty/a.json", "");
    write("empty/b.json", "  \n\n");
    write("empty/c.json", "[]\n");
    Files.createDirectories(dir.resolve("nothing"));
    String parquet = dir.resolve("empty_parquet").toString();
    spark.createDataFrame(List.of(), Schemas.ORDERS).write().parquet(parquet);
    for (String path : List.of(dir.resolve("empty").toString(), dir.resolve("nothing").toString(), parquet)) {
      try (ReadResult result = reader.read(RawInput.ORDERS, path)) {
        assertSameTypes(Schemas.ORDERS, result.usable().schema());
        assertCounts(result, 0, 0);
        assertFalse(InputReader.writeQuarantine(result, dir.resolve("q").toString()));
      }
    }
    assertFalse(Files.exists(dir.resolve("q")));
    try (ReadResult none = reader.read(RawInput.CLICKS, List.of())) {
      assertSameTypes(Schemas.CLICKS, none.usable().schema());
      assertCounts(none, 0, 0);
    }
  }

  @Test
  void parquetColumnOfAnIncompatibleTypeIsAnErrorNamingTheInput() {
    String path = dir.resolve("impressions_parquet").toString();
    spark.createDataFrame(List.of(RowFactory.create("2025-03-10", "r", 7L, "[1, 2]")), new StructType()
        .add("dt", DataTypes.StringType).add("ranking_id", DataTypes.StringType)
        .add("customer_id", DataTypes.LongType).add("impressions", DataTypes.StringType)).write().parquet(path);
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> reader.read(RawInput.IMPRESSIONS, path));
    assertTrue(e.getMessage().startsWith("input 'impressions': columns struct<dt:string,ranking_id:string,"
        + "customer_id:bigint,impressions:string> cannot be cast to"), e.getMessage());
  }

  @Test
  void gzippedJsonAndByteOrderMarksAreReadAndFormatsMayNotBeMixed() throws IOException {
    String line = "{\"customer_id\":1,\"item_id\":2,\"click_time\":\"2025-01-01T00:00:00Z\"}\n";
    Path gz = dir.resolve("z/part-0.json.gz");
    Files.createDirectories(gz.getParent());
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(("[" + line + "," + line + "]").getBytes(StandardCharsets.UTF_8));
    }
    write("z/part-1.json", "\uFEFF" + line);
    try (ReadResult result = reader.read(RawInput.CLICKS, dir.resolve("z").toString())) {
      assertCounts(result, 3, 0);
    }
    String parquet = dir.resolve("z/part-2.parquet").toString();
    spark.read().json(dir.resolve("z/part-1.json").toString()).write().parquet(parquet);
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> reader.read(RawInput.CLICKS, List.of(dir.resolve("z/*.json*").toString(), parquet)));
    assertTrue(e.getMessage().startsWith("input 'clicks' mixes Parquet files"), e.getMessage());
  }

  @Test
  void pathMatchingNothingIsAnErrorNamingInputAndPath() {
    String missing = dir.resolve("no/such/*.json").toString();
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> reader.read(RawInput.ATC, missing));
    assertEquals("input 'atc': no file or directory matches '" + missing + "'", e.getMessage());
  }

  private static void assertCounts(ReadResult result, long read, long quarantined) {
    assertEquals(read, result.read(), "read");
    assertEquals(quarantined, result.quarantined(), "quarantined");
    assertEquals(read - quarantined, result.usable().count(), "used");
    assertEquals(quarantined, result.quarantine().count(), "quarantine records");
    assertEquals(result.read(), result.used() + result.quarantined());
  }

  private static void assertSameTypes(StructType expected, StructType actual) {
    assertEquals(names(expected), names(actual));
    for (StructField f : expected.fields()) {
      assertEquals(f.dataType(), actual.apply(f.name()).dataType(), f.name());
    }
  }

  private static List<String> names(StructType schema) {
    return List.of(schema.fieldNames());
  }

  private static List<String> sorted(List<String> values) {
    return values.stream().sorted().collect(Collectors.toList());
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }
}
