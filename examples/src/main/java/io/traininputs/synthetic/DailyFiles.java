package io.traininputs.synthetic;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the raw inputs as they land day by day in production: each input's records of one day (the impressions'
 * {@code dt}, an action's time in UTC) in one file under {@code out/<input>/<yyyy-MM-dd>/}, Parquet timestamps as
 * INT64 microseconds (whose footer statistics say which days a file holds), JSON as JSON lines.
 */
public final class DailyFiles {
  /** The time column of each input, by input name. */
  static final Map<String, String> TIME_COLUMNS = Map.of("impressions", "dt", "clicks", "click_time", "atc",
      "occur_at", "orders", "order_date");
  private static final String DAY = "day";
  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";

  private DailyFiles() {}

  /** Writes each input of {@code inputs} (keyed impressions, clicks, atc, orders) under {@code out/<key>}. */
  public static void write(Map<String, Dataset<Row>> inputs, String out, InputFormat format) {
    String base = out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
    SparkSession spark = inputs.values().iterator().next().sparkSession();
    String saved = spark.conf().get(TIMESTAMP_TYPE);
    spark.conf().set(TIMESTAMP_TYPE, "TIMESTAMP_MICROS");
    try {
      for (Map.Entry<String, Dataset<Row>> input : inputs.entrySet()) {
        String column = TIME_COLUMNS.get(input.getKey());
        if (column == null) {
          throw new IllegalArgumentException("unknown input '" + input.getKey() + "': expected one of "
              + TIME_COLUMNS.keySet());
        }
        String dir = base + "/" + input.getKey();
        input.getValue().withColumn(DAY, to_date(col(column)).cast("string"))
            .repartition(col(DAY))
            .write()
            .mode(SaveMode.Overwrite)
            .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss'Z'")
            .format(format.toString())
            .partitionBy(DAY)
            .save(dir);
        unpartition(spark, dir);
      }
    } finally {
      spark.conf().set(TIMESTAMP_TYPE, saved);
    }
  }

  /** Renames {@code day=<yyyy-MM-dd>} folders to {@code <yyyy-MM-dd>}: plain folders, no partition column. */
  private static void unpartition(SparkSession spark, String dir) {
    Path root = new Path(dir);
    try {
      FileSystem fs = root.getFileSystem(spark.sessionState().newHadoopConf());
      for (FileStatus s : fs.listStatus(root)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && name.startsWith(DAY + "=")) {
          Path to = new Path(root, name.substring(DAY.length() + 1));
          if (!fs.rename(s.getPath(), to)) {
            throw new IOException("cannot rename " + s.getPath() + " to " + to);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot arrange the daily files under " + dir, e);
    }
  }
}
