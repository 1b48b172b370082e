package io.traininputs.connector;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Generated training-input rows (the non-exploded schema of SEMANTICS.md) and helpers to compare outputs. */
final class TestData {
  static final LocalDate DAY = LocalDate.of(2025, 3, 10);

  private TestData() {
  }

  static SparkSession session(String master) {
    return SparkSession.builder().master(master).appName("connector-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  static StructType schema(DataType actionType) {
    StructType impression = DataTypes.createStructType(List.of(
        DataTypes.createStructField("item_id", DataTypes.IntegerType, true),
        DataTypes.createStructField("is_order", DataTypes.BooleanType, true)));
    return DataTypes.createStructType(List.of(
        DataTypes.createStructField("as_of_date", DataTypes.DateType, true),
        DataTypes.createStructField("ranking_id", DataTypes.StringType, true),
        DataTypes.createStructField("customer_id", DataTypes.LongType, true),
        DataTypes.createStructField("impressions", DataTypes.createArrayType(impression, true), true),
        DataTypes.createStructField("actions", DataTypes.createArrayType(DataTypes.IntegerType, true), true),
        DataTypes.createStructField("action_types", DataTypes.createArrayType(actionType, true), true)));
  }

  /**
   * Rows over {@code dates} consecutive days from {@link #DAY}; each (customer, date) has one history, shared by
   * its 1..3 ranking rows; each ranking shows {@code items} items (some rows none).
   */
  static Dataset<Row> rows(SparkSession spark, int customers, int dates, int n, int items, boolean tinyint) {
    Random random = new Random(42);
    List<Row> rows = new ArrayList<>();
    int ranking = 0;
    for (int d = 0; d < dates; d++) {
      java.sql.Date date = java.sql.Date.valueOf(DAY.plusDays(d));
      for (int c = 0; c < customers; c++) {
        int length = random.nextInt(n + 1);
        int[] actions = new int[n];
        Object[] types = new Object[n];
        for (int i = 0; i < n; i++) {
          actions[i] = i < length ? 1 + random.nextInt(100_000) : 0;
          int t = i < length ? 1 + random.nextInt(3) : 0;
          types[i] = tinyint ? (Object) (byte) t : (Object) t;
        }
        int rankings = 1 + random.nextInt(3);
        for (int r = 0; r < rankings; r++) {
          int count = ranking % 7 == 6 ? 0 : items;
          Object[] impressions = new Object[count];
          for (int i = 0; i < count; i++) {
            impressions[i] = RowFactory.create(random.nextInt(50_000), random.nextInt(10) == 0);
          }
          String id = ranking % 11 == 10 ? null : "r" + ranking;
          ranking++;
          rows.add(RowFactory.create(date, id, 1000L + c, Arrays.asList(impressions),
              Arrays.stream(actions).boxed().collect(Collectors.toList()), Arrays.asList(types)));
        }
      }
    }
    return spark.createDataFrame(rows, schema(tinyint ? DataTypes.ByteType : DataTypes.IntegerType))
        .repartition(3);
  }

  /** What each layout should read back as, from the non-exploded input. */
  static Dataset<Row> expected(Dataset<Row> input, Layout layout) {
    Dataset<Row> typed = input.withColumn("action_types", col("action_types").cast("array<tinyint>"));
    if (layout == Layout.ROWS) {
      return typed;
    }
    Dataset<Row> exploded = typed.select(col("as_of_date"), col("ranking_id"), col("customer_id"),
            explode(col("impressions")).as("imp"), col("actions"), col("action_types"))
        .select(col("as_of_date"), col("ranking_id"), col("customer_id"),
            col("imp.item_id").as("impression_item_id"), col("imp.is_order").as("is_order"), col("actions"),
            col("action_types"));
    return layout == Layout.EXPLODED ? exploded : exploded.drop("ranking_id");
  }

  /** The rows as sorted strings, for multiset comparison. */
  static List<String> sorted(Dataset<Row> df) {
    Column[] cols = Arrays.stream(df.columns()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return df.select(cols).collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
  }

  /** Every path under root, relative, sorted. */
  static List<String> listing(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted()
          .collect(Collectors.toList());
    }
  }
}
