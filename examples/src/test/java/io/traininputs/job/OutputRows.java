package io.traininputs.job;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A written output's rows as sorted strings, the same columns and types whoever wrote or read them. */
final class OutputRows {
  private OutputRows() {}

  /** Through the training-inputs format's reader. */
  static List<String> ofFormat(SparkSession spark, Path out) {
    return normalized(spark.read().format("training-inputs").load(out.toString()));
  }

  /** Through {@code spark.read.parquet}, as a reader that knows nothing of the manifest. */
  static List<String> ofParquet(SparkSession spark, Path out) {
    return normalized(spark.read().parquet(out.toString()));
  }

  static List<String> normalized(Dataset<Row> df) {
    return df.select(col("as_of_date"), col("ranking_id"), col("customer_id"), col("impressions"), col("actions"),
            col("action_types").cast("array<int>")).collectAsList().stream().map(Row::toString).sorted()
        .toList();
  }
}
