package io.traininputs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/semantics.md, "Exact values", as a table: one value of one field, in each format, is either used with exactly
 * that value or quarantined with its reason. Each case is one record in a file of its own, JSON lines written as
 * bytes and Parquet written by Spark (clicks also with timestamps as TIMESTAMP_MICROS, whose footers carry the
 * statistics the fast path reads, besides INT96, Spark's default, which a scan checks).
 */
class StrictTypingTest {
  private static final String FF = "<FF>";
  private static SparkSession spark;
  private static InputReader reader;

  @TempDir
  static Path dir;

  enum Format { JSON, PARQUET_INT96, PARQUET_MICROS }

  /**
   * One row of the table.
   *
   * @param field a top-level field, or {@code item_id@} / {@code is_order@} for the impression element's fields
   * @param json the JSON token (null: the key is left out)
   * @param sql the Parquet value as a Spark SQL expression (null: no Parquet form)
   * @param expected {@code =value} (used; the canonical value as Spark casts it to a string) or a reason's name
   */
  record Case(RawInput input, String field, String json, String sql, String expected) {}

  private static final List<Case> CASES = List.of(
      // integer fields: every form of an integral value in range, nothing fractional, rounded or of another kind
      new Case(RawInput.CLICKS, "item_id", "12", "12", "=12"),
      new Case(RawInput.CLICKS, "item_id", "\"12\"", "'12'", "=12"),
      new Case(RawInput.CLICKS, "item_id", "12.0", "CAST(12 AS DOUBLE)", "=12"),
      new Case(RawInput.CLICKS, "item_id", "1.2e1", "CAST(12 AS FLOAT)", "=12"),
      new Case(RawInput.CLICKS, "item_id", "12.00", "CAST(12 AS DECIMAL(10, 2))", "=12"),
      new Case(RawInput.CLICKS, "item_id", "103.9", "CAST(103.9 AS DOUBLE)", "ITEM_ID"),
      new Case(RawInput.CLICKS, "item_id", "\"103.9\"", "'103.9'", "ITEM_ID"),
      new Case(RawInput.CLICKS, "item_id", "12.5", "CAST(12.5 AS DECIMAL(10, 2))", "ITEM_ID"),
      new Case(RawInput.CLICKS, "item_id", "3000000000", "CAST(3000000000 AS BIGINT)", "ITEM_ID"),
      new Case(RawInput.CLICKS, "item_id", "true", "true", "ITEM_ID"),
      new Case(RawInput.CLICKS, "item_id", "\" 12\"", "' 12'", "ITEM_ID"),
      new Case(RawInput.CLICKS, "item_id", "\"NaN\"", "CAST('NaN' AS DOUBLE)", "ITEM_ID"),
      new Case(RawInput.CLICKS, "item_id", "null", "CAST(NULL AS INT)", "ITEM_ID"),
      new Case(RawInput.CLICKS, "customer_id", "1e3", "CAST(1000 AS DOUBLE)", "=1000"),
      new Case(RawInput.CLICKS, "customer_id", "9007199254740993", "CAST(9007199254740993 AS BIGINT)",
          "=9007199254740993"),
      new Case(RawInput.CLICKS, "customer_id", "9007199254740992.0", "CAST(9007199254740992 AS DOUBLE)",
          "CUSTOMER_ID"),
      new Case(RawInput.CLICKS, "customer_id", "99999999999999999999", "CAST(99999999999999999999 AS DECIMAL(20, 0))",
          "CUSTOMER_ID"),
      // timestamps: ISO-8601 text or a timestamp column, years 1900 to 2200; no numbers, no dates alone
      new Case(RawInput.CLICKS, "click_time", "\"2025-03-09T23:59:59Z\"", "TIMESTAMP'2025-03-09 23:59:59'",
          "=2025-03-09 23:59:59"),
      new Case(RawInput.CLICKS, "click_time", "\"2025-03-09 23:59:59\"", "TIMESTAMP_NTZ'2025-03-09 23:59:59'",
          "=2025-03-09 23:59:59"),
      new Case(RawInput.CLICKS, "click_time", "\"2025-03-09T23:59:59.123+01:00\"",
          "'2025-03-09T23:59:59.123+01:00'", "=2025-03-09 22:59:59.123"),
      new Case(RawInput.CLICKS, "click_time", "1741564799000", "CAST(1741564799000 AS BIGINT)", "TIME"),
      new Case(RawInput.CLICKS, "click_time", "1741564799", "1741564799", "TIME"),
      new Case(RawInput.CLICKS, "click_time", "\"1741564799\"", "'1741564799'", "TIME"),
      new Case(RawInput.CLICKS, "click_time", "\"+57157-12-28T23:43:20Z\"", "timestamp_seconds(1741564799000)",
          "TIME"),
      new Case(RawInput.CLICKS, "click_time", "\"2999-01-01T00:00:00Z\"", "TIMESTAMP'2999-01-01 00:00:00'", "TIME"),
      new Case(RawInput.CLICKS, "click_time", "\"1899-12-31T23:59:59Z\"", "TIMESTAMP'1899-12-31 23:59:59'", "TIME"),
      new Case(RawInput.CLICKS, "click_time", "\"2025-03-09\"", "DATE'2025-03-09'", "TIME"),
      new Case(RawInput.CLICKS, "click_time", "\"2025-03-09T23:59:59.1234567Z\"", "'2025-03-09T23:59:59.1234567Z'",
          "TIME"),
      new Case(RawInput.CLICKS, "click_time", "\"yesterday\"", "'yesterday'", "TIME"),
      // dates: yyyy-MM-dd text naming a real day or a date column, years 1900 to 2200
      new Case(RawInput.ORDERS, "order_date", "\"2025-03-09\"", "DATE'2025-03-09'", "=2025-03-09"),
      new Case(RawInput.ORDERS, "order_date", "\"2025-02-30\"", "'2025-02-30'", "TIME"),
      new Case(RawInput.ORDERS, "order_date", "\"2025-03-09T00:00:00Z\"", "TIMESTAMP'2025-03-09 00:00:00'", "TIME"),
      new Case(RawInput.ORDERS, "order_date", "\"2999-01-01\"", "DATE'2999-01-01'", "TIME"),
      new Case(RawInput.ORDERS, "order_date", "20250309", "20250309", "TIME"),
      new Case(RawInput.IMPRESSIONS, "dt", "\"2025-03-10\"", "DATE'2025-03-10'", "=2025-03-10"),
      new Case(RawInput.IMPRESSIONS, "dt", "\"2999-01-01\"", "'2999-01-01'", "TIME"),
      // impression elements: item_id as any integer field; is_order a boolean or the text true / false
      new Case(RawInput.IMPRESSIONS, "is_order@", "true", "true", "=true"),
      new Case(RawInput.IMPRESSIONS, "is_order@", "\"false\"", "'false'", "=false"),
      new Case(RawInput.IMPRESSIONS, "is_order@", "\"yes\"", "'yes'", "IMPRESSION_IS_ORDER"),
      new Case(RawInput.IMPRESSIONS, "is_order@", "1", "1", "IMPRESSION_IS_ORDER"),
      new Case(RawInput.IMPRESSIONS, "is_order@", "null", "CAST(NULL AS BOOLEAN)", "IMPRESSION_IS_ORDER"),
      new Case(RawInput.IMPRESSIONS, "is_order@", null, null, "IMPRESSION_IS_ORDER"),
      new Case(RawInput.IMPRESSIONS, "item_id@", "101.0", "CAST(101 AS DOUBLE)", "=101"),
      new Case(RawInput.IMPRESSIONS, "item_id@", "103.9", "CAST(103.9 AS DOUBLE)", "IMPRESSION_ITEM_ID"),
      // strings the job writes out keep their bytes; bytes that are not UTF-8 are not replaced but quarantined
      new Case(RawInput.IMPRESSIONS, "ranking_id", "\"r\u00e9\"", "'r\u00e9'", "=r\u00e9"),
      new Case(RawInput.IMPRESSIONS, "ranking_id", "\"r" + FF + "\"", "CAST(unhex('72FF') AS STRING)",
          "INVALID_UTF8"));

  private static final Map<RawInput, Map<String, String[]>> BASE = Map.of(
      RawInput.CLICKS, fields("customer_id", "7", "CAST(7 AS BIGINT)", "item_id", "12", "12",
          "click_time", "\"2025-03-09T23:59:59Z\"", "TIMESTAMP'2025-03-09 23:59:59'"),
      RawInput.ORDERS, fields("order_date", "\"2025-03-09\"", "DATE'2025-03-09'",
          "customer_id", "7", "CAST(7 AS BIGINT)", "config_id", "14", "14"),
      RawInput.IMPRESSIONS, fields("dt", "\"2025-03-10\"", "'2025-03-10'", "ranking_id", "\"r1\"", "'r1'",
          "customer_id", "7", "CAST(7 AS BIGINT)", "item_id@", "101", "101", "is_order@", "false", "false"));

  @BeforeAll
  static void start() {
    spark = TestSpark.start(StrictTypingTest.class);
    reader = new InputReader(spark);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @TestFactory
  Stream<DynamicTest> eachValueInEachFormatIsUsedExactlyOrQuarantinedWithItsReason() {
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < CASES.size(); i++) {
      Case c = CASES.get(i);
      for (Format format : Format.values()) {
        boolean parquet = format != Format.JSON;
        if (parquet && c.sql() == null || format == Format.PARQUET_MICROS && c.input() != RawInput.CLICKS) {
          continue;
        }
        String name = String.format("%s %s = %s (%s) -> %s", c.input().label(), c.field(),
            parquet ? c.sql() : c.json() == null ? "(missing)" : c.json(), format, c.expected());
        int id = i;
        tests.add(DynamicTest.dynamicTest(name, () -> check(c, format, dir.resolve("case-" + id + "-" + format))));
      }
    }
    return tests.stream();
  }

  private static void check(Case c, Format format, Path path) throws IOException {
    Map<String, String[]> fields = new LinkedHashMap<>(BASE.get(c.input()));
    fields.put(c.field(), new String[] {c.json(), c.sql()});
    if (format == Format.JSON) {
      Files.createDirectories(path);
      byte[] text = json(fields).getBytes(StandardCharsets.UTF_8);
      Files.write(path.resolve("part-0.json"), replaceMarker(text));
    } else {
      spark.conf().set("spark.sql.parquet.outputTimestampType",
          format == Format.PARQUET_MICROS ? "TIMESTAMP_MICROS" : "INT96");
      try {
        spark.sql("SELECT " + sql(fields)).coalesce(1).write().parquet(path.toString());
      } finally {
        spark.conf().unset("spark.sql.parquet.outputTimestampType");
      }
    }
    try (ReadResult result = reader.read(c.input(), path.toString())) {
      assertEquals(1, result.read(), "read");
      assertEquals(result.read(), result.used() + result.quarantined(), "read = used + quarantined");
      assertEquals(result.used(), result.usable().count(), "used records");
      assertEquals(result.quarantined(), result.quarantine().count(), "quarantine records");
      if (c.expected().startsWith("=")) {
        assertEquals(Map.of(), result.quarantinedByReason());
        String column = c.field().endsWith("@") ? "impressions[0]." + c.field().replace("@", "") : c.field();
        assertEquals(c.expected().substring(1), result.usable().selectExpr("CAST(" + column + " AS STRING)")
            .as(Encoders.STRING()).first());
      } else {
        assertEquals(Map.of(QuarantineReason.valueOf(c.expected()), 1L), result.quarantinedByReason());
        String column = format == Format.JSON && c.expected().equals("INVALID_UTF8") ? "record"
            : c.field().endsWith("@") ? "impressions." + c.field().replace("@", "") : c.field();
        Row why = result.quarantine().select(QuarantineReason.REASON_FIELD, QuarantineReason.COLUMN_FIELD).first();
        assertEquals(RowFactory.create(c.expected(), column), why, "the quarantined record's reason and column");
      }
    }
  }

  @Test
  void jsonArrayFileThatIsNotUtf8IsOneRecordQuarantinedAsItCame() throws IOException {
    Path file = dir.resolve("bad-utf8-array/clicks.json");
    Files.createDirectories(file.getParent());
    byte[] text = replaceMarker(("[{\"customer_id\": 7, \"item_id\": 12, \"click_time\": \"2025-03-09T23:59:59Z\"},"
        + " {\"customer_id\": 7, \"item_id\": 13, \"click_time\": \"2025-03-09T23:59:59Z\", \"x\": \"" + FF
        + "\"}]").getBytes(StandardCharsets.UTF_8));
    Files.write(file, text);
    Path good = dir.resolve("bad-utf8-array/good.json");
    Files.writeString(good, "[{\"customer_id\": 7, \"item_id\": 14, \"click_time\": \"2025-03-09T23:59:59Z\"}]");
    try (ReadResult result = reader.read(RawInput.CLICKS, file.getParent().toString())) {
      assertEquals(2, result.read());
      assertEquals(Map.of(QuarantineReason.INVALID_UTF8, 1L), result.quarantinedByReason());
      assertEquals(List.of(14), result.usable().select("item_id").as(Encoders.INT()).collectAsList());
      Path out = dir.resolve("bad-utf8-array-quarantine");
      assertTrue(InputReader.writeQuarantine(result, out.toString()));
      byte[] written;
      try (Stream<Path> files = Files.walk(out)) {
        List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
        assertEquals(out.resolve("quarantine_reason=INVALID_UTF8/quarantine_column=record"), parts.get(0).getParent());
        written = Files.readAllBytes(parts.stream().filter(p -> p.toFile().length() > 0).findFirst().orElseThrow());
      }
      assertEquals(new String(text, StandardCharsets.ISO_8859_1) + "\n",
          new String(written, StandardCharsets.ISO_8859_1), "the file's bytes, not replaced");
    }
  }

  @Test
  void parquetImpressionElementsWithoutIsOrderAreAnErrorNamingTheInput() {
    String path = dir.resolve("no-is-order").toString();
    spark.sql("SELECT '2025-03-10' AS dt, 'r' AS ranking_id, CAST(7 AS BIGINT) AS customer_id,"
        + " array(named_struct('item_id', 1)) AS impressions").write().parquet(path);
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> reader.read(RawInput.IMPRESSIONS, path));
    assertTrue(e.getMessage().startsWith("input 'impressions': columns"), e.getMessage());
  }

  private static String json(Map<String, String[]> fields) {
    List<String> top = new ArrayList<>();
    List<String> element = new ArrayList<>();
    fields.forEach((name, forms) -> {
      if (forms[0] != null) {
        (name.endsWith("@") ? element : top).add("\"" + name.replace("@", "") + "\": " + forms[0]);
      }
    });
    if (!element.isEmpty()) {
      top.add("\"impressions\": [{" + String.join(", ", element) + "}]");
    }
    return "{" + String.join(", ", top) + "}\n";
  }

  private static String sql(Map<String, String[]> fields) {
    List<String> top = new ArrayList<>();
    List<String> element = new ArrayList<>();
    fields.forEach((name, forms) -> (name.endsWith("@") ? element : top)
        .add(name.endsWith("@") ? "'" + name.replace("@", "") + "', " + forms[1] : forms[1] + " AS " + name));
    if (!element.isEmpty()) {
      top.add("array(named_struct(" + String.join(", ", element) + ")) AS impressions");
    }
    return String.join(", ", top);
  }

  private static Map<String, String[]> fields(String... nameJsonSql) {
    Map<String, String[]> fields = new LinkedHashMap<>();
    for (int i = 0; i < nameJsonSql.length; i += 3) {
      fields.put(nameJsonSql[i], new String[] {nameJsonSql[i + 1], nameJsonSql[i + 2]});
    }
    return fields;
  }

  /** The UTF-8 bytes with each {@link #FF} replaced by the single byte 0xFF, which UTF-8 never holds. */
  private static byte[] replaceMarker(byte[] text) {
    String latin = new String(text, StandardCharsets.ISO_8859_1).replace(FF, "\u00ff");
    return latin.getBytes(StandardCharsets.ISO_8859_1);
  }
}
