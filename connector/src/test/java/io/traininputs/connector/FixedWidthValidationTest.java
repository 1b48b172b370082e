package io.traininputs.connector;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong lengths, nulls, out-of-range types, missing or mistyped columns and bad options fail the write. */
class FixedWidthValidationTest {
  private static final int N = 4;
  private static SparkSession spark;
  private static Dataset<Row> input;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestData.session("local[2]");
    input = TestData.rows(spark, 4, 1, N, 2, false).where(col("ranking_id").isNotNull()).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The same rows, with one column changed for the row of ranking r2 only. */
  private static Dataset<Row> breakRankingR2(String column, Column replacement) {
    return input.withColumn(column, when(col("ranking_id").equalTo("r2"), replacement).otherwise(col(column)));
  }

  private String failWrite(Dataset<Row> df, String... options) {
    var w = df.write().format("training-inputs").option("historyLength", N);
    for (int i = 0; i < options.length; i += 2) {
      w = w.option(options[i], options[i + 1]);
    }
    var writer = w;
    Exception e = assertThrows(Exception.class, () -> writer.save(dir.resolve("out").toString()));
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    assertFalse(Files.exists(dir.resolve("out/_manifest.json")), "nothing is committed");
    return all.toString();
  }

  private static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
    }
  }

  @Test
  void aShortHistoryIsRejectedWithColumnKeysAndShape() {
    String m = failWrite(breakRankingR2("actions", slice(col("actions"), 1, 3)));
    assertMentions(m, "Column 'actions'", "ranking_id=r2", "customer_id=", "as_of_date=2025-03-10",
        "has 3 elements", "[rows, 4] int32");
  }

  @Test
  void aLongHistoryIsRejected() {
    String m = failWrite(breakRankingR2("action_types", array(lit(1), lit(1), lit(1), lit(1), lit(1))));
    assertMentions(m, "Column 'action_types'", "ranking_id=r2", "has 5 elements", "[rows, 4] int8");
  }

  @Test
  void nullsAreRejected() {
    assertMentions(failWrite(breakRankingR2("actions", lit(null).cast("array<int>"))),
        "Column 'actions'", "ranking_id=r2", "is null");
    assertMentions(failWrite(breakRankingR2("actions", array(lit(1), lit(null).cast("int"), lit(0), lit(0)))),
        "Column 'actions'", "ranking_id=r2", "null element");
    assertMentions(failWrite(breakRankingR2("customer_id", lit(null).cast("bigint"))),
        "Column 'customer_id'", "ranking_id=r2", "is null");
    assertMentions(failWrite(breakRankingR2("impressions", lit(null).cast(input.schema().apply("impressions")
        .dataType()))), "Column 'impressions'", "ranking_id=r2", "is null");
  }

  @Test
  void parquetWritesRejectTheSameRows() {
    assertMentions(failWrite(breakRankingR2("actions", slice(col("actions"), 1, 3)), "fileFormat", "parquet"),
        "Column 'actions'", "ranking_id=r2", "has 3 elements", "[rows, 4] int32");
    assertMentions(failWrite(breakRankingR2("action_types", array(lit(1), lit(null).cast("int"), lit(0), lit(0))),
        "fileFormat", "parquet"), "Column 'action_types'", "ranking_id=r2", "null element");
  }

  @Test
  void actionTypesOutsideInt8AreRejected() {
    String m = failWrite(breakRankingR2("action_types", array(lit(1), lit(300), lit(0), lit(0))));
    assertMentions(m, "Column 'action_types'", "ranking_id=r2", "value 300 at index 1", "int8");
  }

  @Test
  void missingAndMistypedColumnsAreRejected() {
    assertMentions(failWrite(input.drop("actions")), "Missing input column 'actions'");
    assertMentions(failWrite(input.withColumn("customer_id", col("customer_id").cast("string"))),
        "'customer_id' has type string, expected bigint");
    assertMentions(failWrite(input.withColumn("actions", col("actions").cast("array<bigint>"))),
        "'actions' has type array<bigint>, expected array<int>");
    assertMentions(failWrite(input.withColumn("extra", lit(1))), "Unexpected input column 'extra'");
  }

  @Test
  void optionsAreValidatedWithNameValueAndAllowed() {
    assertMentions(failWrite(input, "fileFormat", "csv"), "'fileFormat'", "'csv'", "arrow, parquet");
    assertMentions(failWrite(input, "layout", "wide"), "'layout'", "rows, exploded, normalized");
    assertMentions(failWrite(input, "compression", "lz4"), "'compression'", "none, zstd");
    assertMentions(failWrite(input, "historyLength", "-1"), "'historyLength'", "positive integer");
    Exception e = assertThrows(Exception.class, () -> input.write().format("training-inputs")
        .save(dir.resolve("x").toString()));
    assertMentions(e.getMessage(), "Option 'historyLength' is required");
  }
}
