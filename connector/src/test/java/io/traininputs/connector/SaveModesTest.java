package io.traininputs.connector;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** errorifexists, ignore, append, overwrite and date-replacing overwrite through {@code save(path)}. */
class SaveModesTest {
  private static final int N = 8;
  private static SparkSession spark;
  private static Dataset<Row> first;
  private static Dataset<Row> second;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestData.session("local[2]");
    Dataset<Row> all = TestData.rows(spark, 6, 3, N, 2, false).cache();
    first = all.where(col("customer_id").lt(1003));
    // different customers, dates 2 and 3 of the 3
    second = all.where(col("customer_id").geq(1003).and(col("as_of_date").gt(java.sql.Date.valueOf(TestData.DAY))));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private String out() {
    return dir.resolve("out").toString();
  }

  private void write(Dataset<Row> df, String mode, String... options) {
    var w = df.write().format("training-inputs").mode(mode).option("historyLength", N);
    for (int i = 0; i < options.length; i += 2) {
      w = w.option(options[i], options[i + 1]);
    }
    w.save(out());
  }

  private List<String> read() {
    return TestData.sorted(spark.read().format("training-inputs").load(out()));
  }

  private static List<String> expected(Dataset<Row> df) {
    return TestData.sorted(TestData.expected(df, Layout.ROWS));
  }

  @Test
  void errorIfExistsIsTheDefaultAndNamesThePath() {
    first.write().format("training-inputs").option("historyLength", N).save(out());
    Exception e = assertThrows(Exception.class,
        () -> second.write().format("training-inputs").option("historyLength", N).save(out()));
    assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains(dir.toString()),
        e.getMessage());
    assertEquals(expected(first), read());
  }

  @Test
  void ignoreKeepsExistingOutputAndWritesWhenAbsent() {
    write(first, "ignore");
    assertEquals(expected(first), read());
    write(second, "ignore");
    assertEquals(expected(first), read());
  }

  @Test
  void appendAddsFilesAndKeepsTheOldOnes() {
    write(first, "append");
    write(second, "append");
    List<String> both = new ArrayList<>(expected(first));
    both.addAll(expected(second));
    both.sort(null);
    assertEquals(both, read());
  }

  @Test
  void appendWithADifferentShapeIsRefused() {
    write(first, "errorifexists");
    Exception e = assertThrows(IllegalArgumentException.class, () -> second.write().format("training-inputs")
        .mode("append").option("historyLength", N).option("layout", "exploded").save(out()));
    assertTrue(e.getMessage().contains("layout=rows") && e.getMessage().contains("exploded"), e.getMessage());
  }

  @Test
  void overwriteReplacesEverything() throws Exception {
    write(first, "overwrite");
    write(second, "overwrite");
    assertEquals(expected(second), read());
    // no file of the first write is left behind, for plain directory readers either
    assertTrue(Files.notExists(dir.resolve("out/as_of_date=" + TestData.DAY)));
    assertEquals(expected(second), TestData.sorted(spark.read().format("training-inputs").load(out())));
  }

  @Test
  void dynamicOverwriteReplacesOnlyTheDatesWritten() {
    write(first, "overwrite");
    write(second, "overwrite", "partitionOverwriteMode", "dynamic");
    List<String> kept = new ArrayList<>(expected(first.where(col("as_of_date").equalTo(
        java.sql.Date.valueOf(TestData.DAY)))));
    kept.addAll(expected(second));
    kept.sort(null);
    assertEquals(kept, read());
  }

  @Test
  void dynamicOverwriteDropsDatesAndKeepsMetadataInOneCommit() throws Exception {
    String day1 = TestData.DAY.toString();
    String day2 = TestData.DAY.plusDays(1).toString();
    String day3 = TestData.DAY.plusDays(2).toString();
    write(first, "overwrite", "metadata", "{\"made_by\":\"test\"}", "dateMetadata",
        "{\"" + day1 + "\":{\"v\":1},\"" + day2 + "\":{\"v\":1},\"" + day3 + "\":{\"v\":1}}");
    write(second.where(col("as_of_date").equalTo(java.sql.Date.valueOf(day3))), "overwrite",
        "partitionOverwriteMode", "dynamic", "dropDates", day1, "dateMetadata", "{\"" + day3 + "\":{\"v\":2}}");

    List<String> kept = new ArrayList<>(expected(first.where(col("as_of_date").equalTo(java.sql.Date.valueOf(day2)))));
    kept.addAll(expected(second.where(col("as_of_date").equalTo(java.sql.Date.valueOf(day3)))));
    kept.sort(null);
    assertEquals(kept, read());
    assertTrue(Files.notExists(dir.resolve("out/as_of_date=" + day1)), "the dropped date's folder is gone");
    JsonNode manifest = new ObjectMapper().readTree(dir.resolve("out/_manifest.json").toFile());
    assertEquals("test", manifest.path("metadata").path("made_by").asText(), manifest.toString());
    assertEquals(List.of(day2, day3), fieldNames(manifest.path("dateMetadata")));
    assertEquals(1, manifest.path("dateMetadata").path(day2).path("v").asInt(), "a kept date keeps its metadata");
    assertEquals(2, manifest.path("dateMetadata").path(day3).path("v").asInt(), "a written date gets the new one");
    assertEquals(List.of(day2, day3), fieldNames(manifest.path("rowsPerDate")));
  }

  @Test
  void metadataAndDropDatesOptionsAreValidated() {
    write(first, "overwrite");
    Exception json = assertThrows(Exception.class, () -> write(second, "append", "metadata", "[1]"));
    assertTrue(json.getMessage().contains("'metadata': expected a JSON object, got '[1]'"), json.getMessage());
    Exception date = assertThrows(Exception.class, () -> write(second, "append", "dropDates", "2025-1-31"));
    assertTrue(date.getMessage().contains("'dropDates': '2025-1-31' is not an as_of_date of the form yyyy-MM-dd"),
        date.getMessage());
    Exception staticDrop = assertThrows(Exception.class,
        () -> write(second, "overwrite", "dropDates", TestData.DAY.toString()));
    assertTrue(staticDrop.getMessage().contains("'dropDates' needs mode \"append\" or a dynamic overwrite"),
        staticDrop.getMessage());
    Exception unwritten = assertThrows(Exception.class, () -> write(second, "append", "dateMetadata",
        "{\"" + TestData.DAY + "\":{}}"));
    assertTrue(rootMessage(unwritten).contains("which this write did not write"), rootMessage(unwritten));
    Exception other = assertThrows(Exception.class, () -> second.write().format("training-inputs")
        .mode("overwrite").option("partitionOverwriteMode", "dynamic").option("historyLength", N)
        .option("fileFormat", "parquet").save(out()));
    assertTrue(other.getMessage().contains("Cannot add dates to"), other.getMessage());
    assertEquals(expected(first), read(), "no failed write changed the dataset");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String rootMessage(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }

  @Test
  void readingAPathWithoutManifestSaysSo() {
    Exception e = assertThrows(Exception.class,
        () -> spark.read().format("training-inputs").load(dir.resolve("nothing").toString()).collect());
    assertTrue(e.getMessage().contains("_manifest.json"), e.getMessage());
  }
}
