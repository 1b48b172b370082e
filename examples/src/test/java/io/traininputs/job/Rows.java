package io.traininputs.job;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Small builders for hand-made test DataFrames in the raw schemas. */
public final class Rows {
  private Rows() {}

  public static Timestamp ts(String isoUtc) {
    return Timestamp.from(Instant.parse(isoUtc));
  }

  public static Date date(String isoDate) {
    return Date.valueOf(LocalDate.parse(isoDate));
  }

  public static Row click(String dt, long customer, int item, String time) {
    return RowFactory.create(dt, customer, item, ts(time));
  }

  public static Row atc(String dt, long customer, int config, String time) {
    return RowFactory.create(dt, customer, config, config * 10, ts(time));
  }

  public static Row order(String orderDate, long customer, int config) {
    return RowFactory.create(date(orderDate), customer, config);
  }

  /** An impression row; {@code items} alternates item id and is_order (1 = true). */
  public static Row impression(String dt, String rankingId, long customer, int... items) {
    List<Row> elements = new ArrayList<>();
    for (int i = 0; i < items.length; i += 2) {
      elements.add(RowFactory.create(items[i], items[i + 1] == 1));
    }
    return RowFactory.create(dt, rankingId, customer, elements);
  }

  public static Dataset<Row> frame(SparkSession spark, StructType schema, Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), schema);
  }

  public static List<Integer> ints(Row row, String field) {
    return row.getList(row.fieldIndex(field));
  }
}
